#include "procfs_parse.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/str.h"

static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl + 1 : p + strlen(p);
}

static bool parse_ticks(const char *p, struct stat_cpu *out)
{
	unsigned n = 0;
	uint64_t v;

	memset(&out->ticks, 0, sizeof out->ticks);
	while (n < CPU_MODE_COUNT && str_parse_u64(p, &p, &v)) {
		out->ticks.t[n++] = v;
		if (*p == '\n' || *p == '\0')
			break;
	}
	out->nfields = n;
	return n >= 4; /* user nice system idle: the oldest kernels' minimum */
}

int procfs_parse_stat(const char *buf, struct stat_cpu *total, struct stat_cpu *cpus, size_t cap)
{
	bool have_total = false;
	int n = 0;

	for (const char *p = buf; *p; p = next_line(p)) {
		if (strncmp(p, "cpu", 3) != 0)
			continue;
		if (p[3] == ' ' || p[3] == '\t') {
			struct stat_cpu t;
			if (parse_ticks(p + 3, &t)) {
				t.cpu = -1;
				if (total)
					*total = t;
				have_total = true;
			}
		} else if (isdigit((unsigned char)p[3])) {
			uint64_t id;
			const char *q;
			struct stat_cpu c;
			if (!str_parse_u64(p + 3, &q, &id) || id > 1000000 || !parse_ticks(q, &c))
				continue;
			c.cpu = (int)id;
			if ((size_t)n < cap)
				cpus[n] = c;
			n++;
		}
	}
	return have_total ? n : -1;
}

int procfs_parse_btime(const char *buf, uint64_t *btime)
{
	for (const char *p = buf; *p; p = next_line(p)) {
		const char *q;
		if (strncmp(p, "btime ", 6) == 0 && str_parse_u64(p + 6, &q, btime) &&
		    (*q == '\n' || *q == '\0'))
			return 0;
	}
	return -1;
}

int procfs_parse_status_uid(const char *buf, int64_t *euid)
{
	for (const char *p = buf; *p; p = next_line(p)) {
		const char *q;
		uint64_t real, eff;
		/* "Uid:\treal\teffective\tsaved\tfs" (proc(5)) */
		if (strncmp(p, "Uid:", 4) != 0)
			continue;
		if (!str_parse_u64(p + 4, &q, &real) || !str_parse_u64(q, &q, &eff) ||
		    eff > UINT32_MAX)
			return -1;
		*euid = (int64_t)eff;
		return 0;
	}
	return -1;
}

static const char *const meminfo_keys[MI_COUNT] = {
	"MemTotal",     "MemFree", "MemAvailable", "Buffers",  "Cached",
	"SReclaimable", "Shmem",   "SwapTotal",    "SwapFree", "SwapCached",
};

int procfs_parse_meminfo(const char *buf, struct meminfo *out)
{
	memset(out, 0, sizeof *out);
	for (const char *p = buf; *p; p = next_line(p)) {
		const char *colon = strchr(p, ':'), *nl = strchr(p, '\n');
		size_t klen;

		if (!colon || (nl && colon > nl))
			continue;
		klen = (size_t)(colon - p);
		for (unsigned i = 0; i < MI_COUNT; i++) {
			uint64_t v;
			if (strlen(meminfo_keys[i]) == klen &&
			    strncmp(p, meminfo_keys[i], klen) == 0 &&
			    str_parse_u64(colon + 1, NULL, &v)) {
				out->kb[i] = v;
				out->present |= 1u << i;
			}
		}
	}
	return (out->present & (1u << MI_TOTAL)) ? 0 : -1;
}

static bool has(const struct meminfo *mi, enum meminfo_field f)
{
	return (mi->present >> f) & 1u;
}

void meminfo_to_memory(const struct meminfo *mi, struct sample_memory *m)
{
	const uint64_t *kb = mi->kb;

	m->total_bytes = m->used_bytes = m->available_bytes = NAN;
	m->swap_total_bytes = m->swap_used_bytes = NAN;
	if (!has(mi, MI_TOTAL))
		return;
	m->total_bytes = (double)kb[MI_TOTAL] * 1024.0;
	if (has(mi, MI_AVAILABLE)) {
		uint64_t avail = kb[MI_AVAILABLE] < kb[MI_TOTAL] ? kb[MI_AVAILABLE] : kb[MI_TOTAL];
		m->available_bytes = (double)avail * 1024.0;
		m->used_bytes = (double)(kb[MI_TOTAL] - avail) * 1024.0;
	} else if (has(mi, MI_FREE) && kb[MI_FREE] <= kb[MI_TOTAL]) {
		/* more free than total is no reading (a torn or made-up file): used stays unknown
		 * rather than wrapping to 16 EB */
		uint64_t reclaim =
		    kb[MI_FREE] + kb[MI_BUFFERS] + kb[MI_CACHED] + kb[MI_SRECLAIMABLE];
		uint64_t used =
		    kb[MI_TOTAL] >= reclaim ? kb[MI_TOTAL] - reclaim : kb[MI_TOTAL] - kb[MI_FREE];
		m->used_bytes = (double)used * 1024.0;
		m->available_bytes = (double)kb[MI_FREE] * 1024.0;
	}
	if (has(mi, MI_SWAP_TOTAL)) {
		m->swap_total_bytes = (double)kb[MI_SWAP_TOTAL] * 1024.0;
		if (has(mi, MI_SWAP_FREE))
			m->swap_used_bytes = (double)(kb[MI_SWAP_TOTAL] > kb[MI_SWAP_FREE]
			                                  ? kb[MI_SWAP_TOTAL] - kb[MI_SWAP_FREE]
			                                  : 0) *
			                     1024.0;
	}
}

int procfs_parse_pid_stat(const char *buf, struct pid_stat *out)
{
	const char *open = strchr(buf, '('), *close = strrchr(buf, ')'), *p;
	const char *field[64];
	char tmp[1024];
	size_t nf = 0, len;
	int64_t pid;

	memset(out, 0, sizeof *out);
	if (!open || !close || close < open)
		return -1;
	if (!str_parse_i64(buf, NULL, &pid) || pid < 0 || pid > 0x7fffffff)
		return -1;
	out->pid = (int)pid;
	str_copy_n(out->comm, sizeof out->comm, open + 1, (size_t)(close - open - 1));

	/* fields 3.. after the last ')': copy and split on blanks */
	len = strlen(close + 1);
	if (len >= sizeof tmp)
		len = sizeof tmp - 1;
	memcpy(tmp, close + 1, len);
	tmp[len] = '\0';
	for (char *s = tmp; *s && nf < 64;) {
		while (*s == ' ' || *s == '\n' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			break;
		field[nf++] = s;
		while (*s && *s != ' ' && *s != '\n' && *s != '\t')
			s++;
	}
	/* field[k] is /proc/[pid]/stat field k+3 (proc(5) numbering) */
	if (nf < 22)
		return -1;
	out->state = field[0][0];
	{
		int64_t v;
		if (!str_parse_i64(field[1], &p, &v))
			return -1;
		out->ppid = (int)v;
		if (!str_parse_u64(field[11], &p, &out->utime) ||
		    !str_parse_u64(field[12], &p, &out->stime) ||
		    !str_parse_i64(field[17], &p, &out->threads) ||
		    !str_parse_u64(field[19], &p, &out->starttime) ||
		    !str_parse_u64(field[20], &p, &out->vsize) ||
		    !str_parse_i64(field[21], &p, &out->rss_pages))
			return -1;
	}
	return 0;
}

size_t procfs_cmdline_join(const char *buf, size_t len, char *out, size_t size)
{
	char *tmp;
	size_t n;

	while (len > 0 && buf[len - 1] == '\0')
		len--;
	if (size == 0)
		return 0;
	tmp = malloc(len + 1);
	if (!tmp) {
		out[0] = '\0';
		return 0;
	}
	for (size_t i = 0; i < len; i++)
		tmp[i] = buf[i] ? buf[i] : ' ';
	n = str_utf8_clean(out, size, tmp, len);
	free(tmp);
	return n;
}

static bool key_is(const char *line, size_t klen, const char *key)
{
	return strlen(key) == klen && strncmp(line, key, klen) == 0;
}

int procfs_parse_cpuinfo(const char *buf, struct cpuinfo_cpu *cpus, size_t cap, char *model,
                         size_t model_size)
{
	char implementer[32] = "", part[32] = "", hardware[96] = "", name[96] = "", board[96] = "";
	int n = 0;

	for (const char *p = buf; *p; p = next_line(p)) {
		const char *colon = strchr(p, ':'), *nl = strchr(p, '\n'), *v;
		size_t klen, vlen;

		if (!colon || (nl && colon > nl))
			continue;
		klen = (size_t)(colon - p);
		while (klen > 0 && (p[klen - 1] == ' ' || p[klen - 1] == '\t'))
			klen--;
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		vlen = nl ? (size_t)(nl - v) : strlen(v);

		if (key_is(p, klen, "processor")) {
			uint64_t id;
			if (str_parse_u64(v, NULL, &id)) {
				if ((size_t)n < cap) {
					cpus[n].cpu = (int)id;
					cpus[n].mhz = NAN;
				}
				n++;
			}
		} else if (key_is(p, klen, "cpu MHz") || key_is(p, klen, "clock")) {
			char num[32];
			double mhz;
			str_copy_n(num, sizeof num, v, vlen);
			/* s390 and POWER write "clock : 3000.000000MHz" */
			for (char *q = num; *q; q++)
				if (isalpha((unsigned char)*q))
					*q = '\0';
			if (n > 0 && (size_t)n <= cap && str_to_double(num, &mhz))
				cpus[n - 1].mhz = mhz;
		} else if (key_is(p, klen, "model name") && !name[0]) {
			str_copy_n(name, sizeof name, v, vlen);
		} else if (key_is(p, klen, "Hardware") && !hardware[0]) {
			str_copy_n(hardware, sizeof hardware, v, vlen);
		} else if (key_is(p, klen, "Model") && !board[0]) {
			str_copy_n(board, sizeof board, v, vlen);
		} else if (key_is(p, klen, "CPU implementer") && !implementer[0]) {
			str_copy_n(implementer, sizeof implementer, v, vlen);
		} else if (key_is(p, klen, "CPU part") && !part[0]) {
			str_copy_n(part, sizeof part, v, vlen);
		}
	}
	if (model && model_size) {
		if (name[0])
			str_copy(model, model_size, name);
		else if (board[0])
			str_copy(model, model_size, board);
		else if (hardware[0])
			str_copy(model, model_size, hardware);
		else if (implementer[0])
			snprintf(model, model_size, "ARM implementer %s part %s", implementer,
			         part[0] ? part : "?");
		else
			model[0] = '\0';
		str_trim(model);
	}
	return n;
}

int sysfs_parse_cpulist(const char *s, unsigned char *bits, size_t cap)
{
	int count = 0;

	memset(bits, 0, (cap + 7) / 8);
	while (*s && *s != '\n') {
		uint64_t a, b;
		if (!str_parse_u64(s, &s, &a))
			return -1;
		b = a;
		if (*s == '-') {
			if (!str_parse_u64(s + 1, &s, &b) || b < a)
				return -1;
		}
		for (uint64_t i = a; i <= b && i < cap; i++) {
			if (!(bits[i / 8] & (1u << (i % 8))))
				count++;
			bits[i / 8] |= (unsigned char)(1u << (i % 8));
		}
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -1;
	}
	return count;
}

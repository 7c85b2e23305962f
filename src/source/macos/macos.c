/* macos.c - the IOReport source: reads the OS (ioreport.c, host.c, pmgr.c, smc.c, hid.c) into
 * plain readings and hands each pair to the pure Apple decoder. No sudo, no subprocess. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../apple/decode.h"
#include "../../apple/dump.h"
#include "../../util/file.h"
#include "../../util/str.h"
#include "../../util/strbuf.h"
#include "../source.h"
#include "../users.h"
#include "macos_internal.h"
#include "macos_source.h"

struct mac_src {
	struct apple_host host;
	struct pmgr pmgr;
	struct apple_decoder dec;
	struct mac_ior ior;
	struct mac_host mh;
	struct mac_smc smc;
	struct mac_hid hid;
	bool smc_ok, hid_ok;
	struct mac_power power;
	struct apple_reading prev, cur;
	size_t *idx; /* scratch for the command line selection */
	size_t idx_cap;
	uint64_t seq;
	struct users users; /* uid → name, cached */
};

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One reading: IOReport first and the CPU ticks right after, so both describe the same moment.
 * The reading's time is taken after the IOReport sample, so that no driver timestamp in it is
 * later than the reading (GPU Energy is stamped when sampled). */
static int take_reading(struct mac_src *m, struct apple_reading *r)
{
	apple_reading_free(r);
	if (mac_ior_sample(&m->ior, &r->ior))
		return -1;
	r->mach_time = mach_absolute_time();
	r->ior.mach_time = r->mach_time;
	r->wall_time = wall_now();
	if (mac_host_read(&m->mh, (unsigned)m->host.ncpu, r))
		return -1;
	mac_gpu_clients_read(r);
	mac_power_read(&m->power, r);
	if (m->smc_ok)
		mac_smc_read(&m->smc, r);
	if (m->hid_ok && (!m->smc_ok || !m->smc.nkeys))
		mac_hid_read(&m->hid, r);
	return 0;
}

static void mac_free(struct mac_src *m)
{
	apple_reading_free(&m->prev);
	apple_reading_free(&m->cur);
	if (m->smc_ok)
		mac_smc_close(&m->smc);
	if (m->hid_ok)
		mac_hid_close(&m->hid);
	mac_power_close(&m->power);
	mac_host_close(&m->mh);
	mac_ior_close(&m->ior);
	apple_decoder_free(&m->dec);
	pmgr_free(&m->pmgr);
	free(m->idx);
	users_free(&m->users);
	free(m);
}

static struct mac_src *mac_new(struct error *err)
{
	struct mac_src *m = calloc(1, sizeof *m);

	if (!m) {
		error_set(err, "out of memory");
		return NULL;
	}
	apple_reading_init(&m->prev);
	apple_reading_init(&m->cur);
	if (mac_host_identity(&m->host, err))
		goto fail;
	m->host.gpu_cores = mac_gpu_cores();
	mac_pmgr_read(&m->pmgr); /* without it: no MHz, and the decoder says which table */
	if (apple_decoder_init(&m->dec, &m->host, &m->pmgr)) {
		error_set(err, "out of memory");
		goto fail;
	}
	if (mac_ior_open(&m->ior, err))
		goto fail;
	if (mac_host_open(&m->mh, err))
		goto fail;
	mac_power_open(&m->power);
	m->smc_ok = mac_smc_open(&m->smc) == 0;
	if (!m->smc_ok || !m->smc.nkeys)
		m->hid_ok = mac_hid_open(&m->hid) == 0;
	if (take_reading(m, &m->prev)) {
		error_set(err, "cannot read the CPU load counters (host_processor_info)");
		goto fail;
	}
	return m;
fail:
	mac_free(m);
	return NULL;
}

/* Command lines for what is shown: every process while a filter applies, else the first rows
 * in the view's order. A process's command line is read once (KERN_PROCARGS2) and cached. */
static void fill_cmdlines(struct mac_src *m, const struct source_proc_hint *hint,
                          const struct apple_reading *r, struct sample *out)
{
	size_t n = out->nprocs, rows = hint->rows ? hint->rows : SOURCE_PROC_ROWS;

	if (n != r->nprocs)
		return; /* the decoder ran out of memory: nothing to match */
	if (!hint->all) {
		if (m->idx_cap < rows) {
			size_t *p = realloc(m->idx, rows * sizeof *p);
			if (!p)
				return;
			m->idx = p;
			m->idx_cap = rows;
		}
		n = procsel_top(out, NULL, hint->sort, rows, m->idx);
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = hint->all ? k : m->idx[k];
		const char *cmd = mac_cmdline(&m->mh, r->procs[i].pid, r->procs[i].start);
		if (cmd && out->procs[i].pid == r->procs[i].pid)
			out->procs[i].cmdline = sample_intern(out, cmd, strlen(cmd));
	}
	mac_cmdline_mark(&m->mh, r);
	mac_cmdline_prune(&m->mh);
}

static int mac_open(struct source *s, const struct options *o, struct error *err)
{
	(void)o;
	s->priv = mac_new(err);
	return s->priv ? 0 : -1;
}

static enum source_status mac_read(struct source *s, struct sample *out, struct error *err)
{
	struct mac_src *m = s->priv;
	struct apple_reading tmp;

	if (take_reading(m, &m->cur)) {
		error_set(err, "cannot read the CPU load counters (host_processor_info)");
		return SOURCE_ERROR;
	}
	if (apple_decode(&m->dec, &m->prev, &m->cur, m->ior.group, m->ior.ngroups, out)) {
		error_set(err, "out of memory decoding a sample");
		return SOURCE_ERROR;
	}
	fill_cmdlines(m, &s->hint, &m->cur, out);
	for (size_t i = 0; i < out->nprocs; i++)
		users_name(&m->users, out->procs[i].uid, out->procs[i].user,
		           sizeof out->procs[i].user);
	out->seq = ++m->seq;
	str_copy(out->source, sizeof out->source, "ioreport");
	tmp = m->prev;
	m->prev = m->cur;
	m->cur = tmp;
	return SOURCE_SAMPLE;
}

static void mac_close(struct source *s)
{
	if (s->priv)
		mac_free(s->priv);
	s->priv = NULL;
}

const struct source_ops ioreport_source = {
	.name = "ioreport",
	.open = mac_open,
	.read = mac_read,
	.next_delay = NULL,
	.close = mac_close,
};

/* ---- --dump-ioreport ---- */

/* Copies what was read into a dump, with the command lines of the busiest processes. */
static int build_dump(struct mac_src *m, struct apple_dump *d)
{
	struct sample s;
	struct source_proc_hint hint = { false, PROC_SORT_CPU, 32 };

	d->host = m->host;
	for (unsigned i = 0; i < m->pmgr.n; i++)
		if (pmgr_add(&d->pmgr, m->pmgr.prop[i].key, m->pmgr.prop[i].data,
		             m->pmgr.prop[i].len))
			return -1;
	d->ngroups = m->ior.ngroups;
	memcpy(d->group, m->ior.group, sizeof d->group);
	sample_init(&s);
	if (apple_decode(&m->dec, &m->prev, &m->cur, m->ior.group, m->ior.ngroups, &s)) {
		sample_free(&s);
		return -1;
	}
	fill_cmdlines(m, &hint, &m->cur, &s);
	for (size_t i = 0; i < s.nprocs && i < m->cur.nprocs; i++)
		if (s.procs[i].cmdline)
			m->cur.procs[i].cmdline = strdup(sample_str(&s, s.procs[i].cmdline));
	sample_free(&s);
	for (int k = 0; k < 2; k++) {
		struct apple_reading *r = apple_dump_add_reading(d);
		if (!r || apple_reading_copy(r, k ? &m->cur : &m->prev))
			return -1;
	}
	return 0;
}

int mac_dump_ioreport(const struct options *o, struct error *err)
{
	struct mac_src *m;
	struct apple_dump d;
	struct strbuf b;
	uint64_t ticks;
	int rc = 0;

	/* checked first, so an unwritable path fails before a second of sampling; written whole
	 * at the end (util/file.h: never through a link, never over a device) */
	if (file_replace_check(o->dump_ioreport, err))
		return error_prefix(err, "cannot write --dump-ioreport file %s", o->dump_ioreport);
	m = mac_new(err);
	if (!m)
		return -1;
	ticks = (uint64_t)(o->interval * 1e9 * m->host.tb_denom / m->host.tb_numer);
	mach_wait_until(mach_absolute_time() + ticks);
	apple_dump_init(&d);
	sb_init(&b);
	if (take_reading(m, &m->cur) || build_dump(m, &d)) {
		rc = error_set(err, "cannot take the second reading for the dump");
	} else {
		apple_dump_write(&b, &d);
		if (b.oom)
			rc = error_set(err, "out of memory writing the dump");
		else if (file_replace(o->dump_ioreport, b.buf, b.len, err))
			rc = error_prefix(err, "cannot write --dump-ioreport file %s",
			                  o->dump_ioreport);
	}
	if (!rc)
		fprintf(stderr, "agtop: wrote %s (%zu channels, 2 readings %.1f s apart)\n",
		        o->dump_ioreport, m->cur.ior.n, o->interval);
	sb_free(&b);
	apple_dump_free(&d);
	mac_free(m);
	return rc;
}

#include "procfield.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/str.h"
#include "view/format.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int cmp_num(double a, double b)
{
	return a < b ? -1 : a > b;
}

static int cmp_int(long long a, long long b)
{
	return a < b ? -1 : a > b;
}

static void na(char *out, size_t size)
{
	snprintf(out, size, "N/A");
}

/* ---- PID, PPID ---- */

static int pid_cmp(const struct sample *s, const struct sample_proc *a, const struct sample_proc *b)
{
	(void)s;
	return cmp_int(a->pid, b->pid);
}

static void pid_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	snprintf(out, size, "%d", p->pid);
}

static bool ppid_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return p->ppid >= 0;
}

static int ppid_cmp(const struct sample *s, const struct sample_proc *a,
                    const struct sample_proc *b)
{
	(void)s;
	return cmp_int(a->ppid, b->ppid);
}

static void ppid_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	if (p->ppid < 0)
		na(out, size);
	else
		snprintf(out, size, "%d", p->ppid);
}

/* ---- USER ---- */

static bool user_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return p->user[0] != '\0';
}

static int user_cmp(const struct sample *s, const struct sample_proc *a,
                    const struct sample_proc *b)
{
	(void)s;
	return strcmp(a->user, b->user);
}

static void user_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	if (p->user[0])
		str_copy(out, size, p->user);
	else
		na(out, size);
}

/* ---- CPU% (100 = one core, as top and htop) ---- */

static bool cpu_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return !isnan(p->cpu);
}

static int cpu_cmp(const struct sample *s, const struct sample_proc *a, const struct sample_proc *b)
{
	(void)s;
	return cmp_num(a->cpu, b->cpu);
}

static void cpu_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	if (isnan(p->cpu))
		na(out, size);
	else
		snprintf(out, size, p->cpu * 100 < 999.95 ? "%.1f" : "%.0f", p->cpu * 100);
}

/* ---- MEM (resident) and MEM% ---- */

static bool mem_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return !isnan(p->rss_bytes);
}

static int mem_cmp(const struct sample *s, const struct sample_proc *a, const struct sample_proc *b)
{
	(void)s;
	return cmp_num(a->rss_bytes, b->rss_bytes);
}

static void mem_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	fmt_size(out, size, p->rss_bytes);
}

static bool mempct_known(const struct sample *s, const struct sample_proc *p)
{
	return !isnan(p->rss_bytes) && s->memory.total_bytes > 0;
}

static void mempct_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	if (!mempct_known(s, p))
		na(out, size);
	else
		snprintf(out, size, "%.1f", p->rss_bytes / s->memory.total_bytes * 100);
}

/* ---- GPU%, GPU memory and power: the per-process ledger ---- */

static bool gpu_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return !isnan(p->gpu_util);
}

static int gpu_cmp(const struct sample *s, const struct sample_proc *a, const struct sample_proc *b)
{
	(void)s;
	return cmp_num(a->gpu_util, b->gpu_util);
}

static void gpu_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	if (isnan(p->gpu_util))
		na(out, size);
	else
		snprintf(out, size, "%.1f", p->gpu_util * 100);
}

static bool gpumem_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return !isnan(p->gpu_mem_bytes);
}

static int gpumem_cmp(const struct sample *s, const struct sample_proc *a,
                      const struct sample_proc *b)
{
	(void)s;
	return cmp_num(a->gpu_mem_bytes, b->gpu_mem_bytes);
}

static void gpumem_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	fmt_size(out, size, p->gpu_mem_bytes);
}

static bool power_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return !isnan(p->energy_w);
}

static int power_cmp(const struct sample *s, const struct sample_proc *a,
                     const struct sample_proc *b)
{
	(void)s;
	return cmp_num(a->energy_w, b->energy_w);
}

static void power_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	if (isnan(p->energy_w))
		na(out, size);
	else
		snprintf(out, size, p->energy_w < 9.995 ? "%.2f" : "%.1f", p->energy_w);
}

static bool energy_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return !isnan(p->energy_j);
}

static int energy_cmp(const struct sample *s, const struct sample_proc *a,
                      const struct sample_proc *b)
{
	(void)s;
	return cmp_num(a->energy_j, b->energy_j);
}

/* joules since agtop started watching: "8.42", "123.4", "12.3k" */
static void energy_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	if (isnan(p->energy_j))
		na(out, size);
	else if (p->energy_j < 9.995)
		snprintf(out, size, "%.2f", p->energy_j);
	else if (p->energy_j < 9999.5)
		snprintf(out, size, "%.1f", p->energy_j);
	else
		snprintf(out, size, "%.1fk", p->energy_j / 1e3);
}

/* ---- THR, S ---- */

static bool threads_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return p->threads >= 0;
}

static int threads_cmp(const struct sample *s, const struct sample_proc *a,
                       const struct sample_proc *b)
{
	(void)s;
	return cmp_int(a->threads, b->threads);
}

static void threads_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	if (p->threads < 0)
		na(out, size);
	else
		snprintf(out, size, "%d", p->threads);
}

static bool state_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return p->state != 0;
}

static int state_cmp(const struct sample *s, const struct sample_proc *a,
                     const struct sample_proc *b)
{
	(void)s;
	return cmp_int(a->state, b->state);
}

static void state_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	(void)s;
	/* one cell: "?" rather than a cut "N/A" */
	snprintf(out, size, "%c", p->state ? p->state : '?');
}

/* ---- START (clock time, or the date before today), ELAPSED (run time) ---- */

static bool start_known(const struct sample *s, const struct sample_proc *p)
{
	(void)s;
	return !isnan(p->start_time);
}

static int start_cmp(const struct sample *s, const struct sample_proc *a,
                     const struct sample_proc *b)
{
	(void)s;
	return cmp_num(a->start_time, b->start_time);
}

static void start_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	time_t st = (time_t)p->start_time, now = (time_t)s->time;
	struct tm a, b;

	if (isnan(p->start_time) || !localtime_r(&st, &a)) {
		na(out, size);
		return;
	}
	/* as ps(1): the time today, the month and day this year, else the year */
	if (!isnan(s->time) && localtime_r(&now, &b) && a.tm_year == b.tm_year &&
	    a.tm_yday == b.tm_yday)
		strftime(out, size, "%H:%M", &a);
	else if (!isnan(s->time) && a.tm_year == b.tm_year)
		strftime(out, size, "%b%d", &a);
	else
		strftime(out, size, "%Y", &a);
}

static bool elapsed_known(const struct sample *s, const struct sample_proc *p)
{
	return !isnan(p->start_time) && !isnan(s->time);
}

static int elapsed_cmp(const struct sample *s, const struct sample_proc *a,
                       const struct sample_proc *b)
{
	(void)s;
	return cmp_num(b->start_time, a->start_time); /* started earlier: running longer */
}

void proc_fmt_elapsed(double t, char *out, size_t size)
{
	long v;

	if (isnan(t)) {
		na(out, size);
		return;
	}
	v = t < 0 ? 0 : (long)t; /* a clock set back: just started */
	if (v < 60)
		snprintf(out, size, "%lds", v);
	else if (v < 3600)
		snprintf(out, size, "%ld:%02ld", v / 60, v % 60);
	else if (v < 86400)
		snprintf(out, size, "%ld:%02ld:%02ld", v / 3600, v / 60 % 60, v % 60);
	else if (v < 100 * 86400L)
		snprintf(out, size, "%ldd%02ldh", v / 86400, v / 3600 % 24);
	else
		snprintf(out, size, "%ldd", v / 86400);
}

static void elapsed_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	proc_fmt_elapsed(elapsed_known(s, p) ? s->time - p->start_time : NAN, out, size);
}

/* ---- COMMAND ---- */

static int command_cmp(const struct sample *s, const struct sample_proc *a,
                       const struct sample_proc *b)
{
	int c = strcmp(a->name, b->name);

	return c ? c : strcmp(sample_str(s, a->cmdline), sample_str(s, b->cmdline));
}

/* Where the program's path ends in a command line: after the short name where the path ends in
 * it (a macOS path may hold spaces), else at the first blank. */
static size_t program_end(const char *cmd, const char *name)
{
	size_t n = strlen(name);
	const char *sp;

	if (n && cmd[0] == '/') {
		for (const char *p = strstr(cmd, name); p; p = strstr(p + 1, name))
			if (p > cmd && p[-1] == '/' && (p[n] == ' ' || p[n] == '\0'))
				return (size_t)(p - cmd) + n;
	}
	sp = strchr(cmd, ' ');
	return sp ? (size_t)(sp - cmd) : strlen(cmd);
}

void proc_command(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	static const char bundle[] = ".app/Contents/MacOS/";
	const char *cmd = sample_str(s, p->cmdline), *prog, *app = NULL;
	size_t end, o;

	if (!*cmd) {
		snprintf(out, size, "[%s]", p->name[0] ? p->name : "?");
		return;
	}
	end = program_end(cmd, p->name);
	prog = cmd;
	for (const char *q = cmd; q < cmd + end; q++)
		if (*q == '/')
			prog = q + 1;
	/* ".../Visual Studio Code.app/Contents/MacOS/Electron": the bundle's name */
	for (const char *q = strstr(cmd, bundle); q && q < cmd + end; q = strstr(q + 1, bundle))
		app = q;
	if (app) {
		const char *a = app;
		while (a > cmd && a[-1] != '/')
			a--;
		if (a < app && prog == app + sizeof bundle - 1) {
			str_copy_n(out, size, a, (size_t)(app - a));
			o = strlen(out);
			str_copy(out + o, size - o, cmd + end);
			return;
		}
	}
	if (prog == cmd + end) /* "/path/": nothing after the last slash */
		prog = cmd;
	str_copy_n(out, size, prog, (size_t)(cmd + end - prog));
	o = strlen(out);
	str_copy(out + o, size - o, cmd + end);
}

static void command_fmt(const struct sample *s, const struct sample_proc *p, char *out, size_t size)
{
	proc_command(s, p, out, size);
}

/* ---- the table ---- */

const struct proc_field_def proc_fields[PF_COUNT] = {
	[PF_PID] = { "pid", "PID", "process id", 7, 0, true, false, NULL, pid_cmp, pid_fmt },
	[PF_PPID] = { "ppid", "PPID", "parent's process id", 7, 11, true, false, ppid_known,
	              ppid_cmp, ppid_fmt },
	[PF_USER] = { "user", "USER", "owner", 8, 3, false, false, user_known, user_cmp, user_fmt },
	[PF_CPU] = { "cpu", "CPU%", "CPU use over the interval (100 = one core)", 6, 0, true, true,
	             cpu_known, cpu_cmp, cpu_fmt },
	[PF_MEM] = { "memory", "MEM", "resident memory", 6, 1, true, true, mem_known, mem_cmp,
	             mem_fmt },
	[PF_MEMPCT] = { "mem_percent", "MEM%", "resident memory, percent of RAM", 5, 9, true, true,
	                mempct_known, mem_cmp, mempct_fmt },
	[PF_GPU] = { "gpu", "GPU%", "GPU time over the interval (100 = one whole GPU)", 5, 2, true,
	             true, gpu_known, gpu_cmp, gpu_fmt },
	[PF_GPUMEM] = { "gpu_memory", "GMEM", "GPU memory", 6, 8, true, true, gpumem_known,
	                gpumem_cmp, gpumem_fmt },
	[PF_POWER] = { "power", "W", "power from the process's own energy counter (macOS)", 5, 5,
	               true, true, power_known, power_cmp, power_fmt },
	[PF_ENERGY] = { "energy", "J", "energy since agtop started, from the same counter (macOS)",
	                6, 12, true, true, energy_known, energy_cmp, energy_fmt },
	[PF_THREADS] = { "threads", "THR", "threads", 4, 6, true, true, threads_known, threads_cmp,
	                 threads_fmt },
	[PF_STATE] = { "state", "S",
	               "state: R running, S sleeping, D disk wait, T stopped, Z zombie", 1, 7,
	               false, false, state_known, state_cmp, state_fmt },
	[PF_START] = { "start", "START", "when it started", 5, 10, true, true, start_known,
	               start_cmp, start_fmt },
	[PF_ELAPSED] = { "elapsed", "ELAPSED", "how long it has run", 8, 4, true, true,
	                 elapsed_known, elapsed_cmp, elapsed_fmt },
	[PF_COMMAND] = { "command", "COMMAND", "program and arguments", 0, 0, false, false, NULL,
	                 command_cmp, command_fmt },
};

int proc_field_parse(const char *name)
{
	for (size_t i = 0; i < N(proc_fields); i++)
		if (!strcmp(proc_fields[i].name, name))
			return (int)i;
	return -1;
}

/* summary.c - a ledger as a readable summary and as one JSON object */
#include "summary.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rails a summary lists, in this order, with the words people use for them. */
static const struct {
	enum rail rail;
	const char *label;
} rails[] = {
	{ RAIL_CPU, "CPU" },       { RAIL_GPU, "GPU" },       { RAIL_ANE, "ANE" },
	{ RAIL_DRAM, "DRAM" },     { RAIL_UNCORE, "uncore" }, { RAIL_PACKAGE, "package" },
	{ RAIL_SYSTEM, "system" },
};
#define NRAILS (sizeof rails / sizeof rails[0])

static const char *method_text(enum ledger_method m)
{
	switch (m) {
	case LEDGER_MEASURED:
		return "measured";
	case LEDGER_ESTIMATED:
		return "estimate";
	default:
		return "";
	}
}

static void joules(char *out, size_t size, double j)
{
	if (isnan(j))
		snprintf(out, size, "N/A");
	else if (j >= 1e5)
		snprintf(out, size, "%.1f kJ", j / 1e3);
	else
		snprintf(out, size, "%.1f J", j);
}

/* binary units, as the dashboard's memory gauge counts them */
static void bytes(char *out, size_t size, double b)
{
	if (isnan(b))
		snprintf(out, size, "N/A");
	else if (b >= 1024.0 * 1024 * 1024)
		snprintf(out, size, "%.1f GiB", b / (1024.0 * 1024 * 1024));
	else
		snprintf(out, size, "%.0f MiB", b / (1024.0 * 1024));
}

static double mean_w(const struct ledger_rail *r)
{
	return r->known && r->known_s > 0 ? r->joules / r->known_s : NAN;
}

static double cmd_cpu_s(const struct summary_cmd *c)
{
	return c->user_s + c->sys_s;
}

static void text_energy(struct strbuf *b, const struct ledger *l, const struct summary_cmd *c)
{
	enum ledger_method shown = LEDGER_NONE;
	bool any = false;

	for (size_t i = 0; i < NRAILS; i++)
		any |= l->rail[rails[i].rail].known;
	if (!any) {
		sb_puts(b, "  energy      N/A: no power rail was readable in these samples\n");
		return;
	}
	sb_printf(b, "  energy      %-9s %12s %12s %12s%s\n", "rail", "machine", "mean W", "peak W",
	          c ? "   this command" : "");
	for (size_t i = 0; i < NRAILS; i++) {
		const struct ledger_rail *r = &l->rail[rails[i].rail];
		char j[32], t[32];
		if (!r->known)
			continue;
		joules(j, sizeof j, r->joules);
		sb_printf(b, "              %-9s %12s %12.2f %12.2f", rails[i].label, j, mean_w(r),
		          r->peak_w);
		if (c && !isnan(r->tree_j)) {
			joules(t, sizeof t, r->tree_j);
			sb_printf(b, "   %s (%s)", t, method_text(r->method));
			if (r->method > shown)
				shown = r->method;
		}
		sb_putc(b, '\n');
	}
	if (shown == LEDGER_ESTIMATED)
		sb_puts(b,
		        "              the command's share is an estimate: each rail split by the "
		        "command's share of CPU time (GPU time for the GPU)\n");
}

void summary_text(struct strbuf *b, const struct ledger *l, const struct summary_cmd *c)
{
	char x[48], y[48];

	if (c) {
		sb_puts(b, "agtop run:");
		for (char *const *a = c->argv; a && *a; a++)
			sb_printf(b, " %s", *a);
		sb_printf(b, "\n  %s after %.2f s\n", c->how, c->wall_s);
		sb_printf(
		    b, "  CPU time    %.2f s (user %.2f s, system %.2f s), %.2f CPUs on average\n",
		    cmd_cpu_s(c), c->user_s, c->sys_s,
		    c->wall_s > 0 ? cmd_cpu_s(c) / c->wall_s : 0.0);
		bytes(x, sizeof x, c->max_rss_bytes);
		sb_printf(b, "  peak RSS    %s (the largest process)\n", x);
	} else {
		sb_printf(b, "agtop summary: %lu samples over %.1f s of %s (%s)\n", l->samples,
		          l->covered_s, l->host[0] ? l->host : "a machine",
		          l->chip[0] ? l->chip : "unknown chip");
	}
	text_energy(b, l, c);
	if (!isnan(l->peak_temp_c))
		sb_printf(b, "  peak temp   %.1f °C (%s %s)\n", l->peak_temp_c,
		          temp_kind_name(l->peak_temp_kind), l->peak_temp_sensor);
	else
		sb_puts(b, "  peak temp   N/A: no temperature sensor in these samples\n");
	{
		bool any = false;
		sb_puts(b, "  thermal    ");
		for (unsigned t = THERMAL_NOMINAL; t < THERMAL_COUNT; t++)
			if (l->thermal_s[t] > 0) {
				sb_printf(b, " %s %.1f s", thermal_name((enum thermal_pressure)t),
				          l->thermal_s[t]);
				any = true;
			}
		sb_puts(b, any ? "\n" : " N/A: no thermal pressure level in these samples\n");
	}
	if (l->throttle_known) {
		sb_printf(b, "  throttled   %.1f s", l->throttled_s);
		for (unsigned t = 0; t < THROTTLE_CAUSE_COUNT; t++)
			if (l->throttle_s[t] > 0)
				sb_printf(b, "%s%s %.1f s", t ? ", " : " (", throttle_cause_name(t),
				          l->throttle_s[t]);
		sb_puts(b, l->throttled_s > 0 ? ")\n" : "\n");
	} else {
		sb_puts(b, "  throttled   N/A: the source does not tell\n");
	}
	bytes(x, sizeof x, l->peak_mem_used);
	bytes(y, sizeof y, l->peak_swap_used);
	sb_printf(b, "  memory      peak %s used", x);
	if (!isnan(l->mem_total)) {
		bytes(x, sizeof x, l->mem_total);
		sb_printf(b, " of %s", x);
	}
	sb_printf(b, ", swap peak %s\n", y);
	if (!isnan(l->peak_bw_bps))
		sb_printf(b, "  bandwidth   peak %.1f GB/s\n", l->peak_bw_bps / 1e9);
	if (!isnan(l->peak_cpu_util))
		sb_printf(b, "  CPU use     mean %.0f %%, peak %.0f %% of the machine\n",
		          l->cpu_known_s > 0 ? 100 * l->sum_cpu_util_s / l->cpu_known_s : 0.0,
		          100 * l->peak_cpu_util);
	if (!isnan(l->peak_gpu_util))
		sb_printf(b, "  GPU use     mean %.0f %%, peak %.0f %%\n",
		          l->gpu_known_s > 0 ? 100 * l->sum_gpu_util_s / l->gpu_known_s : 0.0,
		          100 * l->peak_gpu_util);
	sb_printf(b, "  samples     %lu over %.1f s (%s)\n", l->samples, l->covered_s,
	          l->source[0] ? l->source : "?");
}

/* ---- JSON ---- */

static json_t *num(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static int set(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v ? v : json_null());
}

static json_t *energy_json(const struct ledger *l, bool with_cmd)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < NRAILS; i++) {
		const struct ledger_rail *r = &l->rail[rails[i].rail];
		json_t *e;
		if (!r->known)
			continue;
		e = json_object();
		set(e, "machine_j", num(r->joules));
		set(e, "mean_w", num(mean_w(r)));
		set(e, "peak_w", num(r->peak_w));
		if (with_cmd) {
			set(e, "command_j", num(r->tree_j));
			set(e, "command_method",
			    r->method ? json_string(method_text(r->method)) : json_null());
		}
		set(o, rail_name(rails[i].rail), e);
	}
	return o;
}

int summary_json(struct strbuf *b, const struct ledger *l, const struct summary_cmd *c)
{
	json_t *o = json_object(), *t;
	char *text;

	if (!o)
		return -1;
	if (c) {
		json_t *cmd = json_object(), *argv = json_array();
		for (char *const *a = c->argv; a && *a; a++)
			json_array_append_new(argv, json_string(*a));
		set(cmd, "argv", argv);
		set(cmd, "exit_code", json_integer(c->exit_code));
		set(cmd, "signal", c->signal ? json_integer(c->signal) : json_null());
		set(cmd, "wall_s", num(c->wall_s));
		set(cmd, "user_s", num(c->user_s));
		set(cmd, "system_s", num(c->sys_s));
		set(cmd, "max_rss_bytes", num(c->max_rss_bytes));
		set(o, "command", cmd);
	}
	set(o, "host", json_string(l->host));
	set(o, "chip", json_string(l->chip));
	set(o, "source", json_string(l->source));
	set(o, "samples", json_integer((json_int_t)l->samples));
	set(o, "covered_s", num(l->covered_s));
	set(o, "start", num(l->start));
	set(o, "end", num(l->end));
	set(o, "energy", energy_json(l, c != NULL));
	t = json_object();
	set(t, "celsius", num(l->peak_temp_c));
	set(t, "kind",
	    isnan(l->peak_temp_c) ? json_null() : json_string(temp_kind_name(l->peak_temp_kind)));
	set(t, "sensor", isnan(l->peak_temp_c) ? json_null() : json_string(l->peak_temp_sensor));
	set(o, "peak_temp", t);
	{
		double known = 0;
		for (unsigned i = THERMAL_NOMINAL; i < THERMAL_COUNT; i++)
			known += l->thermal_s[i];
		t = known > 0 ? json_object() : NULL; /* no level in any sample: unknown */
		for (unsigned i = THERMAL_NOMINAL; t && i < THERMAL_COUNT; i++)
			set(t, thermal_name((enum thermal_pressure)i), num(l->thermal_s[i]));
		set(o, "thermal_s", t);
	}
	if (l->throttle_known) {
		t = json_object();
		for (unsigned i = 0; i < THROTTLE_CAUSE_COUNT; i++)
			set(t, throttle_cause_name((enum throttle_cause)i), num(l->throttle_s[i]));
		set(o, "throttled_s", num(l->throttled_s));
		set(o, "throttle_s", t);
	} else {
		set(o, "throttled_s", json_null());
		set(o, "throttle_s", json_null());
	}
	set(o, "peak_memory_used_bytes", num(l->peak_mem_used));
	set(o, "memory_total_bytes", num(l->mem_total));
	set(o, "peak_swap_used_bytes", num(l->peak_swap_used));
	set(o, "peak_bandwidth_bps", num(l->peak_bw_bps));
	set(o, "peak_cpu_util", num(l->peak_cpu_util));
	set(o, "peak_gpu_util", num(l->peak_gpu_util));
	text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));
	json_decref(o);
	if (!text)
		return -1;
	sb_puts(b, text);
	free(text);
	return b->oom ? -1 : 0;
}

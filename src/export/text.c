#include "text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void pct(struct strbuf *b, double ratio)
{
	if (isnan(ratio))
		sb_puts(b, "   N/A");
	else
		sb_printf(b, "%5.1f%%", ratio * 100);
}

static void mhz(struct strbuf *b, double hz)
{
	if (isnan(hz))
		sb_puts(b, "   N/A");
	else
		sb_printf(b, "%6.0f", hz / 1e6);
}

static void watts(struct strbuf *b, double w)
{
	if (isnan(w))
		sb_puts(b, "N/A");
	else
		sb_printf(b, "%.3f W", w);
}

/* One value, or N/A when it is unknown. */
static void num(struct strbuf *b, const char *fmt, double v)
{
	if (isnan(v))
		sb_puts(b, "N/A");
	else
		sb_printf(b, fmt, v);
}

void text_write_sample(struct strbuf *b, const struct sample *s)
{
	static const char *const rails[] = { "package", "cpu",    "gpu",   "ane",
		                             "dram",    "system", "uncore" };

	sb_printf(b, "sample %llu  interval %.3f s  source %s\n", (unsigned long long)s->seq,
	          s->interval_s, s->source);
	sb_printf(b, "chip %s  (%s, %d CPUs", s->host.chip, s->host.os, s->host.cpus);
	if (s->host.gpu_cores > 0)
		sb_printf(b, ", %d GPU cores", s->host.gpu_cores);
	sb_puts(b, ")\n");
	sb_puts(b, "cluster  kind         die cores   util active    MHz maxMHz  power\n");
	for (unsigned i = 0; i < s->nclusters; i++) {
		const struct sample_cluster *c = &s->clusters[i];
		char cores[32] = "";
		if (c->ncores)
			snprintf(cores, sizeof cores, "%d-%d", s->cores[c->first_core].cpu,
			         s->cores[c->first_core + c->ncores - 1].cpu);
		sb_printf(b, "%-8s %-12s %3d %-6s ", c->name, cluster_kind_name(c->kind), c->die,
		          cores);
		pct(b, c->util);
		sb_putc(b, ' ');
		pct(b, c->active);
		sb_putc(b, ' ');
		mhz(b, c->freq_hz);
		sb_putc(b, ' ');
		mhz(b, c->freq_max_hz);
		sb_puts(b, "  ");
		watts(b, c->power_w);
		sb_putc(b, '\n');
		for (unsigned k = 0; k < c->ncores; k++) {
			const struct sample_core *core = &s->cores[c->first_core + k];
			sb_printf(b, "  cpu%-3d util ", core->cpu);
			pct(b, core->util);
			sb_puts(b, "  active ");
			pct(b, core->active);
			sb_puts(b, "  MHz ");
			mhz(b, core->freq_hz);
			sb_putc(b, '\n');
		}
	}
	for (unsigned i = 0; i < s->ngpus; i++) {
		const struct sample_gpu *g = &s->gpus[i];
		sb_printf(b, "gpu%u %s  util ", i, g->name);
		pct(b, g->util);
		sb_puts(b, "  MHz ");
		mhz(b, g->freq_hz);
		sb_puts(b, " (max ");
		mhz(b, g->freq_max_hz);
		sb_puts(b, ")  power ");
		watts(b, g->power_w);
		sb_putc(b, '\n');
	}
	sb_puts(b, "power");
	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		sb_printf(b, "  %s ", rails[r]);
		watts(b, s->power[r].watts);
	}
	sb_putc(b, '\n');
	for (unsigned d = 0; d < s->ndies; d++) {
		sb_printf(b, "die%u", d);
		for (unsigned r = RAIL_PACKAGE; r <= RAIL_DRAM; r++) {
			sb_printf(b, "  %s ", rails[r]);
			watts(b, s->dies[d].rail[r].watts);
		}
		sb_putc(b, '\n');
	}
	sb_puts(b, "memory used ");
	num(b, "%.2f", s->memory.used_bytes / 1073741824.0);
	sb_puts(b, " of ");
	num(b, "%.2f", s->memory.total_bytes / 1073741824.0);
	sb_puts(b, " GiB, swap ");
	num(b, "%.2f", s->memory.swap_used_bytes / 1073741824.0);
	sb_puts(b, " of ");
	num(b, "%.2f", s->memory.swap_total_bytes / 1073741824.0);
	sb_puts(b, " GiB\n");
	sb_printf(b, "bandwidth %s", bw_quality_name(s->bandwidth.quality));
	if (s->bandwidth.quality != BW_ABSENT)
		sb_printf(b, " %.2f GB/s", s->bandwidth.total_bps / 1e9);
	for (unsigned i = 0; i < s->bandwidth.nagents; i++) {
		const struct sample_bw_agent *a = &s->bandwidth.agent[i];
		sb_printf(b, "  %s %.2f", a->name,
		          ((isnan(a->read_bps) ? 0 : a->read_bps) +
		           (isnan(a->write_bps) ? 0 : a->write_bps)) /
		              1e9);
	}
	sb_printf(b, "\nthermal %s  cpu max ", thermal_name(s->thermal));
	num(b, "%.1f C", sample_temp_max(s, TEMP_CPU));
	sb_puts(b, "  gpu max ");
	num(b, "%.1f C", sample_temp_max(s, TEMP_GPU));
	sb_putc(b, '\n');
	for (unsigned i = 0; i < s->nnotes; i++)
		sb_printf(b, "note %s: %s\n", s->notes[i].key, s->notes[i].text);
}

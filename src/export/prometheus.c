/* prometheus.c - the exposition writer (docs/metrics.md lists every family) */
#include "prometheus.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../options.h"
#include "../procsel.h"
#include "../util/str.h"
#include "../version.h"

void prom_number(struct strbuf *b, double v)
{
	char buf[40];

	if (isnan(v)) {
		sb_puts(b, "NaN");
		return;
	}
	if (isinf(v)) {
		sb_puts(b, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sb_puts(b, buf);
}

/* A label value from any source (a replayed recording, a process name, a sensor's label):
 * \\, \" and \n escaped as the format says; other control bytes (C0, DEL, C1: a terminal's
 * escape sequences, a carriage return) become spaces, and bytes that are not UTF-8 become
 * U+FFFD, which Prometheus would otherwise refuse the whole scrape for. */
void prom_label_value(struct strbuf *b, const char *v)
{
	size_t len = strlen(v);

	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)v[i];
		size_t n = str_utf8_char_len(v + i, len - i);

		if (n == 0) {
			sb_puts(b, "\xEF\xBF\xBD");
			n = 1;
		} else if (c == '\\') {
			sb_puts(b, "\\\\");
		} else if (c == '"') {
			sb_puts(b, "\\\"");
		} else if (c == '\n') {
			sb_puts(b, "\\n");
		} else if (c < 0x20 || c == 0x7F || (c == 0xC2 && (unsigned char)v[i + 1] < 0xA0)) {
			sb_putc(b, ' ');
		} else {
			sb_add(b, v + i, n);
		}
		i += n;
	}
}

/* ---- families ---- */

struct fam {
	struct strbuf *b;
	const struct prom_opts *o;
	const char *name; /* counters end in _total */
	const char *help;
	bool counter;
	bool started;
};

static void fam_begin(struct fam *f, struct strbuf *b, const struct prom_opts *o, const char *name,
                      const char *type, const char *help)
{
	f->b = b;
	f->o = o;
	f->name = name;
	f->help = help;
	f->counter = !strcmp(type, "counter");
	f->started = false;
}

/* HELP and TYPE come with the first sample: a family without samples is left out. */
static void fam_head(struct fam *f)
{
	size_t n = strlen(f->name);
	int base = (int)n;

	if (f->started)
		return;
	f->started = true;
	/* OpenMetrics names a counter family without its _total suffix */
	if (f->counter && f->o->format == PROM_OPENMETRICS && n > 6 &&
	    !strcmp(f->name + n - 6, "_total"))
		base = (int)n - 6;
	sb_printf(f->b, "# HELP %.*s ", base, f->name);
	for (const char *h = f->help; *h; h++) { /* HELP escaping: \\ and \n */
		if (*h == '\\')
			sb_puts(f->b, "\\\\");
		else if (*h == '\n')
			sb_puts(f->b, "\\n");
		else
			sb_putc(f->b, *h);
	}
	sb_printf(f->b, "\n# TYPE %.*s %s\n", base, f->name, f->counter ? "counter" : "gauge");
}

/* One sample; labels are "name", "value" pairs ending with NULL. Unknown (NAN) is left out. */
static void fam_sample(struct fam *f, double v, ...)
{
	va_list ap;
	const char *k;
	bool first = true;

	if (isnan(v))
		return;
	fam_head(f);
	sb_puts(f->b, f->name);
	va_start(ap, v);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *val = va_arg(ap, const char *);
		sb_printf(f->b, "%s%s=\"", first ? "{" : ",", k);
		prom_label_value(f->b, val ? val : "");
		sb_putc(f->b, '"');
		first = false;
	}
	va_end(ap);
	if (!first)
		sb_putc(f->b, '}');
	sb_putc(f->b, ' ');
	prom_number(f->b, v);
	sb_putc(f->b, '\n');
}

static const char *const kind_names[] = { "generic", "efficiency", "performance", "super" };
static const char *const mode_names[] = { "user", "nice",    "system", "idle",  "iowait",
	                                  "irq",  "softirq", "steal",  "guest", "guest_nice" };

static void cpu_families(struct strbuf *b, const struct prom_opts *o, const struct sample *s)
{
	struct fam f;
	char cpu[16], die[8], n[16];

	fam_begin(&f, b, o, "agtop_cluster_info", "gauge",
	          "CPU clusters: kind, die and number of CPUs (value 1)");
	for (unsigned i = 0; i < s->nclusters; i++) {
		const struct sample_cluster *c = &s->clusters[i];
		snprintf(die, sizeof die, "%d", c->die);
		snprintf(n, sizeof n, "%u", c->ncores);
		fam_sample(&f, 1, "cluster", c->name, "kind", kind_names[c->kind < 4 ? c->kind : 0],
		           "die", die, "cpus", n, NULL);
	}
	fam_begin(&f, b, o, "agtop_cluster_utilization_ratio", "gauge",
	          "CPU cluster busy share over the last interval, 0-1 (OS ticks; Apple residency "
	          "where ticks are unknown)");
	for (unsigned i = 0; i < s->nclusters; i++) {
		const struct sample_cluster *c = &s->clusters[i];
		fam_sample(&f, isnan(c->util) ? c->active : c->util, "cluster", c->name, NULL);
	}
	fam_begin(&f, b, o, "agtop_cluster_active_ratio", "gauge",
	          "CPU cluster active residency from DVFS state counters, 0-1 (Apple)");
	for (unsigned i = 0; i < s->nclusters; i++)
		fam_sample(&f, s->clusters[i].active, "cluster", s->clusters[i].name, NULL);
	fam_begin(&f, b, o, "agtop_cluster_frequency_hertz", "gauge",
	          "CPU cluster frequency over the last interval");
	for (unsigned i = 0; i < s->nclusters; i++)
		fam_sample(&f, s->clusters[i].freq_hz, "cluster", s->clusters[i].name, NULL);
	fam_begin(&f, b, o, "agtop_cluster_frequency_max_hertz", "gauge",
	          "Highest frequency of the CPU cluster");
	for (unsigned i = 0; i < s->nclusters; i++)
		fam_sample(&f, s->clusters[i].freq_max_hz, "cluster", s->clusters[i].name, NULL);
	fam_begin(&f, b, o, "agtop_cluster_power_watts", "gauge",
	          "CPU cluster power over the last interval, where the chip has a cluster rail");
	for (unsigned i = 0; i < s->nclusters; i++)
		fam_sample(&f, s->clusters[i].power_w, "cluster", s->clusters[i].name, NULL);

	fam_begin(&f, b, o, "agtop_cpu_utilization_ratio", "gauge",
	          "Logical CPU busy share over the last interval, 0-1 (OS ticks)");
	for (size_t i = 0; i < s->ncores; i++) {
		snprintf(cpu, sizeof cpu, "%d", s->cores[i].cpu);
		fam_sample(&f, s->cores[i].util, "cpu", cpu, "cluster",
		           s->clusters[s->cores[i].cluster].name, NULL);
	}
	fam_begin(&f, b, o, "agtop_cpu_active_ratio", "gauge",
	          "Logical CPU active residency from DVFS state counters, 0-1 (Apple)");
	for (size_t i = 0; i < s->ncores; i++) {
		snprintf(cpu, sizeof cpu, "%d", s->cores[i].cpu);
		fam_sample(&f, s->cores[i].active, "cpu", cpu, "cluster",
		           s->clusters[s->cores[i].cluster].name, NULL);
	}
	fam_begin(&f, b, o, "agtop_cpu_frequency_hertz", "gauge", "Logical CPU frequency");
	for (size_t i = 0; i < s->ncores; i++) {
		snprintf(cpu, sizeof cpu, "%d", s->cores[i].cpu);
		fam_sample(&f, s->cores[i].freq_hz, "cpu", cpu, "cluster",
		           s->clusters[s->cores[i].cluster].name, NULL);
	}
	fam_begin(&f, b, o, "agtop_cpu_seconds_total", "counter",
	          "CPU time per logical CPU and mode since boot (Linux /proc/stat)");
	for (size_t i = 0; i < s->ncores; i++) {
		snprintf(cpu, sizeof cpu, "%d", s->cores[i].cpu);
		for (unsigned m = 0; m < CPU_MODE_COUNT && m < 10; m++)
			fam_sample(&f, s->cores[i].seconds[m], "cpu", cpu, "mode", mode_names[m],
			           NULL);
	}
	fam_begin(&f, b, o, "agtop_cpu_utilization_all_ratio", "gauge",
	          "All CPUs together: busy share over the last interval, 0-1");
	fam_sample(&f, s->cpu_util, NULL);
}

/* What the Linux GPU vendors add (NVML, amdgpu, i915/xe); the DCGM exporter's name for each is
 * in docs/metrics.md. */
static void gpu_more_families(struct strbuf *b, const struct prom_opts *o, const struct sample *s)
{
	struct fam f;
	char g[8];

#define GPU_FAM(metric, type, help, expr)                  \
	fam_begin(&f, b, o, metric, type, help);           \
	for (unsigned i = 0; i < s->ngpus; i++) {          \
		const struct sample_gpu *gp = &s->gpus[i]; \
		snprintf(g, sizeof g, "%u", i);            \
		fam_sample(&f, (expr), "gpu", g, NULL);    \
	}
	GPU_FAM("agtop_gpu_memory_utilization_ratio", "gauge",
	        "Share of the last sample period the GPU's memory was read or written, 0-1",
	        gp->mem_util)
	GPU_FAM("agtop_gpu_memory_frequency_hertz", "gauge", "GPU memory clock", gp->mem_freq_hz)
	GPU_FAM("agtop_gpu_memory_frequency_max_hertz", "gauge", "Highest GPU memory clock",
	        gp->mem_freq_max_hz)
	GPU_FAM("agtop_gpu_power_limit_watts", "gauge", "The power limit the GPU's driver enforces",
	        gp->power_limit_w)
	GPU_FAM("agtop_gpu_gtt_used_bytes", "gauge",
	        "System memory mapped for the GPU (amdgpu GTT)", gp->gtt_used_bytes)
	GPU_FAM("agtop_gpu_gtt_total_bytes", "gauge", "System memory the GPU may map (amdgpu GTT)",
	        gp->gtt_total_bytes)
	GPU_FAM("agtop_gpu_hotspot_temperature_celsius", "gauge",
	        "The GPU's hottest spot (amdgpu junction)", gp->temp_hotspot_c)
	GPU_FAM("agtop_gpu_memory_temperature_celsius", "gauge", "GPU memory temperature",
	        gp->temp_mem_c)
	GPU_FAM("agtop_gpu_fan_ratio", "gauge", "GPU fan speed as a share of its maximum, 0-1",
	        gp->fan_ratio)
	GPU_FAM("agtop_gpu_fan_rpm", "gauge", "GPU fan speed", gp->fan_rpm)
	GPU_FAM("agtop_gpu_xid_errors_total", "counter",
	        "NVIDIA XID errors the GPU reported since agtop started", gp->xid_errors)
	GPU_FAM("agtop_gpu_last_xid", "gauge", "The code of the last XID error, 0 none",
	        gp->xid_last)
#undef GPU_FAM
	fam_begin(&f, b, o, "agtop_gpu_pcie_bytes_per_second", "gauge",
	          "PCIe traffic of the GPU: rx into it, tx out of it");
	for (unsigned i = 0; i < s->ngpus; i++) {
		snprintf(g, sizeof g, "%u", i);
		fam_sample(&f, s->gpus[i].pcie_rx_bps, "gpu", g, "direction", "rx", NULL);
		fam_sample(&f, s->gpus[i].pcie_tx_bps, "gpu", g, "direction", "tx", NULL);
	}
	fam_begin(&f, b, o, "agtop_gpu_ecc_errors_total", "counter",
	          "GPU memory errors since the driver loaded (corrected, uncorrected)");
	for (unsigned i = 0; i < s->ngpus; i++) {
		snprintf(g, sizeof g, "%u", i);
		fam_sample(&f, s->gpus[i].ecc_corrected, "gpu", g, "type", "corrected", NULL);
		fam_sample(&f, s->gpus[i].ecc_uncorrected, "gpu", g, "type", "uncorrected", NULL);
	}
	fam_begin(&f, b, o, "agtop_gpu_throttle_cause", "gauge",
	          "1 for each cause that holds the GPU's clocks down (thermal, power, hardware, "
	          "setting), 0 for the others");
	for (unsigned i = 0; i < s->ngpus; i++) {
		snprintf(g, sizeof g, "%u", i);
		if (s->gpus[i].throttle == THROTTLE_UNKNOWN)
			continue;
		/* the causes a GPU tells; low power mode and speed limits are the machine's */
		for (unsigned c = 0; c <= THROTTLE_SETTING; c++)
			fam_sample(&f, (s->gpus[i].throttle >> c) & 1, "gpu", g, "cause",
			           throttle_cause_name((enum throttle_cause)c), NULL);
	}
}

static void gpu_families(struct strbuf *b, const struct prom_opts *o, const struct sample *s)
{
	struct fam f;
	char g[8], cores[16];

	fam_begin(&f, b, o, "agtop_gpu_info", "gauge",
	          "GPUs: vendor, name, cores, driver and identity (NVML UUID or PCI address) "
	          "(value 1)");
	for (unsigned i = 0; i < s->ngpus; i++) {
		snprintf(g, sizeof g, "%u", i);
		snprintf(cores, sizeof cores, "%d", s->gpus[i].cores);
		fam_sample(&f, 1, "gpu", g, "vendor", s->gpus[i].vendor, "name", s->gpus[i].name,
		           "cores", s->gpus[i].cores >= 0 ? cores : "", "driver", s->gpus[i].driver,
		           "id", s->gpus[i].id, NULL);
	}
#define GPU_FAM(metric, type, help, field)                        \
	fam_begin(&f, b, o, metric, type, help);                  \
	for (unsigned i = 0; i < s->ngpus; i++) {                 \
		snprintf(g, sizeof g, "%u", i);                   \
		fam_sample(&f, s->gpus[i].field, "gpu", g, NULL); \
	}
	GPU_FAM("agtop_gpu_utilization_ratio", "gauge",
	        "GPU busy share over the last interval, 0-1", util)
	GPU_FAM("agtop_gpu_frequency_hertz", "gauge", "GPU frequency", freq_hz)
	GPU_FAM("agtop_gpu_frequency_max_hertz", "gauge", "Highest GPU frequency", freq_max_hz)
	GPU_FAM("agtop_gpu_power_watts", "gauge", "GPU power over the last interval", power_w)
	GPU_FAM("agtop_gpu_energy_joules_total", "counter",
	        "GPU energy since agtop started (its own counter)", energy_j)
	GPU_FAM("agtop_gpu_memory_used_bytes", "gauge", "GPU memory in use", mem_used_bytes)
	GPU_FAM("agtop_gpu_memory_total_bytes", "gauge", "GPU memory in all", mem_total_bytes)
	GPU_FAM("agtop_gpu_temperature_celsius", "gauge", "GPU temperature", temp_c)
	gpu_more_families(b, o, s);
#undef GPU_FAM
	fam_begin(&f, b, o, "agtop_npu_utilization_ratio", "gauge",
	          "Neural engine busy share over the last interval, 0-1");
	if (s->npu.present)
		fam_sample(&f, s->npu.util, "npu", s->npu.name, NULL);
}

static void power_families(struct strbuf *b, const struct prom_opts *o, const struct sample *s)
{
	struct fam f;
	char die[8];

	fam_begin(&f, b, o, "agtop_power_watts", "gauge",
	          "Power per rail over the last interval (package, cpu, gpu, ane, dram, system, "
	          "uncore); sums over dies");
	for (unsigned r = 0; r < RAIL_COUNT; r++)
		fam_sample(&f, s->power[r].watts, "rail", rail_name((enum rail)r), NULL);
	fam_begin(&f, b, o, "agtop_energy_joules_total", "counter",
	          "Energy per rail since agtop started (wrap-corrected)");
	for (unsigned r = 0; r < RAIL_COUNT; r++)
		fam_sample(&f, s->power[r].joules, "rail", rail_name((enum rail)r), NULL);
	fam_begin(&f, b, o, "agtop_stale", "gauge",
	          "1 where a rail's energy counter stopped while its unit was busy (its power is "
	          "then the last value, or left out once too old), 0 where it is current");
	for (unsigned r = 0; r < RAIL_COUNT; r++)
		if (!isnan(s->power[r].watts) || s->power[r].stale)
			fam_sample(&f, s->power[r].stale ? 1 : 0, "rail", rail_name((enum rail)r),
			           NULL);
	fam_begin(&f, b, o, "agtop_die_power_watts", "gauge",
	          "Power per rail and die (Ultra chips, RAPL packages)");
	for (unsigned d = 0; d < s->ndies && d < SAMPLE_MAX_DIES; d++) {
		snprintf(die, sizeof die, "%u", d);
		for (unsigned r = 0; r < RAIL_COUNT; r++)
			fam_sample(&f, s->dies[d].rail[r].watts, "die", die, "rail",
			           rail_name((enum rail)r), NULL);
	}
	fam_begin(&f, b, o, "agtop_power_limit_watts", "gauge",
	          "The package's rated power (RAPL long-term limit)");
	fam_sample(&f, s->power_limit_w, NULL);
}

/* Where the watts go beyond the rails, the battery, the fans and what throttles the machine. */
static void machine_families(struct strbuf *b, const struct prom_opts *o, const struct sample *s)
{
	struct fam f;
	const struct sample_battery *bat = &s->battery;

	fam_begin(&f, b, o, "agtop_power_other_watts", "gauge",
	          "The whole machine's power minus the rails' sum (package and DRAM): display, "
	          "storage, radios, conversion losses");
	fam_sample(&f, sample_power_other_w(s), NULL);
	fam_begin(&f, b, o, "agtop_power_system_source_info", "gauge",
	          "Where the whole machine's power (rail system) comes from (value 1)");
	if (s->system_from[0] && !isnan(s->power[RAIL_SYSTEM].watts))
		fam_sample(&f, 1, "from", s->system_from, NULL);
	fam_begin(&f, b, o, "agtop_power_input_watts", "gauge",
	          "What the power adapter delivers (SMC PDTR)");
	fam_sample(&f, s->input_w, NULL);

	fam_begin(&f, b, o, "agtop_battery_charge_ratio", "gauge", "Battery charge, 0-1");
	if (bat->present)
		fam_sample(&f, bat->percent / 100, NULL);
	fam_begin(&f, b, o, "agtop_battery_power_watts", "gauge",
	          "Power drawn from the battery: positive discharging, negative charging");
	if (bat->present)
		fam_sample(&f, bat->power_w, NULL);
	fam_begin(&f, b, o, "agtop_battery_time_to_empty_seconds", "gauge",
	          "Time until the battery is empty at the present draw");
	if (bat->present)
		fam_sample(&f, bat->time_to_empty_s, NULL);
	fam_begin(&f, b, o, "agtop_battery_time_to_full_seconds", "gauge",
	          "Time until the battery is full while charging");
	if (bat->present)
		fam_sample(&f, bat->time_to_full_s, NULL);
	fam_begin(&f, b, o, "agtop_battery_state", "gauge",
	          "Battery state: 1 for the current one, 0 for the others");
	if (bat->present && bat->state != BATTERY_UNKNOWN)
		for (unsigned k = BATTERY_DISCHARGING; k < BATTERY_STATE_COUNT; k++)
			fam_sample(&f, bat->state == (enum battery_state)k ? 1 : 0, "state",
			           battery_state_name((enum battery_state)k), NULL);
	fam_begin(&f, b, o, "agtop_battery_adapter_rated_watts", "gauge",
	          "The connected power adapter's rating");
	if (bat->present)
		fam_sample(&f, bat->adapter_w, NULL);
	fam_begin(&f, b, o, "agtop_power_ac_online", "gauge", "1 on external power, 0 on battery");
	if (bat->present && bat->on_ac >= 0)
		fam_sample(&f, bat->on_ac, NULL);

	fam_begin(&f, b, o, "agtop_fan_speed_rpm", "gauge", "Fan speed");
	for (unsigned i = 0; i < s->nfans; i++)
		fam_sample(&f, s->fans[i].rpm, "fan", s->fans[i].name, NULL);
	fam_begin(&f, b, o, "agtop_fan_min_rpm", "gauge", "Fan's lowest speed");
	for (unsigned i = 0; i < s->nfans; i++)
		fam_sample(&f, s->fans[i].min_rpm, "fan", s->fans[i].name, NULL);
	fam_begin(&f, b, o, "agtop_fan_max_rpm", "gauge", "Fan's highest speed");
	for (unsigned i = 0; i < s->nfans; i++)
		fam_sample(&f, s->fans[i].max_rpm, "fan", s->fans[i].name, NULL);

	fam_begin(&f, b, o, "agtop_throttled", "gauge",
	          "1 when something slows the machine down over the interval, else 0");
	if (s->throttle.known)
		fam_sample(&f, s->throttle.causes ? 1 : 0, NULL);
	fam_begin(&f, b, o, "agtop_throttle_cause", "gauge",
	          "Throttle causes: 1 for each one active over the interval, 0 for the others "
	          "(thermal, power, low_power, speed_limit)");
	if (s->throttle.known) {
		static const enum throttle_cause machine[] = { THROTTLE_THERMAL, THROTTLE_POWER,
			                                       THROTTLE_LOW_POWER,
			                                       THROTTLE_SPEED_LIMIT };
		for (size_t k = 0; k < sizeof machine / sizeof machine[0]; k++)
			fam_sample(&f, s->throttle.causes & (1u << machine[k]) ? 1 : 0, "cause",
			           throttle_cause_name(machine[k]), NULL);
	}
	fam_begin(&f, b, o, "agtop_low_power_mode", "gauge",
	          "1 when the OS's low power mode is on");
	if (s->throttle.low_power >= 0)
		fam_sample(&f, s->throttle.low_power, NULL);
	fam_begin(&f, b, o, "agtop_cpu_speed_limit_ratio", "gauge",
	          "The CPU speed the OS allows, 0-1 of full speed");
	fam_sample(&f, s->throttle.cpu_speed_limit / 100, NULL);
}

static void memory_families(struct strbuf *b, const struct prom_opts *o, const struct sample *s)
{
	struct fam f;
	static const char *const thermal[] = { "nominal", "fair", "serious", "critical" };

	fam_begin(&f, b, o, "agtop_memory_total_bytes", "gauge", "Physical memory");
	fam_sample(&f, s->memory.total_bytes, NULL);
	fam_begin(&f, b, o, "agtop_memory_used_bytes", "gauge",
	          "Memory in use (Linux: MemTotal - MemAvailable; macOS: as Activity Monitor)");
	fam_sample(&f, s->memory.used_bytes, NULL);
	fam_begin(&f, b, o, "agtop_memory_available_bytes", "gauge", "Memory available");
	fam_sample(&f, s->memory.available_bytes, NULL);
	fam_begin(&f, b, o, "agtop_swap_total_bytes", "gauge", "Swap space");
	fam_sample(&f, s->memory.swap_total_bytes, NULL);
	fam_begin(&f, b, o, "agtop_swap_used_bytes", "gauge", "Swap in use");
	fam_sample(&f, s->memory.swap_used_bytes, NULL);

	fam_begin(&f, b, o, "agtop_memory_bandwidth_bytes_per_second", "gauge",
	          "Memory bandwidth over the last interval; quality measured (byte counters) or "
	          "estimated (histograms)");
	if (s->bandwidth.quality != BW_ABSENT) {
		const char *q = bw_quality_name(s->bandwidth.quality);
		fam_sample(&f, s->bandwidth.read_bps, "direction", "read", "quality", q, NULL);
		fam_sample(&f, s->bandwidth.write_bps, "direction", "write", "quality", q, NULL);
	}
	fam_begin(&f, b, o, "agtop_memory_bandwidth_agent_bytes_per_second", "gauge",
	          "Memory bandwidth per agent (ECPU, PCPU, GFX, MEDIA ...) over the last interval");
	for (unsigned i = 0; s->bandwidth.quality != BW_ABSENT && i < s->bandwidth.nagents; i++) {
		fam_sample(&f, s->bandwidth.agent[i].read_bps, "agent", s->bandwidth.agent[i].name,
		           "direction", "read", NULL);
		fam_sample(&f, s->bandwidth.agent[i].write_bps, "agent", s->bandwidth.agent[i].name,
		           "direction", "write", NULL);
	}

	fam_begin(&f, b, o, "agtop_thermal_pressure", "gauge",
	          "Thermal pressure: 1 for the current state, 0 for the others");
	if (s->thermal != THERMAL_UNKNOWN)
		for (unsigned t = 0; t < 4; t++)
			fam_sample(&f, s->thermal == (enum thermal_pressure)(t + 1) ? 1 : 0,
			           "state", thermal[t], NULL);
	fam_begin(&f, b, o, "agtop_temperature_celsius", "gauge", "Temperature sensors");
	for (unsigned i = 0; i < s->ntemps; i++)
		fam_sample(&f, s->temps[i].celsius, "chip", s->temps[i].chip, "sensor",
		           s->temps[i].sensor, "label", s->temps[i].label, "kind",
		           temp_kind_name(s->temps[i].kind), NULL);
}

struct gpu_rank {
	size_t idx;
	double util, mem;
	int pid;
};

static int cmp_gpu_rank(const void *a, const void *b)
{
	const struct gpu_rank *x = a, *y = b;
	double ux = isnan(x->util) ? -1 : x->util, uy = isnan(y->util) ? -1 : y->util;
	double mx = isnan(x->mem) ? -1 : x->mem, my = isnan(y->mem) ? -1 : y->mem;

	if (ux != uy)
		return ux < uy ? 1 : -1;
	if (mx != my)
		return mx < my ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The processes that use a GPU (GPU time or GPU memory above 0), busiest first: at most
 * limit of them into out. */
static size_t gpu_top(const struct sample *s, size_t limit, size_t *out)
{
	struct gpu_rank *r = malloc((s->nprocs ? s->nprocs : 1) * sizeof *r);
	size_t n = 0;

	if (!r)
		return 0;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct sample_proc *p = &s->procs[i];
		if (p->gpu_util > 0 || p->gpu_mem_bytes > 0)
			r[n++] = (struct gpu_rank){ i, p->gpu_util, p->gpu_mem_bytes, p->pid };
	}
	qsort(r, n, sizeof *r, cmp_gpu_rank);
	if (n > limit)
		n = limit;
	for (size_t i = 0; i < n; i++)
		out[i] = r[i].idx;
	free(r);
	return n;
}

static void process_families(struct strbuf *b, const struct prom_opts *o, const struct sample *s)
{
	size_t *idx, n;
	struct fam f;
	char pid[16];

	if (!o->processes || !s->nprocs)
		return;
	idx = malloc(o->processes * sizeof *idx);
	if (!idx)
		return;
	n = procsel_top(s, NULL, PROC_SORT_CPU, o->processes, idx);
#define PROC_FAM(metric, help, expr)                                       \
	fam_begin(&f, b, o, metric, "gauge", help);                        \
	for (size_t k = 0; k < n; k++) {                                   \
		const struct sample_proc *p = &s->procs[idx[k]];           \
		snprintf(pid, sizeof pid, "%d", p->pid);                   \
		fam_sample(&f, (expr), "pid", pid, "name", p->name, NULL); \
	}
	PROC_FAM("agtop_process_cpu_ratio",
	         "CPU use of the busiest processes over the last interval (1 = one CPU)", p->cpu)
	PROC_FAM("agtop_process_resident_bytes", "Resident memory of the busiest processes",
	         p->rss_bytes)
	PROC_FAM("agtop_process_threads", "Threads of the busiest processes",
	         p->threads >= 0 ? (double)p->threads : NAN)
	PROC_FAM("agtop_process_power_watts",
	         "CPU power of the busiest processes over the last interval, from their own "
	         "energy counters (macOS)",
	         p->energy_w)
	PROC_FAM("agtop_process_energy_joules",
	         "CPU energy of the busiest processes since agtop started watching them (macOS)",
	         p->energy_j)
	PROC_FAM("agtop_process_neural_memory_bytes",
	         "Neural engine memory of the busiest processes (macOS)", p->ane_mem_bytes)
	/* the GPU series follow the processes busiest on a GPU, as many as for the CPU */
	n = gpu_top(s, o->processes, idx);
	PROC_FAM("agtop_process_gpu_ratio",
	         "GPU use of the processes busiest on a GPU over the last interval (1 = one GPU)",
	         p->gpu_util)
	PROC_FAM("agtop_process_gpu_memory_bytes", "GPU memory of the processes busiest on a GPU",
	         p->gpu_mem_bytes)
#undef PROC_FAM
	free(idx);
}

void prom_write(struct strbuf *b, const struct sample *s, const struct prom_opts *o)
{
	struct fam f;

	fam_begin(&f, b, o, "agtop_build_info", "gauge",
	          "The agtop that wrote these metrics: its version (value 1)");
	fam_sample(&f, 1, "version", AGTOP_VERSION, NULL);
	fam_begin(&f, b, o, "agtop_info", "gauge",
	          "agtop and the machine it reads: version, source, chip, OS (value 1)");
	fam_sample(&f, 1, "version", AGTOP_VERSION, "source", s->source, "chip", s->host.chip, "os",
	           s->host.os, "arch", s->host.arch, "hostname", s->host.hostname, NULL);
	fam_begin(&f, b, o, "agtop_sample_timestamp_seconds", "gauge",
	          "End of the interval the metrics describe, seconds since the Unix epoch");
	fam_sample(&f, s->time, NULL);
	fam_begin(&f, b, o, "agtop_sample_interval_seconds", "gauge",
	          "Length of the measured interval");
	fam_sample(&f, s->interval_s, NULL);
	fam_begin(&f, b, o, "agtop_samples_total", "counter", "Samples agtop has taken");
	fam_sample(&f, (double)s->seq, NULL);
	cpu_families(b, o, s);
	gpu_families(b, o, s);
	power_families(b, o, s);
	machine_families(b, o, s);
	memory_families(b, o, s);
	process_families(b, o, s);
	if (o->format == PROM_OPENMETRICS)
		sb_puts(b, "# EOF\n");
}

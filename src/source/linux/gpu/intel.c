/* intel.c - Intel GPUs through the i915 and xe drivers' sysfs files (no privileges):
 * frequency, the time spent in RC6 (idle) as the busy share, and on discrete cards the hwmon
 * energy counter and the card's memory. Per-process use comes from DRM fdinfo. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../util/str.h"
#include "gpu.h"

struct intel_dev {
	unsigned gpu;
	bool xe;
	char card[64];   /* class/drm/cardN */
	char hwmon[128]; /* "" on integrated GPUs */
	char name[64];
	char freq[64], freq_max[64], idle[64]; /* files under card, "" when the driver has none */
	char energy[24];                       /* hwmon energyN_input of the card, "" none */
	double idle_ms, energy_uj;             /* previous readings, NAN none */
};

struct intel {
	unsigned n;
	struct intel_dev dev[SAMPLE_MAX_GPUS];
};

/* The first of the candidate files (relative to dir) that reads as a number, "" none. */
static void first_file(const struct fsroot *sys, const char *dir, const char *const *cands,
                       char *out, size_t size)
{
	out[0] = '\0';
	for (; *cands; cands++)
		if (!isnan(gpu_sys_num(sys, dir, *cands))) {
			str_copy(out, size, *cands);
			return;
		}
}

#define FILES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* i915: cardN/gt_act_freq_mhz (single-GT parts) or cardN/gt/gt0/rps_act_freq_mhz, RC6 in
 * cardN/gt/gt0/rc6_residency_ms or cardN/power/rc6_residency_ms. xe: the GT's freq0 and gtidle
 * directories under the device's tile0. All in MHz and milliseconds. */
static void find_files(const struct fsroot *sys, struct intel_dev *d)
{
	const char *c = d->card;

	if (d->xe) {
		first_file(sys, c, FILES("device/tile0/gt0/freq0/act_freq"), d->freq,
		           sizeof d->freq);
		first_file(
		    sys, c,
		    FILES("device/tile0/gt0/freq0/rp0_freq", "device/tile0/gt0/freq0/max_freq"),
		    d->freq_max, sizeof d->freq_max);
		first_file(sys, c, FILES("device/tile0/gt0/gtidle/idle_residency_ms"), d->idle,
		           sizeof d->idle);
	} else {
		first_file(sys, c, FILES("gt_act_freq_mhz", "gt/gt0/rps_act_freq_mhz"), d->freq,
		           sizeof d->freq);
		first_file(sys, c,
		           FILES("gt_RP0_freq_mhz", "gt/gt0/rps_RP0_freq_mhz", "gt_max_freq_mhz"),
		           d->freq_max, sizeof d->freq_max);
		first_file(sys, c, FILES("gt/gt0/rc6_residency_ms", "power/rc6_residency_ms"),
		           d->idle, sizeof d->idle);
	}
}

/* The card's energy counter: the one labelled "card" (xe has "card" and "pkg"), else the
 * only one (i915). */
static void find_energy(const struct fsroot *sys, struct intel_dev *d)
{
	d->energy[0] = '\0';
	for (int i = 1; i <= 4 && d->hwmon[0]; i++) {
		char rel[192], label[16], input[24];
		snprintf(input, sizeof input, "energy%d_input", i);
		if (isnan(gpu_sys_num(sys, d->hwmon, input)))
			continue;
		snprintf(rel, sizeof rel, "%s/energy%d_label", d->hwmon, i);
		if (fsroot_read_str(sys, rel, label, sizeof label) != 0 || !strcmp(label, "card") ||
		    !d->energy[0])
			str_copy(d->energy, sizeof d->energy, input);
		if (!strcmp(label, "card"))
			return;
	}
}

/* The card's own memory: xe's per-tile physical_vram_size_bytes, or lmem_total_bytes of the
 * out-of-tree i915 (mainline i915 publishes no total). */
static double vram_total(const struct fsroot *sys, const struct intel_dev *d)
{
	double sum = NAN;

	for (int t = 0; t < 4; t++) {
		char dir[96];
		double v;
		snprintf(dir, sizeof dir, "%s/device/tile%d", d->card, t);
		v = gpu_sys_num(sys, dir, "physical_vram_size_bytes");
		if (!isnan(v))
			sum = (isnan(sum) ? 0 : sum) + v;
	}
	if (isnan(sum))
		sum = gpu_sys_num(sys, d->card, "lmem_total_bytes");
	return sum > 0 ? sum : NAN;
}

static void probe_card(struct gpu_ctx *c, struct intel *in, const struct drm_card *card)
{
	struct gpu_dev *g = gpu_add(c, &intel_vendor, card->number);
	struct intel_dev *d = &in->dev[in->n];

	if (!g)
		return;
	memset(d, 0, sizeof *d);
	d->gpu = (unsigned)(g - c->dev);
	d->xe = !strcmp(card->driver, "xe");
	d->idle_ms = d->energy_uj = NAN;
	str_copy(d->card, sizeof d->card, card->dir);
	str_copy(g->card, sizeof g->card, card->dir);
	str_copy(g->pdev, sizeof g->pdev, card->pci);
	str_copy(g->drm_driver, sizeof g->drm_driver, card->driver);
	str_copy(g->meta.vendor, sizeof g->meta.vendor, "intel");
	str_copy(g->meta.driver, sizeof g->meta.driver, card->driver);
	str_copy(g->meta.id, sizeof g->meta.id, card->pci);
	snprintf(g->meta.name, sizeof g->meta.name, "Intel GPU %s",
	         card->pci_id[0] ? card->pci_id : card->pci);
	str_copy(d->name, sizeof d->name, g->meta.name);
	find_files(c->sys, d);
	gpu_card_hwmon(c->sys, card->dir, d->hwmon, sizeof d->hwmon);
	find_energy(c->sys, d);
	g->meta.mem_total_bytes = vram_total(c->sys, d);
	/* discrete cards have memory of their own or an energy counter; integrated ones neither */
	g->meta.integrated = isnan(g->meta.mem_total_bytes) && !d->energy[0];
	g->meta.freq_max_hz =
	    d->freq_max[0] ? gpu_sys_num(c->sys, d->card, d->freq_max) * 1e6 : NAN;
	in->n++;
}

static int intel_probe(struct gpu_ctx *c, void **priv, char *why, size_t why_size)
{
	struct drm_card cards[SAMPLE_MAX_GPUS * 2];
	struct intel *in;
	size_t n;

	(void)why; /* gpu.c tells which DRM drivers it found */
	(void)why_size;
	*priv = NULL;
	if (!c->sys)
		return 0;
	n = gpu_drm_cards(c->sys, cards, sizeof cards / sizeof cards[0]);
	in = calloc(1, sizeof *in);
	if (!in)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cards[i].driver, "i915") || !strcmp(cards[i].driver, "xe"))
			probe_card(c, in, &cards[i]);
	if (!in->n) {
		free(in);
		return 0;
	}
	*priv = in;
	return (int)in->n;
}

/* busy = the share of the interval the GT was not idle (not in RC6) */
static double busy_share(struct intel_dev *d, double idle_ms, double dt)
{
	double busy = NAN;

	if (!isnan(idle_ms) && !isnan(d->idle_ms) && dt > 0 && idle_ms >= d->idle_ms) {
		busy = 1.0 - (idle_ms - d->idle_ms) / (dt * 1000.0);
		busy = busy < 0 ? 0 : busy > 1 ? 1 : busy;
	}
	d->idle_ms = idle_ms;
	return busy;
}

static void read_hwmon(const struct fsroot *sys, struct intel_dev *d, double dt,
                       struct sample_gpu *g)
{
	double uj, v;

	if (!d->hwmon[0])
		return;
	if (d->energy[0]) {
		uj = gpu_sys_num(sys, d->hwmon, d->energy);
		g->energy_j = uj / 1e6;
		if (!isnan(uj) && !isnan(d->energy_uj) && uj >= d->energy_uj && dt > 0)
			g->power_w = (uj - d->energy_uj) / 1e6 / dt;
		d->energy_uj = uj;
	}
	v = gpu_sys_num(sys, d->hwmon, "power1_max");
	g->power_limit_w = v > 0 ? v / 1e6 : NAN; /* 0: no limit set */
	for (int i = 1; i <= 4; i++) {
		char rel[192], label[16], input[24];
		snprintf(rel, sizeof rel, "%s/temp%d_label", d->hwmon, i);
		snprintf(input, sizeof input, "temp%d_input", i);
		v = gpu_sys_num(sys, d->hwmon, input) / 1000.0;
		if (isnan(v))
			continue;
		if (fsroot_read_str(sys, rel, label, sizeof label) != 0 || !strcmp(label, "pkg"))
			g->temp_c = isnan(g->temp_c) ? v : g->temp_c;
		else if (!strcmp(label, "vram"))
			g->temp_mem_c = v;
	}
	g->fan_rpm = gpu_sys_num(sys, d->hwmon, "fan1_input");
}

static void intel_read(struct gpu_ctx *c, void *priv, double dt, struct sample *s)
{
	struct intel *in = priv;

	for (unsigned i = 0; i < in->n; i++) {
		struct intel_dev *d = &in->dev[i];
		struct sample_gpu *g = &s->gpus[d->gpu];
		const struct drm_dev_use *use = &c->dev[d->gpu].use;

		g->freq_hz = d->freq[0] ? gpu_sys_num(c->sys, d->card, d->freq) * 1e6 : NAN;
		g->util =
		    busy_share(d, d->idle[0] ? gpu_sys_num(c->sys, d->card, d->idle) : NAN, dt);
		read_hwmon(c->sys, d, dt, g);
		if (!d->idle[0])
			gpu_note(s, d->gpu, "%s: utilisation N/A (no RC6 residency file)", d->name);
		if (!isnan(g->mem_total_bytes)) {
			/* no sysfs file tells the memory in use: the clients' sum does, when every
			 * process could be read */
			if (c->sweep.unreadable == 0 && c->sweep.sweeps > 0)
				g->mem_used_bytes = isnan(use->local_bytes) ? 0 : use->local_bytes;
			else
				gpu_note(s, d->gpu, "%s: memory in use N/A (needs root)", d->name);
		}
		if (g->integrated)
			gpu_note(s, d->gpu,
			         "%s: power N/A (an integrated GPU: see the uncore rail)", d->name);
	}
}

const struct gpu_vendor intel_vendor = {
	.name = "intel",
	.probe = intel_probe,
	.read = intel_read,
	.procs = NULL, /* DRM fdinfo */
	.close = free,
};

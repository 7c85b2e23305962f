/* platform_gpu.c - GPUs on a SoC's platform bus whose only usage telemetry is DRM fdinfo:
 * Apple's (asahi, under Asahi Linux), Qualcomm Adreno (msm), Arm Mali (panfrost, panthor) and
 * Broadcom VideoCore (v3d). The device's busy share is the sum of its clients' (as many as agtop
 * can read); its clock comes from devfreq where the driver has one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../util/str.h"
#include "../topology.h"
#include "gpu.h"

static const struct {
	const char *driver, *vendor, *name;
} drivers[] = {
	{ "asahi", "apple", "Apple GPU" },      { "msm", "qualcomm", "Adreno GPU" },
	{ "panfrost", "arm", "Mali GPU" },      { "panthor", "arm", "Mali GPU" },
	{ "v3d", "broadcom", "VideoCore GPU" },
};

struct plat_dev {
	unsigned gpu;
	char name[64];
	char driver[24];
	char devfreq[128]; /* class/drm/cardN/device/devfreq/<dev>, "" none */
};

struct plat {
	unsigned n;
	struct plat_dev dev[SAMPLE_MAX_GPUS];
};

static int first_entry(const char *name, void *ctx)
{
	char *out = ctx;

	if (!out[0] || strcmp(name, out) < 0)
		str_copy(out, 64, name);
	return 0;
}

/* "apple,agx-t8103" names the chip the GPU is part of: "Apple M1 GPU" */
static void apple_name(const char *compat, char *out, size_t size)
{
	const char *agx = strstr(compat, "agx-");
	char soc[32];
	const char *chip;

	snprintf(soc, sizeof soc, "apple,%s", agx ? agx + 4 : "");
	chip = topology_apple_chip(soc);
	if (chip)
		snprintf(out, size, "%s GPU", chip);
	else
		str_copy(out, size, "Apple GPU");
}

static void probe_card(struct gpu_ctx *c, struct plat *p, const struct drm_card *card, size_t kind)
{
	struct gpu_dev *g = gpu_add(c, &platform_gpu_vendor, card->number);
	struct plat_dev *d = &p->dev[p->n];
	char rel[128], entry[64] = "";

	if (!g)
		return;
	memset(d, 0, sizeof *d);
	d->gpu = (unsigned)(g - c->dev);
	str_copy(d->driver, sizeof d->driver, card->driver);
	str_copy(g->card, sizeof g->card, card->dir);
	/* drm-pdev names the device where the kernel prints it for platform devices */
	str_copy(g->pdev, sizeof g->pdev, card->pci[0] ? card->pci : card->platform);
	str_copy(g->drm_driver, sizeof g->drm_driver, card->driver);
	str_copy(g->meta.vendor, sizeof g->meta.vendor, drivers[kind].vendor);
	str_copy(g->meta.driver, sizeof g->meta.driver, card->driver);
	str_copy(g->meta.id, sizeof g->meta.id, g->pdev);
	g->meta.integrated = true; /* on the SoC, memory shared with the CPU */
	if (!strcmp(card->driver, "asahi"))
		apple_name(card->of_compat, g->meta.name, sizeof g->meta.name);
	else
		str_copy(g->meta.name, sizeof g->meta.name, drivers[kind].name);
	str_copy(d->name, sizeof d->name, g->meta.name);
	snprintf(rel, sizeof rel, "%s/device/devfreq", card->dir);
	if (fsroot_list(c->sys, rel, first_entry, entry) == 0 && entry[0])
		snprintf(d->devfreq, sizeof d->devfreq, "%s/%s", rel, entry);
	if (d->devfreq[0])
		g->meta.freq_max_hz = gpu_sys_num(c->sys, d->devfreq, "max_freq");
	p->n++;
}

static int platform_probe(struct gpu_ctx *c, void **priv, char *why, size_t why_size)
{
	struct drm_card cards[SAMPLE_MAX_GPUS * 2];
	struct plat *p;
	size_t n;

	(void)why; /* gpu.c tells which DRM drivers it found */
	(void)why_size;
	*priv = NULL;
	if (!c->sys)
		return 0;
	n = gpu_drm_cards(c->sys, cards, sizeof cards / sizeof cards[0]);
	p = calloc(1, sizeof *p);
	if (!p)
		return 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof drivers / sizeof drivers[0]; k++)
			if (!strcmp(cards[i].driver, drivers[k].driver))
				probe_card(c, p, &cards[i], k);
	if (!p->n) {
		free(p);
		return 0;
	}
	*priv = p;
	return (int)p->n;
}

static void platform_read(struct gpu_ctx *c, void *priv, double dt, struct sample *s)
{
	struct plat *p = priv;

	(void)dt;
	for (unsigned i = 0; i < p->n; i++) {
		const struct plat_dev *d = &p->dev[i];
		const struct drm_dev_use *use = &c->dev[d->gpu].use;
		struct sample_gpu *g = &s->gpus[d->gpu];
		bool all = c->sweep.unreadable == 0;

		if (d->devfreq[0])
			g->freq_hz = gpu_sys_num(c->sys, d->devfreq, "cur_freq");
		g->mem_used_bytes = use->mem_bytes;
		if (use->clients == 0 && all && c->sweep.sweeps > 1) {
			g->util = 0; /* no process holds the GPU */
			g->mem_used_bytes = 0;
		} else {
			g->util = use->util;
		}
		if (use->clients && isnan(use->util) && c->sweep.sweeps > 1)
			gpu_note(s, d->gpu,
			         "%s: utilisation N/A (the %s driver writes no engine time "
			         "in fdinfo)",
			         d->name, d->driver);
		else if (!all)
			gpu_note(s, d->gpu,
			         "%s: utilisation and memory count only the processes "
			         "agtop can read (root sees all)",
			         d->name);
		/* the SMC's GPU rail, where the machine's device tree names one (Asahi) */
		if (!strcmp(d->driver, "asahi"))
			g->power_w = s->power[RAIL_GPU].watts;
	}
}

const struct gpu_vendor platform_gpu_vendor = {
	.name = "platform",
	.probe = platform_probe,
	.read = platform_read,
	.procs = NULL, /* DRM fdinfo */
	.close = free,
};

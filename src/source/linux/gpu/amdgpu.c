/* amdgpu.c - AMD GPUs through the amdgpu driver's sysfs files and its hwmon (no library):
 * Documentation/gpu/amdgpu/thermal.rst and driver-misc.rst name every file read here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../util/str.h"
#include "gpu.h"
#include "gpu_parse.h"

struct amd_dev {
	unsigned gpu;    /* its place in the sample */
	char dev[80];    /* class/drm/cardN/device */
	char hwmon[128]; /* its hwmon directory, "" none */
	char name[64];
	char temp[3][16]; /* temp*_input of the edge, junction and mem sensors, "" none */
};

struct amd {
	unsigned n;
	struct amd_dev dev[SAMPLE_MAX_GPUS];
};

/* the hwmon temperature inputs by label (edge, junction, mem) */
static void find_temps(const struct fsroot *sys, struct amd_dev *d)
{
	static const char *const labels[3] = { "edge", "junction", "mem" };

	for (int i = 1; i <= 8 && d->hwmon[0]; i++) {
		char rel[192], label[32];
		snprintf(rel, sizeof rel, "%s/temp%d_label", d->hwmon, i);
		if (fsroot_read_str(sys, rel, label, sizeof label) != 0)
			continue;
		for (int k = 0; k < 3; k++)
			if (!strcmp(label, labels[k]))
				snprintf(d->temp[k], sizeof d->temp[k], "temp%d_input", i);
	}
}

static void probe_card(struct gpu_ctx *c, struct amd *a, const struct drm_card *card)
{
	struct gpu_dev *g = gpu_add(c, &amdgpu_vendor, card->number);
	struct amd_dev *d = &a->dev[a->n];
	char rel[160], product[64];

	if (!g)
		return;
	memset(d, 0, sizeof *d);
	d->gpu = (unsigned)(g - c->dev);
	str_copy(g->card, sizeof g->card, card->dir);
	str_copy(g->pdev, sizeof g->pdev, card->pci);
	str_copy(g->drm_driver, sizeof g->drm_driver, "amdgpu");
	str_copy(g->meta.vendor, sizeof g->meta.vendor, "amd");
	str_copy(g->meta.driver, sizeof g->meta.driver, "amdgpu");
	str_copy(g->meta.id, sizeof g->meta.id, card->pci);
	snprintf(d->dev, sizeof d->dev, "%s/device", card->dir);
	/* the board's name where its FRU EEPROM gives one, else the PCI ids */
	snprintf(rel, sizeof rel, "%s/product_name", d->dev);
	if (fsroot_read_str(c->sys, rel, product, sizeof product) == 0 && product[0])
		snprintf(g->meta.name, sizeof g->meta.name, "AMD %s", product);
	else
		snprintf(g->meta.name, sizeof g->meta.name, "AMD GPU %s",
		         card->pci_id[0] ? card->pci_id : card->pci);
	str_copy(d->name, sizeof d->name, g->meta.name);
	g->meta.mem_total_bytes = gpu_sys_num(c->sys, d->dev, "mem_info_vram_total");
	g->meta.gtt_total_bytes = gpu_sys_num(c->sys, d->dev, "mem_info_gtt_total");
	gpu_card_hwmon(c->sys, card->dir, d->hwmon, sizeof d->hwmon);
	find_temps(c->sys, d);
	a->n++;
}

static int amdgpu_probe(struct gpu_ctx *c, void **priv, char *why, size_t why_size)
{
	struct drm_card cards[SAMPLE_MAX_GPUS * 2];
	size_t n;
	struct amd *a;

	*priv = NULL;
	if (!c->sys)
		return 0;
	n = gpu_drm_cards(c->sys, cards, sizeof cards / sizeof cards[0]);
	a = calloc(1, sizeof *a);
	if (!a)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cards[i].driver, "amdgpu"))
			probe_card(c, a, &cards[i]);
	(void)why; /* gpu.c tells which DRM drivers it found */
	(void)why_size;
	if (!a->n) {
		free(a);
		return 0;
	}
	*priv = a;
	return (int)a->n;
}

static double ratio(double percent)
{
	/* some APUs report nonsense above 100 (btop#914) */
	return isnan(percent) || percent < 0 || percent > 100 ? NAN : percent / 100.0;
}

static void read_dpm(const struct fsroot *sys, const char *dir, const char *file, double *cur,
                     double *max)
{
	char rel[160], text[1024];

	snprintf(rel, sizeof rel, "%s/%s", dir, file);
	if (fsroot_read(sys, rel, text, sizeof text) <= 0 || amdgpu_parse_dpm(text, cur, max) != 0)
		*cur = *max = NAN;
}

static void read_hwmon(const struct fsroot *sys, const struct amd_dev *d, struct sample_gpu *g)
{
	double v, fan_max;

	if (!d->hwmon[0])
		return;
	/* power1_average is the filtered reading; newer SMUs give only power1_input (µW) */
	v = gpu_sys_num(sys, d->hwmon, "power1_average");
	if (isnan(v))
		v = gpu_sys_num(sys, d->hwmon, "power1_input");
	g->power_w = v / 1e6;
	v = gpu_sys_num(sys, d->hwmon, "power1_cap");
	g->power_limit_w = v > 0 ? v / 1e6 : NAN;
	if (d->temp[0][0])
		g->temp_c = gpu_sys_num(sys, d->hwmon, d->temp[0]) / 1000.0;
	if (d->temp[1][0])
		g->temp_hotspot_c = gpu_sys_num(sys, d->hwmon, d->temp[1]) / 1000.0;
	if (d->temp[2][0])
		g->temp_mem_c = gpu_sys_num(sys, d->hwmon, d->temp[2]) / 1000.0;
	g->fan_rpm = gpu_sys_num(sys, d->hwmon, "fan1_input");
	fan_max = gpu_sys_num(sys, d->hwmon, "fan1_max");
	if (fan_max > 0 && !isnan(g->fan_rpm))
		g->fan_ratio = g->fan_rpm / fan_max;
}

static void amdgpu_read(struct gpu_ctx *c, void *priv, double dt, struct sample *s)
{
	struct amd *a = priv;

	(void)dt;
	for (unsigned i = 0; i < a->n; i++) {
		const struct amd_dev *d = &a->dev[i];
		struct sample_gpu *g = &s->gpus[d->gpu];

		g->util = ratio(gpu_sys_num(c->sys, d->dev, "gpu_busy_percent"));
		g->mem_util = ratio(gpu_sys_num(c->sys, d->dev, "mem_busy_percent"));
		read_dpm(c->sys, d->dev, "pp_dpm_sclk", &g->freq_hz, &g->freq_max_hz);
		read_dpm(c->sys, d->dev, "pp_dpm_mclk", &g->mem_freq_hz, &g->mem_freq_max_hz);
		g->mem_used_bytes = gpu_sys_num(c->sys, d->dev, "mem_info_vram_used");
		g->gtt_used_bytes = gpu_sys_num(c->sys, d->dev, "mem_info_gtt_used");
		read_hwmon(c->sys, d, g);
		if (isnan(g->util))
			gpu_note(s, d->gpu, "%s: utilisation N/A (gpu_busy_percent unreadable)",
			         d->name);
		if (!d->hwmon[0])
			gpu_note(s, d->gpu, "%s: power, temperature, fan N/A (no hwmon)", d->name);
		else if (isnan(g->power_w))
			gpu_note(s, d->gpu, "%s: power N/A (no power1_average or power1_input)",
			         d->name);
	}
}

const struct gpu_vendor amdgpu_vendor = {
	.name = "amdgpu",
	.probe = amdgpu_probe,
	.read = amdgpu_read,
	.procs = NULL, /* DRM fdinfo */
	.close = free,
};

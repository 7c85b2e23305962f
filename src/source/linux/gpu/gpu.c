/* gpu.c - the table of GPU vendors, and what they share: DRM cards, notes, the fdinfo sweep */
#include "gpu.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../util/str.h"

/* Listed in the order their GPUs appear. NVML first: a machine with NVIDIA's driver reads its
 * GPUs there, never through nvidia-drm's fdinfo. */
static const struct gpu_vendor *const gpu_vendors[] = { &nvml_vendor, &amdgpu_vendor, &intel_vendor,
	                                                &platform_gpu_vendor, NULL };

struct gpu_dev *gpu_add(struct gpu_ctx *c, const struct gpu_vendor *v, int vendor_index)
{
	struct gpu_dev *d;

	if (c->ndev == SAMPLE_MAX_GPUS)
		return NULL;
	d = &c->dev[c->ndev++];
	memset(d, 0, sizeof *d);
	d->vendor = v;
	d->vendor_index = vendor_index;
	d->meta.cores = -1;
	d->meta.throttle = THROTTLE_UNKNOWN;
	for (size_t k = 0; k < SAMPLE_GPU_NFIELDS; k++)
		sample_gpu_field_set(&d->meta, k, NAN);
	return d;
}

static void append_why(struct gpu_ctx *c, const char *why)
{
	size_t n = strlen(c->why);

	if (why[0])
		snprintf(c->why + n, sizeof c->why - n, "%s%s", n ? "; " : "", why);
}

/* Why the DRM cards gave no GPU: none at all, or none of a driver agtop reads. */
static void drm_why(struct gpu_ctx *c)
{
	struct drm_card cards[8];
	size_t n = c->sys ? gpu_drm_cards(c->sys, cards, 8) : 0;
	char why[GPU_WHY_SIZE];
	size_t used;

	if (!c->sys) {
		append_why(c, "no /sys");
		return;
	}
	if (n == 0) {
		append_why(c, "no DRM card in /sys/class/drm");
		return;
	}
	used = (size_t)snprintf(why, sizeof why, "no GPU driver agtop reads (");
	for (size_t i = 0; i < n && used < sizeof why; i++)
		used += (size_t)snprintf(why + used, sizeof why - used, "%scard%d: %s",
		                         i ? ", " : "", cards[i].number,
		                         cards[i].driver[0] ? cards[i].driver : "no driver");
	if (used < sizeof why)
		snprintf(why + used, sizeof why - used, ")");
	append_why(c, why);
}

void gpu_open(struct gpu_ctx *c, const struct fsroot *sys, const struct fsroot *proc,
              const char *nvml_library)
{
	memset(c, 0, sizeof *c);
	c->sys = sys;
	c->proc = proc;
	str_copy(c->nvml_library, sizeof c->nvml_library, nvml_library);
	for (unsigned k = 0; gpu_vendors[k] && k < GPU_MAX_VENDORS; k++) {
		char why[GPU_WHY_SIZE] = "";
		unsigned before = c->ndev;

		gpu_vendors[k]->probe(c, &c->priv[k], why, sizeof why);
		c->probed[k] = true;
		if (c->ndev == before)
			append_why(c, why);
	}
	if (c->ndev == 0)
		drm_why(c);
	for (unsigned i = 0; i < c->ndev; i++)
		if (c->dev[i].drm_driver[0])
			c->fdinfo = true;
}

void gpu_close(struct gpu_ctx *c)
{
	for (unsigned k = 0; gpu_vendors[k] && k < GPU_MAX_VENDORS; k++)
		if (c->probed[k] && c->priv[k] && gpu_vendors[k]->close)
			gpu_vendors[k]->close(c->priv[k]);
	drm_sweep_free(&c->sweep);
	memset(c, 0, sizeof *c);
}

/* Every process's GPU use from fdinfo, or, where no device is counted that way (NVIDIA only),
 * a start of 0 that the vendors add to. */
static void sweep(struct gpu_ctx *c, double now, struct sample *s, bool nvml)
{
	struct drm_target t[SAMPLE_MAX_GPUS];
	struct drm_dev_use use[SAMPLE_MAX_GPUS];

	if (!c->fdinfo) {
		for (size_t i = 0; i < s->nprocs; i++)
			s->procs[i].gpu_util = s->procs[i].gpu_mem_bytes = 0;
		return;
	}
	for (unsigned i = 0; i < c->ndev; i++) {
		t[i].pdev = c->dev[i].pdev;
		t[i].driver = c->dev[i].drm_driver;
	}
	/* nvidia-drm writes fdinfo too: NVML counts those clients */
	drm_sweep_run(&c->sweep, c->proc, now, s, t, c->ndev, nvml ? "nvidia" : NULL, use);
	for (unsigned i = 0; i < c->ndev; i++)
		c->dev[i].use = use[i];
	if (c->sweep.unreadable)
		sample_note(s, "processes.gpu",
		            "GPU use of %u processes of other users needs root (their descriptors "
		            "cannot be read)",
		            c->sweep.unreadable);
}

/* The GPU rail: the discrete GPUs' own power, where each one knows it. */
static void gpu_rail(const struct gpu_ctx *c, struct sample *s)
{
	double w = 0, j = 0;
	unsigned known = 0, joules = 0, discrete = 0;

	for (unsigned i = 0; i < s->ngpus; i++) {
		const struct sample_gpu *g = &s->gpus[i];
		if (g->integrated)
			continue; /* inside the package, which RAPL or the SMC counts */
		discrete++;
		if (!isnan(g->power_w)) {
			w += g->power_w;
			known++;
		}
		if (!isnan(g->energy_j)) {
			j += g->energy_j;
			joules++;
		}
	}
	(void)c;
	if (known && known == discrete)
		s->power[RAIL_GPU].watts = w;
	else if (known)
		sample_note(s, "power.gpu", "%u of %u GPUs report no power", discrete - known,
		            discrete);
	if (joules && joules == discrete)
		s->power[RAIL_GPU].joules = j;
}

void gpu_read(struct gpu_ctx *c, double now, double dt, struct sample *s)
{
	bool nvml = false;

	c->reads++;
	if (c->ndev == 0) {
		sample_note(s, "gpu", "no GPU found: %s", c->why);
		return;
	}
	s->ngpus = c->ndev;
	for (unsigned i = 0; i < c->ndev; i++) {
		s->gpus[i] = c->dev[i].meta;
		if (c->dev[i].vendor == &nvml_vendor)
			nvml = true;
	}
	sweep(c, now, s, nvml);
	for (unsigned k = 0; gpu_vendors[k] && k < GPU_MAX_VENDORS; k++)
		if (c->priv[k] && gpu_vendors[k]->read)
			gpu_vendors[k]->read(c, c->priv[k], dt, s);
	for (unsigned k = 0; gpu_vendors[k] && k < GPU_MAX_VENDORS; k++)
		if (c->priv[k] && gpu_vendors[k]->procs)
			gpu_vendors[k]->procs(c, c->priv[k], dt, s);
	gpu_rail(c, s);
}

/* ---- helpers for the vendors ---- */

struct card_list {
	struct drm_card *cards;
	size_t n, cap;
};

static int collect_card(const char *name, void *ctx)
{
	struct card_list *l = ctx;
	const char *end;
	uint64_t num;

	/* cardN only: not the connectors (card0-DP-1) nor the render nodes */
	if (strncmp(name, "card", 4) || !str_parse_u64(name + 4, &end, &num) || *end ||
	    num > 4096 || l->n == l->cap)
		return 0;
	memset(&l->cards[l->n], 0, sizeof l->cards[0]);
	l->cards[l->n].number = (int)num;
	snprintf(l->cards[l->n].dir, sizeof l->cards[0].dir, "class/drm/%s", name);
	l->n++;
	return 0;
}

static int cmp_card(const void *a, const void *b)
{
	const struct drm_card *x = a, *y = b;
	return x->number < y->number ? -1 : x->number > y->number;
}

static void card_identity(const struct fsroot *sys, struct drm_card *c)
{
	char rel[128], text[2048], link[512];
	const char *base;

	snprintf(rel, sizeof rel, "%s/device/uevent", c->dir);
	if (fsroot_read(sys, rel, text, sizeof text) > 0) {
		uevent_value(text, "DRIVER", c->driver, sizeof c->driver);
		uevent_value(text, "PCI_SLOT_NAME", c->pci, sizeof c->pci);
		uevent_value(text, "PCI_ID", c->pci_id, sizeof c->pci_id);
		uevent_value(text, "OF_COMPATIBLE_0", c->of_compat, sizeof c->of_compat);
	}
	snprintf(rel, sizeof rel, "%s/device", c->dir);
	if (fsroot_resolve(sys, rel, link, sizeof link) == 0) {
		base = strrchr(link, '/');
		str_copy(c->platform, sizeof c->platform, base ? base + 1 : link);
	}
}

size_t gpu_drm_cards(const struct fsroot *sys, struct drm_card *cards, size_t cap)
{
	struct card_list l = { cards, 0, cap };

	if (fsroot_list(sys, "class/drm", collect_card, &l) < 0)
		return 0;
	qsort(cards, l.n, sizeof *cards, cmp_card);
	for (size_t i = 0; i < l.n; i++)
		card_identity(sys, &cards[i]);
	return l.n;
}

double gpu_sys_num(const struct fsroot *sys, const char *dir, const char *name)
{
	char rel[256];
	int64_t v;

	snprintf(rel, sizeof rel, "%s/%s", dir, name);
	return fsroot_read_i64(sys, rel, &v) == 0 ? (double)v : NAN;
}

static int first_hwmon(const char *name, void *ctx)
{
	char *out = ctx;

	if (!strncmp(name, "hwmon", 5) && (!out[0] || strcmp(name, out) < 0))
		str_copy(out, 32, name);
	return 0;
}

void gpu_card_hwmon(const struct fsroot *sys, const char *card_dir, char *out, size_t size)
{
	char rel[128], name[32] = "";

	out[0] = '\0';
	snprintf(rel, sizeof rel, "%s/device/hwmon", card_dir);
	if (fsroot_list(sys, rel, first_hwmon, name) == 0 && name[0])
		snprintf(out, size, "%s/%s", rel, name);
}

void gpu_note(struct sample *s, unsigned i, const char *fmt, ...)
{
	char key[16], add[256], text[sizeof s->notes[0].text] = "";
	va_list ap;

	snprintf(key, sizeof key, "gpu%u", i);
	va_start(ap, fmt);
	vsnprintf(add, sizeof add, fmt, ap);
	va_end(ap);
	for (unsigned k = 0; k < s->nnotes; k++)
		if (!strcmp(s->notes[k].key, key))
			str_copy(text, sizeof text, s->notes[k].text);
	if (text[0])
		sample_note(s, key, "%s; %s", text, add);
	else
		sample_note(s, key, "%s", add);
}

struct sample_proc *gpu_find_proc(struct sample *s, int pid)
{
	size_t lo = 0, hi = s->nprocs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->procs[mid].pid == pid)
			return &s->procs[mid];
		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < s->nprocs; i++) /* rows not in pid order */
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

/* gpu.h - the GPUs of a Linux machine: one file per vendor behind one small interface, listed
 * in one static table (gpu.c), as nvtop does but without constructor registration.
 *
 * A vendor finds its devices once (probe), then fills their readings each interval (read) and,
 * where it knows them better than DRM fdinfo does, what each process uses (procs). The DRM
 * fdinfo sweep (drm_fdinfo.c) gives the per-process numbers of every kernel driver. */
#ifndef AGTOP_GPU_H
#define AGTOP_GPU_H

#include <stdbool.h>
#include <stddef.h>

#include "../../../sample.h"
#include "../fsroot.h"
#include "drm_fdinfo.h"

#define GPU_WHY_SIZE 128

struct gpu_ctx;

struct gpu_vendor {
	const char *name;
	/* Finds this vendor's GPUs and adds each through gpu_add(); keeps its state in *priv.
	 * Returns how many it added; with none it writes why in one short phrase. */
	int (*probe)(struct gpu_ctx *c, void **priv, char *why, size_t why_size);
	/* Fills s->gpus[] for its devices; NAN and a note for what it cannot know. */
	void (*read)(struct gpu_ctx *c, void *priv, double dt, struct sample *s);
	/* Adds what it knows of each process to s->procs; NULL when DRM fdinfo covers it. */
	void (*procs)(struct gpu_ctx *c, void *priv, double dt, struct sample *s);
	void (*close)(void *priv);
};

/* The vendors, in the order their GPUs are listed (gpu.c). */
extern const struct gpu_vendor nvml_vendor, amdgpu_vendor, intel_vendor, platform_gpu_vendor;

/* One GPU a vendor found. */
struct gpu_dev {
	const struct gpu_vendor *vendor;
	int vendor_index;       /* the vendor's own number for it (NVML index, card number) */
	char card[64];          /* its DRM card directory ("class/drm/card0"), "" none */
	char pdev[32];          /* what fdinfo's drm-pdev calls it ("0000:03:00.0"), "" none */
	char drm_driver[24];    /* the kernel driver fdinfo names ("amdgpu", "asahi"), "" none */
	struct sample_gpu meta; /* what does not change: names, totals; values NAN */
	struct drm_dev_use use; /* this interval's fdinfo rollup */
};

#define GPU_MAX_VENDORS 8

struct gpu_ctx {
	const struct fsroot *sys; /* NULL: no /sys */
	const struct fsroot *proc;
	char nvml_library[1024]; /* what nvml.c dlopens */
	unsigned ndev;
	struct gpu_dev dev[SAMPLE_MAX_GPUS];
	void *priv[GPU_MAX_VENDORS];
	bool probed[GPU_MAX_VENDORS];
	char why[GPU_WHY_SIZE * 2]; /* no GPU: every vendor's reason in one line */
	struct drm_sweep sweep;
	bool fdinfo; /* some device has a DRM driver whose clients fdinfo counts */
	unsigned reads;
};

/* linux.c's part: find the GPUs (never fails: no GPU is a normal machine), read them once per
 * interval (after the processes are in s), and let go. nvml_library is the library to load:
 * "libnvidia-ml.so.1", or AGTOP_NVML_LIBRARY's path. now is monotonic seconds. */
void gpu_open(struct gpu_ctx *c, const struct fsroot *sys, const struct fsroot *proc,
              const char *nvml_library);
void gpu_read(struct gpu_ctx *c, double now, double dt, struct sample *s);
void gpu_close(struct gpu_ctx *c);

/* For vendors: adds a device (NULL when the sample is full). Its meta starts unknown. */
struct gpu_dev *gpu_add(struct gpu_ctx *c, const struct gpu_vendor *v, int vendor_index);

/* A DRM card under /sys/class/drm, as its uevent files tell it. */
struct drm_card {
	int number;         /* N of cardN */
	char dir[64];       /* "class/drm/cardN" */
	char driver[24];    /* device/uevent DRIVER */
	char pci[32];       /* device/uevent PCI_SLOT_NAME, "" for platform devices */
	char pci_id[16];    /* device/uevent PCI_ID ("1002:687F"), "" none */
	char of_compat[64]; /* device/uevent OF_COMPATIBLE_0 ("apple,agx-t8103"), "" none */
	char platform[48];  /* the device's own name for platform devices ("206400000.gpu") */
};

/* Lists cardN (not the connectors cardN-DP-1, not renderD) in number order; returns how many
 * (at most cap). */
size_t gpu_drm_cards(const struct fsroot *sys, struct drm_card *cards, size_t cap);

/* Reads a number from sys (dir/name) as a double; NAN when absent or not a number. */
double gpu_sys_num(const struct fsroot *sys, const char *dir, const char *name);

/* The hwmon directory of a card's device ("class/drm/card0/device/hwmon/hwmon3"), "" none. */
void gpu_card_hwmon(const struct fsroot *sys, const char *card_dir, char *out, size_t size);

/* Appends "what" to the note of GPU i ("gpu0": "Tesla T4: fan N/A (not supported)"). */
void gpu_note(struct sample *s, unsigned i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The process row of pid in s, or NULL (rows are in pid order on Linux). */
struct sample_proc *gpu_find_proc(struct sample *s, int pid);

#endif

/* drm_fdinfo.h - one sweep over the processes' DRM file descriptors: what each process uses of
 * each GPU, for every kernel driver that writes the drm-usage-stats keys (amdgpu, i915, xe,
 * msm, panfrost, panthor, v3d, asahi ...).
 *
 * Only file descriptors that are DRM devices (under /dev/dri and /dev/accel) have their fdinfo
 * read. Which descriptors those are is cached: a process that held one is looked at again on every
 * sweep, the others every DRM_RESCAN_S seconds (a new GPU client in such a process shows up
 * that much later). A client shared by several processes (a descriptor inherited across fork)
 * counts once per device and drm-client-id, for the lowest pid that holds it. */
#ifndef AGTOP_DRM_FDINFO_H
#define AGTOP_DRM_FDINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "../../../sample.h"
#include "../fsroot.h"
#include "gpu_parse.h"

#define DRM_RESCAN_S  5.0
#define DRM_PROC_FDS  16 /* DRM descriptors followed per process */
#define DRM_MAX_TRACK 64 /* devices a sweep tells apart */

/* One device's clients over the interval. */
struct drm_dev_use {
	double util;        /* the clients' busy shares summed (at most 1), NAN when none known */
	double mem_bytes;   /* the clients' memory summed, NAN when none */
	double local_bytes; /* the part in the device's own memory, NAN when none */
	unsigned clients;
};

/* How the sweep tells devices apart: a device is matched by drm-pdev, or else by its driver
 * when it is the only device of that driver. */
struct drm_target {
	const char *pdev;   /* "" none */
	const char *driver; /* "" none */
};

struct drm_client; /* a client's last reading (drm_fdinfo.c) */
struct drm_proc;   /* a process's DRM descriptors (drm_fdinfo.c) */

struct drm_sweep {
	struct drm_client *client;
	size_t nclient, client_cap;
	struct drm_proc *proc;
	size_t nproc;
	unsigned sweeps;
	unsigned unreadable; /* processes whose descriptors this sweep could not read */
	unsigned clients;    /* clients counted this sweep */
};

/* Reads the DRM clients of every process in s (in pid order) and sets each process's gpu_util
 * and gpu_mem_bytes: 0 when it holds no DRM client, NAN when its descriptors cannot be read
 * (another user's process) and, for gpu_util, on the first sweep or when a client was seen for the
 * first time. Clients of drivers whose name starts with skip_prefix (NULL: none) are left to their
 * vendor (NVIDIA's NVML). use[i] gets device i's rollup. */
void drm_sweep_run(struct drm_sweep *w, const struct fsroot *proc, double now, struct sample *s,
                   const struct drm_target *targets, unsigned ntargets, const char *skip_prefix,
                   struct drm_dev_use *use);
void drm_sweep_free(struct drm_sweep *w);

#endif

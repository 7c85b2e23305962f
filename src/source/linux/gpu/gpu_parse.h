/* gpu_parse.h - pure parsing and arithmetic for the Linux GPU vendors (no I/O): DRM fdinfo,
 * amdgpu's DPM tables, uevent files, NVIDIA clock event reasons. Tests drive these with text
 * built from the kernel's documents and with captures. */
#ifndef AGTOP_GPU_PARSE_H
#define AGTOP_GPU_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- DRM fdinfo (Documentation/gpu/drm-usage-stats.rst) ---- */

#define DRM_MAX_ENGINES 16

struct drm_engine {
	char name[24];         /* the <keystr> of drm-engine-<keystr> / drm-cycles-<keystr> */
	uint64_t ns;           /* drm-engine-: busy nanoseconds */
	uint64_t cycles;       /* drm-cycles-: busy cycles (xe, panfrost) */
	uint64_t total_cycles; /* drm-total-cycles-: the GPU timestamp of that reading (xe) */
	unsigned capacity;     /* drm-engine-capacity- (identical engines grouped), 1 when absent */
	bool has_ns, has_cycles, has_total;
};

struct drm_fdinfo {
	char driver[24];    /* drm-driver (mandatory: without it the fd is not a DRM client) */
	char pdev[32];      /* drm-pdev, "" when absent */
	bool has_client_id; /* drm-client-id */
	uint64_t client_id;
	unsigned nengines;
	struct drm_engine engine[DRM_MAX_ENGINES];
	/* memory the client holds, summed over its regions: drm-resident-<region> (or its
	 * older alias drm-memory-<region>), else drm-total-<region> when the driver gives only
	 * totals; stolen memory and amdgpu's "cpu" domain are left out. NAN: no memory keys. */
	double mem_bytes;
	/* the part of it in the device's own memory (regions vram* and local*), NAN when the
	 * client names no such region (a GPU without memory of its own) */
	double local_bytes;
};

/* Parses one /proc/PID/fdinfo/FD text. 0, or -1 when it is not a DRM client (no drm-driver
 * line). Values may end with a unit ("ns", "KiB", "MiB"); a bare number is bytes. */
int drm_fdinfo_parse(const char *text, struct drm_fdinfo *out);

/* Busy share of one client between two readings taken dt seconds apart, 0-1: each engine's
 * busy nanoseconds over the wall time and its capacity, or its busy cycles over the GPU's
 * total cycles (xe), summed over the engines and capped at 1 (one GPU). A counter that went
 * back is held at its previous value, as the document asks. NAN when nothing can be
 * compared (dt not positive, or no engine known in both readings). */
double drm_client_util(const struct drm_fdinfo *prev, const struct drm_fdinfo *cur, double dt);

/* ---- sysfs text ---- */

/* The value of KEY=value in a uevent file (DRIVER, PCI_SLOT_NAME, OF_COMPATIBLE_0 ...). 0, or
 * -1 when absent. */
int uevent_value(const char *text, const char *key, char *out, size_t size);

/* amdgpu pp_dpm_sclk / pp_dpm_mclk: "0: 500Mhz\n1: 800Mhz *\n": the level marked '*' and the
 * highest level, in hertz (NAN when not found). 0, or -1 when no level parses. */
int amdgpu_parse_dpm(const char *text, double *cur_hz, double *max_hz);

/* ---- NVIDIA ---- */

/* nvmlDeviceGetCurrentClocksEventReasons bits as a set of (1u << enum throttle_cause). Idle
 * (0x1) is not a throttle. */
int nvml_throttle_causes(uint64_t reasons);

#endif

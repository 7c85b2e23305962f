/* nvml.c - NVIDIA GPUs through NVML, opened with dlopen so agtop builds and runs without the
 * driver. Every call that fails leaves its fields NAN and says why in the GPU's note. */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../util/str.h"
#include "gpu.h"
#include "gpu_parse.h"
#include "nvml_api.h"

typedef nvmlReturn_t (*procs_fn)(nvmlDevice_t, unsigned *, void *);

struct nvml_fns {
	nvmlReturn_t (*init)(void);
	nvmlReturn_t (*shutdown)(void);
	const char *(*error_string)(nvmlReturn_t);
	nvmlReturn_t (*count)(unsigned *);
	nvmlReturn_t (*handle)(unsigned, nvmlDevice_t *);
	nvmlReturn_t (*name)(nvmlDevice_t, char *, unsigned);
	nvmlReturn_t (*uuid)(nvmlDevice_t, char *, unsigned);
	nvmlReturn_t (*util)(nvmlDevice_t, nvmlUtilization_t *);
	nvmlReturn_t (*clock)(nvmlDevice_t, int, unsigned *);
	nvmlReturn_t (*max_clock)(nvmlDevice_t, int, unsigned *);
	nvmlReturn_t (*power)(nvmlDevice_t, unsigned *);
	nvmlReturn_t (*power_limit)(nvmlDevice_t, unsigned *);
	nvmlReturn_t (*energy)(nvmlDevice_t, unsigned long long *);
	nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t *);
	nvmlReturn_t (*memory_v2)(nvmlDevice_t, nvmlMemory_v2_t *);
	nvmlReturn_t (*temperature)(nvmlDevice_t, int, unsigned *);
	nvmlReturn_t (*fan)(nvmlDevice_t, unsigned *);
	nvmlReturn_t (*pcie)(nvmlDevice_t, int, unsigned *);
	nvmlReturn_t (*throttle)(nvmlDevice_t, unsigned long long *);
	nvmlReturn_t (*ecc)(nvmlDevice_t, int, int, unsigned long long *);
	nvmlReturn_t (*event_set_create)(nvmlEventSet_t *);
	nvmlReturn_t (*register_events)(nvmlDevice_t, unsigned long long, nvmlEventSet_t);
	nvmlReturn_t (*event_wait)(nvmlEventSet_t, nvmlEventData_t *, unsigned);
	nvmlReturn_t (*event_set_free)(nvmlEventSet_t);
	procs_fn compute, graphics;
	size_t compute_stride, graphics_stride; /* bytes per entry of the version found */
	nvmlReturn_t (*proc_util)(nvmlDevice_t, nvmlProcessUtilizationSample_t *, unsigned *,
	                          unsigned long long);
};

struct nv_dev {
	nvmlDevice_t h; /* NULL: NVML would not open it (open_rc says why) */
	nvmlReturn_t open_rc;
	unsigned gpu; /* its place in the sample */
	char name[64];
	double energy_mj;    /* the last energy reading, NAN none */
	double energy_t;     /* when (seconds of this source's clock) */
	nvmlReturn_t xid_rc; /* registering for XID events */
	double xid_count, xid_last;
	unsigned long long util_ts; /* the newest process sample seen */
};

struct nvml {
	void *lib;
	struct nvml_fns f;
	nvmlEventSet_t events;
	unsigned n;
	struct nv_dev dev[SAMPLE_MAX_GPUS];
	double clock; /* seconds since probe, advanced by each read's dt */
};

#define CALL(fn, ...) ((fn) ? (fn)(__VA_ARGS__) : NVML_ERROR_FUNCTION_NOT_FOUND)

/* The first of names the library has; dlsym's object pointer is stored into the function
 * pointer at slot the way POSIX allows. */
static void sym(void *lib, void *slot, const char *const *names)
{
	for (; *names; names++) {
		void *p = dlsym(lib, *names);
		if (p) {
			memcpy(slot, &p, sizeof p);
			return;
		}
	}
}

#define SYM(field, ...) sym(lib, &f->field, (const char *const[]){ __VA_ARGS__, NULL })

static void load(void *lib, struct nvml_fns *f)
{
	/* the versioned names first: nvml.h maps the plain names onto them */
	SYM(init, "nvmlInit_v2", "nvmlInit");
	SYM(shutdown, "nvmlShutdown");
	SYM(error_string, "nvmlErrorString");
	SYM(count, "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
	SYM(handle, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
	SYM(name, "nvmlDeviceGetName");
	SYM(uuid, "nvmlDeviceGetUUID");
	SYM(util, "nvmlDeviceGetUtilizationRates");
	SYM(clock, "nvmlDeviceGetClockInfo");
	SYM(max_clock, "nvmlDeviceGetMaxClockInfo");
	SYM(power, "nvmlDeviceGetPowerUsage");
	SYM(power_limit, "nvmlDeviceGetEnforcedPowerLimit");
	SYM(energy, "nvmlDeviceGetTotalEnergyConsumption");
	SYM(memory, "nvmlDeviceGetMemoryInfo");
	SYM(memory_v2, "nvmlDeviceGetMemoryInfo_v2");
	SYM(temperature, "nvmlDeviceGetTemperature");
	SYM(fan, "nvmlDeviceGetFanSpeed");
	SYM(pcie, "nvmlDeviceGetPcieThroughput");
	SYM(throttle, "nvmlDeviceGetCurrentClocksEventReasons",
	    "nvmlDeviceGetCurrentClocksThrottleReasons");
	SYM(ecc, "nvmlDeviceGetTotalEccErrors");
	SYM(event_set_create, "nvmlEventSetCreate");
	SYM(register_events, "nvmlDeviceRegisterEvents");
	SYM(event_wait, "nvmlEventSetWait_v2", "nvmlEventSetWait");
	SYM(event_set_free, "nvmlEventSetFree");
	SYM(proc_util, "nvmlDeviceGetProcessUtilization");
	/* _v3 and _v2 fill the 24-byte nvmlProcessInfo_t, the first version 16 bytes */
	f->compute_stride = f->graphics_stride = 24;
	SYM(compute, "nvmlDeviceGetComputeRunningProcesses_v3",
	    "nvmlDeviceGetComputeRunningProcesses_v2");
	if (!f->compute) {
		SYM(compute, "nvmlDeviceGetComputeRunningProcesses");
		f->compute_stride = 16;
	}
	SYM(graphics, "nvmlDeviceGetGraphicsRunningProcesses_v3",
	    "nvmlDeviceGetGraphicsRunningProcesses_v2");
	if (!f->graphics) {
		SYM(graphics, "nvmlDeviceGetGraphicsRunningProcesses");
		f->graphics_stride = 16;
	}
}

/* What an error code means to the person reading the dashboard. */
static const char *reason(const struct nvml *n, nvmlReturn_t rc)
{
	switch (rc) {
	case NVML_ERROR_NOT_SUPPORTED:
		return "not supported by this GPU";
	case NVML_ERROR_NO_PERMISSION:
		return "permission denied: needs root";
	case NVML_ERROR_GPU_IS_LOST:
		return "the GPU fell off the bus";
	case NVML_ERROR_FUNCTION_NOT_FOUND:
		return "not in this driver's NVML";
	default:
		if (n->f.error_string) {
			const char *s = n->f.error_string(rc);
			if (s && *s)
				return s;
		}
		return "NVML error";
	}
}

/* ---- what could not be read, grouped by reason, for the GPU's note ---- */

struct why {
	unsigned n;
	struct {
		nvmlReturn_t rc;
		char fields[96];
	} g[8];
};

/* true when rc is success; else the field joins its reason's group */
static bool ok(struct why *w, const char *field, nvmlReturn_t rc)
{
	unsigned i;

	if (rc == NVML_SUCCESS)
		return true;
	for (i = 0; i < w->n && w->g[i].rc != rc; i++)
		;
	if (i == w->n) {
		if (w->n == sizeof w->g / sizeof w->g[0])
			return false;
		w->g[w->n].rc = rc;
		w->g[w->n++].fields[0] = '\0';
	}
	if (w->g[i].fields[0])
		strncat(w->g[i].fields, ", ", sizeof w->g[i].fields - strlen(w->g[i].fields) - 1);
	strncat(w->g[i].fields, field, sizeof w->g[i].fields - strlen(w->g[i].fields) - 1);
	return false;
}

static void why_note(const struct nvml *n, const struct why *w, const char *name, struct sample *s,
                     unsigned gpu)
{
	char text[256] = "";
	size_t used = 0;

	for (unsigned i = 0; i < w->n && used < sizeof text; i++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s N/A (%s)",
		                         i ? "; " : "", w->g[i].fields, reason(n, w->g[i].rc));
	if (w->n)
		gpu_note(s, gpu, "%s: %s", name, text);
}

/* ---- probe ---- */

static void nvml_close(void *priv)
{
	struct nvml *n = priv;

	if (!n)
		return;
	if (n->events)
		CALL(n->f.event_set_free, n->events);
	if (n->f.shutdown)
		n->f.shutdown();
	if (n->lib)
		dlclose(n->lib);
	free(n);
}

static void probe_device(struct gpu_ctx *c, struct nvml *n, unsigned i)
{
	struct nv_dev *d = &n->dev[n->n];
	struct gpu_dev *g = gpu_add(c, &nvml_vendor, (int)i);
	char name[NVML_DEVICE_NAME_BUFFER_SIZE], uuid[NVML_DEVICE_UUID_BUFFER_SIZE];
	unsigned mhz;

	if (!g)
		return;
	memset(d, 0, sizeof *d);
	d->gpu = (unsigned)(g - c->dev);
	d->energy_mj = NAN;
	d->xid_count = d->xid_last = NAN;
	d->open_rc = CALL(n->f.handle, i, &d->h);
	if (d->open_rc != NVML_SUCCESS)
		d->h = NULL;
	str_copy(g->meta.vendor, sizeof g->meta.vendor, "nvidia");
	str_copy(g->meta.driver, sizeof g->meta.driver, "nvml");
	if (d->h && CALL(n->f.name, d->h, name, sizeof name) == NVML_SUCCESS)
		str_copy(g->meta.name, sizeof g->meta.name, name);
	else
		snprintf(g->meta.name, sizeof g->meta.name, "NVIDIA GPU %u", i);
	str_copy(d->name, sizeof d->name, g->meta.name);
	if (d->h && CALL(n->f.uuid, d->h, uuid, sizeof uuid) == NVML_SUCCESS)
		str_copy(g->meta.id, sizeof g->meta.id, uuid);
	/* the maxima do not change while the driver runs */
	if (d->h && CALL(n->f.max_clock, d->h, NVML_CLOCK_SM, &mhz) == NVML_SUCCESS)
		g->meta.freq_max_hz = mhz * 1e6;
	if (d->h && CALL(n->f.max_clock, d->h, NVML_CLOCK_MEM, &mhz) == NVML_SUCCESS)
		g->meta.mem_freq_max_hz = mhz * 1e6;
	d->xid_rc = NVML_ERROR_FUNCTION_NOT_FOUND;
	if (d->h && n->events)
		d->xid_rc = CALL(n->f.register_events, d->h, NVML_EVENT_TYPE_XID, n->events);
	if (d->xid_rc == NVML_SUCCESS)
		d->xid_count = d->xid_last = 0;
	n->n++;
}

static int nvml_probe(struct gpu_ctx *c, void **priv, char *why, size_t why_size)
{
	struct nvml *n = calloc(1, sizeof *n);
	unsigned count = 0;
	nvmlReturn_t rc;

	*priv = NULL;
	if (!n)
		return 0;
	n->lib = dlopen(c->nvml_library, RTLD_NOW | RTLD_LOCAL);
	if (!n->lib) {
		/* the normal case on a machine without NVIDIA's driver */
		snprintf(why, why_size, "no NVIDIA driver (%s not found)", c->nvml_library);
		free(n);
		return 0;
	}
	load(n->lib, &n->f);
	if (!n->f.init || !n->f.count || !n->f.handle) {
		snprintf(why, why_size, "%s is not NVML", c->nvml_library);
		nvml_close(n);
		return 0;
	}
	rc = n->f.init();
	if (rc != NVML_SUCCESS) {
		snprintf(why, why_size, "NVIDIA: %s", reason(n, rc));
		n->f.shutdown = NULL; /* nothing to shut down */
		nvml_close(n);
		return 0;
	}
	rc = n->f.count(&count);
	if (rc != NVML_SUCCESS || count == 0) {
		snprintf(why, why_size, "NVIDIA: %s", rc ? reason(n, rc) : "NVML sees no GPU");
		nvml_close(n);
		return 0;
	}
	if (CALL(n->f.event_set_create, &n->events) != NVML_SUCCESS)
		n->events = NULL;
	for (unsigned i = 0; i < count && n->n < SAMPLE_MAX_GPUS; i++)
		probe_device(c, n, i);
	*priv = n;
	return (int)n->n;
}

/* ---- read ---- */

/* XID errors arrive as events: take what is queued without waiting. */
static void poll_xid(struct nvml *n)
{
	nvmlEventData_t e;

	if (!n->events || !n->f.event_wait)
		return;
	for (int k = 0; k < 64; k++) {
		memset(&e, 0, sizeof e);
		if (n->f.event_wait(n->events, &e, 0) != NVML_SUCCESS)
			return; /* NVML_ERROR_TIMEOUT: none left */
		if (!(e.eventType & NVML_EVENT_TYPE_XID))
			continue;
		for (unsigned i = 0; i < n->n; i++)
			if (n->dev[i].h == e.device && n->dev[i].xid_rc == NVML_SUCCESS) {
				n->dev[i].xid_count++;
				n->dev[i].xid_last = (double)e.eventData;
			}
	}
}

static void read_power(struct nvml *n, struct nv_dev *d, struct sample_gpu *g, struct why *w)
{
	unsigned long long mj;
	unsigned mw;
	nvmlReturn_t rc = CALL(n->f.energy, d->h, &mj);

	/* energy over the interval is the interval's average; the power reading is the driver's
	 * own (instantaneous, or a one-second average on newer GPUs) */
	if (ok(w, "energy", rc)) {
		g->energy_j = (double)mj / 1000.0;
		if (!isnan(d->energy_mj) && n->clock > d->energy_t && mj >= d->energy_mj)
			g->power_w =
			    ((double)mj - d->energy_mj) / 1000.0 / (n->clock - d->energy_t);
		d->energy_mj = (double)mj;
		d->energy_t = n->clock;
	}
	if (isnan(g->power_w) && ok(w, "power", CALL(n->f.power, d->h, &mw)))
		g->power_w = mw / 1000.0;
	if (ok(w, "power limit", CALL(n->f.power_limit, d->h, &mw)))
		g->power_limit_w = mw / 1000.0;
}

static void read_health(struct nvml *n, struct nv_dev *d, struct sample_gpu *g, struct why *w)
{
	unsigned long long v, reasons;
	unsigned kbs;

	if (ok(w, "PCIe", CALL(n->f.pcie, d->h, NVML_PCIE_UTIL_RX_BYTES, &kbs)))
		g->pcie_rx_bps = kbs * 1024.0;
	if (CALL(n->f.pcie, d->h, NVML_PCIE_UTIL_TX_BYTES, &kbs) == NVML_SUCCESS)
		g->pcie_tx_bps = kbs * 1024.0;
	if (ok(w, "throttle reasons", CALL(n->f.throttle, d->h, &reasons)))
		g->throttle = nvml_throttle_causes(reasons);
	if (ok(w, "ECC",
	       CALL(n->f.ecc, d->h, NVML_MEMORY_ERROR_TYPE_CORRECTED, NVML_VOLATILE_ECC, &v)))
		g->ecc_corrected = (double)v;
	if (CALL(n->f.ecc, d->h, NVML_MEMORY_ERROR_TYPE_UNCORRECTED, NVML_VOLATILE_ECC, &v) ==
	    NVML_SUCCESS)
		g->ecc_uncorrected = (double)v;
	if (ok(w, "XID", d->xid_rc)) {
		g->xid_errors = d->xid_count;
		g->xid_last = d->xid_last;
	}
}

/* Memory in use as nvidia-smi counts it (v2, without the driver's reserve), else v1. */
static void read_memory(struct nvml *n, struct nv_dev *d, struct sample_gpu *g, struct why *w)
{
	nvmlMemory_v2_t m2 = { .version = NVML_MEMORY_V2_VERSION };
	nvmlMemory_t m;

	if (CALL(n->f.memory_v2, d->h, &m2) == NVML_SUCCESS) {
		g->mem_used_bytes = (double)m2.used;
		g->mem_total_bytes = (double)m2.total;
	} else if (ok(w, "memory", CALL(n->f.memory, d->h, &m))) {
		g->mem_used_bytes = (double)m.used;
		g->mem_total_bytes = (double)m.total;
	}
}

static void read_device(struct nvml *n, struct nv_dev *d, struct sample *s)
{
	struct sample_gpu *g = &s->gpus[d->gpu];
	struct why w = { 0 };
	nvmlUtilization_t u;
	unsigned v;
	nvmlReturn_t rc;

	if (!d->h) {
		gpu_note(s, d->gpu, "%s: cannot be opened: %s", d->name, reason(n, d->open_rc));
		return;
	}
	rc = CALL(n->f.util, d->h, &u);
	if (rc == NVML_ERROR_GPU_IS_LOST) {
		gpu_note(s, d->gpu, "%s: every value N/A: %s", d->name, reason(n, rc));
		return;
	}
	if (ok(&w, "utilisation", rc)) {
		g->util = u.gpu / 100.0;
		g->mem_util = u.memory / 100.0;
	}
	if (ok(&w, "clock", CALL(n->f.clock, d->h, NVML_CLOCK_SM, &v)))
		g->freq_hz = v * 1e6;
	if (CALL(n->f.clock, d->h, NVML_CLOCK_MEM, &v) == NVML_SUCCESS)
		g->mem_freq_hz = v * 1e6;
	read_power(n, d, g, &w);
	read_memory(n, d, g, &w);
	if (ok(&w, "temperature", CALL(n->f.temperature, d->h, NVML_TEMPERATURE_GPU, &v)))
		g->temp_c = v;
	if (ok(&w, "fan", CALL(n->f.fan, d->h, &v)))
		g->fan_ratio = v / 100.0;
	read_health(n, d, g, &w);
	why_note(n, &w, d->name, s, d->gpu);
}

static void nvml_read(struct gpu_ctx *c, void *priv, double dt, struct sample *s)
{
	struct nvml *n = priv;

	(void)c;
	if (dt > 0)
		n->clock += dt;
	poll_xid(n);
	for (unsigned i = 0; i < n->n; i++)
		read_device(n, &n->dev[i], s);
}

/* ---- processes ---- */

/* The running processes of one kind: entries of `stride` bytes in a malloc'd buffer. The list
 * is dynamic: ask for its size, then fetch with room to spare, once more if it grew. */
static nvmlReturn_t list_procs(procs_fn fn, size_t stride, nvmlDevice_t h, unsigned char **buf,
                               unsigned *count)
{
	nvmlReturn_t rc;
	unsigned want = 0;

	*buf = NULL;
	*count = 0;
	if (!fn)
		return NVML_ERROR_FUNCTION_NOT_FOUND;
	rc = fn(h, &want, NULL);
	if (rc == NVML_SUCCESS)
		return rc; /* none running */
	for (int tries = 0; rc == NVML_ERROR_INSUFFICIENT_SIZE && tries < 2; tries++) {
		unsigned char *b;
		want += 8;
		b = realloc(*buf, want * stride);
		if (!b)
			return NVML_ERROR_UNKNOWN;
		*buf = b;
		*count = want;
		rc = fn(h, count, b);
	}
	if (rc != NVML_SUCCESS)
		*count = 0;
	return rc;
}

struct proc_mem {
	unsigned pid;
	unsigned long long mem;
};

/* Appends the entries of one list; a process in both lists (compute and graphics) once. */
static size_t merge_procs(struct proc_mem *out, size_t n, size_t cap, const unsigned char *buf,
                          size_t stride, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		struct proc_mem e;
		size_t k;

		memcpy(&e.pid, buf + i * stride, sizeof e.pid);
		memcpy(&e.mem, buf + i * stride + 8, sizeof e.mem);
		for (k = 0; k < n && out[k].pid != e.pid; k++)
			;
		if (k < n) {
			if (out[k].mem == NVML_VALUE_NOT_AVAILABLE ||
			    (e.mem != NVML_VALUE_NOT_AVAILABLE && e.mem > out[k].mem))
				out[k].mem = e.mem;
		} else if (n < cap) {
			out[n++] = e;
		}
	}
	return n;
}

static void add_mem(struct sample *s, const struct proc_mem *pm, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sample_proc *sp = gpu_find_proc(s, (int)pm[i].pid);

		if (!sp || isnan(sp->gpu_mem_bytes))
			continue;
		if (pm[i].mem == NVML_VALUE_NOT_AVAILABLE)
			sp->gpu_mem_bytes = NAN; /* withheld (no permission, or a container) */
		else
			sp->gpu_mem_bytes += (double)pm[i].mem;
	}
}

/* Per-process SM utilisation: each pid's newest sample since the last look. Samples come only
 * for processes that were busy (the others stay 0); values over 100 are NVML's own
 * inconsistencies and are dropped (nvtop's bug #110). */
static bool newest_of_pid(const nvmlProcessUtilizationSample_t *smp, unsigned count, unsigned i,
                          unsigned long long since)
{
	if (smp[i].smUtil > 100 || smp[i].timeStamp <= since)
		return false;
	for (unsigned k = 0; k < count; k++)
		if (k != i && smp[k].pid == smp[i].pid && smp[k].smUtil <= 100 &&
		    (smp[k].timeStamp > smp[i].timeStamp ||
		     (smp[k].timeStamp == smp[i].timeStamp && k > i)))
			return false;
	return true;
}

static void add_util(struct nvml *n, struct nv_dev *d, struct sample *s)
{
	nvmlProcessUtilizationSample_t *smp;
	unsigned count = 0;
	unsigned long long newest = d->util_ts;
	nvmlReturn_t rc = CALL(n->f.proc_util, d->h, NULL, &count, d->util_ts);

	if (rc != NVML_ERROR_INSUFFICIENT_SIZE || count == 0)
		return; /* NVML_ERROR_NOT_FOUND: no process was busy */
	count += 8;
	smp = calloc(count, sizeof *smp);
	if (!smp)
		return;
	if (n->f.proc_util(d->h, smp, &count, d->util_ts) == NVML_SUCCESS) {
		for (unsigned i = 0; i < count; i++) {
			struct sample_proc *sp;
			if (!newest_of_pid(smp, count, i, d->util_ts))
				continue;
			if (smp[i].timeStamp > newest)
				newest = smp[i].timeStamp;
			sp = gpu_find_proc(s, (int)smp[i].pid);
			if (sp && !isnan(sp->gpu_util))
				sp->gpu_util += smp[i].smUtil / 100.0;
		}
	}
	d->util_ts = newest;
	free(smp);
}

static void nvml_procs(struct gpu_ctx *c, void *priv, double dt, struct sample *s)
{
	struct nvml *n = priv;

	(void)c;
	(void)dt;
	for (unsigned i = 0; i < n->n; i++) {
		struct nv_dev *d = &n->dev[i];
		struct proc_mem pm[256];
		size_t npm = 0;
		unsigned char *buf;
		unsigned count;

		if (!d->h)
			continue;
		if (list_procs(n->f.compute, n->f.compute_stride, d->h, &buf, &count) ==
		    NVML_SUCCESS)
			npm = merge_procs(pm, npm, 256, buf, n->f.compute_stride, count);
		free(buf);
		if (list_procs(n->f.graphics, n->f.graphics_stride, d->h, &buf, &count) ==
		    NVML_SUCCESS)
			npm = merge_procs(pm, npm, 256, buf, n->f.graphics_stride, count);
		free(buf);
		add_mem(s, pm, npm);
		add_util(n, d, s);
	}
}

const struct gpu_vendor nvml_vendor = {
	.name = "nvml",
	.probe = nvml_probe,
	.read = nvml_read,
	.procs = nvml_procs,
	.close = nvml_close,
};

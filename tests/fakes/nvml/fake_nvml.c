/* fake_nvml.c - a stand-in for libnvidia-ml.so.1 that answers from nvidia-smi captures
 * (`nvidia-smi -q -x`, tests/data/nvidia), loaded by agtop through AGTOP_NVML_LIBRARY.
 *
 * AGTOP_FAKE_NVML lists the devices, comma-separated:
 *   PATH        a capture: the device answers what nvidia-smi printed there
 *   noperm      a device NVML counts but will not open for this user
 *   lost:PATH   a device that has fallen off the bus: every query fails
 * Unset or empty, nvmlInit fails as on a machine whose driver is not loaded.
 *
 * Rules, from nvml.h (API 10-13) and how nvidia-smi prints NVML's answers:
 *   - "N/A" in a capture is NVML_ERROR_NOT_SUPPORTED, and so is an element the capture lacks
 *     (nvidia-smi prints N/A where the call returns NOT_SUPPORTED; telegraf's tests rely on it);
 *   - nvmlDeviceGetCount_v2 counts devices the caller may not open, and
 *     nvmlDeviceGetHandleByIndex_v2 then returns NVML_ERROR_NO_PERMISSION;
 *   - a device that fell off the bus answers NVML_ERROR_GPU_IS_LOST to everything;
 *   - nvmlMemory_t (v1) counts the reserved memory as used; nvmlMemory_v2_t does not and
 *     needs its version field set, else NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
 *   - the running-process lists answer NVML_ERROR_INSUFFICIENT_SIZE with the count when the
 *     caller's array is too small, NVML_SUCCESS when none run;
 *   - nvmlDeviceGetProcessUtilization has samples only for processes that were busy, and
 *     NVML_ERROR_NOT_FOUND when there are none (the captures' GPUs were idle);
 *   - ECC counters need ECC enabled (ecc_mode/current_ecc), else NOT_SUPPORTED;
 *   - nvmlEventSetWait with nothing queued returns NVML_ERROR_TIMEOUT;
 *   - the energy counter (Volta and later) is not in these captures: NOT_SUPPORTED unless a
 *     test advances it with fake_nvml_set_energy.
 * This driver generation exports the clock reasons under their older name,
 * nvmlDeviceGetCurrentClocksThrottleReasons, and has no nvmlDeviceGetTotalEnergyConsumption
 * before a test sets one. */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/linux/gpu/nvml_api.h"

#define NVML_ERROR_ARGUMENT_VERSION_MISMATCH 25
#define EXPORT                               __attribute__((visibility("default")))
#define MAX_DEV                              8
#define MAX_KEYS                             512
#define MAX_PROCS                            16
#define MAX_SAMPLES                          16

struct kv {
	char key[96];
	char val[96];
};

struct fproc {
	unsigned pid;
	char type[8];
	char mem[32];
};

struct fdev {
	int kind; /* 0 capture, 1 noperm, 2 lost */
	struct kv kv[MAX_KEYS];
	unsigned nkv;
	struct fproc proc[MAX_PROCS];
	unsigned nproc;
	int energy_set;
	unsigned long long energy_mj;
	nvmlProcessUtilizationSample_t sample[MAX_SAMPLES];
	unsigned nsample;
};

static struct fdev devs[MAX_DEV];
static unsigned ndev;
static int initialised;
static struct {
	nvmlDevice_t dev;
	unsigned long long xid;
} queue[16];
static unsigned nqueue;

/* ---- reading a capture ---- */

struct parse {
	struct fdev *d;
	char path[256];
	char text[256];
	size_t tlen;
	int in_gpu, gpus;
	struct fproc cur;
};

static void on_start(void *ud, const char *name, const char **attrs)
{
	struct parse *p = ud;
	size_t n = strlen(p->path);

	(void)attrs;
	p->tlen = 0;
	if (!p->in_gpu) {
		if (!strcmp(name, "gpu") && p->gpus++ == 0)
			p->in_gpu = 1; /* the first GPU of the capture */
		return;
	}
	snprintf(p->path + n, sizeof p->path - n, "%s%s", n ? "/" : "", name);
	if (!strcmp(p->path, "processes/process_info"))
		memset(&p->cur, 0, sizeof p->cur);
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')
		i++;
	memmove(s, s + i, strlen(s + i) + 1);
}

static void on_end(void *ud, const char *name)
{
	struct parse *p = ud;
	char *slash;

	if (!p->in_gpu)
		return;
	if (!p->path[0]) { /* </gpu> */
		p->in_gpu = 0;
		return;
	}
	p->text[p->tlen] = '\0';
	trim(p->text);
	if (!strncmp(p->path, "processes/process_info/", 23)) {
		const char *leaf = p->path + 23;
		if (!strcmp(leaf, "pid"))
			p->cur.pid = (unsigned)strtoul(p->text, NULL, 10);
		else if (!strcmp(leaf, "type"))
			snprintf(p->cur.type, sizeof p->cur.type, "%s", p->text);
		else if (!strcmp(leaf, "used_memory"))
			snprintf(p->cur.mem, sizeof p->cur.mem, "%s", p->text);
	} else if (!strcmp(p->path, "processes/process_info")) {
		if (p->d->nproc < MAX_PROCS)
			p->d->proc[p->d->nproc++] = p->cur;
	} else if (p->text[0] && p->d->nkv < MAX_KEYS) {
		struct kv *kv = &p->d->kv[p->d->nkv++];
		snprintf(kv->key, sizeof kv->key, "%s", p->path);
		snprintf(kv->val, sizeof kv->val, "%s", p->text);
	}
	(void)name;
	slash = strrchr(p->path, '/');
	if (slash)
		*slash = '\0';
	else
		p->path[0] = '\0';
	p->tlen = 0;
}

static void on_text(void *ud, const char *s, int len)
{
	struct parse *p = ud;

	if (p->in_gpu && p->tlen + (size_t)len < sizeof p->text - 1) {
		memcpy(p->text + p->tlen, s, (size_t)len);
		p->tlen += (size_t)len;
	}
}

static int load_capture(struct fdev *d, const char *path)
{
	FILE *f = fopen(path, "r");
	XML_Parser x;
	struct parse p;
	char buf[8192];
	size_t n;
	int rc = 0;

	if (!f)
		return -1;
	memset(&p, 0, sizeof p);
	p.d = d;
	x = XML_ParserCreate(NULL);
	XML_SetUserData(x, &p);
	XML_SetElementHandler(x, on_start, on_end);
	XML_SetCharacterDataHandler(x, on_text);
	do {
		n = fread(buf, 1, sizeof buf, f);
		if (XML_Parse(x, buf, (int)n, n == 0) == XML_STATUS_ERROR)
			rc = -1;
	} while (n > 0 && rc == 0);
	XML_ParserFree(x);
	fclose(f);
	return rc;
}

static const char *get(const struct fdev *d, const char *key)
{
	for (unsigned i = 0; i < d->nkv; i++)
		if (!strcmp(d->kv[i].key, key))
			return d->kv[i].val;
	return NULL;
}

/* A capture's number ("26.78 W", "15360 MiB", "40 C"): its value, or NOT_SUPPORTED. */
static nvmlReturn_t number(const struct fdev *d, const char *key, double *out)
{
	const char *v = get(d, key);
	char *end;

	if (!v || !strcmp(v, "N/A"))
		return NVML_ERROR_NOT_SUPPORTED;
	*out = strtod(v, &end);
	return end == v ? NVML_ERROR_NOT_SUPPORTED : NVML_SUCCESS;
}

/* ---- the library ---- */

static struct fdev *dev_of(nvmlDevice_t h)
{
	size_t i = (size_t)((struct fdev *)(void *)h - devs);

	return h && i < ndev ? &devs[i] : NULL;
}

/* every query starts here: the device, or why it cannot answer */
static nvmlReturn_t check(nvmlDevice_t h, struct fdev **d)
{
	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	*d = dev_of(h);
	if (!*d)
		return NVML_ERROR_INVALID_ARGUMENT;
	return (*d)->kind == 2 ? NVML_ERROR_GPU_IS_LOST : NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlInit_v2(void)
{
	const char *spec = getenv("AGTOP_FAKE_NVML");
	char list[4096], *save = NULL;

	if (!spec || !*spec)
		return NVML_ERROR_DRIVER_NOT_LOADED;
	ndev = 0;
	nqueue = 0;
	snprintf(list, sizeof list, "%s", spec);
	for (char *t = strtok_r(list, ",", &save); t && ndev < MAX_DEV;
	     t = strtok_r(NULL, ",", &save)) {
		struct fdev *d = &devs[ndev];
		memset(d, 0, sizeof *d);
		if (!strcmp(t, "noperm")) {
			d->kind = 1;
		} else {
			if (!strncmp(t, "lost:", 5)) {
				d->kind = 2;
				t += 5;
			}
			if (load_capture(d, t) != 0)
				return NVML_ERROR_UNKNOWN;
		}
		ndev++;
	}
	initialised = 1;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlShutdown(void)
{
	initialised = 0;
	return NVML_SUCCESS;
}

EXPORT const char *nvmlErrorString(nvmlReturn_t rc)
{
	switch (rc) {
	case NVML_SUCCESS:
		return "Success";
	case NVML_ERROR_UNINITIALIZED:
		return "Uninitialized";
	case NVML_ERROR_DRIVER_NOT_LOADED:
		return "Driver Not Loaded";
	case NVML_ERROR_TIMEOUT:
		return "Timeout";
	default:
		return "Unknown Error";
	}
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned *count)
{
	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	*count = ndev;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned i, nvmlDevice_t *h)
{
	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	if (i >= ndev)
		return NVML_ERROR_INVALID_ARGUMENT;
	if (devs[i].kind == 1)
		return NVML_ERROR_NO_PERMISSION;
	*h = (nvmlDevice_t)(void *)&devs[i];
	return NVML_SUCCESS;
}

static nvmlReturn_t text(nvmlDevice_t h, const char *key, char *out, unsigned len)
{
	struct fdev *d;
	nvmlReturn_t rc = check(h, &d);
	const char *v;

	if (rc)
		return rc;
	v = get(d, key);
	if (!v || !strcmp(v, "N/A"))
		return NVML_ERROR_NOT_SUPPORTED;
	if (strlen(v) + 1 > len)
		return NVML_ERROR_INSUFFICIENT_SIZE;
	snprintf(out, len, "%s", v);
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t h, char *name, unsigned len)
{
	return text(h, "product_name", name, len);
}

EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t h, char *uuid, unsigned len)
{
	return text(h, "uuid", uuid, len);
}

/* one number of the capture, scaled, into an unsigned */
static nvmlReturn_t uint_of(nvmlDevice_t h, const char *key, double scale, unsigned *out)
{
	struct fdev *d;
	nvmlReturn_t rc = check(h, &d);
	double v;

	if (rc || (rc = number(d, key, &v)))
		return rc;
	*out = (unsigned)(v * scale + 0.5);
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t h, nvmlUtilization_t *u)
{
	nvmlReturn_t rc = uint_of(h, "utilization/gpu_util", 1, &u->gpu);

	return rc ? rc : uint_of(h, "utilization/memory_util", 1, &u->memory);
}

static const char *clock_key(int type, int max)
{
	static const char *const cur[] = { "clocks/graphics_clock", "clocks/sm_clock",
		                           "clocks/mem_clock" };
	static const char *const top[] = { "max_clocks/graphics_clock", "max_clocks/sm_clock",
		                           "max_clocks/mem_clock" };

	if (type < 0 || type > 2)
		return "";
	return max ? top[type] : cur[type];
}

EXPORT nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t h, int type, unsigned *mhz)
{
	return uint_of(h, clock_key(type, 0), 1, mhz);
}

EXPORT nvmlReturn_t nvmlDeviceGetMaxClockInfo(nvmlDevice_t h, int type, unsigned *mhz)
{
	return uint_of(h, clock_key(type, 1), 1, mhz);
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t h, unsigned *mw)
{
	return uint_of(h, "power_readings/power_draw", 1000, mw);
}

EXPORT nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t h, unsigned *mw)
{
	return uint_of(h, "power_readings/enforced_power_limit", 1000, mw);
}

EXPORT nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t h, unsigned long long *mj)
{
	struct fdev *d;
	nvmlReturn_t rc = check(h, &d);

	if (rc)
		return rc;
	if (!d->energy_set)
		return NVML_ERROR_NOT_SUPPORTED;
	*mj = d->energy_mj;
	return NVML_SUCCESS;
}

/* fb_memory_usage in MiB; v11+ captures list the reserve apart from used */
static nvmlReturn_t fb(nvmlDevice_t h, double *total, double *reserved, double *used,
                       double *freemem)
{
	struct fdev *d;
	nvmlReturn_t rc = check(h, &d);

	if (rc || (rc = number(d, "fb_memory_usage/total", total)) ||
	    (rc = number(d, "fb_memory_usage/used", used)) ||
	    (rc = number(d, "fb_memory_usage/free", freemem)))
		return rc;
	if (number(d, "fb_memory_usage/reserved", reserved) != NVML_SUCCESS)
		*reserved = 0;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t h, nvmlMemory_t *m)
{
	double total, reserved, used, freemem;
	nvmlReturn_t rc = fb(h, &total, &reserved, &used, &freemem);

	if (rc)
		return rc;
	m->total = (unsigned long long)total << 20;
	m->used = (unsigned long long)(used + reserved) << 20;
	m->free = (unsigned long long)freemem << 20;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t h, nvmlMemory_v2_t *m)
{
	double total, reserved, used, freemem;
	nvmlReturn_t rc;

	if (m->version != NVML_MEMORY_V2_VERSION)
		return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
	rc = fb(h, &total, &reserved, &used, &freemem);
	if (rc)
		return rc;
	m->total = (unsigned long long)total << 20;
	m->reserved = (unsigned long long)reserved << 20;
	m->used = (unsigned long long)used << 20;
	m->free = (unsigned long long)freemem << 20;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t h, int sensor, unsigned *c)
{
	if (sensor != NVML_TEMPERATURE_GPU)
		return NVML_ERROR_INVALID_ARGUMENT;
	return uint_of(h, "temperature/gpu_temp", 1, c);
}

EXPORT nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t h, unsigned *percent)
{
	return uint_of(h, "fan_speed", 1, percent);
}

EXPORT nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t h, int counter, unsigned *kbs)
{
	return uint_of(h, counter == NVML_PCIE_UTIL_TX_BYTES ? "pci/tx_util" : "pci/rx_util", 1,
	               kbs);
}

EXPORT nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t h,
                                                              unsigned long long *reasons)
{
	static const struct {
		const char *key;
		unsigned long long bit;
	} map[] = {
		{ "gpu_idle", 0x1 },
		{ "applications_clocks_setting", 0x2 },
		{ "sw_power_cap", 0x4 },
		{ "hw_slowdown", 0x8 },
		{ "sync_boost", 0x10 },
		{ "sw_thermal_slowdown", 0x20 },
		{ "hw_thermal_slowdown", 0x40 },
		{ "hw_power_brake_slowdown", 0x80 },
		{ "display_clocks_setting", 0x100 },
	};
	struct fdev *d;
	nvmlReturn_t rc = check(h, &d);
	int any = 0;

	if (rc)
		return rc;
	*reasons = 0;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		char key[128];
		const char *v;
		snprintf(key, sizeof key, "clocks_throttle_reasons/clocks_throttle_reason_%s",
		         map[i].key);
		v = get(d, key);
		if (!v)
			continue;
		any = 1;
		if (!strcmp(v, "Active"))
			*reasons |= map[i].bit;
	}
	return any ? NVML_SUCCESS : NVML_ERROR_NOT_SUPPORTED;
}

EXPORT nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t h, int type, int counter,
                                                unsigned long long *count)
{
	struct fdev *d;
	nvmlReturn_t rc = check(h, &d);
	const char *mode;
	const char *kind =
	    type == NVML_MEMORY_ERROR_TYPE_CORRECTED ? "correctable" : "uncorrectable";
	const char *old = type == NVML_MEMORY_ERROR_TYPE_CORRECTED ? "single_bit" : "double_bit";
	char key[128];
	double a, b;

	if (rc)
		return rc;
	mode = get(d, "ecc_mode/current_ecc");
	if (!mode || strcmp(mode, "Enabled"))
		return NVML_ERROR_NOT_SUPPORTED;
	const char *scope = counter == NVML_VOLATILE_ECC ? "volatile" : "aggregate";
	/* v11 captures count SRAM and DRAM apart; older ones give a total per kind */
	snprintf(key, sizeof key, "ecc_errors/%s/sram_%s", scope, kind);
	if (number(d, key, &a) == NVML_SUCCESS) {
		snprintf(key, sizeof key, "ecc_errors/%s/dram_%s", scope, kind);
		if (number(d, key, &b) != NVML_SUCCESS)
			b = 0;
		*count = (unsigned long long)(a + b);
		return NVML_SUCCESS;
	}
	snprintf(key, sizeof key, "ecc_errors/%s/%s/total", scope, old);
	if ((rc = number(d, key, &a)))
		return rc;
	*count = (unsigned long long)a;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set)
{
	static int token;

	if (!initialised)
		return NVML_ERROR_UNINITIALIZED;
	*set = (nvmlEventSet_t)(void *)&token;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t h, unsigned long long types,
                                             nvmlEventSet_t set)
{
	struct fdev *d;

	(void)types;
	(void)set;
	return check(h, &d);
}

EXPORT nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *e, unsigned ms)
{
	(void)set;
	(void)ms; /* agtop never waits */
	if (!nqueue)
		return NVML_ERROR_TIMEOUT;
	memset(e, 0, sizeof *e);
	e->device = queue[0].dev;
	e->eventType = NVML_EVENT_TYPE_XID;
	e->eventData = queue[0].xid;
	memmove(queue, queue + 1, --nqueue * sizeof queue[0]);
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set)
{
	(void)set;
	return NVML_SUCCESS;
}

/* the processes of one kind: "C" compute, "G" graphics, "C+G" both */
static nvmlReturn_t procs(nvmlDevice_t h, unsigned *count, nvmlProcessInfo_t *out, char kind)
{
	struct fdev *d;
	nvmlReturn_t rc = check(h, &d);
	unsigned n = 0;

	if (rc)
		return rc;
	for (unsigned i = 0; i < d->nproc; i++)
		if (strchr(d->proc[i].type, kind))
			n++;
	if (n == 0) {
		*count = 0;
		return NVML_SUCCESS;
	}
	if (*count < n || !out) {
		*count = n;
		return NVML_ERROR_INSUFFICIENT_SIZE;
	}
	n = 0;
	for (unsigned i = 0; i < d->nproc; i++) {
		if (!strchr(d->proc[i].type, kind))
			continue;
		memset(&out[n], 0, sizeof out[n]);
		out[n].pid = d->proc[i].pid;
		out[n].usedGpuMemory = !strcmp(d->proc[i].mem, "N/A")
		                           ? NVML_VALUE_NOT_AVAILABLE
		                           : strtoull(d->proc[i].mem, NULL, 10) << 20;
		out[n].gpuInstanceId = out[n].computeInstanceId = 0xFFFFFFFFu; /* no MIG */
		n++;
	}
	*count = n;
	return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t h, unsigned *count,
                                                            nvmlProcessInfo_t *p)
{
	return procs(h, count, p, 'C');
}

EXPORT nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v3(nvmlDevice_t h, unsigned *count,
                                                             nvmlProcessInfo_t *p)
{
	return procs(h, count, p, 'G');
}

EXPORT nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t h,
                                                    nvmlProcessUtilizationSample_t *s,
                                                    unsigned *count, unsigned long long since)
{
	struct fdev *d;
	nvmlReturn_t rc = check(h, &d);
	unsigned n = 0;

	if (rc)
		return rc;
	for (unsigned i = 0; i < d->nsample; i++)
		if (d->sample[i].timeStamp > since)
			n++;
	if (n == 0)
		return NVML_ERROR_NOT_FOUND;
	if (!s || *count < n) {
		*count = n;
		return NVML_ERROR_INSUFFICIENT_SIZE;
	}
	n = 0;
	for (unsigned i = 0; i < d->nsample; i++)
		if (d->sample[i].timeStamp > since)
			s[n++] = d->sample[i];
	*count = n;
	return NVML_SUCCESS;
}

/* ---- what tests do to the device between readings ---- */

EXPORT void fake_nvml_set_energy(unsigned i, unsigned long long mj)
{
	if (i < ndev) {
		devs[i].energy_set = 1;
		devs[i].energy_mj = mj;
	}
}

EXPORT void fake_nvml_xid(unsigned i, unsigned long long xid)
{
	if (i < ndev && nqueue < sizeof queue / sizeof queue[0]) {
		queue[nqueue].dev = (nvmlDevice_t)(void *)&devs[i];
		queue[nqueue++].xid = xid;
	}
}

EXPORT void fake_nvml_proc_sample(unsigned i, unsigned pid, unsigned sm,
                                  unsigned long long timestamp_us)
{
	if (i < ndev && devs[i].nsample < MAX_SAMPLES) {
		nvmlProcessUtilizationSample_t *s = &devs[i].sample[devs[i].nsample++];
		memset(s, 0, sizeof *s);
		s->pid = pid;
		s->smUtil = sm;
		s->timeStamp = timestamp_us;
	}
}

EXPORT void fake_nvml_lose(unsigned i)
{
	if (i < ndev)
		devs[i].kind = 2;
}

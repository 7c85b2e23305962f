/* fake_iokit.c - the IORegistry (pmgr, AGXAccelerator, AppleSMC), the SMC user client and the
 * IOHID event system over a dump. IOKit objects are numbered handles with reference counts;
 * a handle released twice or unknown aborts, one still held is a leak. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apple/decode.h"
#include "fake_internal.h"
#include "source/macos/apple_sys.h"

#define HANDLE_BASE 0x5000u
#define MAX_HANDLES 4096

enum io_kind { IO_FREE = 0, IO_SERVICE, IO_ITERATOR, IO_CONNECT };
enum io_service {
	SVC_PMGR = 1,
	SVC_GPIO,
	SVC_AGX,
	SVC_SMC,
	SVC_SMC_KEYS,
	SVC_AGX_CHILD, /* a child of the accelerator (fake_power.c), idx its number */
	SVC_BATTERY,
};

struct io_handle {
	enum io_kind kind;
	long rc;
	bool dead;
	enum io_service svc;     /* services and connections */
	enum io_service list[4]; /* iterators: what IOIteratorNext still gives */
	unsigned nlist, next;
	bool children; /* an iterator over the accelerator's children (nlist of them) */
	unsigned idx;  /* SVC_AGX_CHILD: which child */
};

static struct io_handle handles[MAX_HANDLES];
static unsigned nhandles;

static void smc_forget(void);

void fake_iokit_reset(void)
{
	memset(handles, 0, sizeof handles);
	nhandles = 0;
	smc_forget();
}

static io_object_t new_handle(enum io_kind kind, enum io_service svc)
{
	struct io_handle *h;

	if (nhandles == MAX_HANDLES)
		fake_fail("IOKit: too many objects");
	h = &handles[nhandles];
	memset(h, 0, sizeof *h);
	h->kind = kind;
	h->rc = 1;
	h->svc = svc;
	return HANDLE_BASE + nhandles++;
}

static struct io_handle *handle(io_object_t o, enum io_kind kind, const char *where)
{
	struct io_handle *h;

	if (o < HANDLE_BASE || o >= HANDLE_BASE + nhandles)
		fake_fail("%s: %#x is not an IOKit object", where, o);
	h = &handles[o - HANDLE_BASE];
	if (h->dead)
		fake_fail("%s: object %#x used after its last release", where, o);
	if (kind && h->kind != kind)
		fake_fail("%s: object %#x has the wrong kind", where, o);
	return h;
}

long fake_iokit_live(void)
{
	long n = 0;

	for (unsigned i = 0; i < nhandles; i++)
		n += !handles[i].dead;
	return n;
}

static const char *svc_name(enum io_service s)
{
	switch (s) {
	case SVC_PMGR:
		return "pmgr";
	case SVC_GPIO:
		return "gpio";
	case SVC_AGX:
		return "AGXAcceleratorG16X";
	case SVC_SMC:
		return "AppleSMC";
	case SVC_SMC_KEYS:
		return "AppleSMCKeysEndpoint";
	case SVC_AGX_CHILD:
		return "AGXDeviceUserClient";
	case SVC_BATTERY:
		return "AppleSmartBattery";
	}
	return "?";
}

void fake_iokit_leaks(char *buf, size_t size)
{
	static const char *const kind[] = { "?", "io_service_t", "io_iterator_t", "io_connect_t" };
	size_t w = strlen(buf);

	for (unsigned i = 0; i < nhandles && w + 1 < size; i++) {
		if (handles[i].dead)
			continue;
		w += (size_t)snprintf(buf + w, size - w, "%s %s rc=%ld\n", kind[handles[i].kind],
		                      svc_name(handles[i].svc), handles[i].rc);
		if (w >= size)
			w = size - 1;
	}
}

kern_return_t IOObjectRelease(io_object_t o)
{
	struct io_handle *h = handle(o, 0, "IOObjectRelease");

	if (h->kind == IO_CONNECT)
		fake_fail("IOObjectRelease: a connection is closed with IOServiceClose");
	if (--h->rc == 0)
		h->dead = true;
	return KERN_SUCCESS;
}

/* ---- matching ---- */

CFMutableDictionaryRef IOServiceMatching(const char *name)
{
	struct fake_obj *d = fake_dict();

	fake_dict_take(d, "IOProviderClass", fake_str(name));
	return (CFMutableDictionaryRef)d;
}

/* The services of a class on the machine the dump describes; consumes matching. */
static unsigned services(CFDictionaryRef matching, enum io_service out[4], const char *where)
{
	struct fake_obj *d = fake_check(matching, FK_DICT, where);
	struct fake_obj *cls = fake_dict_get(d, "IOProviderClass");
	unsigned n = 0;

	if (!cls || cls->kind != FK_STRING)
		fake_fail("%s: matching without IOProviderClass", where);
	if (!strcmp(cls->str, "AppleARMIODevice")) {
		out[n++] = SVC_GPIO;
		if (!fake.opts.no_pmgr)
			out[n++] = SVC_PMGR;
	} else if (!strcmp(cls->str, "AGXAccelerator")) {
		if (fake.dump.host.gpu_cores > 0)
			out[n++] = SVC_AGX;
	} else if (!strcmp(cls->str, "AppleSMC")) {
		if (!fake.opts.no_smc) {
			out[n++] = SVC_SMC;
			out[n++] = SVC_SMC_KEYS;
		}
	} else if (!strcmp(cls->str, "AppleSmartBattery")) {
		if (fake_battery_present()) /* a desktop Mac has none */
			out[n++] = SVC_BATTERY;
	} else if (!strcmp(cls->str, "AGXDeviceUserClient")) {
		/* user clients are not registered services: matching finds none (an M3 Max: "0
		 * matched, 142 as children", per-process-and-power-notes §1) */
	}
	CFRelease(matching); /* the caller's reference is consumed, as IOKit does */
	return n;
}

io_service_t IOServiceGetMatchingService(mach_port_t port, CFDictionaryRef matching)
{
	enum io_service list[4];
	unsigned n;

	if (port != MACH_PORT_NULL)
		fake_fail("IOServiceGetMatchingService: the main port is MACH_PORT_NULL (default)");
	n = services(matching, list, "IOServiceGetMatchingService");
	return n ? new_handle(IO_SERVICE, list[0]) : 0;
}

kern_return_t IOServiceGetMatchingServices(mach_port_t port, CFDictionaryRef matching,
                                           io_iterator_t *existing)
{
	enum io_service list[4];
	unsigned n;
	struct io_handle *it;

	if (port != MACH_PORT_NULL)
		fake_fail(
		    "IOServiceGetMatchingServices: the main port is MACH_PORT_NULL (default)");
	n = services(matching, list, "IOServiceGetMatchingServices");
	*existing = new_handle(IO_ITERATOR, 0);
	it = &handles[*existing - HANDLE_BASE];
	memcpy(it->list, list, sizeof list);
	it->nlist = n;
	return KERN_SUCCESS;
}

io_object_t IOIteratorNext(io_iterator_t iterator)
{
	struct io_handle *it = handle(iterator, IO_ITERATOR, "IOIteratorNext");
	enum io_service s;

	if (it->next >= it->nlist)
		return 0;
	if (it->children) {
		io_object_t c = new_handle(IO_SERVICE, SVC_AGX_CHILD);
		handles[c - HANDLE_BASE].idx = it->next++;
		return c;
	}
	s = it->list[it->next++];
	return new_handle(IO_SERVICE, s);
}

/* The accelerator's children in the service plane: its user clients of the moment. */
kern_return_t IORegistryEntryGetChildIterator(io_registry_entry_t entry, const char *plane,
                                              io_iterator_t *iterator)
{
	struct io_handle *h = handle(entry, IO_SERVICE, "IORegistryEntryGetChildIterator"), *it;

	if (!plane || strcmp(plane, "IOService"))
		fake_fail("IORegistryEntryGetChildIterator: the service plane");
	*iterator = new_handle(IO_ITERATOR, 0);
	it = &handles[*iterator - HANDLE_BASE];
	it->children = true;
	it->nlist = h->svc == SVC_AGX ? fake_agx_children() : 0;
	return KERN_SUCCESS;
}

kern_return_t IOObjectGetClass(io_object_t object, io_name_t name)
{
	struct io_handle *h = handle(object, IO_SERVICE, "IOObjectGetClass");

	snprintf(name, sizeof(io_name_t), "%s",
	         h->svc == SVC_AGX_CHILD ? fake_agx_child_class(h->idx) : svc_name(h->svc));
	return KERN_SUCCESS;
}

kern_return_t IORegistryEntryGetName(io_registry_entry_t entry, io_name_t name)
{
	struct io_handle *h = handle(entry, IO_SERVICE, "IORegistryEntryGetName");

	snprintf(name, sizeof(io_name_t), "%s", svc_name(h->svc));
	return KERN_SUCCESS;
}

/* ---- properties ---- */

static uint8_t *le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return p + 4;
}

kern_return_t IORegistryEntryCreateCFProperties(io_registry_entry_t entry,
                                                CFMutableDictionaryRef *properties,
                                                CFAllocatorRef allocator, IOOptionBits options)
{
	struct io_handle *h = handle(entry, IO_SERVICE, "IORegistryEntryCreateCFProperties");
	struct fake_obj *d = fake_dict();
	uint8_t reg[8];

	(void)allocator;
	if (options)
		fake_fail("IORegistryEntryCreateCFProperties: options are 0");
	if (h->svc == SVC_BATTERY) {
		CFRelease(d);
		*properties = (CFMutableDictionaryRef)fake_battery_properties();
		return KERN_SUCCESS;
	}
	/* what every node has: its name as data, a compatible string, a register */
	fake_dict_take(d, "name",
	               fake_data((const uint8_t *)svc_name(h->svc), strlen(svc_name(h->svc)) + 1));
	fake_dict_take(d, "compatible",
	               fake_str(h->svc == SVC_PMGR ? "pmgr1,t8103" : "gpio,t8101"));
	le32(le32(reg, 0x3b700000), 0x100000);
	fake_dict_take(d, "reg", fake_data(reg, sizeof reg));
	if (h->svc == SVC_PMGR) {
		for (unsigned i = 0; i < fake.dump.pmgr.n; i++)
			fake_dict_take(
			    d, fake.dump.pmgr.prop[i].key,
			    fake_data(fake.dump.pmgr.prop[i].data, fake.dump.pmgr.prop[i].len));
		/* a voltage-states key holding a number, not data: to be skipped */
		fake_dict_take(d, "voltage-states-count", fake_num(13));
	}
	*properties = (CFMutableDictionaryRef)d;
	return KERN_SUCCESS;
}

CFTypeRef IORegistryEntryCreateCFProperty(io_registry_entry_t entry, CFStringRef key,
                                          CFAllocatorRef allocator, IOOptionBits options)
{
	struct io_handle *h = handle(entry, IO_SERVICE, "IORegistryEntryCreateCFProperty");
	const char *k = fake_check(key, FK_STRING, "IORegistryEntryCreateCFProperty")->str;

	(void)allocator;
	if (options)
		fake_fail("IORegistryEntryCreateCFProperty: options are 0");
	if (h->svc == SVC_AGX && !strcmp(k, "gpu-core-count"))
		return fake_num(fake.dump.host.gpu_cores);
	if (h->svc == SVC_AGX_CHILD)
		return fake_agx_child_property(h->idx, k);
	return NULL;
}

/* ---- the SMC user client ---- */

/* SMCKeyData as the AppleSMC user client lays it out on arm64, written down independently of
 * src/source/macos/smc.c so that a layout mistake there shows up here */
struct smc_param {
	uint32_t key;
	uint8_t vers[6];
	uint8_t pad0[2];
	uint16_t plimit_version, plimit_length;
	uint32_t plimit_cpu, plimit_gpu, plimit_mem;
	uint32_t size, type;
	uint8_t attr, pad1[3];
	uint8_t result, status, data8, pad2;
	uint32_t data32;
	uint8_t bytes[32];
};
_Static_assert(sizeof(struct smc_param) == 80, "SMC parameter block layout");
_Static_assert(offsetof(struct smc_param, size) == 28, "keyInfo.dataSize at 28");
_Static_assert(offsetof(struct smc_param, result) == 40, "result at 40");
_Static_assert(offsetof(struct smc_param, data8) == 42, "data8 at 42");
_Static_assert(offsetof(struct smc_param, data32) == 44, "data32 at 44");
_Static_assert(offsetof(struct smc_param, bytes) == 48, "bytes at 48");

#define SMC_NOT_FOUND 132
#define SMC_FLT       0x666c7420u

struct smc_key {
	char name[5];
	uint32_t type, size;
	uint8_t bytes[32]; /* the value where nothing else gives one */
	bool has_bytes;
};

/* The key list, built once per dump (the values are looked up per reading). */
static struct smc_key *smc;
static size_t nsmc, smc_cap;
static bool smc_built;

static void smc_forget(void)
{
	free(smc);
	smc = NULL;
	nsmc = smc_cap = 0;
	smc_built = false;
}

static uint32_t fourcc(const char *s)
{
	return (uint32_t)(uint8_t)s[0] << 24 | (uint32_t)(uint8_t)s[1] << 16 |
	       (uint32_t)(uint8_t)s[2] << 8 | (uint32_t)(uint8_t)s[3];
}

static struct smc_key *smc_find(const char *name)
{
	for (size_t i = 0; i < nsmc; i++)
		if (!strcmp(smc[i].name, name))
			return &smc[i];
	return NULL;
}

static struct smc_key *smc_add(const char *name, uint32_t type, uint32_t size)
{
	struct smc_key *k = smc_find(name);

	if (k)
		return k;
	if (nsmc == smc_cap) {
		smc_cap = smc_cap ? smc_cap * 2 : 512;
		smc = realloc(smc, smc_cap * sizeof *smc);
		if (!smc)
			fake_fail("out of memory");
	}
	k = &smc[nsmc++];
	memset(k, 0, sizeof *k);
	snprintf(k->name, sizeof k->name, "%s", name);
	k->type = type;
	k->size = size;
	return k;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct smc_key *)a)->name, ((const struct smc_key *)b)->name);
}

/* A real key dump, iSMC's format after its # SOURCE line:
 *   "  TCMb  [flt ]  40 (bytes 00 00 20 42)" */
static void smc_load_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f)
		fake_fail("cannot open the SMC key dump %s", path);
	while (fgets(line, sizeof line, f)) {
		char name[5] = "", type[5] = "";
		const char *b = strstr(line, "(bytes ");
		struct smc_key *k;
		unsigned n = 0;

		if (line[0] == '#' || strlen(line) < 14 || line[0] != ' ' || line[1] != ' ' ||
		    line[8] != '[' || line[13] != ']' || !b)
			continue;
		memcpy(name, line + 2, 4);
		memcpy(type, line + 9, 4);
		b += 7;
		k = smc_add(name, fourcc(type), 0);
		while (n < sizeof k->bytes) {
			char *end;
			unsigned long v = strtoul(b, &end, 16);
			if (end == b)
				break;
			k->bytes[n++] = (uint8_t)v;
			b = end;
		}
		k->size = n;
		k->has_bytes = true;
	}
	fclose(f);
}

/* The keys of this SMC, sorted as the SMC lists them (ASCII order, as in iSMC's dumps): a real
 * key dump where the test names one, the dump's SMC temperatures and power keys, PSTR where the
 * dump has system power, and keys of other types the source must pass over. */
static void smc_build(void)
{
	static const struct {
		const char *name;
		uint32_t type, size;
	} other[] = {
		{ "#KEY", 0x75693332u /* ui32 */, 4 },
		{ "FNum", 0x75693820u /* ui8 */, 1 },
		{ "Tp0Z", 0x75693136u /* ui16: a CPU name, but not a temperature type */, 2 },
		{ "TC0P", 0x73703738u /* sp78 */, 2 },
		{ "TB0T", SMC_FLT /* battery: a flt of a family not shown */, 4 },
	};

	if (smc_built)
		return;
	smc_built = true;
	if (fake.opts.smc_keys)
		smc_load_file(fake.opts.smc_keys);
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		smc_add(other[i].name, other[i].type, other[i].size);
	for (unsigned r = 0; r < fake.dump.nreadings; r++) {
		const struct apple_reading *rd = &fake.dump.reading[r];
		static const char *const fan[3] = { "Ac", "Mn", "Mx" };
		if (!isnan(rd->system_w))
			smc_add("PSTR", SMC_FLT, 4);
		if (!isnan(rd->input_w))
			smc_add("PDTR", SMC_FLT, 4);
		/* F<n>Ac/Mn/Mx rpm as flt, F<n>Md a mode the source passes over (iSMC's fan
		 * catalog, stats' fan reader) */
		for (unsigned i = 0; i < rd->nfans; i++) {
			char k[5];
			for (int w = 0; w < 3; w++) {
				snprintf(k, sizeof k, "F%u%s", i, fan[w]);
				smc_add(k, SMC_FLT, 4);
			}
			snprintf(k, sizeof k, "F%uMd", i);
			smc_add(k, 0x75693820u /* ui8 */, 1);
		}
		for (unsigned i = 0; i < rd->nsmc_power; i++)
			smc_add(rd->smc_power[i].key, SMC_FLT, 4);
		for (size_t i = 0; i < rd->ntemps; i++)
			if (rd->temp[i].source == APPLE_TEMP_SMC && strlen(rd->temp[i].name) == 4)
				smc_add(rd->temp[i].name, SMC_FLT, 4);
	}
	qsort(smc, nsmc, sizeof *smc, key_cmp);
}

static void put_flt(uint8_t *b, double v)
{
	float f = (float)v;
	uint32_t u;

	memcpy(&u, &f, sizeof u);
	le32(b, u);
}

/* The value of a key in the current reading; false when the SMC has none now. */
static bool key_value(const struct smc_key *k, uint8_t *b)
{
	const struct apple_reading *r = fake_reading();

	if (!strcmp(k->name, "#KEY")) {
		b[0] = (uint8_t)(nsmc >> 24);
		b[1] = (uint8_t)(nsmc >> 16);
		b[2] = (uint8_t)(nsmc >> 8);
		b[3] = (uint8_t)nsmc;
		return true;
	}
	if (!strcmp(k->name, "PSTR") && !isnan(r->system_w)) {
		put_flt(b, r->system_w);
		return true;
	}
	if (!strcmp(k->name, "PDTR") && !isnan(r->input_w)) {
		put_flt(b, r->input_w);
		return true;
	}
	if (k->name[0] == 'F' && k->name[1] >= '0' && k->name[1] <= '9' &&
	    (unsigned)(k->name[1] - '0') < r->nfans) {
		const struct apple_fan *f = &r->fan[k->name[1] - '0'];
		double v = !strcmp(k->name + 2, "Ac")   ? f->actual
		           : !strcmp(k->name + 2, "Mn") ? f->min
		           : !strcmp(k->name + 2, "Mx") ? f->max
		                                        : NAN;
		if (!strcmp(k->name + 2, "Md")) {
			b[0] = 0; /* automatic */
			return true;
		}
		if (isnan(v))
			return false;
		put_flt(b, v);
		return true;
	}
	if (!strcmp(k->name, "FNum")) { /* how many fans: ui8 */
		unsigned n = 0;
		for (unsigned i = 0; i < fake.dump.nreadings; i++)
			if (fake.dump.reading[i].nfans > n)
				n = fake.dump.reading[i].nfans;
		b[0] = (uint8_t)n;
		return true;
	}
	for (unsigned i = 0; i < r->nsmc_power; i++)
		if (!strcmp(r->smc_power[i].key, k->name)) {
			put_flt(b, r->smc_power[i].watts);
			return true;
		}
	for (size_t i = 0; i < r->ntemps; i++)
		if (r->temp[i].source == APPLE_TEMP_SMC && !strcmp(r->temp[i].name, k->name)) {
			put_flt(b, r->temp[i].celsius);
			return true;
		}
	if (k->has_bytes) {
		memcpy(b, k->bytes, k->size);
		return true;
	}
	if (!strcmp(k->name, "Tp0Z") || !strcmp(k->name, "TC0P")) {
		b[0] = 2;
		b[1] = 0x30;
		return true;
	}
	if (!strcmp(k->name, "TB0T")) {
		put_flt(b, 31.5);
		return true;
	}
	return false;
}

/* A read the source has no business making: neither the key count, PSTR, a power key the
 * decoder uses, nor a temperature type (flt, sp78) of a family the dashboard shows. */
static bool unwanted(const struct smc_key *k)
{
	struct apple_temp t = { APPLE_TEMP_SMC, "", 0 };

	snprintf(t.name, sizeof t.name, "%s", k->name);
	if (!strcmp(k->name, "#KEY") || !strcmp(k->name, "PSTR") || !strcmp(k->name, "PDTR") ||
	    !strcmp(k->name, "FNum") || apple_smc_power_wanted(k->name))
		return false;
	if (k->name[0] == 'F' && k->name[1] >= '0' && k->name[1] <= '9' &&
	    (!strcmp(k->name + 2, "Ac") || !strcmp(k->name + 2, "Mn") ||
	     !strcmp(k->name + 2, "Mx")))
		return false;
	return apple_temp_kind(&t) == TEMP_OTHER ||
	       (k->type != SMC_FLT && k->type != 0x73703738u /* sp78 */);
}

kern_return_t IOServiceOpen(io_service_t service, task_port_t task, uint32_t type,
                            io_connect_t *connect)
{
	struct io_handle *h = handle(service, IO_SERVICE, "IOServiceOpen");

	if (task != mach_task_self() || type != 0)
		fake_fail("IOServiceOpen: own task, type 0");
	if (h->svc != SVC_SMC && h->svc != SVC_SMC_KEYS)
		return (kern_return_t)0xe00002c7; /* kIOReturnUnsupported */
	*connect = new_handle(IO_CONNECT, h->svc);
	return KERN_SUCCESS;
}

kern_return_t IOServiceClose(io_connect_t connect)
{
	struct io_handle *h = handle(connect, IO_CONNECT, "IOServiceClose");

	h->rc = 0;
	h->dead = true;
	return KERN_SUCCESS;
}

kern_return_t IOConnectCallStructMethod(mach_port_t connection, uint32_t selector,
                                        const void *input, size_t input_size, void *output,
                                        size_t *output_size)
{
	struct smc_param in, out;
	const struct smc_key *k = NULL;

	handle(connection, IO_CONNECT, "IOConnectCallStructMethod");
	if (selector != 2 || input_size != sizeof in || !output_size || *output_size != sizeof out)
		fake_fail("IOConnectCallStructMethod: the SMC takes selector 2 and 80-byte blocks "
		          "(got %u, %zu)",
		          selector, input_size);
	fake.st.smc_calls++;
	memcpy(&in, input, sizeof in);
	memset(&out, 0, sizeof out);
	smc_build();
	fake.st.smc_keys = (unsigned)nsmc;
	if (in.data8 == 8) { /* key at index */
		if (in.data32 >= nsmc)
			out.result = SMC_NOT_FOUND;
		else
			out.key = fourcc(smc[in.data32].name);
	} else if (in.data8 == 9 || in.data8 == 5) { /* key info, read bytes */
		for (size_t i = 0; i < nsmc && !k; i++)
			if (fourcc(smc[i].name) == in.key)
				k = &smc[i];
		if (!k) {
			out.result = SMC_NOT_FOUND;
		} else if (in.data8 == 9) {
			out.key = in.key;
			out.size = k->size;
			out.type = k->type;
		} else {
			if (in.size != k->size)
				fake_fail("SMC read of %s with size %u (the key has %u)", k->name,
				          in.size, k->size);
			out.key = in.key;
			if (unwanted(k))
				fake.st.smc_unwanted++;
			else if (k->name[0] == 'T')
				fake.st.smc_temp_reads++;
			if (!key_value(k, out.bytes))
				out.result = SMC_NOT_FOUND;
		}
	} else {
		fake_fail("SMC command %u is not one agtop sends", in.data8);
	}
	memcpy(output, &out, sizeof out);
	return KERN_SUCCESS;
}

/* ---- the IOHID event system ---- */

/* Sensors: the dump's HID temperatures and two that are not shown. */
static unsigned hid_names(char (**out)[48])
{
	static const char *const other[] = { "PMU tcal", "gas gauge battery" };
	size_t cap = 2;
	unsigned n = 0;
	char(*names)[48];

	for (unsigned r = 0; r < fake.dump.nreadings; r++)
		cap += fake.dump.reading[r].ntemps;
	names = calloc(cap, sizeof *names);
	if (!names)
		fake_fail("out of memory");
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		snprintf(names[n++], 48, "%s", other[i]);
	for (unsigned r = 0; r < fake.dump.nreadings; r++) {
		const struct apple_reading *rd = &fake.dump.reading[r];
		for (size_t i = 0; i < rd->ntemps; i++) {
			bool dup = false;
			if (rd->temp[i].source != APPLE_TEMP_HID)
				continue;
			for (unsigned j = 0; j < n && !dup; j++)
				dup = !strcmp(names[j], rd->temp[i].name);
			if (!dup)
				snprintf(names[n++], 48, "%s", rd->temp[i].name);
		}
	}
	*out = names;
	return n;
}

IOHIDEventSystemClientRef IOHIDEventSystemClientCreate(CFAllocatorRef allocator)
{
	(void)allocator;
	fake.st.hid_clients++;
	return (IOHIDEventSystemClientRef)fake_new(FK_HID_CLIENT);
}

int IOHIDEventSystemClientSetMatching(IOHIDEventSystemClientRef client, CFDictionaryRef match)
{
	struct fake_obj *c = fake_check(client, FK_HID_CLIENT, "IOHIDEventSystemClientSetMatching");
	struct fake_obj *d = fake_check(match, FK_DICT, "IOHIDEventSystemClientSetMatching");
	struct fake_obj *page = fake_dict_get(d, "PrimaryUsagePage");
	struct fake_obj *usage = fake_dict_get(d, "PrimaryUsage");

	if (!page || !usage || page->kind != FK_NUMBER || usage->kind != FK_NUMBER ||
	    page->i != 0xff00 || usage->i != 5)
		fake_fail("IOHIDEventSystemClientSetMatching: temperature sensors are page 0xff00, "
		          "usage 5");
	c->tag = 1;
	return 1;
}

CFArrayRef IOHIDEventSystemClientCopyServices(IOHIDEventSystemClientRef client)
{
	struct fake_obj *c =
	    fake_check(client, FK_HID_CLIENT, "IOHIDEventSystemClientCopyServices");
	struct fake_obj *arr;
	char(*names)[48];
	unsigned n;

	if (!c->tag)
		fake_fail(
		    "IOHIDEventSystemClientCopyServices before SetMatching: every HID service");
	n = hid_names(&names);
	arr = fake_array();
	for (unsigned i = 0; i < n; i++) {
		struct fake_obj *s = fake_new(FK_HID_SERVICE);
		s->str = strdup(names[i]);
		fake_array_take(arr, s);
	}
	free(names);
	return (CFArrayRef)arr;
}

CFTypeRef IOHIDServiceClientCopyProperty(IOHIDServiceClientRef service, CFStringRef key)
{
	struct fake_obj *s = fake_check(service, FK_HID_SERVICE, "IOHIDServiceClientCopyProperty");
	const char *k = fake_check(key, FK_STRING, "IOHIDServiceClientCopyProperty")->str;

	return strcmp(k, "Product") ? NULL : fake_str(s->str);
}

IOHIDEventRef IOHIDServiceClientCopyEvent(IOHIDServiceClientRef service, int64_t type,
                                          int32_t options, int64_t timestamp)
{
	struct fake_obj *s = fake_check(service, FK_HID_SERVICE, "IOHIDServiceClientCopyEvent");
	const struct apple_reading *r = fake_reading();

	if (type != AGTOP_HID_EVENT_TEMPERATURE || options || timestamp)
		fake_fail("IOHIDServiceClientCopyEvent: temperature events only");
	for (size_t i = 0; i < r->ntemps; i++)
		if (r->temp[i].source == APPLE_TEMP_HID && !strcmp(r->temp[i].name, s->str)) {
			struct fake_obj *e = fake_new(FK_HID_EVENT);
			e->is_float = true;
			e->d = r->temp[i].celsius;
			return (IOHIDEventRef)e;
		}
	return NULL; /* the sensor has no value now */
}

double IOHIDEventGetFloatValue(IOHIDEventRef event, int32_t field)
{
	struct fake_obj *e = fake_check(event, FK_HID_EVENT, "IOHIDEventGetFloatValue");

	if (field != AGTOP_HID_FIELD_TEMPERATURE)
		fake_fail("IOHIDEventGetFloatValue: field %#x is not the temperature level", field);
	return e->d;
}

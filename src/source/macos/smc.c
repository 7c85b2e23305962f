/* smc.c - temperatures and system power from the SMC, without sudo. The keys are enumerated once
 * at start; each reading then reads only the kept keys. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../../apple/decode.h"
#include "../../util/array.h"
#include "macos_internal.h"

#define SMC_INDEX        2 /* the SMC user client's struct method */
#define SMC_READ_BYTES   5
#define SMC_READ_INDEX   8
#define SMC_READ_KEYINFO 9

/* The SMC user client's parameter block (80 bytes on arm64). */
struct smc_param {
	uint32_t key;
	struct {
		uint8_t major, minor, build, reserved;
		uint16_t release;
	} vers;
	struct {
		uint16_t version, length;
		uint32_t cpu, gpu, mem;
	} plimit;
	struct {
		uint32_t size, type;
		uint8_t attr;
	} info;
	uint8_t result, status, data8;
	uint32_t data32;
	uint8_t bytes[32];
};

_Static_assert(sizeof(struct smc_param) == 80, "SMC parameter block layout");
_Static_assert(offsetof(struct smc_param, info) == 28 && offsetof(struct smc_param, result) == 40 &&
                   offsetof(struct smc_param, data32) == 44 &&
                   offsetof(struct smc_param, bytes) == 48,
               "SMC parameter block offsets");

static uint32_t fourcc(const char *s)
{
	return (uint32_t)(uint8_t)s[0] << 24 | (uint32_t)(uint8_t)s[1] << 16 |
	       (uint32_t)(uint8_t)s[2] << 8 | (uint32_t)(uint8_t)s[3];
}

static void key_name(uint32_t k, char out[5])
{
	out[0] = (char)(k >> 24);
	out[1] = (char)(k >> 16);
	out[2] = (char)(k >> 8);
	out[3] = (char)k;
	out[4] = '\0';
}

static bool call(const struct mac_smc *s, struct smc_param *in, struct smc_param *out)
{
	size_t n = sizeof *out;

	memset(out, 0, sizeof *out);
	return IOConnectCallStructMethod(s->conn, SMC_INDEX, in, sizeof *in, out, &n) ==
	           kIOReturnSuccess &&
	       out->result == 0;
}

static bool key_info(const struct mac_smc *s, uint32_t key, struct mac_smc_key *k)
{
	struct smc_param in, out;

	memset(&in, 0, sizeof in);
	in.key = key;
	in.data8 = SMC_READ_KEYINFO;
	if (!call(s, &in, &out))
		return false;
	k->key = key;
	k->size = out.info.size;
	k->type = out.info.type;
	return true;
}

static bool read_key(const struct mac_smc *s, const struct mac_smc_key *k, uint8_t bytes[32])
{
	struct smc_param in, out;

	memset(&in, 0, sizeof in);
	in.key = k->key;
	in.info.size = k->size;
	in.data8 = SMC_READ_BYTES;
	if (k->size > 32 || !call(s, &in, &out))
		return false;
	memcpy(bytes, out.bytes, 32);
	return true;
}

static io_service_t find_smc(void)
{
	io_iterator_t it = 0;
	io_object_t e, pick = 0;

	/* the keys endpoint where there is one (macmon), else the first AppleSMC service */
	if (IOServiceGetMatchingServices(MACH_PORT_NULL, IOServiceMatching("AppleSMC"), &it) !=
	    kIOReturnSuccess)
		return 0;
	while ((e = IOIteratorNext(it)) != 0) {
		io_name_t name;
		bool keys = IORegistryEntryGetName(e, name) == kIOReturnSuccess &&
		            !strcmp(name, "AppleSMCKeysEndpoint");
		if (!pick || keys) {
			if (pick)
				IOObjectRelease(pick);
			pick = e;
			if (keys)
				break;
		} else {
			IOObjectRelease(e);
		}
	}
	IOObjectRelease(it);
	return pick;
}

/* Keeps a key of a number type the decoder reads. */
static bool decodable(const struct mac_smc_key *k)
{
	uint8_t zero[32] = { 0 };

	return k->size <= 32 && !isnan(apple_smc_value(k->type, zero, k->size));
}

static void keep(struct mac_smc *s, uint32_t key)
{
	struct apple_temp t = { APPLE_TEMP_SMC, "", 0 };
	struct mac_smc_key k;

	key_name(key, t.name);
	if (!strcmp(t.name, "PSTR")) {
		s->have_pstr = key_info(s, key, &s->pstr) && decodable(&s->pstr);
		return;
	}
	if (!strcmp(t.name, "PDTR")) {
		s->have_pdtr = key_info(s, key, &s->pdtr) && decodable(&s->pdtr);
		return;
	}
	/* the fans: F<n>Ac (actual), F<n>Mn, F<n>Mx rpm as flt (iSMC's catalog); FNum, which
	 * lists after them, says how many there are */
	if (t.name[0] == 'F' && t.name[1] >= '0' && t.name[1] < '0' + APPLE_MAX_FANS) {
		static const char *const what[3] = { "Ac", "Mn", "Mx" };
		for (int w = 0; w < 3; w++)
			if (!strcmp(t.name + 2, what[w]) && key_info(s, key, &k) && decodable(&k))
				s->fan[t.name[1] - '0'][w] = k;
		return;
	}
	if (!strcmp(t.name, "FNum")) {
		uint8_t b[32];
		if (key_info(s, key, &k) && decodable(&k) && read_key(s, &k, b))
			s->nfans = (unsigned)apple_smc_value(k.type, b, k.size);
		if (s->nfans > APPLE_MAX_FANS)
			s->nfans = APPLE_MAX_FANS;
		return;
	}
	if (apple_smc_power_wanted(t.name)) {
		if (s->npower < APPLE_MAX_SMC_POWER && key_info(s, key, &k) && decodable(&k))
			s->power[s->npower++] = k;
		return;
	}
	/* only the families shown (CPU, GPU, memory), and only temperature types: flt on Apple
	 * Silicon, sp78 on Intel (a ui16 key with a CPU name is not a temperature) */
	if (apple_temp_kind(&t) == TEMP_OTHER || !key_info(s, key, &k) ||
	    (k.type != fourcc("flt ") && k.type != fourcc("sp78")) || !decodable(&k))
		return;
	if (!array_grow((void **)&s->key, &s->keys_cap, s->nkeys + 1, sizeof *s->key, 128))
		s->key[s->nkeys++] = k;
}

int mac_smc_open(struct mac_smc *s)
{
	io_service_t svc = find_smc();
	struct mac_smc_key count_key;
	uint8_t b[32];
	uint32_t nkeys;

	memset(s, 0, sizeof *s);
	if (!svc)
		return -1;
	if (IOServiceOpen(svc, mach_task_self(), 0, &s->conn) != kIOReturnSuccess) {
		IOObjectRelease(svc);
		return -1;
	}
	IOObjectRelease(svc);
	s->open = true;
	if (!key_info(s, fourcc("#KEY"), &count_key) || !read_key(s, &count_key, b)) {
		mac_smc_close(s);
		return -1;
	}
	nkeys = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	for (uint32_t i = 0; i < nkeys && i < 65536; i++) {
		struct smc_param in, out;

		memset(&in, 0, sizeof in);
		in.data8 = SMC_READ_INDEX;
		in.data32 = i;
		if (call(s, &in, &out))
			keep(s, out.key);
	}
	return 0;
}

void mac_smc_read(struct mac_smc *s, struct apple_reading *r)
{
	uint8_t b[32];

	if (!s->open)
		return;
	for (size_t i = 0; i < s->nkeys; i++) {
		struct apple_temp *t;
		if (!read_key(s, &s->key[i], b) || !(t = apple_reading_add_temp(r)))
			continue;
		t->source = APPLE_TEMP_SMC;
		key_name(s->key[i].key, t->name);
		/* sentinels (0, below 15, 40.0, >150) are the decoder's to drop */
		t->celsius = apple_smc_value(s->key[i].type, b, s->key[i].size);
	}
	for (unsigned i = 0; i < s->npower && r->nsmc_power < APPLE_MAX_SMC_POWER; i++) {
		struct apple_smc_power *p = &r->smc_power[r->nsmc_power];
		if (!read_key(s, &s->power[i], b))
			continue;
		key_name(s->power[i].key, p->key);
		p->watts = apple_smc_value(s->power[i].type, b, s->power[i].size);
		r->nsmc_power++;
	}
	for (unsigned i = 0; i < s->nfans; i++) {
		double v[3] = { NAN, NAN, NAN };
		for (int w = 0; w < 3; w++)
			if (s->fan[i][w].key && read_key(s, &s->fan[i][w], b))
				v[w] = apple_smc_value(s->fan[i][w].type, b, s->fan[i][w].size);
		r->fan[i].actual = v[0];
		r->fan[i].min = v[1];
		r->fan[i].max = v[2];
	}
	r->nfans = s->nfans;
	if (s->have_pdtr && read_key(s, &s->pdtr, b)) {
		double w = apple_smc_value(s->pdtr.type, b, s->pdtr.size);
		if (w >= 0 && w < 10000)
			r->input_w = w;
	}
	if (s->have_pstr && read_key(s, &s->pstr, b)) {
		double w = apple_smc_value(s->pstr.type, b, s->pstr.size);
		if (w > 0 && w < 10000)
			r->system_w = w;
	}
}

void mac_smc_close(struct mac_smc *s)
{
	if (s->open)
		IOServiceClose(s->conn);
	free(s->key);
	memset(s, 0, sizeof *s);
}

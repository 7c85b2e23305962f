/* ior.h - IOReport channels as plain C (no CoreFoundation types): what the macOS source hands
 * to the pure decoders, what dumps hold, and what the fakes serve. */
#ifndef AGTOP_IOR_H
#define AGTOP_IOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* IOReportChannelGetFormat */
enum ior_format {
	IOR_INVALID = 0,
	IOR_SIMPLE = 1,
	IOR_STATE = 2,
	IOR_HISTOGRAM = 3,
	IOR_SIMPLE_ARRAY = 4,
};

#define IOR_NO_VALUE INT64_MIN /* an unpopulated Simple channel */

struct ior_state {
	char name[32];     /* "IDLE", "V5P9", "P3", "  32GB/s" */
	int64_t residency; /* 24 MHz ticks (CPU/GPU states) or ns; only ratios are used */
};

struct ior_channel {
	char group[48];
	char subgroup[64];
	char name[64];
	char unit[16];
	enum ior_format format;
	int64_t value;    /* Simple: the counter (IOR_NO_VALUE: none) */
	unsigned nstates; /* State: the residencies */
	struct ior_state *states;
	/* The driver's own time of its last update (mach_absolute_time, RawElements byte offset
	 * 24), 0 unknown. macOS 27 publishes the mJ energy counters in batches about 2.1 s
	 * apart: this says when the value was published, not when it was read. In a delta, ts is
	 * the later reading's and ts_prev the earlier's. */
	uint64_t ts, ts_prev;
};

struct ior_sample {
	uint64_t mach_time; /* mach_absolute_time() when taken */
	size_t n, cap;
	struct ior_channel *ch;
};

void ior_sample_init(struct ior_sample *s);
void ior_sample_free(struct ior_sample *s);
/* Appends a channel (copying its states); returns it, or NULL when memory runs out. */
struct ior_channel *ior_add(struct ior_sample *s, const char *group, const char *subgroup,
                            const char *name, const char *unit, enum ior_format format);
int ior_add_states(struct ior_channel *c, unsigned n);

/* b - a per channel (what IOReportCreateSamplesDelta gives). Channels are matched by group,
 * subgroup and name, states by name. Simple values subtract; a value missing on either side, a
 * counter that went backwards (reset) and a channel absent from a give no value (never a spike
 * from zero). Residencies subtract state by state, never below 0; a state or channel absent
 * from a counts 0. */
int ior_delta(const struct ior_sample *a, const struct ior_sample *b, struct ior_sample *out);

/* Energy in joules from a counter delta and its unit label ("mJ", "uJ", "µJ", "nJ", "pJ",
 * "J"; blanks around it ignored). NAN for IOR_NO_VALUE or an unknown unit. */
double ior_joules(int64_t value, const char *unit);

/* "DIE_1_PCPU_CPU0" -> die 1, rest "PCPU_CPU0"; "DIE0 ECPU0 DCS RD" (macOS 27 early betas,
 * SiliconScope#14) -> die 0, rest "ECPU0 DCS RD"; no prefix -> die 0, rest the name. */
int ior_die(const char *name, const char **rest);

/* State names that mean the core or GPU is not running. */
bool ior_inactive_state(const char *name);

#endif

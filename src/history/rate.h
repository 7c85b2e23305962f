/* rate.h - counter arithmetic (pure): wrap, reset and backwards counters */
#ifndef AGTOP_RATE_H
#define AGTOP_RATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../sample.h"

/* a > b ? a - b : 0 (htop's saturatingSub): for tick counters that may step back a little. */
uint64_t sat_sub(uint64_t a, uint64_t b);

/* Advance of a counter that wraps at `range` (RAPL max_energy_range_uj; 0 = never wraps).
 * cur < prev with a range is a wrap: (range - prev) + cur. cur < prev without a range, or a prev
 * beyond the range, is a reset: returns false and the caller drops that interval. */
bool counter_delta(uint64_t prev, uint64_t cur, uint64_t range, uint64_t *out);

/* Average power from an energy advance; NAN when the interval is not positive or the result is
 * negative or implausible (above RATE_MAX_WATTS, i.e. a counter reset seen as a wrap). */
#define RATE_MAX_WATTS 20000.0
double rate_watts(double joules, double seconds);

/* busy/total advance as a ratio 0..1; NAN when total did not advance or went backwards. */
double rate_ratio(uint64_t busy_prev, uint64_t busy_now, uint64_t total_prev, uint64_t total_now);

/* CPU ticks of one line of /proc/stat (or host_processor_info), in USER_HZ ticks. */
struct cpu_ticks {
	uint64_t t[CPU_MODE_COUNT];
};

/* Busy ratio between two readings: total = user+nice+system+idle+iowait+irq+softirq+steal
 * (guest is already inside user and nice, so it is not added again), idle = idle+iowait; each
 * field advances by saturating subtraction. NAN when no tick elapsed. */
double cpu_ticks_busy(const struct cpu_ticks *prev, const struct cpu_ticks *cur);

#endif

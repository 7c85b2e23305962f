#include "rate.h"

#include <math.h>

uint64_t sat_sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

bool counter_delta(uint64_t prev, uint64_t cur, uint64_t range, uint64_t *out)
{
	if (cur >= prev) {
		*out = cur - prev;
		return true;
	}
	if (range == 0 || prev > range)
		return false;
	*out = (range - prev) + cur;
	return true;
}

double rate_watts(double joules, double seconds)
{
	double w;

	if (!(seconds > 0) || isnan(joules) || joules < 0)
		return NAN;
	w = joules / seconds;
	return w > RATE_MAX_WATTS ? NAN : w;
}

double rate_ratio(uint64_t busy_prev, uint64_t busy_now, uint64_t total_prev, uint64_t total_now)
{
	uint64_t busy, total;

	if (total_now <= total_prev)
		return NAN;
	total = total_now - total_prev;
	busy = sat_sub(busy_now, busy_prev);
	if (busy > total)
		busy = total;
	return (double)busy / (double)total;
}

static void ticks_split(const struct cpu_ticks *prev, const struct cpu_ticks *cur, uint64_t *busy,
                        uint64_t *total)
{
	static const enum cpu_mode busy_modes[] = { CPU_USER, CPU_NICE,    CPU_SYSTEM,
		                                    CPU_IRQ,  CPU_SOFTIRQ, CPU_STEAL };
	uint64_t b = 0, idle;

	for (unsigned i = 0; i < sizeof busy_modes / sizeof busy_modes[0]; i++)
		b += sat_sub(cur->t[busy_modes[i]], prev->t[busy_modes[i]]);
	idle = sat_sub(cur->t[CPU_IDLE], prev->t[CPU_IDLE]) +
	       sat_sub(cur->t[CPU_IOWAIT], prev->t[CPU_IOWAIT]);
	*busy = b;
	*total = b + idle;
}

double cpu_ticks_busy(const struct cpu_ticks *prev, const struct cpu_ticks *cur)
{
	uint64_t busy, total;

	ticks_split(prev, cur, &busy, &total);
	if (total == 0)
		return NAN;
	return (double)busy / (double)total;
}

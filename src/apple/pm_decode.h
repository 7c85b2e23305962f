/* pm_decode.h - one powermetrics plist document (samplers cpu_power, gpu_power, ane_power,
 * thermal, bandwidth) into a sample. Pure. Every field the original agtop read
 * (the original agtop 5bb0668, agtop/parsers.py), with its quirks handled:
 *   - clusters and CPUs: freq_hz (Hz), active = 1 - idle_ratio - down_ratio (ratios above 1 up
 *     to 100 are percentages); any number of clusters (E0, P0, P1, E1, P2, P3 on Ultra chips,
 *     whose second E cluster starts the second die);
 *   - gpu.freq_hz is MHz on real machines (714.836): values above 1e5 are taken as Hz;
 *   - energies in mJ over elapsed_ns; ane_energy 0 falls back to ane_power (mW);
 *     combined_power is already mW (the original divided it by the interval once more);
 *   - bandwidth_counters: bytes over the interval, per agent (ECPUn, PCPUn, GFX, media) and the
 *     DCS RD/WR totals;
 *   - thermal_pressure Nominal, Moderate, Heavy, Trapping, Sleeping. */
#ifndef AGTOP_PM_DECODE_H
#define AGTOP_PM_DECODE_H

#include "../sample.h"
#include "plist.h"

struct pm_decoder {
	double joules[RAIL_COUNT]; /* cumulative energy since the source started */
};

void pm_decoder_init(struct pm_decoder *d);

/* Decodes doc into out (reset by the caller). fallback_interval is used when the document has
 * no elapsed_ns, now when it has no timestamp. 0, or -1 when out of memory. */
int pm_decode(struct pm_decoder *d, const struct plist_node *doc, double fallback_interval,
              double now, struct sample *out);

/* "Nominal" → THERMAL_NOMINAL ...; THERMAL_UNKNOWN for anything else. */
enum thermal_pressure pm_thermal(const char *s);

#endif

/* alerts.h - the original's sustained alerts (seed-spec §7), pure */
#ifndef AGTOP_ALERTS_H
#define AGTOP_ALERTS_H

#include <stdbool.h>

#include "../sample.h"

#define ALERT_SWAP_HISTORY_MAX 1024

struct alert_cfg {
	int bw_sat_percent;        /* --alert-bw-sat-percent */
	int package_power_percent; /* --alert-package-power-percent */
	double swap_rise_gb;       /* --alert-swap-rise-gb */
	int sustain;               /* --alert-sustain-samples, >= 1 */
};

/* What one tick feeds the alerts. */
struct alert_in {
	enum thermal_pressure thermal;
	bool bw_available;
	int bw_max_percent;   /* hottest bandwidth gauge, clamp_percent */
	double swap_total_gb; /* GiB, NAN unknown */
	double swap_used_gb;
	int package_percent; /* clamp_percent(package W / package reference * 100), -1 unknown */
	unsigned throttle;   /* sample_throttle.causes (0 also when unknown) */
};

struct alerts {
	int bw_counter, pkg_counter, throttle_counter;
	double swap_hist[ALERT_SWAP_HISTORY_MAX]; /* the last sustain+1 swap readings */
	unsigned swap_n;
	bool thermal, bw, swap, pkg, throttle;
	unsigned throttle_causes; /* the causes of a throttle alert */
	double swap_rise;
	char label[192]; /* "THERMAL, BW>85%, SWAP+0.4G, PKG>85%, THROTTLED(power)" or "none" */
};

/* A throttle cause as people say it: "thermal", "power limit", "low power mode" ... */
const char *alerts_throttle_word(enum throttle_cause c);
/* The causes in bits, as words joined by sep, into out ("" for none). */
void alerts_throttle_words(unsigned causes, const char *sep, char *out, size_t size);

void alerts_init(struct alerts *a);
void alerts_update(struct alerts *a, const struct alert_cfg *cfg, const struct alert_in *in);

#endif

/* history.h - what a dashboard needs from the stream of samples (pure, no I/O): rolling
 * averages over --avg, session peaks, chart rings, power-scale percentages, session energy and
 * the sustained alerts. The original's formulas live here (seed-spec §6, §7). */
#ifndef AGTOP_HISTORY_H
#define AGTOP_HISTORY_H

#include <stdbool.h>

#include "../options.h"
#include "../sample.h"
#include "../soc.h"
#include "alerts.h"

#define HIST_POINTS 512 /* chart points kept: wider than any terminal */

/* One metric over time. NAN values are gaps: drawn as nothing, left out of averages. */
struct track {
	/* ring of HIST_POINTS chart points, newest at head-1; allocated at the first known value,
	 * so the tracks of clusters, GPUs, agents and rails a machine does not have cost nothing
	 * (NULL: every point so far NAN) */
	double *pts;
	unsigned head, n;
	double *win; /* the --avg window */
	unsigned win_cap, win_head, win_n, win_known;
	double win_sum;
	double peak; /* session maximum, NAN until a value arrives */
	double last; /* newest value */
};

void track_init(struct track *t, unsigned window);
void track_free(struct track *t);
void track_push(struct track *t, double v);
double track_avg(const struct track *t);
/* age 0 is the newest point; NAN when there is none */
double track_point(const struct track *t, unsigned age);

/* power_scaling.py: auto = max(floor, peak * 1.25), profile = max(floor, reference); the result
 * is clamp_percent(watts / denominator * 100). */
#define POWER_AUTO_MULTIPLIER 1.25
#define POWER_CPU_FLOOR_W     20.0
#define POWER_GPU_FLOOR_W     15.0
double power_to_percent(double watts, enum power_scale mode, double ref_w, double peak_w,
                        double floor_w);
/* clamp_percent: int() toward zero, then 0..100 */
int clamp_percent(double v);

struct history {
	enum power_scale power_scale;
	unsigned window; /* samples in the --avg window: max(1, avg / interval) */
	struct soc_profile soc;
	double package_ref_w;

	char cluster_names[SAMPLE_MAX_CLUSTERS][24];
	unsigned nclusters;
	struct track cluster_util[SAMPLE_MAX_CLUSTERS]; /* percent */
	struct track *core_util;                        /* percent, per sample.cores index */
	size_t ncores;
	struct track gpu_util[SAMPLE_MAX_GPUS];      /* percent */
	struct track ane_util;                       /* percent of SOC_ANE_MAX_W */
	struct track ram_used;                       /* percent */
	struct track swap_used;                      /* bytes */
	struct track bw_total;                       /* bytes/s */
	struct track bw_agent[SAMPLE_MAX_BW_AGENTS]; /* bytes/s */
	struct track rail_w[RAIL_COUNT];             /* watts */
	struct track rail_pct[RAIL_COUNT];           /* chart percent (power scale) */

	double energy_j;   /* session energy (package rail), NAN before it is known */
	double last_pkg_j; /* the package counter at the previous sample */
	unsigned long samples;

	struct alert_cfg alert_cfg;
	struct alerts alerts;
};

/* chip: the host's chip name (for the SoC profile). */
int history_init(struct history *h, const struct options *o, const char *chip);
void history_free(struct history *h);
void history_update(struct history *h, const struct sample *s);
/* Deep copy (a paused dashboard draws from one while the history goes on). 0, or -1 when
 * memory runs out (dst is then empty). */
int history_copy(struct history *dst, const struct history *src);
/* A new interval: the --avg window is counted in samples again; the averages start over, the
 * charts and the peaks stay. */
void history_set_interval(struct history *h, double avg, double interval);

/* Percent of a cluster: tick-based utilisation, or the active residency when that is all the
 * sample has (a decoded dump). NAN when neither is known. */
double history_cluster_percent(const struct sample_cluster *c);
double history_core_percent(const struct sample_core *c);
/* The reference a rail is charted against in profile mode. */
double history_rail_ref(const struct history *h, enum rail r);

#endif

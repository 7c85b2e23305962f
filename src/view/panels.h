/* panels.h - the dashboard's boxes: what each needs (rows) and how each draws */
#ifndef AGTOP_PANELS_H
#define AGTOP_PANELS_H

#include "dashboard.h"
#include "proc_panel.h"
#include "widgets.h"

#define PANEL_MIN_BOX_W     36 /* GPU, memory, power and process boxes side by side */
#define PANEL_MIN_CLUSTER_W 26 /* cluster boxes side by side */
#define PANEL_PROC_MAX      40 /* process rows before extra height goes to the charts */
#define PANEL_CHART_ROWS    4  /* a meter's preferred chart height */

struct panel_opts {
	bool show_cores; /* per-core panels (after the layout's drop decisions) */
	bool bw_agents;  /* bandwidth agent gauges */
};

struct panel_ctx {
	struct surface *s;
	const struct sample *smp;
	const struct history *h;
	struct view_state *vs;
	const struct theme *t;
	struct panel_opts opts;
	int cores_need; /* rows the per-core panels would need (0: shown or not asked for) */
};

/* inner rows a box needs at least (pref false) or would like (pref true) at an inner width */
int panel_cluster_rows(const struct panel_ctx *c, unsigned index, int inner_w, bool pref);
int panel_gpu_rows(const struct panel_ctx *c, int inner_w, bool pref);
int panel_mem_rows(const struct panel_ctx *c, int inner_w, bool pref);
int panel_power_rows(const struct panel_ctx *c, int inner_w, bool pref);

/* each draws its box (border included) in r */
void panel_cluster(struct panel_ctx *c, unsigned index, struct rect r);
void panel_gpu(struct panel_ctx *c, struct rect r);
void panel_mem(struct panel_ctx *c, struct rect r);
void panel_power(struct panel_ctx *c, struct rect r);

/* A panel with nothing to show on this machine: true, with why in plain words. */
bool panel_gpu_empty(const struct sample *s, char *why, size_t size);
bool panel_mem_empty(const struct sample *s, char *why, size_t size);
bool panel_power_empty(const struct sample *s, char *why, size_t size);
/* such a panel folded to one row: "── GPU & ANE: no GPU source on this machine ──" */
void panel_folded(struct panel_ctx *c, const char *name, const char *why, struct rect r);

/* power_panel.c's lines, for the compact frame too */
void power_rail_line(const struct panel_ctx *c, enum rail r, int x, int y, int w);
/* false (nothing drawn) when neither the thermal state nor a temperature is known */
bool power_thermal_line(const struct panel_ctx *c, int x, int y, int w);

/* one line per meter, no boxes: what a terminal too short for boxes gets */
void panel_compact(struct panel_ctx *c, struct rect r);
/* the help page: every key, and the reason behind each N/A (help.c) */
void panel_help(struct surface *s, const struct sample *smp, const struct view_state *vs,
                const struct theme *t);
/* the signal dialog: in a rect (the process panel's inside), or as the whole screen (help.c) */
void confirm_draw(struct surface *s, struct rect in, const struct view_state *vs,
                  const struct theme *t);
void panel_confirm(struct surface *s, const struct view_state *vs, const struct theme *t);
/* what a note key ("power.ane") is about, in words ("Neural engine power") (help.c) */
void view_note_name(const char *key, char *out, size_t size);

const char *panels_thermal_word(enum thermal_pressure t);

#endif

/* grid.h - the in-memory surface: a frame as text plus styles, for golden files and checks */
#ifndef AGTOP_GRID_H
#define AGTOP_GRID_H

#include "surface.h"

struct grid_cell {
	uint32_t cp; /* 0: never written (shown as a space) */
	struct style st;
	int run; /* 1-based run that wrote it, 0 for none */
	bool written;
};

struct grid_run {
	enum run_kind kind;
	char full[512];
	char drawn[512];
	int x, y;
};

struct grid {
	struct surface surf;
	struct grid_cell *cells;
	struct grid_run *runs;
	size_t nruns, cap;
	int cur; /* the open run, 0 none */
	char problems[8192];
	int nproblems;
};

int grid_init(struct grid *g, int w, int h);
void grid_free(struct grid *g);

/* The frame's text, one line per row (trailing blanks kept), malloc'd. */
char *grid_text(const struct grid *g);
/* The text, then a legend of styles and one line of style letters per row, malloc'd. */
char *grid_dump(const struct grid *g);
/* Runs the checks (labels overlapping or drawn over, labels cut inside a word, data cut without
 * "…"); returns the number of problems, described in g->problems. */
int grid_check(struct grid *g);

#endif

/* widgets.h - boxes, gauges and charts drawn on a surface */
#ifndef AGTOP_WIDGETS_H
#define AGTOP_WIDGETS_H

#include "../history/history.h"
#include "surface.h"
#include "theme.h"

struct rect {
	int x, y, w, h;
};

/* A bordered box with a title in its top edge (the longest of the alternatives that fits);
 * returns the inner rectangle. */
struct rect w_box(struct surface *s, struct rect r, const char *const *title, size_t ntitle,
                  const struct theme *t);

/* A one-row bar: percent of w cells filled in eighths; the rest dotted (dim '·'). With a gradient
 * each cell takes the colour of its position (green on the left to red on the right), else the
 * whole bar takes the colour of its value. NAN draws an empty bar. */
void w_gauge(struct surface *s, int x, int y, int w, double percent, const struct theme *t);

/* A chart of a track, one column per sample (the newest at the right), bars rising from the
 * bottom in eighths of a row; values are percent of `full` (100 for percentages). With a
 * gradient each column takes the colour of its own value, else all take the newest value's.
 * NAN leaves a gap. */
void w_chart(struct surface *s, struct rect r, const struct track *tr, double full,
             const struct theme *t);

#endif

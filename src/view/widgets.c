#include "widgets.h"

#include <math.h>

/* ▏▎▍▌▋▊▉█ and ▁▂▃▄▅▆▇█ */
static const uint32_t hbar[8] = { 0x258F, 0x258E, 0x258D, 0x258C, 0x258B, 0x258A, 0x2589, 0x2588 };
static const uint32_t vbar[8] = { 0x2581, 0x2582, 0x2583, 0x2584, 0x2585, 0x2586, 0x2587, 0x2588 };

struct rect w_box(struct surface *s, struct rect r, const char *const *title, size_t ntitle,
                  const struct theme *t)
{
	struct rect in = { r.x + 1, r.y + 1, r.w - 2, r.h - 2 };

	if (r.w < 2 || r.h < 2)
		return (struct rect){ r.x, r.y, 0, 0 };
	s->ops->put(s, r.x, r.y, 0x250C, 1, t->border);
	surf_fill(s, r.x + 1, r.y, r.w - 2, 0x2500, t->border);
	s->ops->put(s, r.x + r.w - 1, r.y, 0x2510, 1, t->border);
	for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
		s->ops->put(s, r.x, y, 0x2502, 1, t->border);
		s->ops->put(s, r.x + r.w - 1, y, 0x2502, 1, t->border);
	}
	s->ops->put(s, r.x, r.y + r.h - 1, 0x2514, 1, t->border);
	surf_fill(s, r.x + 1, r.y + r.h - 1, r.w - 2, 0x2500, t->border);
	s->ops->put(s, r.x + r.w - 1, r.y + r.h - 1, 0x2518, 1, t->border);
	if (ntitle && r.w >= 6) {
		/* "┌ Title ───┐": a blank on each side of the title */
		char buf[256];
		label_fit(title, ntitle, r.w - 4, buf, sizeof buf);
		if (buf[0]) {
			int used;
			s->ops->put(s, r.x + 1, r.y, ' ', 1, t->border);
			used = surf_label(s, r.x + 2, r.y, r.w - 4, title, ntitle, t->title);
			s->ops->put(s, r.x + 2 + used, r.y, ' ', 1, t->border);
		}
	}
	return in;
}

void w_gauge(struct surface *s, int x, int y, int w, double percent, const struct theme *t)
{
	double p = isnan(percent) ? 0 : fmax(0, fmin(100, percent));
	int eighths = (int)(p / 100.0 * w * 8 + 0.5);
	struct style value = theme_value(t, percent);

	for (int i = 0; i < w; i++) {
		int e = eighths - i * 8;
		struct style st =
		    t->gradient ? theme_value(t, w > 1 ? i * 100.0 / (w - 1) : 0) : value;
		if (isnan(percent) || e <= 0)
			s->ops->put(s, x + i, y, 0x00B7 /* · */, 1, t->dim);
		else
			s->ops->put(s, x + i, y, hbar[e >= 8 ? 7 : e - 1], 1, st);
	}
}

void w_chart(struct surface *s, struct rect r, const struct track *tr, double full,
             const struct theme *t)
{
	struct style whole;

	if (r.w <= 0 || r.h <= 0 || !(full > 0))
		return;
	/* without a gradient the chart takes the colour of its newest value, as the original */
	whole = theme_value(t, track_point(tr, 0) / full * 100);
	for (int col = 0; col < r.w; col++) {
		double v = track_point(tr, (unsigned)(r.w - 1 - col));
		double pct;
		int eighths;
		struct style st;

		if (isnan(v))
			continue;
		pct = fmax(0, fmin(100, v / full * 100));
		eighths = (int)(pct / 100.0 * r.h * 8 + 0.5);
		if (eighths == 0 && v > 0)
			eighths = 1; /* a value above zero always shows */
		st = t->gradient ? theme_value(t, pct) : whole;
		for (int row = 0; row < r.h && eighths > 0; row++, eighths -= 8) {
			int y = r.y + r.h - 1 - row;
			s->ops->put(s, r.x + col, y, vbar[eighths >= 8 ? 7 : eighths - 1], 1, st);
		}
	}
}

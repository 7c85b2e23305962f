#include "theme.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

static bool eq_ci(const char *a, const char *b)
{
	if (!a)
		return false;
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

enum render_mode theme_detect(const struct options *o, const struct term_caps *caps)
{
	enum render_mode m;

	if (o->no_color)
		return RENDER_MONO;
	if (caps->term && eq_ci(caps->term, "dumb"))
		return RENDER_MONO;
	if (!caps->is_tty && !caps->force_color)
		return RENDER_MONO;
	switch (o->color_mode) {
	case COLOR_MODE_MONO:
		return RENDER_MONO;
	case COLOR_MODE_BASIC:
		return RENDER_BASIC;
	case COLOR_MODE_256:
		m = RENDER_256;
		break;
	case COLOR_MODE_TRUECOLOR:
		m = RENDER_TRUECOLOR;
		break;
	default:
		if (eq_ci(caps->colorterm, "truecolor") || eq_ci(caps->colorterm, "24bit") ||
		    caps->colors >= (1 << 24))
			m = RENDER_TRUECOLOR;
		else if (caps->colors >= 256)
			m = RENDER_256;
		else
			return RENDER_BASIC;
	}
	/* 24-bit only where terminfo can say it; else the nearest of 256 */
	if (m == RENDER_TRUECOLOR && !caps->direct)
		m = RENDER_256;
	if (m == RENDER_256 && caps->colors > 0 && caps->colors < 256 && !caps->direct)
		m = RENDER_BASIC;
	return m;
}

static struct style plain(uint8_t attr)
{
	struct style s = { { COLOR_DEFAULT, 0 }, { COLOR_DEFAULT, 0 }, attr };
	return s;
}

static struct style indexed(int idx, uint8_t attr)
{
	struct style s = { { COLOR_INDEX, (uint32_t)idx }, { COLOR_DEFAULT, 0 }, attr };
	return s;
}

void theme_init(struct theme *t, enum render_mode mode, int color, bool gradient)
{
	memset(t, 0, sizeof *t);
	t->mode = mode;
	t->gradient = gradient && mode != RENDER_MONO;
	t->text = plain(0);
	t->head = plain(ATTR_BOLD);
	t->select = plain(ATTR_REVERSE);
	if (mode == RENDER_MONO) {
		t->title = plain(ATTR_BOLD);
		t->border = plain(0);
		t->dim = plain(ATTR_DIM);
		t->alert = plain(ATTR_BOLD | ATTR_REVERSE);
		t->ok = plain(0);
		return;
	}
	/* --color n is terminfo setaf n: borders and titles; text keeps the terminal's colour */
	t->border = indexed(color, 0);
	t->title = indexed(color, ATTR_BOLD);
	t->dim = plain(ATTR_DIM);
	t->alert = indexed(1, ATTR_BOLD | ATTR_REVERSE);
	t->ok = indexed(2, 0);
}

unsigned theme_value_rgb(double p)
{
	static const double stop[4] = { 0, 50, 75, 100 };
	static const unsigned rgb[4][3] = {
		{ 0, 200, 0 }, { 230, 220, 0 }, { 255, 140, 0 }, { 220, 0, 0 }
	};
	unsigned out = 0;
	int k = 0;

	if (isnan(p) || p < 0)
		p = 0;
	if (p > 100)
		p = 100;
	while (k < 2 && p > stop[k + 1])
		k++;
	for (int c = 0; c < 3; c++) {
		double ratio = (p - stop[k]) / (stop[k + 1] - stop[k]);
		double v = rgb[k][c] + ((double)rgb[k + 1][c] - (double)rgb[k][c]) * ratio;
		out = (out << 8) | (unsigned)(int)(v + 0.5);
	}
	return out;
}

int theme_nearest_256(unsigned rgb)
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int r = (int)(rgb >> 16) & 0xff, g = (int)(rgb >> 8) & 0xff, b = (int)rgb & 0xff;
	int best = 16;
	long bestd = -1;

	/* the 6x6x6 cube and the 24 greys (16..255; 0..15 vary by terminal) */
	for (int i = 16; i < 256; i++) {
		int cr, cg, cb;
		long d;
		if (i < 232) {
			int n = i - 16;
			cr = level[n / 36];
			cg = level[(n / 6) % 6];
			cb = level[n % 6];
		} else {
			cr = cg = cb = 8 + 10 * (i - 232);
		}
		d = (long)(cr - r) * (cr - r) + (long)(cg - g) * (cg - g) +
		    (long)(cb - b) * (cb - b);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

struct style theme_value(const struct theme *t, double p)
{
	switch (t->mode) {
	case RENDER_MONO:
		return plain(0);
	case RENDER_BASIC:
		if (isnan(p))
			return plain(0);
		return indexed(p < 50 ? 2 : p < 75 ? 3 : 1, 0);
	case RENDER_256:
		return indexed(theme_nearest_256(theme_value_rgb(p)), 0);
	case RENDER_TRUECOLOR: {
		struct style s = plain(0);
		s.fg.kind = COLOR_RGB;
		s.fg.v = theme_value_rgb(p);
		return s;
	}
	}
	return plain(0);
}

const char *theme_name(int n)
{
	static const char *const names[] = { "graphite", "ember", "green", "amber", "ocean",
		                             "orchid",   "teal",  "snow",  "slate" };
	return n >= 0 && n < (int)(sizeof names / sizeof names[0]) ? names[n] : "custom";
}

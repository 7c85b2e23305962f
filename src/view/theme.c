#include "theme.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
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

/* The themes --color 0-8 picks and c cycles: the original's palette colours for borders,
 * each with titles that read on a dark terminal, a text colour, a dim colour, and the
 * gradient its gauges and charts run through (green for low to red for high in the default,
 * as the original). In 8/16-colour terminals: palette entries (-1 the terminal's own). */
struct theme_def {
	const char *name;
	int basic_title, ramp[3]; /* title; gauges below 50 %, below 75 %, above */
	unsigned accent, title, text, dim;
	unsigned stops[4]; /* 0, 50, 75 and 100 % */
};

static const struct theme_def themes[] = {
	{ "graphite",
	  -1,
	  { 7, 7, 1 },
	  0x6c6c6c,
	  0xd0d0d0,
	  0xbcbcbc,
	  0x585858,
	  { 0x6c6c6c, 0x9e9e9e, 0xd0d0d0, 0xffffff } },
	{ "ember",
	  1,
	  { 3, 3, 1 },
	  0xd75f5f,
	  0xff8787,
	  0xe4d0d0,
	  0x6c5858,
	  { 0xffaf5f, 0xff8700, 0xff5f00, 0xd70000 } },
	{ "green",
	  2,
	  { 2, 3, 1 },
	  0x00af00,
	  0x5fd75f,
	  0xd0e4d0,
	  0x586c58,
	  { 0x00c800, 0xe6dc00, 0xff8c00, 0xdc0000 } },
	{ "amber",
	  3,
	  { 3, 3, 1 },
	  0xffaf00,
	  0xffd75f,
	  0xeeddbb,
	  0x6c6450,
	  { 0xffd787, 0xffaf00, 0xff8700, 0xd75f00 } },
	{ "ocean",
	  6,
	  { 6, 4, 5 },
	  0x5f87ff,
	  0x87afff,
	  0xc6d6f0,
	  0x50586c,
	  { 0x00afff, 0x5f87ff, 0xaf5fff, 0xff5f87 } },
	{ "orchid",
	  5,
	  { 5, 5, 1 },
	  0xd75fd7,
	  0xff87ff,
	  0xe8cce8,
	  0x6c506c,
	  { 0xaf87ff, 0xd75fd7, 0xff5faf, 0xff005f } },
	{ "teal",
	  6,
	  { 6, 3, 1 },
	  0x00d7d7,
	  0x5fffd7,
	  0xc6ecec,
	  0x506c6c,
	  { 0x00d7af, 0x00d7d7, 0xffd700, 0xff5f5f } },
	{ "snow",
	  7,
	  { 2, 3, 1 },
	  0xd0d0d0,
	  0xffffff,
	  0xe4e4e4,
	  0x6c6c6c,
	  { 0x87d787, 0xd7d787, 0xffaf5f, 0xff5f5f } },
	{ "slate",
	  -1,
	  { 4, 3, 1 },
	  0x8a8a8a,
	  0xd0d0d0,
	  0xc0c0c0,
	  0x585858,
	  { 0x5fafd7, 0x87afaf, 0xd7af5f, 0xd75f5f } },
};

#define NTHEMES       (int)(sizeof themes / sizeof themes[0])
#define DEFAULT_THEME 2

const char *theme_name(int n)
{
	return n >= 0 && n < NTHEMES ? themes[n].name : "custom";
}

static struct style rgb_style(enum render_mode mode, unsigned rgb, uint8_t attr)
{
	struct style s = plain(attr);

	if (mode == RENDER_TRUECOLOR) {
		s.fg.kind = COLOR_RGB;
		s.fg.v = rgb;
	} else {
		s.fg.kind = COLOR_INDEX;
		s.fg.v = (uint32_t)theme_nearest_256(rgb);
	}
	return s;
}

void theme_init(struct theme *t, enum render_mode mode, int color, bool gradient)
{
	bool named = color >= 0 && color < NTHEMES;
	const struct theme_def *d = &themes[named ? color : DEFAULT_THEME];

	memset(t, 0, sizeof *t);
	t->mode = mode;
	t->gradient = gradient && mode != RENDER_MONO;
	memcpy(t->stops, d->stops, sizeof t->stops);
	memcpy(t->ramp, d->ramp, sizeof t->ramp);
	t->select = plain(ATTR_REVERSE);
	if (mode == RENDER_MONO) { /* NO_COLOR and friends: bold, dim and reverse only */
		t->text = plain(0);
		t->head = plain(ATTR_BOLD);
		t->title = plain(ATTR_BOLD);
		t->border = plain(0);
		t->dim = plain(ATTR_DIM);
		t->alert = plain(ATTR_BOLD | ATTR_REVERSE);
		t->ok = plain(0);
		return;
	}
	t->alert = indexed(1, ATTR_BOLD | ATTR_REVERSE);
	t->ok = indexed(2, 0);
	if (mode == RENDER_BASIC || !named) {
		/* --color n is terminfo setaf n for the borders; the titles in a colour that reads
		 * (black or grey ones would not) */
		t->border = indexed(color, 0);
		t->title = !named                ? indexed(color, ATTR_BOLD)
		           : d->basic_title >= 0 ? indexed(d->basic_title, ATTR_BOLD)
		                                 : plain(ATTR_BOLD);
		t->text = plain(0);
		t->head = plain(ATTR_BOLD);
		t->dim = plain(ATTR_DIM);
		return;
	}
	t->border = rgb_style(mode, d->accent, 0);
	t->title = rgb_style(mode, d->title, ATTR_BOLD);
	t->text = rgb_style(mode, d->text, 0);
	t->head = rgb_style(mode, d->title, ATTR_BOLD);
	t->dim = rgb_style(mode, d->dim, 0);
}

/* linear between the stops at 0, 50, 75 and 100 % */
static unsigned ramp_rgb(const unsigned *stops, double p)
{
	static const double at[4] = { 0, 50, 75, 100 };
	unsigned out = 0;
	int k = 0;

	if (isnan(p) || p < 0)
		p = 0;
	if (p > 100)
		p = 100;
	while (k < 2 && p > at[k + 1])
		k++;
	for (int c = 16; c >= 0; c -= 8) {
		double a = (stops[k] >> c) & 0xff, b = (stops[k + 1] >> c) & 0xff;
		double v = a + (b - a) * (p - at[k]) / (at[k + 1] - at[k]);
		out = (out << 8) | (unsigned)(int)(v + 0.5);
	}
	return out;
}

unsigned theme_value_rgb(double p)
{
	return ramp_rgb(themes[DEFAULT_THEME].stops, p);
}

/* The nearest level of the cube's six for one channel (the lower on a tie). */
static int cube_level(int v, const int *level)
{
	int best = 0;

	for (int i = 1; i < 6; i++)
		if (abs(level[i] - v) < abs(level[best] - v))
			best = i;
	return best;
}

static long dist(int r, int g, int b, int cr, int cg, int cb)
{
	return (long)(cr - r) * (cr - r) + (long)(cg - g) * (cg - g) + (long)(cb - b) * (cb - b);
}

/* The nearest of palette colours 16..255 (the 6x6x6 cube and the 24 greys; 0..15 vary by
 * terminal), the lowest index on a tie. Every cell of every frame asks this, so it is worked
 * out, not searched: the squared distance to a cube colour is a sum over the channels, so the
 * nearest level per channel is the nearest cube colour; the nearest grey is next to the
 * channels' mean. */
int theme_nearest_256(unsigned rgb)
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int r = (int)(rgb >> 16) & 0xff, g = (int)(rgb >> 8) & 0xff, b = (int)rgb & 0xff;
	int lr = cube_level(r, level), lg = cube_level(g, level), lb = cube_level(b, level);
	int best = 16 + 36 * lr + 6 * lg + lb, k = ((r + g + b) / 3 - 8) / 10;
	long bestd = dist(r, g, b, level[lr], level[lg], level[lb]);

	for (int i = k - 1; i <= k + 1; i++) {
		int v = 8 + 10 * i;
		long d;
		if (i < 0 || i > 23)
			continue;
		d = dist(r, g, b, v, v, v);
		if (d < bestd) { /* greys come after the cube: only a strictly nearer one */
			bestd = d;
			best = 232 + i;
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
		return indexed(t->ramp[p < 50 ? 0 : p < 75 ? 1 : 2], 0);
	case RENDER_256:
		return indexed(theme_nearest_256(ramp_rgb(t->stops, p)), 0);
	case RENDER_TRUECOLOR: {
		struct style s = plain(0);
		s.fg.kind = COLOR_RGB;
		s.fg.v = ramp_rgb(t->stops, p);
		return s;
	}
	}
	return plain(0);
}

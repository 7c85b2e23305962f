/* theme.h - colour modes, the --color themes and the value gradient (pure) */
#ifndef AGTOP_THEME_H
#define AGTOP_THEME_H

#include <stdbool.h>

#include "../options.h"
#include "surface.h"

/* The colour mode that is actually drawn with. */
enum render_mode { RENDER_MONO = 0, RENDER_BASIC, RENDER_256, RENDER_TRUECOLOR };

/* What the terminal can do, as terminfo and the environment say. */
struct term_caps {
	bool is_tty;      /* output goes to a terminal that styles text */
	int colors;       /* terminfo max_colors (0 none; 16777216 for direct colour) */
	bool direct;      /* terminfo has direct colour (RGB) */
	const char *term; /* $TERM */
	const char *colorterm;
	bool force_color; /* FORCE_COLOR or CLICOLOR_FORCE set to a true value */
};

/* seed-spec §10.2, with the rule that 24-bit colour is used only where terminfo has direct
 * colour (else the nearest of 256): NO_COLOR -> mono; TERM=dumb -> mono; not styling -> mono;
 * AGTOP_COLOR_MODE when set; COLORTERM truecolor/24bit or >= 2^24 colours -> truecolor;
 * >= 256 -> 256; > 0 -> basic. */
enum render_mode theme_detect(const struct options *o, const struct term_caps *caps);

struct theme {
	enum render_mode mode;
	bool gradient;       /* per-cell colours (AGTOP_GRADIENT, default: on with colour) */
	struct style text;   /* values and labels: the terminal's own colours, readable on
	                      * dark and light backgrounds alike */
	struct style title;  /* panel titles */
	struct style border; /* --color */
	struct style dim;    /* empty gauge cells, N/A */
	struct style alert;  /* a firing alert */
	struct style ok;     /* "none" */
	struct style head;   /* table headings */
	struct style select; /* the sorted column, the edited filter */
	unsigned stops[4];   /* the gauges' gradient (RGB at 0, 50, 75, 100 %) */
	int ramp[3];         /* its basic colours: below 50 %, below 75 %, above */
};

void theme_init(struct theme *t, enum render_mode mode, int color, bool gradient);
/* The name of theme (--color) n: "green", "amber", ...; "custom" beyond the named ones. */
const char *theme_name(int n);

/* value_to_rgb: 0 green (0,200,0), 50 yellow (230,220,0), 75 orange (255,140,0), 100 red
 * (220,0,0), linear between the stops: the default theme's gradient. */
unsigned theme_value_rgb(double percent);
/* The colour of a value in the current mode: RGB, its nearest palette entry, the basic
 * green/yellow/red (<50, <75, else), or nothing in mono. */
struct style theme_value(const struct theme *t, double percent);
/* Nearest xterm-256 palette entry (16..255) to an RGB colour. */
int theme_nearest_256(unsigned rgb);

#endif

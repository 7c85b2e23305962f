/* surface.h - the tiny drawing interface panels draw on. Two implementations: the ncurses
 * screen (screen_curses.c) for people, and an in-memory grid (grid.c) for tests, so that a whole
 * frame can be compared with a golden file and checked for overlapping labels. */
#ifndef AGTOP_SURFACE_H
#define AGTOP_SURFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum color_kind { COLOR_DEFAULT = 0, COLOR_INDEX, COLOR_RGB };

struct color {
	uint8_t kind;
	uint32_t v; /* palette index 0..255, or 0xRRGGBB */
};

#define ATTR_BOLD      0x01
#define ATTR_DIM       0x02
#define ATTR_REVERSE   0x04
#define ATTR_UNDERLINE 0x08

struct style {
	struct color fg, bg;
	uint8_t attr;
};

/* Field by field (the padding of a struct style is never compared). */
bool style_equal(struct style a, struct style b);

/* What a run of cells is, for the grid's checks: a label must not overlap another label or be
 * drawn over, and must not be cut inside a word. Data cells (process names) may be cut (they
 * end with "…"); decoration (borders, bars) carries no text. */
enum run_kind { RUN_DECOR = 0, RUN_LABEL, RUN_DATA };

struct surface;

struct surface_ops {
	/* one cell; width is 1 or 2 (a wide character takes the next cell too) */
	void (*put)(struct surface *s, int x, int y, uint32_t cp, int width, struct style st);
	void (*clear)(struct surface *s);
	/* brackets around the cells of one text run; full is the text before fitting */
	void (*begin_run)(struct surface *s, enum run_kind kind, const char *full);
	void (*end_run)(struct surface *s);
};

struct surface {
	const struct surface_ops *ops;
	int w, h;
	void *priv;
};

/* Decodes one UTF-8 character at *p (advancing it); invalid bytes give U+FFFD. */
uint32_t utf8_next(const char **p);
/* Display width of a code point (0, 1 or 2). */
int cp_width(uint32_t cp);
/* Display width of a UTF-8 string. */
int text_width(const char *s);

/* Draws text at x,y within maxw cells (never beyond the surface); returns cells used. The text
 * must already fit: this only clips at the surface edge. */
int surf_text(struct surface *s, int x, int y, int maxw, const char *text, struct style st,
              enum run_kind kind);
void surf_fill(struct surface *s, int x, int y, int w, uint32_t cp, struct style st);

/* Fits a label into maxw cells: the first of the alternatives (longest first) that fits whole;
 * when none does, the last one cut after its last whole word that fits (never inside a word),
 * or "" when not even one word fits. Returns the chosen text in out. */
void label_fit(const char *const *alts, size_t nalts, int maxw, char *out, size_t size);
/* label_fit then surf_text; returns cells used. */
int surf_label(struct surface *s, int x, int y, int maxw, const char *const *alts, size_t nalts,
               struct style st);

/* Shortens data text (a process name) to maxw cells, ending in "…" when cut. */
void data_fit(const char *text, int maxw, char *out, size_t size);

#endif

/* screen_curses.c - ncursesw behind the surface interface */
/* the wide-character API (cchar_t, setcchar): on Linux pkg-config's -D_XOPEN_SOURCE=600 turns it
 * on, on macOS nothing does */
#define NCURSES_WIDECHAR 1
#include "screen_curses.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>
#include <wchar.h>

/* the wheel turned down: button 5 where ncurses has five buttons (mouse version 2) */
#ifdef BUTTON5_PRESSED
#define WHEEL_DOWN BUTTON5_PRESSED
#else
#define WHEEL_DOWN BUTTON2_PRESSED
#endif

/* colour pairs already asked of alloc_pair this frame: alloc_pair searches ncurses' pair
 * tree (tfind) on every call, which was a tenth of a frame's drawing when asked per cell
 * (bench/README.md); kept for one frame only, as alloc_pair may recycle the least recently
 * used pair when a terminal's pairs run out */
#define PAIR_CACHE 64

struct pair_slot {
	int fg, bg, pair;
	bool set;
};

/* What stdscr holds in a cell, as agtop last wrote it, in two arrays of cw x ch: the character
 * with its width and a mark (CELL_* below; a wide character's second cell holds character 0),
 * and its style as an index into the screen's style table. Six bytes a cell: 60 KB for a
 * 200x50 terminal. */
#define CELL_CP    0x1FFFFFu /* the code point, up to U+10FFFF */
#define CELL_WIDE  (1u << 21)
#define CELL_MARK  (1u << 22) /* equal to the screen's mark: drawn by the current frame */
#define CELL_BLANK ((uint32_t)' ')
#define STYLE_NONE UINT16_MAX /* a style index that matches no style: drawn again */

/* the styles a screen has drawn with (a few dozen; gradients in direct colour add some
 * hundreds): cells keep an index, not the style; style 0 is the default, the blank's. The
 * table grows as styles come; when full it starts again. */
#define STYLE_MAX  1024
#define STYLE_HASH 2048 /* a power of two, twice STYLE_MAX */

/* Cells are written to stdscr only when they differ from what it holds, and a frame erases
 * nothing: the cells it does not draw become blanks at the flush. Erasing stdscr and
 * writing all 10,000 cells of a 200x50 terminal every frame spent setcchar, wadd_wch and
 * wnoutrefresh's comparison on cells that were the same as before (bench/README.md). */
struct screen {
	struct surface surf;
	SCREEN *scr;
	enum render_mode mode;
	bool open;
	struct pair_slot pairs[PAIR_CACHE];
	uint32_t *cell;   /* cw x ch; NULL: stdscr is to be erased first */
	uint16_t *cstyle; /* cw x ch */
	int cw, ch;
	uint32_t mark;        /* CELL_MARK or 0, flipped every frame */
	struct style *styles; /* nstyles of cap */
	uint16_t nstyles, cap;
	uint16_t *style_hash; /* STYLE_HASH: index + 1, 0 = empty */
};

void screen_caps(struct term_caps *caps)
{
	const char *fc = getenv("FORCE_COLOR"), *cf = getenv("CLICOLOR_FORCE");
	int err = 0;

	memset(caps, 0, sizeof *caps);
	caps->term = getenv("TERM");
	caps->colorterm = getenv("COLORTERM");
	caps->is_tty = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	caps->force_color =
	    (fc && *fc && strcmp(fc, "0") != 0) || (cf && *cf && strcmp(cf, "0") != 0);
	if (caps->term && setupterm(caps->term, STDOUT_FILENO, &err) == OK) {
		int n = tigetnum("colors");
		int rgb = tigetflag("RGB");
		caps->colors = n > 0 ? n : 0;
		/* ncurses' direct-colour entries (xterm-direct) have RGB and 2^24 colours */
		caps->direct = rgb > 0 && n >= (1 << 24);
		del_curterm(cur_term);
	}
}

static short color_number(struct color c, enum render_mode mode)
{
	(void)mode;
	if (c.kind == COLOR_INDEX)
		return (short)c.v;
	return -1;
}

static int pair_for(struct screen *sc, struct style st)
{
	int fg = -1, bg = -1;

	if (sc->mode == RENDER_MONO)
		return 0;
	if (st.fg.kind == COLOR_RGB)
		fg = (int)st.fg.v; /* direct colour: the colour number is the RGB value */
	else
		fg = color_number(st.fg, sc->mode);
	if (st.bg.kind == COLOR_RGB)
		bg = (int)st.bg.v;
	else
		bg = color_number(st.bg, sc->mode);
	if (fg >= COLORS && st.fg.kind != COLOR_RGB)
		fg = -1;
	if (fg == -1 && bg == -1)
		return 0;
	{
		unsigned h = ((unsigned)fg * 2654435761u ^ (unsigned)bg * 40503u) % PAIR_CACHE;
		struct pair_slot *c = &sc->pairs[h];
		int p;

		if (c->set && c->fg == fg && c->bg == bg)
			return c->pair;
		p = alloc_pair(fg, bg);
		if (p < 0)
			return 0;
		*c = (struct pair_slot){ fg, bg, p, true };
		return p;
	}
}

static attr_t attrs_for(struct style st)
{
	attr_t a = A_NORMAL;

	if (st.attr & ATTR_BOLD)
		a |= A_BOLD;
	if (st.attr & ATTR_DIM)
		a |= A_DIM;
	if (st.attr & ATTR_REVERSE)
		a |= A_REVERSE;
	if (st.attr & ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	return a;
}

static const struct style default_style = { { COLOR_DEFAULT, 0 }, { COLOR_DEFAULT, 0 }, 0 };

static void forget_cells(struct screen *sc)
{
	free(sc->cell);
	free(sc->cstyle);
	free(sc->styles);
	free(sc->style_hash);
	sc->cell = NULL;
	sc->cstyle = NULL;
	sc->styles = NULL;
	sc->style_hash = NULL;
	sc->cw = sc->ch = 0;
	sc->nstyles = sc->cap = 0;
}

static void styles_reset(struct screen *sc)
{
	memset(sc->style_hash, 0, STYLE_HASH * sizeof *sc->style_hash);
	sc->styles[0] = default_style;
	sc->nstyles = 1; /* style 0, the default, is never hashed: style_of tests it first */
}

static unsigned style_hash(struct style st)
{
	return ((st.fg.kind * 31u + st.fg.v * 2654435761u) ^ (st.bg.kind * 7u + st.bg.v * 40503u) ^
	        st.attr * 97u) &
	       (STYLE_HASH - 1);
}

/* The style's index, added when new. A full table starts again, and the cells, whose indexes
 * no longer mean anything, are drawn again as they come. */
static uint16_t style_of(struct screen *sc, struct style st)
{
	unsigned h = style_hash(st);

	if (style_equal(st, sc->styles[0]))
		return 0;
	for (unsigned i = 0; i < STYLE_HASH; i++) {
		unsigned k = (h + i) & (STYLE_HASH - 1);
		uint16_t id = sc->style_hash[k];

		if (id != 0 && style_equal(st, sc->styles[id - 1]))
			return (uint16_t)(id - 1);
		if (id != 0)
			continue;
		if (sc->nstyles == sc->cap && sc->cap < STYLE_MAX) {
			uint16_t cap =
			    (uint16_t)(sc->cap * 2 > STYLE_MAX ? STYLE_MAX : sc->cap * 2);
			struct style *n = realloc(sc->styles, cap * sizeof *n);

			if (n) {
				sc->styles = n;
				sc->cap = cap;
			}
		}
		if (sc->nstyles == sc->cap)
			break;
		sc->styles[sc->nstyles] = st;
		sc->style_hash[k] = (uint16_t)(sc->nstyles + 1);
		return sc->nstyles++;
	}
	styles_reset(sc);
	for (size_t i = 0; i < (size_t)sc->cw * (size_t)sc->ch; i++)
		sc->cstyle[i] = STYLE_NONE;
	sc->styles[1] = st;
	sc->style_hash[h] = 2;
	sc->nstyles = 2;
	return 1;
}

static void write_cell(struct screen *sc, int x, int y, uint32_t cp, struct style st)
{
	wchar_t w[2] = { (wchar_t)cp, 0 };
	cchar_t cc;
	int pair = pair_for(sc, st);

	if (setcchar(&cc, w, attrs_for(st), 0, &pair) != OK)
		return;
	/* at the bottom-right cell the cursor cannot advance: the cell is written and ERR comes
	 * back, which is harmless (scrolling is off) */
	mvadd_wch(y, x, &cc);
}

/* Writes a blank at cell i (x, y); the cell keeps its mark. */
static void blank_cell(struct screen *sc, size_t i, int x, int y)
{
	write_cell(sc, x, y, ' ', default_style);
	sc->cell[i] = CELL_BLANK | (sc->cell[i] & CELL_MARK);
	sc->cstyle[i] = 0;
}

static void scr_put(struct surface *s, int x, int y, uint32_t cp, int width, struct style st)
{
	struct screen *sc = s->priv;
	size_t i;
	uint32_t want, had;
	uint16_t id;
	bool wide = width == 2, room = x + 1 < sc->cw;

	if (x < 0 || y < 0 || x >= sc->cw || y >= sc->ch || cp == 0 || cp > CELL_CP)
		return; /* 0 marks a wide character's second half; surfaces never draw it */
	id = style_of(sc, st);
	i = (size_t)y * (size_t)sc->cw + (size_t)x;
	had = sc->cell[i];
	want = cp | (wide ? CELL_WIDE : 0) | sc->mark;
	if ((had & ~CELL_MARK) == (want & ~CELL_MARK) && sc->cstyle[i] == id) {
		sc->cell[i] = want; /* stdscr has it already */
		if (wide && room)
			sc->cell[i + 1] = (sc->cell[i + 1] & ~CELL_MARK) | sc->mark;
		return;
	}
	/* a wide character written over in part: its other half is blanked here, as ncurses
	 * leaves it in stdscr and draws it with the next character moved one cell on (found by
	 * tests/screen_diff.sh) */
	if ((had & CELL_CP) == 0 && x > 0)
		blank_cell(sc, i - 1, x - 1, y);
	write_cell(sc, x, y, cp, st);
	if (!wide && (had & CELL_WIDE) && room)
		blank_cell(sc, i + 1, x + 1, y);
	if (wide && x + 2 < sc->cw && (sc->cell[i + 1] & CELL_WIDE))
		blank_cell(sc, i + 2, x + 2, y);
	sc->cell[i] = want;
	sc->cstyle[i] = id;
	if (wide && room) {
		sc->cell[i + 1] = sc->mark; /* character 0: the second half */
		sc->cstyle[i + 1] = id;
	}
}

/* A new frame: nothing is erased (the flush blanks what it does not draw), unless the size
 * changed or the screen is new. */
static void scr_clear(struct surface *s)
{
	struct screen *sc = s->priv;

	memset(sc->pairs, 0, sizeof sc->pairs);
	if (!sc->cell || s->w != sc->cw || s->h != sc->ch) {
		size_t n = (size_t)(s->w > 0 ? s->w : 0) * (size_t)(s->h > 0 ? s->h : 0);

		forget_cells(sc);
		erase();
		if (!n)
			n = 1;
		sc->cell = malloc(n * sizeof *sc->cell);
		sc->cstyle = calloc(n, sizeof *sc->cstyle);
		sc->style_hash = malloc(STYLE_HASH * sizeof *sc->style_hash);
		sc->cap = 32;
		sc->styles = malloc(sc->cap * sizeof *sc->styles);
		if (!sc->cell || !sc->cstyle || !sc->style_hash || !sc->styles) {
			forget_cells(
			    sc); /* out of memory: nothing is drawn until a later frame can be */
			return;
		}
		for (size_t i = 0; i < n; i++)
			sc->cell[i] = CELL_BLANK | sc->mark;
		sc->cw = s->w;
		sc->ch = s->h;
		styles_reset(sc);
	}
	sc->mark ^= CELL_MARK; /* every cell is undrawn by this frame until drawn */
}

/* The cells this frame did not draw become blanks, as erase() would have made them; every
 * cell ends with the frame's mark. */
static void blank_the_rest(struct screen *sc)
{
	for (int y = 0; y < sc->ch; y++) {
		size_t row = (size_t)y * (size_t)sc->cw;

		for (int x = 0; x < sc->cw; x++) {
			size_t i = row + (size_t)x;
			uint32_t c = sc->cell[i];

			if ((c & CELL_MARK) != sc->mark &&
			    ((c & ~CELL_MARK) != CELL_BLANK || sc->cstyle[i] != 0)) {
				blank_cell(sc, i, x, y);
				if ((c & CELL_WIDE) && x + 1 < sc->cw) /* both halves, explicitly */
					blank_cell(sc, i + 1, x + 1, y);
			}
			sc->cell[i] = (sc->cell[i] & ~CELL_MARK) | sc->mark;
		}
	}
}

static const struct surface_ops curses_ops = {
	.put = scr_put,
	.clear = scr_clear,
	.begin_run = NULL,
	.end_run = NULL,
};

int screen_open(struct screen **out, enum render_mode mode, struct error *err)
{
	struct screen *sc;

	*out = NULL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return error_set(err,
		                 "the dashboard needs a terminal on standard input and output; "
		                 "use --json for headless output");
	sc = calloc(1, sizeof *sc);
	if (!sc)
		return error_set(err, "out of memory");
	sc->scr = newterm(NULL, stdout, stdin);
	if (!sc->scr) {
		free(sc);
		return error_set(err, "cannot start the terminal (TERM=%s): no terminfo entry?",
		                 getenv("TERM") ? getenv("TERM") : "");
	}
	sc->open = true;
	cbreak(); /* Ctrl-C still raises SIGINT */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	/* no typeahead check: ncurses otherwise polls standard input during each refresh and
	 * writes what it has before every poll, about a hundred small writes a frame; without it
	 * a frame goes out in a few full writes (bench/README.md) */
	typeahead(-1);
	curs_set(0);
	/* Home and End as terminals other than the one TERM names send them (tmux, screen, the
	 * Linux console), as htop does */
	{
		static const struct {
			const char *seq;
			int key;
		} extra[] = { { "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },
			      { "\033[H", KEY_HOME },  { "\033[F", KEY_END },
			      { "\033OH", KEY_HOME },  { "\033OF", KEY_END },
			      { "\033[7~", KEY_HOME }, { "\033[8~", KEY_END } };
		for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
			if (key_defined(extra[i].seq) == 0)
				define_key(extra[i].seq, extra[i].key);
	}
	/* clicks select and sort, the wheel scrolls (shift-drag still selects text in most
	 * terminals) */
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | WHEEL_DOWN, NULL);
	if (mode != RENDER_MONO && has_colors()) {
		start_color();
		use_default_colors();
	} else {
		mode = RENDER_MONO;
	}
	sc->mode = mode;
	sc->surf.ops = &curses_ops;
	sc->surf.priv = sc;
	sc->surf.w = COLS;
	sc->surf.h = LINES;
	*out = sc;
	return 0;
}

void screen_close(struct screen *sc)
{
	if (!sc)
		return;
	if (sc->open) {
		curs_set(1);
		endwin();
		delscreen(sc->scr);
		sc->open = false;
	}
	forget_cells(sc);
	free(sc);
}

struct surface *screen_surface(struct screen *sc)
{
	return &sc->surf;
}

bool screen_resize(struct screen *sc)
{
	bool changed = sc->surf.w != COLS || sc->surf.h != LINES;

	sc->surf.w = COLS;
	sc->surf.h = LINES;
	return changed;
}

void screen_flush(struct screen *sc)
{
	blank_the_rest(sc);
	refresh();
}

static int translate_mouse(struct ui_mouse *m)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return KEY_NONE;
	m->x = ev.x;
	m->y = ev.y;
	if (ev.bstate & BUTTON4_PRESSED)
		m->button = UI_WHEEL_UP;
	else if (ev.bstate & WHEEL_DOWN)
		m->button = UI_WHEEL_DOWN;
	else if (ev.bstate & BUTTON1_PRESSED)
		m->button = UI_CLICK;
	else
		return KEY_NONE;
	return UI_KEY_MOUSE;
}

static int translate_key(int ch, struct ui_mouse *m)
{
	static const int map[][2] = {
		{ KEY_RESIZE, UI_KEY_RESIZE }, { 27, UI_KEY_ESC },
		{ '\n', UI_KEY_ENTER },        { '\r', UI_KEY_ENTER },
		{ KEY_ENTER, UI_KEY_ENTER },   { KEY_BACKSPACE, UI_KEY_BACKSPACE },
		{ 127, UI_KEY_BACKSPACE },     { 8, UI_KEY_BACKSPACE },
		{ KEY_UP, UI_KEY_UP },         { KEY_DOWN, UI_KEY_DOWN },
		{ KEY_LEFT, UI_KEY_LEFT },     { KEY_RIGHT, UI_KEY_RIGHT },
		{ KEY_PPAGE, UI_KEY_PGUP },    { KEY_NPAGE, UI_KEY_PGDN },
		{ KEY_HOME, UI_KEY_HOME },     { KEY_END, UI_KEY_END },
	};

	if (ch == KEY_MOUSE)
		return translate_mouse(m);
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i][0] == ch)
			return map[i][1];
	/* other special keys mean nothing here; characters pass */
	return ch >= KEY_MIN ? KEY_NONE : ch;
}

int screen_key(struct screen *sc, int timeout_ms, struct ui_mouse *mouse)
{
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
	int ch, rc;

	(void)sc;
	/* a key typed ahead, or a resize ncurses has already seen */
	ch = getch();
	if (ch != ERR)
		return translate_key(ch, mouse);
	rc = poll(&p, 1, timeout_ms < 0 ? -1 : timeout_ms);
	if (rc < 0 && errno == EINTR) {
		ch = getch(); /* SIGWINCH: ncurses queues KEY_RESIZE */
		return ch != ERR ? translate_key(ch, mouse) : KEY_INTR;
	}
	if (rc <= 0)
		return KEY_NONE;
	ch = getch();
	return ch == ERR ? KEY_NONE : translate_key(ch, mouse);
}

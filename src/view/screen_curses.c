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

struct screen {
	struct surface surf;
	SCREEN *scr;
	enum render_mode mode;
	bool open;
	struct pair_slot pairs[PAIR_CACHE];
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

static void scr_put(struct surface *s, int x, int y, uint32_t cp, int width, struct style st)
{
	struct screen *sc = s->priv;
	wchar_t w[2] = { (wchar_t)cp, 0 };
	cchar_t cc;
	int pair = pair_for(sc, st);

	(void)width;
	if (x < 0 || y < 0 || x >= s->w || y >= s->h)
		return;
	if (setcchar(&cc, w, attrs_for(st), 0, &pair) != OK)
		return;
	/* at the bottom-right cell the cursor cannot advance: the cell is written and ERR comes
	 * back, which is harmless (scrolling is off) */
	mvadd_wch(y, x, &cc);
}

static void scr_clear(struct surface *s)
{
	struct screen *sc = s->priv;

	memset(sc->pairs, 0, sizeof sc->pairs);
	erase();
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
	(void)sc;
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

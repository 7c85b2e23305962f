/* ui.h - what keys and clicks do to the view (pure: no terminal here, no signals sent)
 *
 * Each mode has one table of keys (keymap): the key, its name as the help and the docs write it,
 * what it does in words, and the function that does it. The help page is drawn from these
 * tables, and a test checks the man page and docs/dashboard.md against them. What only the
 * loop can do (quit, send a signal, change the interval, save the settings, step through a
 * recording) comes back as effect bits, with the details in struct ui. */
#ifndef AGTOP_UI_H
#define AGTOP_UI_H

#include <stddef.h>

#include "dashboard.h"

/* keys after the screen has translated its own codes */
enum {
	UI_KEY_ENTER = 1000,
	UI_KEY_ESC,
	UI_KEY_BACKSPACE,
	UI_KEY_RESIZE,
	UI_KEY_UP,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_MOUSE, /* the screen has a struct ui_mouse for it */
};

/* effect bits: what ui_key and ui_mouse ask of the loop */
enum {
	UI_NONE = 0,
	UI_REDRAW = 1 << 0,   /* the view changed */
	UI_QUIT = 1 << 1,     /* end agtop */
	UI_KILL = 1 << 2,     /* send kill_sig to kill_pid (confirmed) */
	UI_THEME = 1 << 3,    /* vs.color changed */
	UI_INTERVAL = 1 << 4, /* vs.interval changed */
	UI_SAVE = 1 << 5,     /* write the current settings to the config file */
	UI_STEP = 1 << 6,     /* a recording: step by `step` samples (paused) */
	UI_RESTART = 1 << 7,  /* a recording: from its first sample again */
	UI_PAUSE = 1 << 8,    /* vs.paused changed */
	UI_SOURCE = 1 << 9,   /* what the source should read changed (filter, sort, tree) */
};

enum ui_mode { UI_NORMAL = 0, UI_FILTER, UI_HELP, UI_CONFIRM, UI_MODE_COUNT };

enum ui_button { UI_CLICK = 0, UI_WHEEL_UP, UI_WHEEL_DOWN };

struct ui_mouse {
	int x, y;
	enum ui_button button;
};

struct ui {
	struct view_state vs;
	enum ui_mode mode;
	struct procsel_re re; /* the applied filter */
	bool has_re;
	const struct sample *smp; /* the sample on screen (the process list moves through it) */
	/* for the effects */
	int kill_pid, kill_sig;
	int step;
};

struct key_def {
	int key[6];       /* the codes that do it (0-ended) */
	const char *name; /* "q", "Up", "PgDn": as the help and the docs write it */
	const char *does;
	unsigned (*act)(struct ui *u, int key);
};

struct ui_signal {
	int sig;
	const char *name; /* "TERM" */
	const char *does;
};

extern const struct ui_signal ui_signals[];
extern const size_t ui_nsignals;

/* The keys of a mode, in the order the help lists them. */
const struct key_def *ui_keymap(enum ui_mode mode, size_t *n);

void ui_init(struct ui *u, const struct options *o);
void ui_free(struct ui *u);
/* The loop shows another sample (a new one, or a step through a recording). */
void ui_show(struct ui *u, const struct sample *smp);
unsigned ui_key(struct ui *u, int key);
unsigned ui_mouse(struct ui *u, const struct ui_mouse *m);
/* A message on the status line: plain text, or an alert. */
void ui_message(struct ui *u, bool alert, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The interval steps of + and - (seconds). */
double ui_interval_step(double interval, int dir);
/* After a frame: a filter that went over its matching budget (procsel.h) is switched off with
 * a message; UI_REDRAW then. */
unsigned ui_filter_check(struct ui *u);

#endif

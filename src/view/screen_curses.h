/* screen_curses.h - the ncursesw surface, keys and the terminal's state */
#ifndef AGTOP_SCREEN_CURSES_H
#define AGTOP_SCREEN_CURSES_H

#include "../error.h"
#include "../options.h"
#include "surface.h"
#include "theme.h"
#include "ui.h"

#define KEY_NONE (-1)
#define KEY_INTR (-2) /* the wait was interrupted by a signal */

struct screen;

/* Reads what terminfo and the environment say about the terminal, without starting curses. */
void screen_caps(struct term_caps *caps);

/* Starts curses on the alternate screen with the cursor hidden and echo off. Fails with a
 * clear message when standard input or output is not a terminal. */
int screen_open(struct screen **out, enum render_mode mode, struct error *err);
/* Puts the terminal back as it was: cursor, echo, colours, the normal screen. Safe to call
 * twice. */
void screen_close(struct screen *sc);

struct surface *screen_surface(struct screen *sc);
/* Picks up a new terminal size; returns true when it changed. */
bool screen_resize(struct screen *sc);
void screen_flush(struct screen *sc);

/* Waits up to timeout_ms for a key: a character or a UI_KEY_* code (UI_KEY_RESIZE after a
 * resize; UI_KEY_MOUSE with *mouse filled for a click or the wheel), KEY_NONE on timeout,
 * KEY_INTR when a signal arrived. */
int screen_key(struct screen *sc, int timeout_ms, struct ui_mouse *mouse);

#endif

/* screen_driver.c OUTDIR - draws a fixed series of frames with the curses surface
 * (screen_curses.c), which writes to stdscr only the cells that differ from the frame before
 * and blanks the ones a frame leaves out, and draws each frame on the in-memory grid too. After
 * each frame it writes the grid's text to OUTDIR/expect.txt and the frame's number to
 * OUTDIR/frame; screen_diff.sh, which runs it in tmux, compares the terminal's text with it.
 * A key draws the next frame, a resize draws the same scene at the new size, q ends.
 *
 * The series covers what the cell cache could get wrong: text that moves by one cell, rows a
 * frame does not draw (they must be blank), wide characters written over in half by narrow
 * ones and the other way round, a style change on the same characters, and more styles than
 * the cache's table holds (it starts again mid-frame). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/grid.h"
#include "view/screen_curses.h"

static const struct style plain = { { COLOR_DEFAULT, 0 }, { COLOR_DEFAULT, 0 }, 0 };

static void text(struct surface *s, int x, int y, const char *t, struct style st)
{
	surf_text(s, x, y, s->w - x, t, st, RUN_DATA);
}

/* frame 0 and again later: rows of text, wide characters at 10..13, REV reversed */
static void scene_a(struct surface *s)
{
	struct style rev = plain;
	char row[64];

	rev.attr = ATTR_REVERSE;
	for (int y = 0; y < s->h; y++) {
		snprintf(row, sizeof row, "row %02d", y);
		text(s, 0, y, row, plain);
		text(s, 10, y, "漢字", plain);
	}
	text(s, 20, 1, "REV", rev);
	surf_fill(s, 0, 5, s->w, '#', plain);
}

/* frame 1: row 0 and row 5 left out, the text four cells to the right, a wide character over
 * two narrow ones, narrow ones over the second halves of the wide ones, REV no longer
 * reversed */
static void scene_b(struct surface *s)
{
	char row[64];

	for (int y = 1; y < s->h; y++) {
		if (y == 5)
			continue;
		snprintf(row, sizeof row, "row %02d", y);
		text(s, 1, y, "日", plain);
		text(s, 4, y, row, plain);
		text(s, 11, y, "a", plain);
		text(s, 13, y, "b", plain);
	}
	text(s, 20, 1, "REV", plain);
}

/* frames 2 to 6: every cell in a style of its own, 2,400 different styles in all, more than
 * the cache's table holds (STYLE_MAX in screen_curses.c) */
static void scene_styles(struct surface *s, int k)
{
	int n = 0;

	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++, n++) {
			int i = k * s->w * s->h + n;
			struct style st = plain;
			char c[2] = { (char)('a' + (i % 26)), 0 };

			st.fg = (struct color){ COLOR_INDEX, (uint32_t)(i % 256) };
			st.bg = (struct color){ COLOR_INDEX, (uint32_t)(i / 256 % 10) };
			text(s, x, y, c, st);
		}
}

static void scene(struct surface *s, int frame)
{
	s->ops->clear(s);
	if (frame == 0 || frame == 7 || frame == 8)
		scene_a(s);
	else if (frame == 1 || frame == 9)
		scene_b(s);
	else
		scene_styles(s, frame - 2);
}

static int publish(const char *dir, const struct grid *g, int frame)
{
	char path[4096], tmp[4096];
	char *t = grid_text(g);
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s/expect.tmp", dir);
	snprintf(path, sizeof path, "%s/expect.txt", dir);
	f = t ? fopen(tmp, "w") : NULL;
	if (!f || fputs(t, f) == EOF || fclose(f) != 0 || rename(tmp, path) != 0) {
		free(t);
		return -1;
	}
	free(t);
	snprintf(tmp, sizeof tmp, "%s/frame.tmp", dir);
	snprintf(path, sizeof path, "%s/frame", dir);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", frame) < 0 || fclose(f) != 0 || rename(tmp, path) != 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct screen *sc;
	struct error err;
	int frame = 0, rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: screen_driver OUTDIR\n");
		return 2;
	}
	setlocale(LC_CTYPE, ""); /* as main.c: wide characters need a UTF-8 locale */
	if (screen_open(&sc, RENDER_256, &err) != 0) {
		fprintf(stderr, "screen_driver: %s\n", err.msg);
		return 1;
	}
	for (;;) {
		struct surface *s = screen_surface(sc);
		struct grid g;
		int key;

		screen_resize(sc);
		if (grid_init(&g, s->w, s->h) != 0) {
			rc = 1;
			break;
		}
		scene(s, frame);
		scene(&g.surf, frame);
		screen_flush(sc);
		rc = publish(argv[1], &g, frame);
		grid_free(&g);
		if (rc != 0)
			break;
		do
			key = screen_key(sc, 60000, NULL);
		while (key == KEY_NONE || key == KEY_INTR);
		if (key == 'q' || frame == 9)
			break;
		frame++;
	}
	screen_close(sc);
	return rc;
}

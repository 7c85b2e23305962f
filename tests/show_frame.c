/* show_frame.c - prints a recording's frame (text and styles), for looking at the dashboard
 * without a terminal:  show_frame RECORDING W H [cores|history|both] [filter] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"

int main(int argc, char **argv)
{
	struct frame_case fc = { .name = "show", .mode = RENDER_256, .gradient = true };
	struct grid g;
	struct frame_state st;
	char err[256], *text;

	if (argc < 4) {
		fprintf(stderr, "usage: show_frame RECORDING W H [gauge|history|both] [FILTER]\n");
		return 2;
	}
	fc.recording = argv[1];
	if (argc > 4) {
		fc.show_cores = true;
		fc.core_view = !strcmp(argv[4], "history") ? CORE_VIEW_HISTORY
		               : !strcmp(argv[4], "both")  ? CORE_VIEW_BOTH
		                                           : CORE_VIEW_GAUGE;
	}
	if (argc > 5)
		fc.filter = argv[5];
	if (frame_load(&fc, &st, err, sizeof err) ||
	    frame_draw(&st, atoi(argv[2]), atoi(argv[3]), &g)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	text = getenv("DUMP") ? grid_dump(&g) : grid_text(&g);
	fputs(text, stdout);
	if (grid_check(&g))
		fprintf(stderr, "PROBLEMS:\n%s", g.problems);
	free(text);
	grid_free(&g);
	frame_unload(&st);
	return 0;
}

/* test_golden.c - whole dashboard frames from recordings, compared with golden files (text and
 * a style for every cell), and a sweep over terminal sizes checking that no label overlaps
 * another, is drawn over, or is cut inside a word.
 *
 * AGTOP_UPDATE_GOLDEN=1 rewrites the golden files from what is drawn now. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frames.h"
#include "testutil.h"

#define M4    "apple_m4max.jsonl"
#define C256  .mode = RENDER_256, .gradient = true
#define CORES .show_cores = true

static const struct frame_case cases[] = {
	/* an Apple session with E and P clusters, at the four sizes */
	{ "m4max_80x24", M4, C256 },
	{ "m4max_120x40", M4, C256 },
	{ "m4max_160x50", M4, C256 },
	{ "m4max_300x100", M4, C256 },
	/* M5: super + performance (Max) and super + efficiency (base) */
	{ "m5max_120x40", "apple_m5max.jsonl", C256 },
	{ "m5_80x24", "apple_m5.jsonl", C256 },
	/* an Ultra with two dies */
	{ "m1ultra_80x24", "apple_m1ultra.jsonl", C256 },
	{ "m1ultra_160x50", "apple_m1ultra.jsonl", C256 },
	/* Linux with two GPUs */
	{ "linux2gpu_80x24", "linux_2gpu.jsonl", C256 },
	{ "linux2gpu_120x40", "linux_2gpu.jsonl", C256 },
	/* N/A everywhere */
	{ "unknown_80x24", "unknown.jsonl", C256 },
	{ "unknown_120x40", "unknown.jsonl", C256 },
	/* every alert firing */
	{ "alerts_120x40", "alerts.jsonl", C256 },
	{ "alerts_300x100", "alerts.jsonl", C256 },
	/* each --core-view */
	{ "m4max_cores_gauge_120x40", M4, C256, CORES, .core_view = CORE_VIEW_GAUGE },
	{ "m4max_cores_history_160x50", M4, C256, CORES, .core_view = CORE_VIEW_HISTORY },
	{ "m4max_cores_both_300x100", M4, C256, CORES, .core_view = CORE_VIEW_BOTH },
	{ "m1ultra_cores_both_120x40", "apple_m1ultra.jsonl", C256, CORES,
	  .core_view = CORE_VIEW_BOTH },
	/* a filter, one that matches nothing, the memory sort */
	{ "m4max_filter_120x40", M4, C256, .filter = "python|ollama" },
	{ "m4max_nomatch_80x24", M4, C256, .filter = "no-such-process" },
	{ "m4max_sort_memory_80x24", M4, C256, .sort = "memory" },
	/* each colour mode, a theme colour, gradients off, power scaled to the profile */
	{ "m4max_mono_80x24", M4, .mode = RENDER_MONO },
	{ "m4max_basic_80x24", M4, .mode = RENDER_BASIC, .gradient = true },
	{ "m4max_truecolor_80x24", M4, .mode = RENDER_TRUECOLOR, .gradient = true },
	{ "m4max_color5_nogradient_80x24", M4, .mode = RENDER_256, .color = 5 },
	{ "m4max_profile_120x40", M4, C256, .power_scale = POWER_SCALE_PROFILE },
	/* help, pause, a filter being typed with an error, too small, compact */
	{ "m4max_help_80x24", M4, C256, .help = true },
	{ "unknown_help_80x24", "unknown.jsonl", C256, .help = true },
	{ "m4max_paused_80x24", M4, C256, .paused = true },
	{ "m4max_filter_error_80x24", M4, C256, .keys = "/(py" },
	{ "m4max_toosmall_40x10", M4, C256 },
	{ "m4max_compact_60x18", M4, C256 },
	{ "m4max_first_sample_80x24", M4, C256, .samples = 1 },
	/* three sizes of a machine with nothing but CPUs, memory and processes: panels fold */
	{ "linuxvm_80x24", "linux_vm.jsonl", C256 },
	{ "linuxvm_120x40", "linux_vm.jsonl", C256 },
	{ "linuxvm_200x60", "linux_vm.jsonl", C256 },
	{ "m4max_200x60", M4, C256 },
	/* live, not a replay: the source's name, no REPLAY */
	{ "m4max_live_120x40", M4, C256, .live = true },
	/* the process panel: a selection, the tree, the memory sort, a scrolled list, the
	 * signal dialog, the filter as it is typed */
	{ "m4max_select_tree_120x40", M4, C256, .keys = "t" FK_DOWN FK_DOWN FK_DOWN },
	{ "m4max_select_sort_80x24", M4, C256, .keys = FK_DOWN FK_DOWN "s" },
	{ "linux2gpu_scrolled_80x24", "linux_2gpu.jsonl", C256, .keys = FK_END },
	{ "linux2gpu_tree_200x60", "linux_2gpu.jsonl", C256, .keys = "t" },
	{ "m4max_signal_120x40", M4, C256, .live = true, .keys = FK_DOWN "k" FK_DOWN },
	{ "m4max_signal_80x24", M4, C256, .live = true, .keys = "k" },
	{ "m4max_filter_typing_80x24", M4, C256, .keys = "/py" },
	{ "m4max_follow_120x40", M4, C256, .keys = FK_DOWN "F" },
	/* a recording at its end; panels hidden with 2 and 4; per-core panels that do not fit */
	{ "m4max_replay_end_80x24", M4, C256, .ended = true },
	{ "m4max_hidden_120x40", M4, C256, .keys = "24" },
	{ "m1ultra_cores_need_80x24", "apple_m1ultra.jsonl", C256, CORES,
	  .core_view = CORE_VIEW_BOTH },
	/* themes: c twice from green gives ocean; graphite in 16 colours */
	{ "m4max_theme_ocean_120x40", M4, .mode = RENDER_TRUECOLOR, .gradient = true,
	  .keys = "cc" },
	{ "m4max_theme_graphite_basic_80x24", M4, .mode = RENDER_BASIC, .gradient = true,
	  .color = -1 },
	{ "m4max_help_120x40", M4, C256, .help = true },
	/* the per-process ledger's columns, sorted by GPU% */
	{ "m4max_sort_gpu_200x60", M4, C256, .sort = "gpu" },
};

static void size_of(const char *name, int *w, int *h)
{
	const char *u = strrchr(name, '_');

	*w = *h = 0;
	if (u)
		sscanf(u + 1, "%dx%d", w, h);
}

static void goldens(void **state)
{
	bool update = getenv("AGTOP_UPDATE_GOLDEN") != NULL;
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct frame_case *fc = &cases[i];
		struct frame_state st;
		struct grid g;
		char err[256], path[1024], *dump, *want;
		int w, h;

		size_of(fc->name, &w, &h);
		assert_true(w > 0 && h > 0);
		if (frame_load(fc, &st, err, sizeof err) != 0)
			fail_msg("%s: %s", fc->name, err);
		assert_int_equal(frame_draw(&st, w, h, &g), 0);
		if (grid_check(&g))
			fail_msg("%s:\n%s", fc->name, g.problems);
		dump = grid_dump(&g);
		snprintf(path, sizeof path, "%s/tests/golden/%s.txt", AGTOP_SOURCE_DIR, fc->name);
		if (update) {
			FILE *f = fopen(path, "w");
			assert_non_null(f);
			fputs(dump, f);
			fclose(f);
		} else {
			want = read_file(path, NULL);
			if (!want) {
				print_error(
				    "%s: no golden file %s (AGTOP_UPDATE_GOLDEN=1 writes it)\n",
				    fc->name, path);
				failed++;
			} else if (strcmp(want, dump) != 0) {
				char got[1024];
				FILE *f;
				snprintf(got, sizeof got, "%s.got", fc->name);
				f = fopen(got, "w");
				if (f) {
					fputs(dump, f);
					fclose(f);
				}
				print_error("%s differs from %s (drawn frame written to %s)\n",
				            fc->name, path, got);
				failed++;
			}
			free(want);
		}
		free(dump);
		grid_free(&g);
		frame_unload(&st);
	}
	assert_int_equal(failed, 0);
}

/* Every recording, every core view, at sizes from the minimum to 300x100: no label overlaps
 * another or is drawn over, none is cut inside a word, nothing is drawn outside the screen. */
static void no_overlap_at_any_size(void **state)
{
	static const char *const recordings[] = { "apple_m4max.jsonl", "apple_m5max.jsonl",
		                                  "apple_m5.jsonl",    "apple_m1ultra.jsonl",
		                                  "linux_2gpu.jsonl",  "linux_vm.jsonl",
		                                  "unknown.jsonl",     "alerts.jsonl" };
	static const struct {
		bool on;
		enum core_view view;
	} views[] = { { false, CORE_VIEW_GAUGE },
		      { true, CORE_VIEW_GAUGE },
		      { true, CORE_VIEW_HISTORY },
		      { true, CORE_VIEW_BOTH } };
	int frames = 0;

	(void)state;
	for (size_t r = 0; r < sizeof recordings / sizeof recordings[0]; r++) {
		struct frame_case fc = { "sweep", recordings[r], RENDER_256, true };
		struct frame_state st;
		char err[256];

		if (frame_load(&fc, &st, err, sizeof err))
			fail_msg("%s", err);
		for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
			frame_show_cores(&st, views[v].on, views[v].view);
			for (int w = 30; w <= 300; w += (w < 90 ? 3 : 17)) {
				for (int h = 8; h <= 100; h += (h < 30 ? 2 : 9)) {
					struct grid g;
					assert_int_equal(frame_draw(&st, w, h, &g), 0);
					if (grid_check(&g))
						fail_msg("%s cores=%d view=%d at %dx%d:\n%s",
						         recordings[r], views[v].on, views[v].view,
						         w, h, g.problems);
					grid_free(&g);
					frames++;
				}
			}
		}
		frame_unload(&st);
	}
	print_message("%d frames checked\n", frames);
	assert_true(frames > 1000);
}

/* A stale rail (its counter stopped while the unit was busy) is drawn dim with a marker, never
 * as a confident number in the rail's usual style. */
static void stale_power_is_dim_and_marked(void **state)
{
	struct frame_case fc = { "stale", "apple_m4max.jsonl", RENDER_256, true };
	struct frame_state st;
	struct grid g;
	char err[256], *text, *at;
	int w = 160, x, y;

	(void)state;
	if (frame_load(&fc, &st, err, sizeof err))
		fail_msg("%s", err);
	st.last.power[RAIL_CPU].stale = true;
	assert_int_equal(frame_draw(&st, w, 50, &g), 0);
	text = grid_text(&g);
	at = strstr(text, "(stale");
	assert_non_null(at);
	while (at > text && at[-1] != '\n') /* to the start of its line */
		at--;
	y = 0;
	for (const char *p = text; p < at; p++)
		y += *p == '\n';
	at = strstr(at, "CPU: ");
	assert_non_null(at);
	x = 0; /* columns are code points (the borders are UTF-8) */
	for (const char *p = at; p > text && p[-1] != '\n'; p--)
		x += ((unsigned char)p[-1] & 0xc0) != 0x80;
	{
		const struct style *c = &g.cells[y * w + x].st, *d = &st.theme.dim;
		assert_true(c->fg.kind == d->fg.kind && c->fg.v == d->fg.v && c->attr == d->attr);
	}
	free(text);
	grid_free(&g);
	frame_unload(&st);
}

/* A label that overlaps, is drawn over, or is cut mid-word is caught: the check is real. */
static void the_check_finds_defects(void **state)
{
	struct grid g;
	struct style st = { { 0, 0 }, { 0, 0 }, 0 };
	const char *alts[] = { "CPU Usage: 12%" };

	(void)state;
	assert_int_equal(grid_init(&g, 20, 3), 0);
	surf_label(&g.surf, 0, 0, 20, alts, 1, st);
	surf_label(&g.surf, 4, 0, 10, alts, 1, st); /* on top of the first */
	assert_true(grid_check(&g) >= 1);
	assert_non_null(strstr(g.problems, "drawn over"));
	grid_free(&g);

	assert_int_equal(grid_init(&g, 20, 3), 0);
	surf_text(&g.surf, 0, 1, 7, "CPU Usage: 12%", st, RUN_LABEL); /* "CPU Usa" */
	assert_int_equal(grid_check(&g), 1);
	assert_non_null(strstr(g.problems, "cut inside a word"));
	grid_free(&g);

	assert_int_equal(grid_init(&g, 20, 3), 0);
	surf_text(&g.surf, 0, 1, 5, "python3 train.py", st, RUN_DATA); /* cut, no ellipsis */
	assert_int_equal(grid_check(&g), 1);
	grid_free(&g);

	assert_int_equal(grid_init(&g, 20, 3), 0);
	surf_label(&g.surf, 0, 1, 12, alts, 1, st); /* "CPU Usage:" — cut at a word: fine */
	surf_fill(&g.surf, 0, 2, 20, 0x2500, st);
	assert_int_equal(grid_check(&g), 0);
	surf_fill(&g.surf, 0, 1, 3, 0x2500, st); /* a border drawn over three of its cells */
	assert_int_equal(grid_check(&g), 3);
	grid_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(goldens),
		cmocka_unit_test(no_overlap_at_any_size),
		cmocka_unit_test(stale_power_is_dim_and_marked),
		cmocka_unit_test(the_check_finds_defects),
	};

	/* the header's clock is the sample's time: pin the zone so goldens match anywhere */
	setenv("TZ", "UTC", 1);
	tzset();
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}

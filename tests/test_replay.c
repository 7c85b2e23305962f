/* test_replay.c - a recording replayed reproduces its samples exactly; one damaged line is
 * skipped with a warning that names it, more are an error after the samples before them */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/json.h"
#include "source/source.h"
#include "testutil.h"

#define N 5

static void make(struct sample *s, int i)
{
	struct sample_core *c;
	struct sample_proc *p;

	sample_init(s);
	s->seq = (uint64_t)i + 1;
	s->time = 1000.0 + (i == 3 ? 5.5 : 1.5 * i); /* uneven pace */
	s->interval_s = 1.5;
	strcpy(s->source, "linux");
	strcpy(s->host.chip, "Test CPU");
	s->host.cpus = 1;
	s->cpu_util = 0.1 * i;
	s->nclusters = 1;
	strcpy(s->clusters[0].name, "CPU");
	s->clusters[0].ncores = 1;
	c = sample_add_core(s);
	c->cpu = 0;
	c->util = 0.1 * i;
	c->freq_hz = 2e9 + i;
	s->memory.total_bytes = 8e9;
	s->memory.used_bytes = 1e9 * i;
	s->power[RAIL_PACKAGE] = (struct sample_energy){ 10.0 + i, 100.0 * i };
	p = sample_add_proc(s);
	p->pid = 10 + i;
	strcpy(p->name, "job");
	p->cmdline = sample_intern(s, "job --n", 7);
	p->cpu = 0.5;
	s->nprocs_total = 1;
	sample_note(s, "gpu", "no GPU source on this machine");
}

/* Writes the N samples; bad (if not NULL) replaces line bad_line. Returns the file name. */
static char *recording(const char *dir, int bad_line, const char *bad)
{
	char *path = malloc(512);
	FILE *f;
	struct strbuf b;

	snprintf(path, 512, "%s/rec.jsonl", dir);
	f = fopen(path, "w");
	sb_init(&b);
	for (int i = 0; i < N; i++) {
		struct sample s;
		make(&s, i);
		sb_clear(&b);
		json_write_sample(&b, &s, NULL);
		if (i + 1 == bad_line)
			fputs(bad, f);
		else
			fprintf(f, "%s\n", b.buf);
		if (i == 1)
			fputs("\n", f); /* blank lines are skipped */
		sample_free(&s);
	}
	sb_free(&b);
	fclose(f);
	return path;
}

static void open_replay(struct source *src, const char *path, double speed, struct error *err,
                        int expect)
{
	struct options o;

	memset(&o, 0, sizeof o);
	o.interval = 1;
	o.replay_speed = speed;
	snprintf(o.replay, sizeof o.replay, "%s", path);
	assert_int_equal(source_open_default(src, &o, err), expect);
}

static void replay_reproduces_every_sample(void **state)
{
	char *d = tmp_dir(), *path = recording(d, 0, NULL);
	struct source src = { 0 }; /* stop and the rest NULL until set */
	struct sample got, want;
	struct error err;
	const double gaps[N] = { 0, 1.5, 1.5, 2.5 /* 5.5 - 3.0 */, 0.5 /* 6.0 - 5.5 */ };

	(void)state;
	open_replay(&src, path, 1.0, &err, 0);
	sample_init(&got);
	for (int i = 0; i < N; i++) {
		/* the wait before each sample is the recorded gap (the first is due at once) */
		assert_true(fabs(source_next_delay(&src, 1.0) - gaps[i]) < 1e-12);
		assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
		make(&want, i);
		assert_true(sample_equal(&got, &want));
		sample_free(&want);
	}
	assert_int_equal(source_read(&src, &got, &err), SOURCE_END);
	source_close(&src);

	/* twice as fast, and as fast as possible */
	open_replay(&src, path, 2.0, &err, 0);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_true(fabs(source_next_delay(&src, 1.0) - 0.75) < 1e-12);
	source_close(&src);
	open_replay(&src, path, 0.0, &err, 0);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_true(source_next_delay(&src, 1.0) == 0.0);
	source_close(&src);

	sample_free(&got);
	free(path);
	tmp_cleanup(d);
	free(d);
}

/* One damaged line (a torn write) is skipped, and the warning comes with the sample after it
 * (or with the end); two in a row stop the replay after the samples before them. */
static void one_damaged_line_is_skipped_two_stop_the_replay(void **state)
{
	char *d = tmp_dir(), *path;
	struct source src = { 0 }; /* stop and the rest NULL until set */
	struct sample got;
	struct error err;

	(void)state;
	/* line 4 in the file (sample 3, after the blank line) is broken */
	path = recording(d, 3, "{\"schema\":1,\"time\":oops}\n");
	open_replay(&src, path, 0, &err, 0);
	sample_init(&got);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_int_equal(got.seq, 1);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_int_equal(got.seq, 2);
	assert_string_equal(src.warn.msg, "");
	assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_int_equal(got.seq, 4);
	assert_non_null(strstr(src.warn.msg, "rec.jsonl: line 4 skipped: invalid JSON at column"));
	error_clear(&src.warn);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_int_equal(got.seq, 5);
	assert_string_equal(src.warn.msg, "");
	assert_int_equal(source_read(&src, &got, &err), SOURCE_END);
	source_close(&src);
	free(path);

	/* a truncated last line (a recorder killed mid-write): reported with the end */
	path = recording(d, 5, "{\"schema\":1,\"seq\":5,\"time\":10");
	open_replay(&src, path, 0, &err, 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_int_equal(got.seq, 4);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_END);
	assert_non_null(strstr(src.warn.msg, "line 6 skipped (truncated: no end of line)"));
	source_close(&src);
	free(path);

	/* the first line bad: skipped, the replay starts at the second */
	path = recording(d, 1, "not json\n");
	open_replay(&src, path, 0, &err, 0);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_int_equal(got.seq, 2);
	assert_non_null(strstr(src.warn.msg, "line 1 skipped: invalid JSON"));
	source_close(&src);
	free(path);

	/* two damaged lines in a row: an error after the samples before them */
	path = recording(d, 3, "{\"schema\":1,\"seq\":3,\n\"time\":3}\n");
	open_replay(&src, path, 0, &err, 0);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_SAMPLE);
	assert_int_equal(got.seq, 2);
	assert_int_equal(source_read(&src, &got, &err), SOURCE_ERROR);
	assert_non_null(strstr(err.msg, "rec.jsonl: lines 4 and 5 are no samples (line 5: "));
	source_close(&src);
	free(path);

	/* nothing but one bad line: the open fails with it */
	write_file(d, "bad.jsonl", "not json\n\n");
	snprintf(err.msg, sizeof err.msg, "%s/bad.jsonl", d);
	path = strdup(err.msg);
	open_replay(&src, path, 0, &err, -1);
	assert_non_null(strstr(err.msg, "bad.jsonl: line 1: invalid JSON"));
	free(path);

	sample_free(&got);
	tmp_cleanup(d);
	free(d);
}

/* More blank lines than one read goes through (16 MiB) before the first sample: the open reads
 * past them rather than taking the pause for an interruption. */
static void a_long_run_of_blank_lines_is_read_past(void **state)
{
	char *d = tmp_dir(), path[512];
	struct source src = { 0 }; /* stop and the rest NULL until set */
	struct sample s, want;
	struct strbuf b;
	struct error err;
	FILE *f;
	static char blank[1 << 16];

	(void)state;
	memset(blank, '\n', sizeof blank);
	snprintf(path, sizeof path, "%s/blank.jsonl", d);
	f = fopen(path, "w");
	for (int i = 0; i < 17 * 16; i++) /* 17 MiB */
		fwrite(blank, 1, sizeof blank, f);
	make(&want, 2);
	sb_init(&b);
	json_write_sample(&b, &want, NULL);
	fprintf(f, "%s\n", b.buf);
	fclose(f);
	open_replay(&src, path, 0, &err, 0);
	sample_init(&s);
	assert_int_equal(source_read(&src, &s, &err), SOURCE_SAMPLE);
	assert_true(sample_equal(&s, &want));
	assert_int_equal(source_read(&src, &s, &err), SOURCE_END);
	source_close(&src);
	sample_free(&s);
	sample_free(&want);
	sb_free(&b);
	tmp_cleanup(d);
	free(d);
}

static void missing_and_empty_files(void **state)
{
	char *d = tmp_dir(), path[512];
	struct source src = { 0 }; /* stop and the rest NULL until set */
	struct error err;

	(void)state;
	open_replay(&src, "/nonexistent/rec.jsonl", 1, &err, -1);
	assert_string_equal(err.msg, "--replay /nonexistent/rec.jsonl: No such file or directory");
	write_file(d, "empty.jsonl", "\n\n");
	snprintf(path, sizeof path, "%s/empty.jsonl", d);
	open_replay(&src, path, 1, &err, -1);
	assert_non_null(strstr(err.msg, "the file holds no samples"));
	tmp_cleanup(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_reproduces_every_sample),
		cmocka_unit_test(one_damaged_line_is_skipped_two_stop_the_replay),
		cmocka_unit_test(a_long_run_of_blank_lines_is_read_past),
		cmocka_unit_test(missing_and_empty_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

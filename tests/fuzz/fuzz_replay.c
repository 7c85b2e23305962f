/* fuzz_replay.c - libFuzzer target: recording lines as --replay reads them. The input goes
 * through a pipe into the bounded line reader (util/lines.c, with a small cap so over-long lines
 * are reached), and every line into the JSON sample parser (export/json_read.c); a sample that
 * parses is written back and must parse again to an equal sample. Built and run by
 * tools/fuzz.sh. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "export/json.h"
#include "util/lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A parsed sample survives the round trip through the writer. */
static void round_trip(const struct sample *s)
{
	struct strbuf b;
	struct sample back;
	struct error err;

	sb_init(&b);
	sample_init(&back);
	json_write_sample(&b, s, NULL);
	if (!b.oom && json_read_sample(b.buf, b.len, &back, &err) != 0)
		abort();
	sample_free(&back);
	sb_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lines in;
	struct sample s;
	int fd[2];
	char *line;
	size_t len;

	/* the whole input fits the pipe (tools/fuzz.sh caps it at 60,000 bytes) */
	if (size > 60000 || pipe(fd) != 0)
		return 0;
	if (write(fd[1], data, size) != (ssize_t)size) {
		close(fd[0]);
		close(fd[1]);
		return 0;
	}
	close(fd[1]);
	sample_init(&s);
	lines_init(&in, fd[0], 16384);
	for (;;) {
		struct error err;
		enum lines_status st = lines_next(&in, &line, &len);
		if (st != LINES_OK)
			break;
		if (json_read_sample(line, len, &s, &err) == 0)
			round_trip(&s);
	}
	lines_free(&in);
	sample_free(&s);
	close(fd[0]);
	return 0;
}

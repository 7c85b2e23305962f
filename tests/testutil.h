/* testutil.h - helpers shared by the cmocka suites */
#ifndef AGTOP_TESTUTIL_H
#define AGTOP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka needs the headers above first */
#include <cmocka.h>

/* Path of a file under ../shared/data, or NULL when that folder is absent (the test then skips
 * with a message saying so). */
const char *data_path(const char *rel);
/* Skips the current test with a clear message when ../shared/data is missing. */
#define REQUIRE_DATA(rel)                                                                    \
	do {                                                                                 \
		if (!data_path(rel)) {                                                       \
			print_message("skipped: ../shared/data/%s is absent (captured data " \
			              "lives beside the repository)\n",                      \
			              rel);                                                  \
			skip();                                                              \
		}                                                                            \
	} while (0)

/* A fresh temporary directory (removed by tmp_cleanup). */
char *tmp_dir(void);
void tmp_cleanup(const char *dir);
/* Writes a file (creating parent directories); returns 0. */
int write_file(const char *dir, const char *rel, const char *content);
int write_file_n(const char *dir, const char *rel, const char *data, size_t len);
/* Reads a whole file (malloc'd, NUL-terminated) or NULL. */
char *read_file(const char *path, size_t *len);

struct cmd_result {
	int status;      /* exit code, or 128+signal */
	char *out, *err; /* malloc'd */
};
/* Runs argv (argv[0] is a path) with extra environment entries ("K=V", NULL-ended, may be NULL)
 * and stdin from the given text (NULL: /dev/null). */
int run_cmd(char *const argv[], char *const env[], const char *input, struct cmd_result *r);
void cmd_result_free(struct cmd_result *r);

/* Counts lines in s. */
size_t count_lines(const char *s);

#endif

/* test_procsel.c - the process filter: the documented syntax (case-insensitive, POSIX extended
 * patterns as written, on the full command line) and its bounded cost */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcre2_lazy.h"
#include "procsel.h"
#include "testutil.h"

static bool matches(const char *pattern, const char *text)
{
	struct procsel_re re;
	struct error err;
	bool m;

	if (procsel_compile(&re, pattern, &err))
		fail_msg("%s: %s", pattern, err.msg);
	m = procsel_match(&re, text);
	assert_false(procsel_switched_off(&re));
	procsel_free(&re);
	return m;
}

/* PCRE2 is opened by the first filter compiled, not before (src/util/lazylib.h): freeing a
 * filter never compiled calls nothing. Runs first in this process. */
static void pcre2_is_loaded_by_the_first_filter(void **state)
{
	struct procsel_re re = { 0 };
	struct error err;

	(void)state;
	assert_false(pcre2_lazy_loaded());
	procsel_free(&re);
	assert_false(pcre2_lazy_loaded());
	assert_int_equal(procsel_compile(&re, "py(thon)?", &err), 0);
	assert_true(pcre2_lazy_loaded());
	assert_true(procsel_match(&re, "/usr/bin/PYTHON3 train.py"));
	procsel_free(&re);
}

static void filter_reads_posix_extended_patterns_as_written(void **state)
{
	(void)state;
	assert_true(matches("python|OLLAMA", "/usr/bin/Python3 train.py"));
	assert_true(matches("python|OLLAMA", "ollama serve"));
	assert_false(matches("python|OLLAMA", "/usr/sbin/sshd -D"));
	assert_true(matches("^/usr/(s?bin)/ssh", "/usr/sbin/sshd -D"));
	assert_false(matches("^sshd", "/usr/sbin/sshd -D"));
	assert_true(matches("[[:digit:]]{4,}", "worker --port 8080"));
	assert_false(matches("[[:digit:]]{5,}", "worker --port 8080"));
	assert_true(matches("train\\.py$", "python train.py"));
	/* '$' is the end only, '.' any character, as in POSIX without REG_NEWLINE */
	assert_false(matches("py$", "python train.py\n"));
	assert_true(matches("a.b", "a\nb"));
	/* UTF-8, and bytes that are not UTF-8 never an error */
	assert_true(matches("ÉTÉ", "résumé été"));
	assert_true(matches("job", "job \xff\xfe --n"));
	assert_false(matches("nomatch", "\xc3"));
}

static void filter_errors_say_what_and_where(void **state)
{
	struct procsel_re re;
	struct error err;

	(void)state;
	assert_int_equal(procsel_compile(&re, "(py", &err), -1);
	assert_string_equal(err.msg, "missing closing parenthesis at offset 3");
	assert_null(re.m);
	assert_int_equal(procsel_compile(&re, "[", &err), -1);
	assert_non_null(strstr(err.msg, "missing terminating ] for character class"));
	/* a pattern too large to compile is refused, not expanded without end */
	assert_int_equal(procsel_compile(&re, "((a{1,1000}){1,1000}){1,1000}", &err), -1);
	assert_non_null(strstr(err.msg, "too large"));
	/* what made glibc's regcomp take 1.1 GB and 700 MB (found by fuzz_config) */
	assert_int_equal(procsel_compile(&re, "(((a{1,100}){1,100}){1,100})", &err), -1);
	assert_non_null(strstr(err.msg, "too large"));
	assert_int_equal(procsel_compile(&re, "a++++++++++++++++++++", &err), -1);
	assert_non_null(strstr(err.msg, "quantifier does not follow a repeatable item"));
}

/* ((a+)\2)+b on 4,000 'a's: POSIX regexec spun for minutes (300 'a's took 3.5 s). Here the match
 * gives up at its budget, the pattern is switched off and matches everything from then on,
 * without trying again. */
static void a_back_reference_filter_is_switched_off_not_spun(void **state)
{
	struct procsel_re re;
	struct error err;
	char *text = malloc(32 * 1024 + 3);

	(void)state;
	memset(text, 'a', 32 * 1024);
	strcpy(text + 32 * 1024, "cb");
	assert_int_equal(procsel_compile(&re, "((a+)\\2)+b", &err), 0);
	assert_false(procsel_match(&re, "short cmd"));
	assert_false(procsel_switched_off(&re));
	assert_true(procsel_match(&re, text));
	assert_true(procsel_switched_off(&re));
	assert_true(procsel_match(&re, "short cmd"));
	procsel_free(&re);

	/* nested repetition without back-references: the same */
	assert_int_equal(procsel_compile(&re, "(a+)+b", &err), 0);
	assert_true(procsel_match(&re, text));
	assert_true(procsel_switched_off(&re));
	procsel_free(&re);

	/* an everyday pattern on the same long line stays on */
	assert_int_equal(procsel_compile(&re, "python|a{10}c", &err), 0);
	assert_true(procsel_match(&re, text));
	assert_false(procsel_switched_off(&re));
	procsel_free(&re);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pcre2_is_loaded_by_the_first_filter),
		cmocka_unit_test(filter_reads_posix_extended_patterns_as_written),
		cmocka_unit_test(filter_errors_say_what_and_where),
		cmocka_unit_test(a_back_reference_filter_is_switched_off_not_spun),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_completions.c - the bash, zsh and fish completions the build generated from the option
 * table: every option in each, values completed where they are a fixed set, files for file
 * options, accepted by each shell's syntax check, and (bash, fish) completing for real. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "optgen.h"
#include "options.h"
#include "testutil.h"

static const char *const files[] = { [OPT_SHELL_BASH] = AGTOP_COMPLETIONS_DIR "/agtop.bash",
	                             [OPT_SHELL_ZSH] = AGTOP_COMPLETIONS_DIR "/_agtop",
	                             [OPT_SHELL_FISH] = AGTOP_COMPLETIONS_DIR "/agtop.fish" };
static const char *const shell_names[] = { "bash", "zsh", "fish" };

static char *script(enum opt_shell sh)
{
	char *text = read_file(files[sh], NULL);

	if (!text)
		fail_msg("%s is missing: the build generates it (target 'completions')", files[sh]);
	return text;
}

/* The shell's full path from PATH; the test fails (never skips) without it. */
static const char *shell_path(const char *name)
{
	static char found[3][PATH_MAX];
	const char *path = getenv("PATH");
	int slot = name[0] == 'b' ? 0 : name[0] == 'z' ? 1 : 2;

	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(found[slot], sizeof found[slot], "%.*s/%s", (int)n, p, name);
		if (access(found[slot], X_OK) == 0)
			return found[slot];
		p += n + (p[n] == ':');
	}
	fail_msg("%s is not installed: the completion test needs it (./quickstart.sh test "
	         "installs it)",
	         name);
	return NULL;
}

/* The installed files are what agtop --completions prints now: no drift. */
static void the_build_wrote_what_the_table_says(void **state)
{
	(void)state;
	for (int sh = 0; sh < 3; sh++) {
		struct strbuf b;
		char *text = script((enum opt_shell)sh);
		sb_init(&b);
		optgen_completion(&b, (enum opt_shell)sh);
		assert_string_equal(text, b.buf);
		sb_free(&b);
		free(text);
	}
}

static void every_option_is_in_every_completion(void **state)
{
	char *bash = script(OPT_SHELL_BASH), *zsh = script(OPT_SHELL_ZSH),
	     *fish = script(OPT_SHELL_FISH);
	char want[160];
	unsigned n = 0;

	(void)state;
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		if (d->flags & OPTF_ENV_ONLY)
			continue;
		snprintf(want, sizeof want, " --%s ", d->name); /* the word list */
		if (!strstr(bash, want) && !strstr(bash, want + 1))
			fail_msg("bash completion lacks --%s", d->name);
		snprintf(want, sizeof want, "--%s[", d->name);
		if (!strstr(zsh, want) && (snprintf(want, sizeof want, "--%s=", d->name), 1) &&
		    !strstr(zsh, want))
			fail_msg("zsh completion lacks --%s", d->name);
		snprintf(want, sizeof want, " -l %s ", d->name);
		if (!strstr(fish, want))
			fail_msg("fish completion lacks --%s", d->name);
		if (d->alias && d->type != OPT_FLAG) {
			snprintf(want, sizeof want, " | --%s", d->alias);
			if (!strstr(bash, want))
				fail_msg("bash does not complete the value after --%s", d->alias);
		}
		if (d->complete == OPT_COMPLETE_FILE) {
			snprintf(want, sizeof want, " -l %s -r -F ", d->name);
			assert_non_null(strstr(fish, want));
			snprintf(want, sizeof want, "--%s=[", d->name);
			assert_non_null(strstr(strstr(zsh, want), ":_files'"));
		}
		if (d->type == OPT_CHOICE) {
			char words[128] = "";
			for (int c = 0; d->choices[c]; c++)
				snprintf(words + strlen(words), sizeof words - strlen(words),
				         "%s%s", c ? " " : "", d->choices[c]);
			snprintf(want, sizeof want, "-l %s -x -a '%s'", d->name, words);
			if (!strstr(fish, want))
				fail_msg("fish does not offer %s for --%s", words, d->name);
			snprintf(want, sizeof want, ":(%s)'", words);
			assert_non_null(strstr(zsh, want));
			snprintf(want, sizeof want,
			         "\t--%s)\n\t\tCOMPREPLY=($(IFS=' '; compgen -W '%s'", d->name,
			         words);
			assert_non_null(strstr(bash, want));
		}
		n++;
	}
	assert_true(n >= 30);
	free(bash);
	free(zsh);
	free(fish);
}

static void each_shell_accepts_its_script(void **state)
{
	(void)state;
	for (int sh = 0; sh < 3; sh++) {
		struct cmd_result r;
		char *argv[] = { (char *)shell_path(shell_names[sh]), "-n", (char *)files[sh],
			         NULL };
		assert_int_equal(run_cmd(argv, NULL, NULL, &r), 0);
		if (r.status != 0)
			fail_msg("%s -n %s: %s", shell_names[sh], files[sh], r.err);
		cmd_result_free(&r);
	}
}

/* bash's own completion machinery: COMP_WORDS in, COMPREPLY out */
static char *bash_complete(const char *words, int cword)
{
	char cmd[1024];
	struct cmd_result r;
	char *argv[] = { (char *)shell_path("bash"), "--norc", "-c", cmd, NULL };

	snprintf(cmd, sizeof cmd,
	         "source '%s' && COMP_WORDS=(%s) && COMP_CWORD=%d && _agtop && "
	         "printf '%%s\\n' \"${COMPREPLY[@]}\"",
	         files[OPT_SHELL_BASH], words, cword);
	assert_int_equal(run_cmd(argv, NULL, NULL, &r), 0);
	if (r.status != 0)
		fail_msg("bash: %s", r.err);
	free(r.err);
	return r.out;
}

static void bash_completes_names_values_and_files(void **state)
{
	char *dir = tmp_dir(), words[512], want[512], *out;

	(void)state;
	out = bash_complete("agtop --core-view h", 2);
	assert_string_equal(out, "history\n");
	free(out);
	out = bash_complete("agtop --core-view = b", 3); /* --core-view=b, split at '=' */
	assert_string_equal(out, "both\n");
	free(out);
	out = bash_complete("agtop --show", 1);
	assert_string_equal(out, "--show-cores\n");
	free(out);
	out = bash_complete("agtop --completions ''", 2);
	assert_string_equal(out, "bash\nzsh\nfish\n");
	free(out);
	out = bash_complete("agtop --color ''", 2); /* the themes, from the table's own words */
	assert_string_equal(out, "0\n1\n2\n3\n4\n5\n6\n7\n8\n");
	free(out);
	out = bash_complete("agtop --sort gpu_", 2); /* a column by its name */
	assert_string_equal(out, "gpu_memory\n");
	free(out);
	out = bash_complete("agtop --hide p", 2); /* a panel by its name */
	assert_string_equal(out, "power\nprocesses\n");
	free(out);
	out = bash_complete("agtop --max_count ''", 2); /* a number: nothing offered */
	assert_string_equal(out, "\n");
	free(out);
	assert_int_equal(write_file(dir, "my run.jsonl", "{}\n"), 0);
	snprintf(words, sizeof words, "agtop --replay '%s/my'", dir);
	out = bash_complete(words, 2);
	snprintf(want, sizeof want, "%s/my run.jsonl\n", dir);
	assert_string_equal(out, want);
	free(out);
	tmp_cleanup(dir);
	free(dir);
}

/* fish's own completion machinery: complete -C */
static void fish_completes_names_and_values(void **state)
{
	char *dir = tmp_dir(), cmd[1024], home[PATH_MAX + 8], xdg[PATH_MAX + 24];
	char *env[] = { home, xdg, NULL };
	char *argv[] = { (char *)shell_path("fish"), "--no-config", "-c", cmd, NULL };
	struct cmd_result r;

	(void)state;
	snprintf(home, sizeof home, "HOME=%s", dir);
	snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s", dir);
	snprintf(cmd, sizeof cmd,
	         "source '%s'; complete -C'agtop --power-scale '; complete -C'agtop --write'",
	         files[OPT_SHELL_FISH]);
	assert_int_equal(run_cmd(argv, env, NULL, &r), 0);
	if (r.status != 0)
		fail_msg("fish: %s", r.err);
	assert_non_null(strstr(r.out, "auto\tscale of the power charts\n"));
	assert_non_null(strstr(r.out, "profile\tscale of the power charts\n"));
	assert_non_null(strstr(r.out, "--write-config\tsave the lasting settings\n"));
	cmd_result_free(&r);
	tmp_cleanup(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_build_wrote_what_the_table_says),
		cmocka_unit_test(every_option_is_in_every_completion),
		cmocka_unit_test(each_shell_accepts_its_script),
		cmocka_unit_test(bash_completes_names_values_and_files),
		cmocka_unit_test(fish_completes_names_and_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

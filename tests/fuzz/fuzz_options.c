/* fuzz_options.c - libFuzzer target: the command line and the environment. The input is cut at
 * NUL bytes into words; words up to the first empty one are the arguments after "agtop", the
 * rest environment values (each variable agtop reads gets one of them, by its name). Every result
 * (run, help, usage) must leave the options freeable. Built and run by tools/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Any variable agtop asks for gets one of the values, chosen by its name: no list to keep in
 * step with options.c. */
static const char *env_values[8];

static const char *fake_getenv(const char *name)
{
	unsigned h = 5381;

	for (const char *p = name; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return env_values[h % 8];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *argv[66];
	int argc = 1;
	size_t at = 0, nenv = 0;
	bool in_env = false;
	struct options o;
	struct error err;

	if (size > 8192)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	argv[0] = "agtop";
	memset(env_values, 0, sizeof env_values);
	while (at <= size) {
		char *w = text + at;
		size_t n = strlen(w);
		if (!in_env && n == 0)
			in_env = true;
		else if (!in_env && argc < 65)
			argv[argc++] = w;
		else if (in_env && nenv < 8)
			env_values[nenv++] = w;
		at += n + 1;
	}
	argv[argc] = NULL;
	options_parse(&o, argc, argv, fake_getenv, &err);
	options_free(&o);
	free(text);
	return 0;
}

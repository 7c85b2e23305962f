/* fuzz_config.c - libFuzzer target: the config file parser (config_apply) and writer
 * (config_format). Any input applies line by line through the option table without a crash,
 * a leak or undefined behaviour; and whatever settings it leaves are written to a file that
 * reads back with no malformed line and writes out again the same (the writer and the parser
 * agree). Built and run by tools/fuzz.sh against agtop's core, with its seeds in
 * tests/fuzz/corpus/fuzz_config.
 * Inputs that set proc-filter are fuzzed too: the filter's matcher (PCRE2, procsel.c) refuses
 * a pattern too large to compile ("(((a{1,100}){1,100}){1,100})" made glibc's regcomp take
 * 1.1 GB) and bounds every match.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o, back;
	struct strbuf first, second;
	struct error err;

	if (size > CONFIG_MAX_BYTES)
		return 0;
	options_init(&o);
	config_apply(&o, (const char *)data, size, "fuzz.conf", &err);
	sb_init(&first);
	sb_init(&second);
	if (config_format(&o, &first, &err) == 0) {
		options_init(&back);
		if (config_apply(&back, first.buf, first.len, "written.conf", &err) != 0)
			abort(); /* agtop wrote a line it cannot read */
		/* the file's own lines (config_line) decide what is written live: copy them */
		memcpy(back.config_line, o.config_line, sizeof back.config_line);
		if (config_format(&back, &second, &err) != 0 || first.len != second.len ||
		    memcmp(first.buf, second.buf, first.len) != 0)
			abort(); /* what was read back is not what was written */
		options_free(&back);
	}
	sb_free(&first);
	sb_free(&second);
	options_free(&o);
	return 0;
}

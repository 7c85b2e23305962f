/* fuzz_config.c - libFuzzer target: the config file parser (config_apply) and writer
 * (config_format). Any input applies line by line through the option table without a crash,
 * a leak or undefined behaviour; and whatever settings it leaves are written to a file that
 * reads back with no malformed line and writes out again the same (the writer and the parser
 * agree). Built like tools/fuzz.sh builds fuzz_plist, from:
 *   tests/fuzz/fuzz_config.c src/config.c src/options.c src/opt_table.c src/options_parse.c
 *   src/optgen.c src/error.c src/util/addr.c src/util/str.c src/util/strbuf.c
 * Seeds: tests/fuzz/corpus/fuzz_config.
 * Inputs that set proc-filter are left out: glibc's regcomp expands nested repetitions without
 * bound ("a" and twenty '+' take 700 MB, "(((a{1,100}){1,100}){1,100})" 1.1 GB), which is the
 * process filter's matcher to bound (its own target), not this parser's finding. */
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

	if (size > CONFIG_MAX_BYTES || memmem(data, size, "proc-filter", 11))
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

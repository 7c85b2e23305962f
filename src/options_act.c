/* options_act.c - what options_parse asked for other than a run: the help, the version or a
 * completion script on standard output, the settings saved, or a usage error on standard
 * error (for agtop and agtop run alike) */
#include <stdio.h>

#include "config.h"
#include "optgen.h"
#include "options.h"
#include "util/strbuf.h"

const char *options_version(void)
{
	static char line[96];

	snprintf(line, sizeof line, "agtop %s\n", AGTOP_VERSION);
	return line;
}

int options_act(enum options_result r, struct options *o, const struct error *err)
{
	struct strbuf b;
	struct error werr;
	int rc = 0;

	sb_init(&b);
	switch (r) {
	case OPTIONS_HELP:
		optgen_help(&b);
		break;
	case OPTIONS_VERSION:
		sb_puts(&b, options_version());
		break;
	case OPTIONS_COMPLETIONS:
		optgen_completion(&b, o->completions);
		break;
	case OPTIONS_WRITE_CONFIG:
		fputs(o->warnings, stderr);
		if (config_save(o, &werr)) {
			fprintf(stderr, "agtop: cannot save the settings: %s\n", werr.msg);
			rc = 1;
		} else {
			sb_printf(&b, "agtop: settings written to %s\n", o->config_path);
		}
		break;
	case OPTIONS_USAGE:
		fprintf(stderr, "%s\nsee agtop --help\n", err->msg);
		rc = 2;
		break;
	case OPTIONS_RUN:
		break;
	}
	if (b.len)
		fputs(b.buf, stdout);
	if (b.oom || fflush(stdout) != 0)
		rc = rc ? rc : 1;
	sb_free(&b);
	return rc;
}

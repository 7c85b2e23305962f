/* summary.h - the summary of `agtop run -- CMD` and `agtop --replay FILE --summary`, as text for
 * people and as one JSON object (docs/json.md, "The summary") */
#ifndef AGTOP_SUMMARY_H
#define AGTOP_SUMMARY_H

#include <stdbool.h>

#include "../history/ledger.h"
#include "../util/strbuf.h"

/* What is known of the command itself (agtop run); absent for a recording. */
struct summary_cmd {
	char *const *argv;
	int exit_code;        /* as agtop returns it: the code, or 128 + signal */
	int signal;           /* the signal that ended it, 0 none */
	const char *how;      /* "exited with status 0", "was ended by signal 15 (Terminated)" */
	double wall_s;        /* from start to exit */
	double user_s, sys_s; /* its CPU time and that of its descendants (wait4) */
	double max_rss_bytes; /* the largest resident set among them, NAN unknown */
};

/* cmd may be NULL (a recording). */
void summary_text(struct strbuf *b, const struct ledger *l, const struct summary_cmd *cmd);
/* One JSON object, no newline. 0, or -1 when memory runs out. */
int summary_json(struct strbuf *b, const struct ledger *l, const struct summary_cmd *cmd);

#endif

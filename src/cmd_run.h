/* cmd_run.h - the `agtop run` subcommand */
#ifndef AGTOP_CMD_RUN_H
#define AGTOP_CMD_RUN_H

#include "options.h"

/* argv[0] is "run"; returns agtop's exit code: the command's own (128 + N when signal N ended
 * it), 2 for a usage error, 126/127 when the command cannot be run, 1 when sampling could not
 * start. */
int cmd_run(int argc, char **argv, options_getenv_fn env);
/* --replay FILE --summary: the recording's samples through the same ledger; the summary on
 * standard output (text, or one JSON object with --json). */
int cmd_summary(struct options *o);

#endif

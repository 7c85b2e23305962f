/* optgen.h - text generated from the option table (options.h): --help and the bash, zsh and
 * fish completion scripts (the build installs the scripts; agtop --completions SHELL prints
 * them). Pure. */
#ifndef AGTOP_OPTGEN_H
#define AGTOP_OPTGEN_H

#include "options.h"
#include "util/strbuf.h"

/* --help: what agtop is, the options by purpose, the aliases, the dashboard's keys, the
 * environment, the config file and the exit status; every line under 80 columns. */
void optgen_help(struct strbuf *b);

/* The completion script for a shell. */
void optgen_completion(struct strbuf *b, enum opt_shell shell);

/* How --help writes d: "--interval seconds", "-h, --help", "--core-view gauge|history|both". */
void optgen_label(const struct opt_def *d, char *buf, size_t size);

/* Appends text word-wrapped to width columns, each line starting with prefix. */
void optgen_wrap(struct strbuf *b, const char *text, const char *prefix, size_t width);

#endif

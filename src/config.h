/* config.h - the settings file: $XDG_CONFIG_HOME/agtop/agtop.conf, else
 * ~/.config/agtop/agtop.conf. One "name = value" line per long option ("interval = 0.5" for
 * --interval 0.5; flags take yes or no), '#' starts a comment line, blank lines are ignored, a
 * value may be put in double quotes to keep blanks at its ends. The file holds defaults: the
 * environment and the command line override it. A malformed line is reported with FILE:LINE
 * and skipped; every other line still applies. */
#ifndef AGTOP_CONFIG_H
#define AGTOP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "options.h"
#include "util/strbuf.h"

#define CONFIG_MAX_BYTES (1024 * 1024) /* a larger file is not a settings file */
#define CONFIG_MAX_LINE  8192

/* The default location from XDG_CONFIG_HOME (used when set and absolute) or HOME; false when
 * neither is usable (no config file then). */
bool config_default_path(options_getenv_fn env, char *buf, size_t size);

/* Applies text (the contents of file, for messages) to o through opt_apply, line by line; each
 * malformed line becomes a warning in o->warnings. Returns the number of malformed lines; the
 * first one's message (FILE:LINE: ...) is in err. Pure. */
unsigned config_apply(struct options *o, const char *text, size_t len, const char *file,
                      struct error *err);

/* The config layer of options_parse: reads o->config_path (--config FILE) or the default file
 * (then sets o->config_path, where config_save writes), unless o->no_config. A missing default
 * file is no error; a --config FILE that cannot be read is (-1, err says why), unless
 * --write-config is about to create it. */
int config_load(struct options *o, options_getenv_fn env, struct error *err);

/* The file as config_write writes it: every option the file can hold, each with its help as a
 * comment; the lasting settings (and whatever the config file itself set) as "name = value"
 * lines, the rest commented out. Pure. -1 when a value cannot be written on one line. */
int config_format(const struct options *o, struct strbuf *out, struct error *err);

/* Writes config_format(o) to path atomically: a new file beside it, renamed over it. Never
 * follows or replaces a symbolic link or anything but a regular file; keeps an existing file's
 * permissions (new files 0644, missing folders 0700); refuses to overwrite a file with a
 * malformed line (it would be lost). */
int config_write(const struct options *o, const char *path, struct error *err);

/* config_write to o->config_path: the file agtop read its settings from (the dashboard's save
 * key). An error when agtop runs with --no-config or without HOME. */
int config_save(const struct options *o, struct error *err);

#endif

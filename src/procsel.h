/* procsel.h - choosing and ordering the processes to show or export (pure) */
#ifndef AGTOP_PROCSEL_H
#define AGTOP_PROCSEL_H

#include <regex.h>
#include <stddef.h>

#include "sample.h"

enum proc_sort { PROC_SORT_CPU = 0, PROC_SORT_MEMORY, PROC_SORT_PID, PROC_SORT_COUNT };

/* The text a filter is matched against: the full command line, or the short name when the
 * command line is unknown (kernel threads), as the original does. */
const char *procsel_command(const struct sample *s, const struct sample_proc *p);

/* Writes the indices (into s->procs) of at most limit processes that match re (NULL: all),
 * ordered by sort: CPU descending (ties: RSS descending), memory descending (ties: CPU), or PID
 * ascending; unknown values sort last. Returns how many were written. */
size_t procsel_top(const struct sample *s, const regex_t *re, enum proc_sort sort, size_t limit,
                   size_t *out);

const char *proc_sort_name(enum proc_sort sort);

#endif

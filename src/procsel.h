/* procsel.h - choosing and ordering the processes to show or export (pure) */
#ifndef AGTOP_PROCSEL_H
#define AGTOP_PROCSEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "procfield.h"
#include "sample.h"

enum proc_sort { PROC_SORT_CPU = 0, PROC_SORT_MEMORY, PROC_SORT_PID, PROC_SORT_COUNT };

/* A process filter: a case-insensitive regular expression in PCRE2's syntax (POSIX extended
 * patterns read as they always did: alternation, groups, classes, anchors, repetition), with
 * '.' matching any character and '$' only the end, matched against the full command line.
 *
 * Its cost is bounded: PCRE2 gives up a match after a fixed number of steps (fewer for a
 * pattern with back-references, whose steps cost up to a command line each) and a fixed
 * depth. A pattern that exceeds the budget on some command line is switched off: it matches
 * everything from then on, and procsel_switched_off() says so, for the caller to tell the
 * user. A pattern such as ((a+)\2)+b against a long command line used to spin for minutes. */
struct procsel_matcher;
struct procsel_re {
	struct procsel_matcher *m; /* NULL: not compiled */
};

/* Compiles pattern; on failure err->msg is PCRE2's reason with the offset. */
int procsel_compile(struct procsel_re *re, const char *pattern, struct error *err);
/* Whether text matches (always true once the pattern was switched off). */
bool procsel_match(const struct procsel_re *re, const char *text);
/* Whether the pattern exceeded its budget and now matches everything. */
bool procsel_switched_off(const struct procsel_re *re);
void procsel_free(struct procsel_re *re);

/* The text a filter is matched against: the full command line, or the short name when the
 * command line is unknown (kernel threads), as the original does. */
const char *procsel_command(const struct sample *s, const struct sample_proc *p);

/* Writes the indices (into s->procs) of at most limit processes that match re (NULL: all),
 * ordered by sort: CPU descending (ties: RSS descending), memory descending (ties: CPU), or PID
 * ascending; unknown values sort last. Returns how many were written. */
size_t procsel_top(const struct sample *s, const struct procsel_re *re, enum proc_sort sort,
                   size_t limit, size_t *out);

const char *proc_sort_name(enum proc_sort sort);

/* ---- the dashboard's whole, ordered list ---- */

#define PROCSEL_TREE_LINES 32 /* tree depths that get connecting lines */

struct procsel_row {
	size_t idx;     /* into s->procs */
	int pid;        /* s->procs[idx].pid */
	unsigned depth; /* in the tree view: 0 for a process whose parent is not listed */
	uint32_t lines; /* bit d: the ancestor at depth d has siblings further down */
	bool last;      /* the last child of its parent */
};

struct procsel_rows {
	struct procsel_row *row;
	size_t n, cap;
};

void procsel_rows_free(struct procsel_rows *r);

/* Every process whose shown command (proc_command) matches re (NULL: all), sorted by a field
 * (desc: biggest first; unknown values last either way; ties by PID), or as a tree: each
 * process under its parent, siblings in that order. A parent loop in a hostile recording is
 * broken, never followed. Returns 0, or -1 when memory runs out (out is then empty). */
int procsel_order(const struct sample *s, const struct procsel_re *re, enum proc_field sort,
                  bool desc, bool tree, struct procsel_rows *out);

#endif

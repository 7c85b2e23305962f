/* procfield.h - the columns of the process list: one table entry per field (pure)
 *
 * A field is its name (the sort key's name in options and the status line), its title, its
 * width, when it is dropped on a narrow panel, and three functions: whether a process's value is
 * known, how two processes compare, how the value is written. Adding a column is adding an
 * entry here (and the member of struct sample_proc it shows); the panel, the sort keys, the
 * header clicks and the help follow the table. */
#ifndef AGTOP_PROCFIELD_H
#define AGTOP_PROCFIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "sample.h"

/* in the order the columns are drawn */
enum proc_field {
	PF_PID = 0,
	PF_PPID,
	PF_USER,
	PF_CPU,
	PF_MEM,
	PF_MEMPCT,
	PF_GPU,
	PF_GPUMEM,
	PF_POWER,
	PF_ENERGY,
	PF_THREADS,
	PF_STATE,
	PF_START,
	PF_ELAPSED,
	PF_COMMAND,
	PF_COUNT
};

struct proc_field_def {
	const char *name;  /* "cpu" */
	const char *title; /* "CPU%" */
	const char *help;  /* what the column shows, for the help page */
	int width;         /* cells; 0 takes the rest of the row (the command) */
	int drop;          /* on a narrow panel the highest goes first; 0 always stays */
	bool right;        /* numbers are right-aligned */
	bool desc;         /* first sorted biggest first */
	/* NULL: always known. Unknown values sort after every known one, either direction. */
	bool (*known)(const struct sample *s, const struct sample_proc *p);
	/* ascending order of two known values */
	int (*cmp)(const struct sample *s, const struct sample_proc *a,
	           const struct sample_proc *b);
	/* the cell's text ("N/A" when unknown) */
	void (*fmt)(const struct sample *s, const struct sample_proc *p, char *out, size_t size);
};

extern const struct proc_field_def proc_fields[PF_COUNT];

/* The field of that name (proc_fields[].name), or -1. */
int proc_field_parse(const char *name);

/* The command as people recognise it: the program without its directory, then its arguments
 * ("cc1 -quiet foo.c -o /tmp/x.s" for "/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet ..."); an
 * app bundle's program keeps the spaces in its name ("Google Chrome Helper --type=gpu");
 * a process without a command line (a kernel thread) is its short name in brackets, as ps(1)
 * writes it. */
void proc_command(const struct sample *s, const struct sample_proc *p, char *out, size_t size);

/* Seconds as a run time: "42s", "12:34" (minutes), "3:12:34" (hours), "12d03h" (days). */
void proc_fmt_elapsed(double seconds, char *out, size_t size);

#endif

/* run.h - what main.c gives the loops: the stop signal, waiting, the saved terminal */
#ifndef AGTOP_RUN_H
#define AGTOP_RUN_H

#include <signal.h>
#include <stdbool.h>

#include "error.h"
#include "options.h"
#include "sample.h"

/* Sleeps until a monotonic deadline; false when a stop signal arrived. */
bool run_wait_until(double deadline);
/* The signal that asked agtop to stop (0 if none), and the exit code that reports it. */
int run_stop_signal(void);
int run_exit_code_for_signal(int sig);
/* The flag a source's blocking read watches (struct sampler's stop). */
const volatile sig_atomic_t *run_stop_flag(void);
/* A source interrupted while it opened (a stop signal during a blocking read) is a stop, not
 * an error: the exit code that says which signal; else err on stderr and 1. */
int run_open_failed(const struct error *err);
/* The terminal as it was before the dashboard, for the crash handler to put back (saved true),
 * or forgotten once the dashboard has restored it (saved false). */
void run_terminal_saved(bool saved);

/* The dashboard (dashboard_loop.c): curses until q, a stop signal or --count samples. */
int dashboard_run(struct options *o);

/* What agtop run --dashboard hooks into the dashboard: each new sample, and whether the
 * command has ended (the dashboard then takes one more reading and closes). */
struct dash_hooks {
	void (*sample)(void *ctx, const struct sample *s);
	bool (*done)(void *ctx);
	void *ctx;
};
int dashboard_run_hooked(struct options *o, const struct dash_hooks *hooks);

#endif

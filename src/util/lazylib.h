/* lazylib.h - a shared library opened at run time, the first time a feature needs it.
 *
 * agtop is built against the headers of libraries only some runs use (libmicrohttpd for
 * --prometheus, PCRE2 for a process filter, expat for powermetrics' plists) but not linked to
 * them: a run that never needs one never maps it, so it costs neither resident memory nor
 * start-up relocations (bench/README.md). Each such library has a shim file that defines the
 * calls agtop makes and forwards them to pointers this loader fills. */
#ifndef AGTOP_LAZYLIB_H
#define AGTOP_LAZYLIB_H

#include <stdbool.h>
#include <stddef.h>

struct lazylib_sym {
	const char *name;
	void **slot; /* where the address goes */
};

struct lazylib {
	const char *what;         /* "libmicrohttpd", for messages */
	const char *libdir;       /* where pkg-config found it at build time, or "" */
	const char *const *names; /* file names to try: Linux soname, macOS install name */
	size_t nnames;
	const struct lazylib_sym *syms; /* every call the shim forwards */
	size_t nsyms;
	void *handle; /* NULL until opened */
};

/* Opens the library (libdir/name first for each name: Homebrew's lib folder is not on
 * dlopen's default path; then the dynamic linker's own search) and finds every symbol. 0, or
 * -1 with a sentence in why (not found, or a symbol missing: then nothing stays open and every
 * slot is NULL). Opening twice is opening once. */
int lazylib_open(struct lazylib *l, char *why, size_t size);
bool lazylib_loaded(const struct lazylib *l);

#endif

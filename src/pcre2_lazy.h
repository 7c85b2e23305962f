/* pcre2_lazy.h - PCRE2 loaded at run time, only when a process filter is compiled
 * (src/util/lazylib.h says why) */
#ifndef AGTOP_PCRE2_LAZY_H
#define AGTOP_PCRE2_LAZY_H

#include <stdbool.h>
#include <stddef.h>

/* Opens libpcre2-8 and finds the calls procsel.c makes. 0, or -1 with a sentence in err. */
int pcre2_lazy_load(char *err, size_t size);
/* Whether it has been loaded (the tests check that a run without a filter never loads it). */
bool pcre2_lazy_loaded(void);

#endif

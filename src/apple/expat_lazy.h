/* expat_lazy.h - expat loaded at run time, only when a plist is parsed (powermetrics' stream
 * or a recording of it; src/util/lazylib.h says why) */
#ifndef AGTOP_EXPAT_LAZY_H
#define AGTOP_EXPAT_LAZY_H

#include <stdbool.h>
#include <stddef.h>

/* Opens libexpat and finds the calls plist.c makes. 0, or -1 with a sentence in err. */
int expat_lazy_load(char *err, size_t size);
/* Whether it has been loaded (the tests check that a Linux run never loads it). */
bool expat_lazy_loaded(void);

#endif

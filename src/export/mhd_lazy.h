/* mhd_lazy.h - libmicrohttpd loaded at run time, only for the --prometheus endpoint
 * (mhd_lazy.c says why) */
#ifndef AGTOP_MHD_LAZY_H
#define AGTOP_MHD_LAZY_H

#include <stdbool.h>
#include <stddef.h>

/* Opens libmicrohttpd and finds the calls http.c makes. 0, or -1 with a sentence in err (the
 * library is missing, or lacks a call). Loading twice is loading once. */
int mhd_load(char *err, size_t size);
/* Whether it has been loaded (the tests check that the dashboard alone never loads it). */
bool mhd_loaded(void);

#endif

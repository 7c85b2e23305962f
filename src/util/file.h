/* file.h - opening files portably */
#ifndef AGTOP_FILE_H
#define AGTOP_FILE_H

#include <stdio.h>

/* fopen with close-on-exec (so a subprocess such as powermetrics never inherits it), for the
 * modes "r", "w" and "a"; fopen's "e" flag is not on every libc agtop builds with. NULL with
 * errno set on failure. */
FILE *file_open_cloexec(const char *path, const char *mode);

#endif

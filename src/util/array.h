/* array.h - growing a heap array (pure) */
#ifndef AGTOP_ARRAY_H
#define AGTOP_ARRAY_H

#include <stddef.h>

/* Makes room for `need` elements of `elem` bytes in *buf (capacity *cap): the capacity starts
 * at `first` and doubles until it is enough. 0, or -1 when out of memory (*buf and *cap are
 * then unchanged). buf is the address of the caller's typed pointer, cast to void **. */
int array_grow(void **buf, size_t *cap, size_t need, size_t elem, size_t first);

#endif

#include "array.h"

#include <stdlib.h>

int array_grow(void **buf, size_t *cap, size_t need, size_t elem, size_t first)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : first;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*buf, ncap * elem);
	if (!p)
		return -1;
	*buf = p;
	*cap = ncap;
	return 0;
}

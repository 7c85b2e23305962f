#include "lazylib.h"

#include <dlfcn.h>
#include <stdio.h>

static void *open_file(const struct lazylib *l, char *why, size_t size)
{
	char path[1024];
	const char *e;
	void *h;

	for (size_t i = 0; i < l->nnames; i++) {
		if (l->libdir && l->libdir[0]) {
			snprintf(path, sizeof path, "%s/%s", l->libdir, l->names[i]);
			if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)))
				return h;
		}
		if ((h = dlopen(l->names[i], RTLD_NOW | RTLD_LOCAL)))
			return h;
	}
	e = dlerror();
	snprintf(why, size, "%s", e ? e : "not found");
	return NULL;
}

int lazylib_open(struct lazylib *l, char *why, size_t size)
{
	if (l->handle)
		return 0;
	l->handle = open_file(l, why, size);
	if (!l->handle)
		return -1;
	for (size_t i = 0; i < l->nsyms; i++) {
		*l->syms[i].slot = dlsym(l->handle, l->syms[i].name);
		if (!*l->syms[i].slot) {
			snprintf(why, size, "%s has no %s", l->what, l->syms[i].name);
			for (size_t j = 0; j < l->nsyms; j++)
				*l->syms[j].slot = NULL;
			dlclose(l->handle);
			l->handle = NULL;
			return -1;
		}
	}
	return 0;
}

bool lazylib_loaded(const struct lazylib *l)
{
	return l->handle != NULL;
}

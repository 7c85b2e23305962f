/* platform.c (Linux) - the live sources of this platform, in order of preference */
#include "../source.h"
#include "linux_source.h"

const struct source_ops *const platform_sources[] = { &linux_source, NULL };

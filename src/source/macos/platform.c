/* platform.c (macOS) - the live sources of this platform, in order of preference */
#include "../source.h"

const struct source_ops *const platform_sources[] = { NULL };

/* platform.c (Linux) - the live sources of this platform, in order of preference */
#include "../source.h"
#include "linux_source.h"

const struct source_ops *const platform_sources[] = { &linux_source, NULL };

int platform_dump_ioreport(const struct options *o, struct error *err)
{
	(void)o;
	return error_set(err, "--dump-ioreport needs macOS (IOReport); --decode-dump reads a "
	                      "dump on any platform");
}

/* platform.c (macOS) - the live sources of this platform, in order of preference */
#include "../source.h"
#include "macos_source.h"

const struct source_ops *const platform_sources[] = { &ioreport_source, &powermetrics_source,
	                                              NULL };

int platform_dump_ioreport(const struct options *o, struct error *err)
{
	return mac_dump_ioreport(o, err);
}

/* linux_source.h - the Linux source's ops table */
#ifndef AGTOP_LINUX_SOURCE_H
#define AGTOP_LINUX_SOURCE_H

#include "../source.h"

extern const struct source_ops linux_source;

#endif

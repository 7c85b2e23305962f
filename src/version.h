/* version.h - agtop's version. The CMake project version is its only source: the build writes
 * agtop_version[] (cmake/version.cmake), adding `git describe` in a development build, and
 * --version, JSON lines, Prometheus, dumps, the dashboard, the manual and the packages show it. */
#ifndef AGTOP_VERSION_H
#define AGTOP_VERSION_H

extern const char agtop_version[];
#define AGTOP_VERSION agtop_version

#endif

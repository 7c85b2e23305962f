# cpack.cmake - `cpack -G DEB` in the build folder makes agtop_VERSION_ARCH.deb from what
# cmake/install.cmake installs, under /usr. The version is read when cpack runs (from the
# build's generated/version.txt, see cmake/version.cmake), so a package made after a new commit
# and a rebuild names that commit; a development version's "-" becomes "~" so that it sorts
# before the release it leads to (0.1.0~dev+8b90b48 < 0.1.0).
set(CPACK_PACKAGE_NAME agtop)
set(CPACK_PACKAGE_VENDOR "The agtop developers")
set(CPACK_PACKAGE_CONTACT "agtop developers <dev@agtop.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "agtop shows what a machine is doing, live and without sudo: CPU clusters and cores, GPU,
neural engine, power rails, memory and swap, memory bandwidth, temperatures, the busiest
processes and alerts. It also writes JSON lines, records and replays, and serves Prometheus
metrics. Its home is Apple Silicon; on Linux it reads procfs, sysfs, RAPL and hwmon.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# the runtime libraries, found by dpkg-shlibdeps in the binary (packaging/deb-check.sh checks
# them against ldd)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# opened at run time by the features that need them (src/util/lazylib.h: --prometheus, a
# process filter, powermetrics' plists), so not in the binary's NEEDED list: named here, and
# dpkg-shlibdeps' list is added to it
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libmicrohttpd12, libpcre2-8-0, libexpat1")

configure_file(${PROJECT_SOURCE_DIR}/cmake/cpack-version.cmake.in
               ${PROJECT_BINARY_DIR}/cpack-version.cmake @ONLY)
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_BINARY_DIR}/cpack-version.cmake)
include(CPack)

# version.cmake - agtop's one version, run as a script (cmake -P) at configure time and again at
# every build, so that a commit made after configuring still shows in the binary.
#
# The CMake project version (project() in CMakeLists.txt) is the only place a version is written.
# A build from a git checkout of agtop that is not exactly the clean tag v<project version>
# appends what `git describe` says: 0.1.0-dev+v0.1.0-3-g8b90b48-dirty, or 0.1.0-dev+8b90b48
# where no tag is reachable. A build from a release tarball (no .git) is the project version.
#
# In:  AGTOP_SOURCE_DIR, AGTOP_GEN_DIR, AGTOP_PROJECT_VERSION, GIT_EXECUTABLE (may be empty)
# Out, in AGTOP_GEN_DIR, each rewritten only when its content changes (so nothing rebuilds when
# the version did not move):
#   version.c      agtop_version[] for the binary (from src/version.c.in)
#   version.txt    the version, one line (tests, cpack)
#   agtop.1        docs/agtop.1 with the version in its .TH line (installed)
cmake_minimum_required(VERSION 3.20)

foreach(var AGTOP_SOURCE_DIR AGTOP_GEN_DIR AGTOP_PROJECT_VERSION)
  if(NOT ${var})
    message(FATAL_ERROR "version.cmake: ${var} is not set")
  endif()
endforeach()

function(agtop_write_if_changed path content)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${content}")
endfunction()

# The describe suffix, only where the source folder is the top of its own git checkout: a tarball
# unpacked inside some other repository must not take that repository's describe.
set(version "${AGTOP_PROJECT_VERSION}")
if(GIT_EXECUTABLE)
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${AGTOP_SOURCE_DIR}" rev-parse --show-toplevel
                  OUTPUT_VARIABLE top RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc EQUAL 0)
    file(REAL_PATH "${top}" top)
    file(REAL_PATH "${AGTOP_SOURCE_DIR}" src)
  endif()
  if(rc EQUAL 0 AND top STREQUAL src)
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${AGTOP_SOURCE_DIR}" describe --tags --always
                            --dirty --match "v[0-9]*"
                    OUTPUT_VARIABLE describe RESULT_VARIABLE rc ERROR_QUIET
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc EQUAL 0 AND NOT describe STREQUAL "v${AGTOP_PROJECT_VERSION}")
      # semver build metadata allows [0-9A-Za-z.-]; a tag may hold anything else
      string(REGEX REPLACE "[^0-9A-Za-z.-]" "." describe "${describe}")
      set(version "${AGTOP_PROJECT_VERSION}-dev+${describe}")
    endif()
  endif()
endif()

file(MAKE_DIRECTORY "${AGTOP_GEN_DIR}")

set(AGTOP_VERSION_FULL "${version}")
file(READ "${AGTOP_SOURCE_DIR}/src/version.c.in" template)
string(CONFIGURE "${template}" versionc @ONLY)
agtop_write_if_changed("${AGTOP_GEN_DIR}/version.c" "${versionc}")
agtop_write_if_changed("${AGTOP_GEN_DIR}/version.txt" "${version}\n")

# The manual's header line carries the version: .TH AGTOP 1 DATE "agtop VERSION" ...
file(READ "${AGTOP_SOURCE_DIR}/docs/agtop.1" man)
set(th "^\\.TH AGTOP 1 ([^ \n]+) \"agtop [^\"\n]*\"")
if(NOT man MATCHES "${th}")
  message(FATAL_ERROR "docs/agtop.1 must begin with: .TH AGTOP 1 DATE \"agtop VERSION\" ...")
endif()
string(REGEX REPLACE "${th}" ".TH AGTOP 1 \\1 \"agtop ${version}\"" man "${man}")
agtop_write_if_changed("${AGTOP_GEN_DIR}/agtop.1" "${man}")

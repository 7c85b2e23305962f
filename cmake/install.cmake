# install.cmake - what `cmake --install` lays out under the prefix (DESTDIR honoured; every
# destination is relative, so nothing goes outside it). tests/install_check.sh checks the layout.
#
#   bin/agtop
#   share/man/man1/agtop.1                       with the build's version (cmake/version.cmake)
#   share/doc/agtop/                             README, CHANGELOG, LICENSE, docs/*.md, fleet/
#   share/agtop/examples/m1-ioreport-dump.json   a small dump (--decode-dump), and its source
#   share/bash-completion/completions/agtop      the completions, once the option table makes
#   share/zsh/site-functions/_agtop              them: through agtop_install_completions()
#   share/fish/vendor_completions.d/agtop.fish
include(GNUInstallDirs)

# The shells' standard folders. Packagers whose shells look elsewhere set these (Homebrew's
# formula: its etc/bash_completion.d).
set(AGTOP_BASH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
    CACHE STRING "bash completion folder (relative to the prefix, or absolute)")
set(AGTOP_ZSH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/zsh/site-functions"
    CACHE STRING "zsh completion folder (relative to the prefix, or absolute)")
set(AGTOP_FISH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d"
    CACHE STRING "fish completion folder (relative to the prefix, or absolute)")

install(TARGETS agtop RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${AGTOP_GEN_DIR}/agtop.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

file(GLOB AGTOP_DOC_PAGES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
file(GLOB AGTOP_FLEET_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/fleet/*)
install(FILES README.md CHANGELOG.md LICENSE ${AGTOP_DOC_PAGES} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${AGTOP_FLEET_FILES} DESTINATION ${CMAKE_INSTALL_DOCDIR}/fleet)

# A dump to try --decode-dump on without a Mac (the Homebrew formula's test decodes it)
install(FILES tests/dumps/m1.json DESTINATION ${CMAKE_INSTALL_DATADIR}/agtop/examples
        RENAME m1-ioreport-dump.json)
install(FILES packaging/examples/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/agtop/examples)

# agtop_install_completions(BASH file ZSH file FISH file): installs the three completion scripts
# under the names each shell looks up, and tells tests/install_check.sh to expect them.
function(agtop_install_completions)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "BASH;ZSH;FISH" "")
  if(NOT arg_BASH OR NOT arg_ZSH OR NOT arg_FISH)
    message(FATAL_ERROR "agtop_install_completions: BASH, ZSH and FISH files are all needed")
  endif()
  install(FILES ${arg_BASH} DESTINATION ${AGTOP_BASH_COMPLETION_DIR} RENAME agtop)
  install(FILES ${arg_ZSH} DESTINATION ${AGTOP_ZSH_COMPLETION_DIR} RENAME _agtop)
  install(FILES ${arg_FISH} DESTINATION ${AGTOP_FISH_COMPLETION_DIR} RENAME agtop.fish)
  set_property(TARGET agtop PROPERTY AGTOP_COMPLETIONS ON)
endfunction()

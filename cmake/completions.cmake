# Shell completions for bash, zsh and fish, generated at build time by the agtop just built
# (agtop --completions SHELL) from the option table that also parses the options and prints
# --help, and installed where each shell looks under the prefix (agtop_install_completions,
# cmake/install.cmake, which must be included first).
set(AGTOP_COMPLETIONS_DIR ${CMAKE_BINARY_DIR}/completions)
set(AGTOP_COMPLETION_FILES
  ${AGTOP_COMPLETIONS_DIR}/agtop.bash
  ${AGTOP_COMPLETIONS_DIR}/_agtop
  ${AGTOP_COMPLETIONS_DIR}/agtop.fish)

if(CMAKE_CROSSCOMPILING AND NOT CMAKE_CROSSCOMPILING_EMULATOR)
  message(WARNING "cross-compiling without an emulator: no shell completions "
                  "(agtop --completions SHELL prints them on the target)")
  return()
endif()

file(MAKE_DIRECTORY ${AGTOP_COMPLETIONS_DIR})
set(_shells bash zsh fish)
foreach(_file IN LISTS AGTOP_COMPLETION_FILES)
  list(POP_FRONT _shells _shell)
  add_custom_command(OUTPUT ${_file}
    COMMAND ${CMAKE_COMMAND} -DAGTOP=$<TARGET_FILE:agtop>
            "-DEMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}" -DSHELL_NAME=${_shell}
            -DOUT=${_file} -P ${CMAKE_CURRENT_LIST_DIR}/gen_completion.cmake
    DEPENDS agtop ${CMAKE_CURRENT_LIST_DIR}/gen_completion.cmake
    COMMENT "Generating the ${_shell} completion"
    VERBATIM)
endforeach()
add_custom_target(completions ALL DEPENDS ${AGTOP_COMPLETION_FILES})

agtop_install_completions(BASH ${AGTOP_COMPLETIONS_DIR}/agtop.bash
                          ZSH ${AGTOP_COMPLETIONS_DIR}/_agtop
                          FISH ${AGTOP_COMPLETIONS_DIR}/agtop.fish)

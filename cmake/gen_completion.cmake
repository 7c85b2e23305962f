# cmake -DAGTOP=path -DSHELL_NAME=bash|zsh|fish -DOUT=file [-DEMULATOR=...] -P gen_completion.cmake
# Writes `agtop --no-config --completions SHELL_NAME` to OUT, through a temporary file so that a
# failed run leaves no half-written script behind.
execute_process(COMMAND ${EMULATOR} ${AGTOP} --no-config --completions ${SHELL_NAME}
  OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "agtop --completions ${SHELL_NAME} failed: ${rc}")
endif()
file(RENAME ${OUT}.tmp ${OUT})

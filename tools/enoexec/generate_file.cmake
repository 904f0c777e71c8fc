# cmake -DENOEXEC=PATH -DKIND=man|bash|zsh|fish -DOUTPUT=FILE [-DEMULATOR=CMD|ARG...] -P generate_file.cmake
# Writes `[EMULATOR] ENOEXEC --generate KIND` to OUTPUT, whole or not at all: a failed run leaves
# no file behind for the next build to take as up to date.
foreach(var ENOEXEC KIND OUTPUT)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "generate_file.cmake: -D${var}=... is required")
  endif()
endforeach()
string(REPLACE "|" ";" emulator "${EMULATOR}")
get_filename_component(directory "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${directory}")
execute_process(COMMAND ${emulator} "${ENOEXEC}" --generate "${KIND}"
                OUTPUT_FILE "${OUTPUT}.tmp"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(REMOVE "${OUTPUT}.tmp" "${OUTPUT}")
  message(FATAL_ERROR "${ENOEXEC} --generate ${KIND} failed: ${result}")
endif()
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")

# One warning set for every target of ours; -Werror only where asked (CI).
add_library(enoexec_warnings INTERFACE)
target_compile_options(enoexec_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wnull-dereference -Wimplicit-fallthrough -Wformat=2)
if(ENOEXEC_WERROR)
  target_compile_options(enoexec_warnings INTERFACE -Werror)
endif()

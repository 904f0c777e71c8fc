# ENOEXEC_SANITIZE=address,undefined instruments everything, third-party headers included.
if(ENOEXEC_SANITIZE)
  add_compile_options(-fsanitize=${ENOEXEC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${ENOEXEC_SANITIZE})
endif()
# libFuzzer targets need coverage instrumentation in every library they reach.
if(ENOEXEC_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# ENOEXEC_SANITIZE=address,undefined instruments everything, third-party headers included.
if(ENOEXEC_SANITIZE)
  add_compile_options(-fsanitize=${ENOEXEC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${ENOEXEC_SANITIZE})
endif()

# Cross-compiling for linux/arm64 with Debian's cross toolchain and multiarch libraries:
#   apt-get install g++-aarch64-linux-gnu
#   dpkg --add-architecture arm64 && apt-get update && apt-get install libssl-dev:arm64 libfmt-dev:arm64
# (scripts/portable.sh arm64 does both). Used by the portable-arm64 preset.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(ENOEXEC_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${ENOEXEC_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${ENOEXEC_CROSS_TRIPLE}-g++)

# Debian multiarch: arm64 libraries in /usr/lib/aarch64-linux-gnu, their CMake packages in
# /usr/lib/aarch64-linux-gnu/cmake, architecture-independent headers and packages in
# /usr/include and /usr/share. CMake searches <prefix>/lib/<CMAKE_LIBRARY_ARCHITECTURE>.
set(CMAKE_LIBRARY_ARCHITECTURE ${ENOEXEC_CROSS_TRIPLE})
# The cross compiler searches /usr/include but not /usr/include/aarch64-linux-gnu, where
# multiarch packages keep their architecture-specific headers (openssl/configuration.h).
set(CMAKE_CXX_STANDARD_INCLUDE_DIRECTORIES /usr/include/${ENOEXEC_CROSS_TRIPLE})
set(CMAKE_C_STANDARD_INCLUDE_DIRECTORIES /usr/include/${ENOEXEC_CROSS_TRIPLE})

# Never take a library of the build machine: FindOpenSSL asks pkg-config first, and the
# build machine's pkg-config answers with /usr/lib/x86_64-linux-gnu.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${ENOEXEC_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
list(APPEND CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake)

# A static arm64 program runs under qemu-user without an arm64 root, so with qemu installed
# the build can run what it builds (enoexec's generated man page and completions).
find_program(ENOEXEC_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(ENOEXEC_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${ENOEXEC_QEMU_AARCH64})
endif()

# ENOEXEC_PORTABLE (the `portable` preset): one enoexec program that runs on any Linux of its
# architecture, from an empty chroot or a FROM-scratch image up: static glibc, static
# libstdc++ and libgcc, fmt header-only, static libcrypto, static libarchive with libzstd,
# liblzma, libbz2 and zlib, and gzip layers through zlib instead of ISA-L (Debian has no static
# libisal). No DT_NEEDED, no PT_INTERP.
# Included by the top-level CMakeLists.txt before the dependencies are found; see
# docs/portable.md for the trade-offs (NSS, dlopen, OpenSSL's configuration and providers).
if(NOT ENOEXEC_PORTABLE)
  return()
endif()

option(ENOEXEC_PORTABLE_PIE
  "Link the portable program as a static PIE (-static-pie, ASLR); OFF links plain -static" ON)

# fmt compiled into every object that formats; no libfmt.so to find at run time.
set(ENOEXEC_FMT_TARGET fmt::fmt-header-only)

# FindOpenSSL: libcrypto.a, and Threads/dl on its interface (both are in libc.a since glibc
# 2.34). Only .a files for every find_library from here on, so nothing shared slips in.
set(OPENSSL_USE_STATIC_LIBS TRUE)
set(CMAKE_FIND_LIBRARY_SUFFIXES ${CMAKE_STATIC_LIBRARY_SUFFIX})

# Every program is linked statically; -static and -static-pie link libstdc++ and libgcc
# statically too. Do not add -static-libstdc++: g++ then wraps -lstdc++ in -Bstatic ...
# -Bdynamic, and with -static-pie the libc after it is linked as libc.so.6 (DT_NEEDED, and a
# program that crashes at start without an interpreter).
#
# The link warns "Using 'dlopen' (getaddrinfo, ...) in statically linked applications
# requires at runtime the shared libraries from the glibc version used for linking": they come
# from libcrypto's objects for loading DSOs and for BIO sockets, which enoexec never reaches
# (docs/portable.md). They are linker warnings: ENOEXEC_WERROR's -Werror is a compiler option
# and does not make them errors, and nothing here passes --fatal-warnings.
if(ENOEXEC_PORTABLE_PIE)
  set(_enoexec_static_flag -static-pie)
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
else()
  set(_enoexec_static_flag -static)
endif()
string(APPEND CMAKE_EXE_LINKER_FLAGS " ${_enoexec_static_flag}")

# Fail here, not at link time, when a static library is missing, and say which package has it.
function(_enoexec_require_static_file file package)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} ${CMAKE_CXX_COMPILER_ARG1} -print-file-name=${file}
                  OUTPUT_VARIABLE path OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  # GCC and clang print the bare name back when they do not find the file.
  if(NOT rc EQUAL 0 OR NOT IS_ABSOLUTE "${path}" OR NOT EXISTS "${path}")
    message(FATAL_ERROR "ENOEXEC_PORTABLE: ${CMAKE_CXX_COMPILER} has no ${file}; "
                        "a fully static enoexec needs it (Debian: ${package}).")
  endif()
  message(STATUS "ENOEXEC_PORTABLE: ${file}: ${path}")
endfunction()
_enoexec_require_static_file(libc.a "libc6-dev, or libc6-dev-ARCH-cross for a cross g++")
_enoexec_require_static_file(libstdc++.a "libstdc++-12-dev, or its -ARCH-cross twin")
_enoexec_require_static_file(libgcc_eh.a "libgcc-12-dev, or its -ARCH-cross twin")
if(ENOEXEC_PORTABLE_PIE)
  # glibc's start file for static PIEs; without it -static-pie cannot link.
  _enoexec_require_static_file(rcrt1.o "libc6-dev, or libc6-dev-ARCH-cross")
endif()

find_package(OpenSSL 3 COMPONENTS Crypto)
if(NOT OPENSSL_CRYPTO_LIBRARY MATCHES "\\${CMAKE_STATIC_LIBRARY_SUFFIX}$")
  message(FATAL_ERROR "ENOEXEC_PORTABLE: no static libcrypto (libcrypto.a) of OpenSSL 3 was found "
                      "(found: '${OPENSSL_CRYPTO_LIBRARY}'); install libssl-dev for the target "
                      "architecture or set OPENSSL_ROOT_DIR.")
endif()
message(STATUS "ENOEXEC_PORTABLE: libcrypto: ${OPENSSL_CRYPTO_LIBRARY}")

# enoexec image (src/image): libarchive.a, then the static libraries of the read filters it
# registers (gzip, zstd, xz, bzip2 in image_store.cpp), which are all it needs of the
# Libs.private of libarchive.pc (nettle, acl, lz4 and xml2 serve formats and filters enoexec
# never registers, and the probe below links without them). gzip layers are decoded with zlib:
# Debian ships ISA-L only as a shared library, so ENOEXEC_ISAL (the top-level CMakeLists.txt) is off.
set(ENOEXEC_ISAL OFF)
find_package(LibArchive)
if(NOT LibArchive_LIBRARY MATCHES "\\${CMAKE_STATIC_LIBRARY_SUFFIX}$")
  message(FATAL_ERROR "ENOEXEC_PORTABLE: no static libarchive (libarchive.a) was found "
                      "(found: '${LibArchive_LIBRARY}'); install libarchive-dev for the target "
                      "architecture.")
endif()
set(_enoexec_archive_libraries ${LibArchive_LIBRARY})
foreach(_enoexec_lib_package IN ITEMS zstd:libzstd-dev lzma:liblzma-dev bz2:libbz2-dev z:zlib1g-dev)
  string(REPLACE ":" ";" _enoexec_lib_package ${_enoexec_lib_package})
  list(GET _enoexec_lib_package 0 _enoexec_lib)
  list(GET _enoexec_lib_package 1 _enoexec_package)
  find_library(ENOEXEC_STATIC_LIB${_enoexec_lib} NAMES ${_enoexec_lib}
               DOC "lib${_enoexec_lib}.a for the portable enoexec's libarchive")
  if(NOT ENOEXEC_STATIC_LIB${_enoexec_lib} MATCHES "\\${CMAKE_STATIC_LIBRARY_SUFFIX}$")
    message(FATAL_ERROR "ENOEXEC_PORTABLE: no static lib${_enoexec_lib} (lib${_enoexec_lib}.a) was "
                        "found for libarchive.a (found: '${ENOEXEC_STATIC_LIB${_enoexec_lib}}'); "
                        "install ${_enoexec_package} for the target architecture.")
  endif()
  list(APPEND _enoexec_archive_libraries ${ENOEXEC_STATIC_LIB${_enoexec_lib}})
endforeach()
# libarchive.a's own dependencies come after it on every link line that names it.
list(SUBLIST _enoexec_archive_libraries 1 -1 _enoexec_archive_dependencies)
set_property(TARGET LibArchive::LibArchive APPEND PROPERTY INTERFACE_LINK_LIBRARIES
             ${_enoexec_archive_dependencies})
message(STATUS "ENOEXEC_PORTABLE: libarchive: ${_enoexec_archive_libraries}")

# The whole combination, linked once: catches a libc.a that cannot make a static PIE, a
# libcrypto.a for another architecture, or a libarchive.a that needs a library not listed
# above, before the build starts.
set(_enoexec_probe_dir ${CMAKE_BINARY_DIR}/CMakeFiles/enoexec_portable_probe)
file(WRITE ${_enoexec_probe_dir}/probe.cpp [=[
#include <archive.h>
#include <openssl/evp.h>
#include <zlib.h>
#include <string>
int main() {
  std::string name = "SHA256";
  archive* a = archive_read_new();
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_zstd(a);
  archive_read_support_filter_xz(a);
  archive_read_support_filter_bzip2(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_gnutar(a);
  archive_read_free(a);
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  inflateEnd(&z);
  return EVP_MD_fetch(nullptr, name.c_str(), nullptr) == nullptr;
}
]=])
try_compile(_enoexec_static_links ${_enoexec_probe_dir}/build ${_enoexec_probe_dir}/probe.cpp
  CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${OPENSSL_INCLUDE_DIR};${LibArchive_INCLUDE_DIR}"
  LINK_OPTIONS ${_enoexec_static_flag}
  LINK_LIBRARIES ${_enoexec_archive_libraries} ${OPENSSL_CRYPTO_LIBRARY}
  CXX_STANDARD 20
  OUTPUT_VARIABLE _enoexec_probe_output
  COPY_FILE ${_enoexec_probe_dir}/probe)
if(NOT _enoexec_static_links)
  message(FATAL_ERROR "ENOEXEC_PORTABLE: a ${_enoexec_static_flag} C++ program with "
                      "${_enoexec_archive_libraries} ${OPENSSL_CRYPTO_LIBRARY} does not link:\n"
                      "${_enoexec_probe_output}")
endif()
# ... and links to a program that needs nothing: no shared library, no interpreter.
if(CMAKE_READELF)
  execute_process(COMMAND ${CMAKE_READELF} -d -l ${_enoexec_probe_dir}/probe
                  OUTPUT_VARIABLE _enoexec_probe_headers RESULT_VARIABLE _enoexec_rc)
  if(NOT _enoexec_rc EQUAL 0 OR _enoexec_probe_headers MATCHES "\\(NEEDED\\)|INTERP")
    message(FATAL_ERROR "ENOEXEC_PORTABLE: the ${_enoexec_static_flag} probe program is not fully "
                        "static:\n${_enoexec_probe_headers}")
  endif()
endif()

# OpenSSL's configuration is not read, in this build or any other: src/support/digest.cpp
# initialises libcrypto with OPENSSL_INIT_NO_LOAD_CONFIG before its first fetch, so a host's
# openssl.cnf or $OPENSSL_CONF never makes this static program dlopen a provider module or an
# engine (docs/portable.md).

# The release asset, next to the build tree's program: build/portable/enoexec-VERSION-linux-ARCH
# (stripped) and SHA256SUMS, in the Debian architecture names the Dockerfile's TARGETARCH and
# the OCI image config use.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(ENOEXEC_PORTABLE_ARCH amd64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(ENOEXEC_PORTABLE_ARCH arm64)
else()
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" ENOEXEC_PORTABLE_ARCH)
endif()
set(ENOEXEC_PORTABLE_ASSET enoexec-${PROJECT_VERSION}-linux-${ENOEXEC_PORTABLE_ARCH})

# Run at the end of the top-level CMakeLists.txt, once tools/enoexec has made the target.
function(_enoexec_portable_finish)
  if(NOT TARGET enoexec)
    message(FATAL_ERROR "ENOEXEC_PORTABLE: no enoexec target to make portable")
  endif()

  set(asset ${CMAKE_BINARY_DIR}/${ENOEXEC_PORTABLE_ASSET})
  if(CMAKE_STRIP)
    set(copy ${CMAKE_STRIP} --strip-all -o ${asset} $<TARGET_FILE:enoexec>)
  else()
    set(copy ${CMAKE_COMMAND} -E copy $<TARGET_FILE:enoexec> ${asset})
  endif()
  add_custom_command(
    OUTPUT ${asset} ${CMAKE_BINARY_DIR}/SHA256SUMS
    COMMAND ${copy}
    COMMAND sh -c "sha256sum ${ENOEXEC_PORTABLE_ASSET} > SHA256SUMS"
    DEPENDS enoexec
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
    COMMENT "Writing ${ENOEXEC_PORTABLE_ASSET} (stripped) and SHA256SUMS"
    VERBATIM)
  add_custom_target(enoexec_portable_asset ALL DEPENDS ${asset})
endfunction()
cmake_language(DEFER CALL _enoexec_portable_finish)

# What `cmake --install` puts where (GNUInstallDirs), the exported CMake package
# (find_package(enoexec) -> enoexec::enoexec), the pkg-config file, and the Debian package made
# by `cpack -G DEB`. The program, its man page and its completions are installed by
# tools/enoexec/CMakeLists.txt.
include(CMakePackageConfigHelpers)

# One library for users of the API: libenoexec.a holds the objects of every concern library
# (the build keeps them apart so that each folder links only what it names; a user should not
# have to link fifteen archives in the right order). Its interface is the public headers and
# the dependencies those headers or its objects need.
get_property(enoexec_parts GLOBAL PROPERTY ENOEXEC_LIBRARIES)
add_library(enoexec_lib STATIC)
foreach(part IN LISTS enoexec_parts)
  target_sources(enoexec_lib PRIVATE $<TARGET_OBJECTS:${part}>)
endforeach()
set_target_properties(enoexec_lib PROPERTIES OUTPUT_NAME enoexec EXPORT_NAME enoexec)
target_compile_features(enoexec_lib INTERFACE cxx_std_20)
target_include_directories(enoexec_lib INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/generated>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
find_package(Threads REQUIRED)
# src/image reads layers with libarchive, libzstd and ISA-L (zlib without it).
target_link_libraries(enoexec_lib PUBLIC tl::expected ${ENOEXEC_FMT_TARGET} OpenSSL::Crypto Threads::Threads
                      LibArchive::LibArchive PkgConfig::ZSTD ${enoexec_gzip_library})
add_library(enoexec::enoexec ALIAS enoexec_lib)

set(ENOEXEC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/enoexec)
install(TARGETS enoexec_lib EXPORT enoexecTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/enoexec ${PROJECT_BINARY_DIR}/generated/enoexec
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT enoexecTargets NAMESPACE enoexec:: DESTINATION ${ENOEXEC_CMAKE_DIR})

# The fmt package the library was built against decides what the config asks its users for.
if(ENOEXEC_FMT_TARGET STREQUAL "fmt::fmt-header-only")
  set(ENOEXEC_PC_REQUIRES "libcrypto")
  set(ENOEXEC_PC_CFLAGS "-DFMT_HEADER_ONLY=1")
else()
  set(ENOEXEC_PC_REQUIRES "fmt, libcrypto")
  set(ENOEXEC_PC_CFLAGS "")
endif()
string(APPEND ENOEXEC_PC_REQUIRES ", libarchive, libzstd")
if(ENOEXEC_ISAL)
  string(APPEND ENOEXEC_PC_REQUIRES ", libisal")
  set(ENOEXEC_CONFIG_GZIP "pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)")
else()
  string(APPEND ENOEXEC_PC_REQUIRES ", zlib")
  set(ENOEXEC_CONFIG_GZIP "find_dependency(ZLIB)")
endif()
# The .pc file finds its prefix from where it lies, so an install with --prefix works.
file(RELATIVE_PATH ENOEXEC_PC_TO_PREFIX /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
string(REGEX REPLACE "/$" "" ENOEXEC_PC_TO_PREFIX "${ENOEXEC_PC_TO_PREFIX}")
configure_package_config_file(cmake/templates/enoexecConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/enoexecConfig.cmake INSTALL_DESTINATION ${ENOEXEC_CMAKE_DIR})
# 0.x: a minor release may change the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/enoexecConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
configure_file(cmake/templates/enoexec.pc.in ${PROJECT_BINARY_DIR}/package/enoexec.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/enoexecConfig.cmake
              ${PROJECT_BINARY_DIR}/package/enoexecConfigVersion.cmake
        DESTINATION ${ENOEXEC_CMAKE_DIR})
install(FILES ${PROJECT_BINARY_DIR}/package/enoexec.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# share/doc/enoexec: the README, the docs, the licence, and the licence notices of the
# libraries compiled into the program (header-only ones always; fmt when it is header-only),
# taken from their Debian packages' copyright files.
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
set(enoexec_notices "cli11:libcli11-dev" "nlohmann-json:nlohmann-json3-dev" "tl-expected:libexpected-dev")
if(ENOEXEC_FMT_TARGET STREQUAL "fmt::fmt-header-only")
  list(APPEND enoexec_notices "fmt:libfmt-dev")
endif()
if(OPENSSL_USE_STATIC_LIBS)
  list(APPEND enoexec_notices "openssl:libssl-dev")
endif()
foreach(notice IN LISTS enoexec_notices)
  string(REPLACE ":" ";" notice "${notice}")
  list(GET notice 0 name)
  list(GET notice 1 package)
  if(EXISTS /usr/share/doc/${package}/copyright)
    install(FILES /usr/share/doc/${package}/copyright
            DESTINATION ${CMAKE_INSTALL_DOCDIR}/third-party RENAME ${name}.copyright)
  else()
    message(WARNING "enoexec: /usr/share/doc/${package}/copyright not found; "
                    "the ${name} licence notice will be missing from share/doc/enoexec")
  endif()
endforeach()

# cpack -G DEB: one package with the program, its documentation and the library. The
# dependencies are computed from the program's DT_NEEDED by dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME enoexec)
set(CPACK_PACKAGE_VENDOR "the enoexec authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "tells whether a program will run on a machine, and why not")
set(CPACK_PACKAGE_DESCRIPTION "enoexec reads ELF, Mach-O, PE files, scripts and trees and says \
whether each will run on a target machine (a named profile, a platform, or a root file system); \
if not, it says why in the words of the kernel, the dynamic loader and the toolchain, and \
prints the fix.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_CONTACT "The enoexec authors")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)

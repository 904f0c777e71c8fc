# enoexec_library(NAME DEPS...): one static library per concern folder, built from
# every .cpp in that folder. A folder may only use the libraries it names. Every one is
# recorded in the global property ENOEXEC_LIBRARIES, from which cmake/install.cmake makes the
# one installed library, enoexec::enoexec.
function(enoexec_library name)
  set_property(GLOBAL APPEND PROPERTY ENOEXEC_LIBRARIES ${name})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/generated>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>)
  target_link_libraries(${name} PUBLIC ${ARGN} tl::expected ${ENOEXEC_FMT_TARGET}
                        PRIVATE $<BUILD_INTERFACE:enoexec_warnings>)
endfunction()

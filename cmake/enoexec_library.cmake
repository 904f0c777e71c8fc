# enoexec_library(NAME DEPS...): one static library per concern folder, built from
# every .cpp in that folder. A folder may only use the libraries it names.
function(enoexec_library name)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/generated>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>)
  target_link_libraries(${name} PUBLIC ${ARGN} tl::expected ${ENOEXEC_FMT_TARGET}
                        PRIVATE $<BUILD_INTERFACE:enoexec_warnings>)
endfunction()

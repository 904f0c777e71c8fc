# cmake -DENOEXEC_LINKS_FILE=<library_links.cmake> -DENOEXEC_SRC_DIR=<src> -P check_includes.cmake
#
# Fails, naming the file and the header, when a source of a src/ library includes a header (or a
# .def table) that lies in the folder of a library it does not link, or in a folder under src/
# that is no library's. An include is looked up as the compiler does: beside the including file
# first, then under src/; headers found in neither (public include/enoexec/, the generated
# headers, system and third-party headers) are not checked. The graph comes from
# cmake/include_check.cmake.
cmake_minimum_required(VERSION 3.21)
include(${ENOEXEC_LINKS_FILE})

foreach(library IN LISTS ENOEXEC_CHECK_LIBRARIES)
  set(owner_${ENOEXEC_CHECK_FOLDER_${library}} ${library})
endforeach()

set(violations "")
set(checked 0)
foreach(library IN LISTS ENOEXEC_CHECK_LIBRARIES)
  set(folder ${ENOEXEC_CHECK_FOLDER_${library}})
  set(links ${ENOEXEC_CHECK_LINKS_${library}})
  # A library is its folder's files only (enoexec_library globs one folder, not its subfolders).
  file(GLOB files LIST_DIRECTORIES false
       ${ENOEXEC_SRC_DIR}/${folder}/*.cpp ${ENOEXEC_SRC_DIR}/${folder}/*.hpp
       ${ENOEXEC_SRC_DIR}/${folder}/*.h ${ENOEXEC_SRC_DIR}/${folder}/*.def)
  foreach(file IN LISTS files)
    math(EXPR checked "${checked} + 1")
    file(RELATIVE_PATH shown ${ENOEXEC_SRC_DIR}/.. ${file})
    get_filename_component(here ${file} DIRECTORY)
    file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<][^\">]+[\">]")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[\"<]([^\">]+)[\">].*$" "\\1" header "${line}")
      if(EXISTS ${here}/${header})
        set(found ${here}/${header})
      elseif(EXISTS ${ENOEXEC_SRC_DIR}/${header})
        set(found ${ENOEXEC_SRC_DIR}/${header})
      else()
        continue()
      endif()
      get_filename_component(found_dir ${found} DIRECTORY)
      file(RELATIVE_PATH found_folder ${ENOEXEC_SRC_DIR} ${found_dir})
      if(found_folder MATCHES "^\\.\\./")
        continue()
      endif()
      if(NOT DEFINED owner_${found_folder})
        list(APPEND violations
             "${shown}: includes \"${header}\", in src/${found_folder}/, which is no library's folder")
        continue()
      endif()
      set(owner ${owner_${found_folder}})
      if(NOT owner IN_LIST links)
        list(APPEND violations "${shown}: includes \"${header}\" of ${owner}, which ${library} does not link")
      endif()
    endforeach()
  endforeach()
endforeach()

list(LENGTH violations count)
if(count GREATER 0)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "${count} include(s) of a library not linked:\n  ${text}\n"
          "Link the library in the folder's enoexec_library() line (if the dependency is legitimate "
          "and keeps the graph acyclic), or move the code.")
endif()
list(LENGTH ENOEXEC_CHECK_LIBRARIES libraries)
message(STATUS "include check: ${checked} files of ${libraries} libraries include only what they link")

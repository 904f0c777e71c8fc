#include "formats/macho/macho_file.hpp"

namespace enoexec::macho {

void inspect(ByteView file, FileReport& report) {
  (void)file;
  report.error = "macho files are not read yet";
}

}  // namespace enoexec::macho

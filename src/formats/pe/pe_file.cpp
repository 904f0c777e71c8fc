#include "formats/pe/pe_file.hpp"

namespace enoexec::pe {

void inspect(ByteView file, FileReport& report) {
  (void)file;
  report.error = "pe files are not read yet";
}

}  // namespace enoexec::pe

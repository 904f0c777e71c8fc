#include "formats/script/shebang.hpp"

namespace enoexec::script {

void inspect(ByteView file, FileReport& report) {
  (void)file;
  report.error = "script files are not read yet";
}

bool looks_like_text(ByteView) { return false; }

}  // namespace enoexec::script

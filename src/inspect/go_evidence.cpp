#include "inspect/go_evidence.hpp"

namespace enoexec {

void apply_go_buildinfo(ByteView file, const elf::ElfFile& elf, FileReport& report) {
  (void)file;
  (void)elf;
  (void)report;
}

}  // namespace enoexec

// Fuzz target: the ELF reader and describe(), whatever the magic says.
#include <cstdint>

#include "formats/elf/elf_file.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto elf = enoexec::elf::parse(enoexec::ByteView({data, size}));
  if (!elf) return 0;
  enoexec::FileReport report;
  enoexec::elf::describe(*elf, report);
  enoexec::fuzz::print_everything(report);
  return 0;
}

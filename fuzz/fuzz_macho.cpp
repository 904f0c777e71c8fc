// Fuzz target: the macho reader.
#include <cstdint>

#include "formats/macho/macho_file.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  enoexec::FileReport report;
  enoexec::macho::inspect(enoexec::ByteView({data, size}), report);
  enoexec::fuzz::print_everything(report);
  return 0;
}

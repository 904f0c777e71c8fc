// Fuzz target: the whole pipeline the CLI runs on one file (identify, every reader, toolchain
// evidence, printers).
#include <cstdint>

#include "enoexec/inspect.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  enoexec::fuzz::print_everything(enoexec::inspect_bytes({data, size}, "fuzz-input"));
  return 0;
}

// Fuzz target: format identification from the first bytes.
#include <cstdint>

#include "formats/identify.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)enoexec::identify(enoexec::ByteView({data, size}));
  return 0;
}

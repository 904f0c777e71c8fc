// Fuzz target: the Go build-info reader over an image whose one region is the input, searched
// and mapped at a fixed address, so pointer-format payloads can point back into it.
#include <cstdint>

#include "formats/go/go_buildinfo.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const enoexec::ByteView bytes({data, size});
  enoexec::go::Image image;
  image.search.push_back({0x400000, bytes});
  image.memory.push_back({0x400000, bytes});
  auto info = enoexec::go::read_buildinfo(image);
  if (info && *info) {
    enoexec::FileReport report;
    report.go = **info;
    enoexec::fuzz::print_everything(report);
  }
  return 0;
}

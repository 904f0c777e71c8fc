// Fuzz target: the code-signature reader and verifier (formats/macho/codesign*.cpp). The input is
// the LC_CODE_SIGNATURE data of a fixed arm64 program (a mach_header_64, one __TEXT segment
// covering the header, and LC_CODE_SIGNATURE naming the bytes after it), so every execution
// reaches the SuperBlob, its CodeDirectories, their page hashes and special slots, and the
// printers, without the fuzzer having to find a valid Mach-O header first.
#include <cstdint>
#include <vector>

#include "formats/macho/macho_file.hpp"
#include "fuzz_common.hpp"

namespace {

constexpr std::uint32_t kDataoff = 128;

void put32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}
void put64(std::vector<std::uint8_t>& out, std::uint64_t value) {
  put32(out, static_cast<std::uint32_t>(value));
  put32(out, static_cast<std::uint32_t>(value >> 32));
}

// mach_header_64 (arm64, MH_EXECUTE), LC_SEGMENT_64 __TEXT r-x over [0, kDataoff),
// LC_CODE_SIGNATURE {kDataoff, datasize}: 120 bytes, padded to kDataoff.
std::vector<std::uint8_t> program_head(std::uint32_t datasize) {
  std::vector<std::uint8_t> out;
  for (std::uint32_t v : {0xfeedfacfu, 0x0100000cu, 0u, 2u, 2u, 72u + 16u, 0x200085u, 0u}) put32(out, v);
  put32(out, 0x19);  // LC_SEGMENT_64
  put32(out, 72);
  const char name[16] = "__TEXT";
  out.insert(out.end(), name, name + 16);
  put64(out, 0x100000000);  // vmaddr
  put64(out, 0x4000);       // vmsize
  put64(out, 0);            // fileoff
  put64(out, kDataoff);     // filesize
  put32(out, 5);            // maxprot r-x
  put32(out, 5);            // initprot r-x
  put32(out, 0);            // nsects
  put32(out, 0);            // flags
  put32(out, 0x1d);         // LC_CODE_SIGNATURE
  put32(out, 16);
  put32(out, kDataoff);
  put32(out, datasize);
  out.resize(kDataoff, 0);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> file = program_head(static_cast<std::uint32_t>(size));
  file.insert(file.end(), data, data + size);
  enoexec::FileReport report;
  enoexec::macho::inspect(enoexec::ByteView(file), report);
  enoexec::fuzz::print_everything(report);
  return 0;
}

// Where an ELF file's Go build info is looked for: .go.buildinfo when the file names it, the
// first writable segment when it has no section headers, nowhere else.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builders/elf_builder.hpp"
#include "builders/go_buildinfo_builder.hpp"
#include "enoexec/inspect.hpp"
#include "evidence/go_evidence.hpp"
#include "formats/elf/elf_file.hpp"

namespace enoexec {
namespace {

using test::ElfBuilder;
using testing::go_inline_blob;

constexpr std::uint32_t SHT_PROGBITS = 1, PT_LOAD = 1, PF_W = 2, PF_R = 4;

// A program whose only writable segment holds a Go build-info header, in a section named
// `section`; without section headers when `section_headers` is false.
std::vector<std::uint8_t> go_data_program(const std::string& section, bool section_headers) {
  ElfBuilder b;
  b.section_headers = section_headers;
  const auto blob = go_inline_blob("go1.22.5", "path\texample.com/app\n");
  b.section(section, SHT_PROGBITS, blob, 16);
  const std::uint64_t offset = b.offset_of(section);
  b.segment({PT_LOAD, PF_R | PF_W, offset, b.vaddr_of(offset), b.vaddr_of(offset), blob.size(),
             blob.size(), 0x1000});
  return b.build().bytes;
}

std::size_t searched_regions(const std::vector<std::uint8_t>& bytes) {
  auto elf = elf::parse(ByteView(bytes));
  if (!elf) return 0;
  std::vector<std::string> warnings;
  return go_image(ByteView(bytes), *elf, warnings).search.size();
}

// One region is searched, and the build info in it is read.
void expect_found(const std::vector<std::uint8_t>& bytes) {
  EXPECT_EQ(searched_regions(bytes), 1u);
  const FileReport report = inspect_bytes(bytes, "app");
  ASSERT_TRUE(report.go.has_value()) << report.error.value_or("");
  EXPECT_EQ(report.go->version, "go1.22.5");
}

TEST(GoImageElf, TheNamedSectionIsSearched) {
  expect_found(go_data_program(".go.buildinfo", true));
}

TEST(GoImageElf, WithoutSectionHeadersTheWritableSegmentIsSearched) {
  expect_found(go_data_program(".data", false));
}

// Named sections without .go.buildinfo: not linked with Go code, so the data is not read.
TEST(GoImageElf, NamedSectionsWithoutGoBuildInfoAreNotSearched) {
  const auto bytes = go_data_program(".data", true);
  EXPECT_EQ(searched_regions(bytes), 0u);
  EXPECT_FALSE(inspect_bytes(bytes, "lib").go.has_value());
}

}  // namespace
}  // namespace enoexec

// Go programs without build info: the runtime version search and the ELF marks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builders/elf_builder.hpp"
#include "builders/go_buildinfo_builder.hpp"
#include "enoexec/inspect.hpp"
#include "evidence/go_evidence.hpp"

namespace enoexec {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

void put_word(Bytes& out, std::uint64_t value, int size, Endian endian) {
  for (int i = 0; i < size; ++i) {
    const int shift = 8 * (endian == Endian::big ? size - 1 - i : i);
    out.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

// A Go string header {pointer, length}.
Bytes string_header(std::uint64_t pointer, std::uint64_t length, int size, Endian endian) {
  Bytes out;
  put_word(out, pointer, size, endian);
  put_word(out, length, size, endian);
  return out;
}

struct Fixture {
  Bytes rodata, data;
  GoClues clues(std::uint64_t rodata_vaddr, std::uint64_t data_vaddr, int pointer_size = 8,
                Endian endian = Endian::little) const {
    GoClues out;
    out.marks = {"test"};
    out.rodata = {{rodata_vaddr, ByteView(rodata, 0x1000)}};
    out.data = {{data_vaddr, ByteView(data, 0x8000)}};
    out.pointer_size = pointer_size;
    out.endian = endian;
    return out;
  }
};

TEST(GoRuntimeVersion, TakesTheStringAHeaderNames) {
  Fixture f;
  f.rodata = bytes_of("go1.18 is old; go1.22.3internal/abi");  // two candidates, packed strings
  f.data = Bytes(8, 0);
  const Bytes header = string_header(0x400000 + 15, 8, 8, Endian::little);
  f.data.insert(f.data.end(), header.begin(), header.end());
  const auto version = find_runtime_version(f.clues(0x400000, 0x500000));
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(version->version, "go1.22.3");
  EXPECT_EQ(version->offset, 0x1000u + 15);
}

TEST(GoRuntimeVersion, StrayVersionTextWithoutAHeaderIsNotTaken) {
  Fixture f;
  f.rodata = bytes_of("requires go1.21 or later");
  f.data = Bytes(32, 0);
  EXPECT_FALSE(find_runtime_version(f.clues(0x400000, 0x500000)).has_value());
}

TEST(GoRuntimeVersion, HeadersAreReadPointerAlignedInTheTargetByteOrder) {
  Fixture f;
  f.rodata = bytes_of("xxgo1.19.8");
  // A big-endian 32-bit header at a misaligned address is no header; the aligned one is.
  f.data = {0, 0};
  const Bytes misaligned = string_header(0x10002, 8, 4, Endian::big);
  f.data.insert(f.data.end(), misaligned.begin(), misaligned.end());
  EXPECT_FALSE(find_runtime_version(f.clues(0x10000, 0x20000, 4, Endian::big)).has_value());
  f.data.resize(12, 0);  // the aligned header at offset 12
  const Bytes aligned = string_header(0x10002, 8, 4, Endian::big);
  f.data.insert(f.data.end(), aligned.begin(), aligned.end());
  const auto version = find_runtime_version(f.clues(0x10000, 0x20000, 4, Endian::big));
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(version->version, "go1.19.8");
}

TEST(GoRuntimeVersion, LengthsPastTheRegionOrTooShortOrNotTextAreRefused) {
  Fixture f;
  f.rodata = bytes_of("go1.2");
  f.rodata.push_back(0x01);
  for (std::uint64_t length : {4u, 7u, 100u}) {  // too short, holds 0x01 / runs past, too long
    f.data = string_header(0x400000, length, 8, Endian::little);
    EXPECT_FALSE(find_runtime_version(f.clues(0x400000, 0x500000)).has_value()) << length;
  }
  f.data = string_header(0x400000, 5, 8, Endian::little);
  ASSERT_TRUE(find_runtime_version(f.clues(0x400000, 0x500000)).has_value());
  EXPECT_EQ(find_runtime_version(f.clues(0x400000, 0x500000))->version, "go1.2");
}

TEST(GoRuntimeVersion, PclntabMagicNamesAReleaseRange) {
  EXPECT_EQ(pclntab_release_range(0xfffffffb), "go1.2 to go1.15");
  EXPECT_EQ(pclntab_release_range(0xfffffffa), "go1.16 to go1.17");
  EXPECT_EQ(pclntab_release_range(0xfffffff0), "go1.18 to go1.19");
  EXPECT_EQ(pclntab_release_range(0xfffffff1), "go1.20 or later");
  EXPECT_EQ(pclntab_release_range(0xfffffff2), "");
}

TEST(RecogniseGo, NeedsAMarkAndNeverReplacesBuildInfo) {
  Fixture f;
  f.rodata = bytes_of("go1.19.8");
  f.data = string_header(0x400000, 8, 8, Endian::little);
  GoClues clues = f.clues(0x400000, 0x500000);
  clues.marks.clear();
  FileReport report;
  recognise_go(clues, report);
  EXPECT_FALSE(report.go.has_value());

  report.go = GoBuildInfo{};
  report.go->version = "go1.20";
  recognise_go(f.clues(0x400000, 0x500000), report);
  EXPECT_TRUE(report.go->has_buildinfo);
  EXPECT_EQ(report.go->version, "go1.20");
  EXPECT_TRUE(report.evidence.empty());
}

// An ELF Go program whose build info is gone: the Go note, .gopclntab, and runtime.buildVersion
// ({pointer, length} in the writable PT_LOAD naming the bytes in .rodata).
Bytes elf_go_without_buildinfo() {
  test::ElfBuilder elf;
  elf.auto_load = false;
  elf.note("Go", 4, bytes_of("abc/def"));
  const Bytes pclntab = {0xf0, 0xff, 0xff, 0xff, 0, 0, 1, 8};
  elf.section(".gopclntab", 1, pclntab, 8);
  elf.section(".rodata", 1, bytes_of("runtime: go1.19.8"), 8);
  const std::uint64_t rodata_vaddr = elf.vaddr_of(elf.offset_of(".rodata"));
  const Bytes header = string_header(rodata_vaddr + 9, 8, 8, Endian::little);
  const std::uint64_t data_at = elf.blob(".data", header, 16);
  elf.section({".data", 1, 3, elf.vaddr_of(data_at), data_at, header.size(), "", 0, 16, 0});
  const std::uint64_t text_size = data_at;
  elf.segment({1, 5, 0, elf.vaddr_of(0), elf.vaddr_of(0), text_size, text_size, 0x1000});
  elf.segment({1, 6, data_at, elf.vaddr_of(data_at), elf.vaddr_of(data_at), header.size(),
               header.size(), 0x1000});
  return elf.build().bytes;
}

TEST(RecogniseGo, ElfWithoutBuildInfoIsGoWithItsRuntimeVersion) {
  const Bytes file = elf_go_without_buildinfo();
  const FileReport report = inspect_bytes(file, "go-elf");
  ASSERT_TRUE(report.go.has_value()) << report.error.value_or("");
  EXPECT_FALSE(report.go->has_buildinfo);
  EXPECT_EQ(report.go->version, "go1.19.8");
  EXPECT_TRUE(report.go->settings.empty());
  std::vector<std::string> go_evidence;
  for (const auto& e : report.evidence)
    if (e.fact.starts_with("go")) go_evidence.push_back(e.fact + "=" + e.value + ": " + e.source);
  ASSERT_EQ(go_evidence.size(), 4u) << ::testing::PrintToString(go_evidence);
  EXPECT_EQ(go_evidence[0], "go=recognised: ELF note Go/4 (Go build ID)");
  EXPECT_EQ(go_evidence[1], "go=recognised: section .gopclntab");
  EXPECT_TRUE(go_evidence[2].starts_with("go.version=go1.19.8: runtime version string at offset"));
  EXPECT_TRUE(go_evidence[3].starts_with("go.version=go1.18 to go1.19: pclntab magic 0xfffffff0"));
}

}  // namespace
}  // namespace enoexec

// Helpers shared by the ELF reader tests: parse a built image, and describe it.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "builders/elf_builder.hpp"
#include "formats/elf/elf_file.hpp"

namespace enoexec::test {

inline ByteView view_of(const ElfImage& image) { return ByteView(image.bytes); }

// Parses an image that must have a readable file header. The result views the image's bytes
// (section names), so the image must outlive it.
inline elf::ElfFile parse_image(const ElfImage& image) {
  auto parsed = elf::parse(view_of(image));
  EXPECT_TRUE(parsed) << (parsed ? "" : to_string(parsed.error()));
  return parsed ? std::move(*parsed) : elf::ElfFile{};
}

// parse_image(b.build()): the temporary image is kept until the test program ends (a deque
// never moves its elements), so what the result views stays valid.
inline elf::ElfFile parse_image(ElfImage&& image) {
  static std::deque<ElfImage> kept;
  kept.push_back(std::move(image));
  return parse_image(kept.back());
}

inline FileReport describe_file(const elf::ElfFile& file) {
  FileReport report;
  elf::describe(file, report);
  return report;
}

inline FileReport describe_image(const ElfImage& image) { return describe_file(parse_image(image)); }

inline std::vector<std::string> no_warnings() { return {}; }

// The evidence recorded for `fact`, or an empty Evidence when none was.
inline Evidence evidence_for(const FileReport& report, const std::string& fact) {
  for (const Evidence& evidence : report.evidence)
    if (evidence.fact == fact) return evidence;
  return {};
}

inline bool has_warning(const std::vector<std::string>& warnings, const std::string& text) {
  for (const std::string& warning : warnings)
    if (warning == text) return true;
  return false;
}

// Constants the tests use, spelled as in the spec.
inline constexpr std::uint16_t ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;
inline constexpr std::uint32_t PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4;
inline constexpr std::uint64_t DT_NEEDED = 1, DT_HASH = 4, DT_STRTAB = 5, DT_FLAGS = 30,
                               DT_BIND_NOW = 24, DT_FLAGS_1 = 0x6ffffffb,
                               DT_VERNEED = 0x6ffffffe, DT_VERNEEDNUM = 0x6fffffff;

}  // namespace enoexec::test

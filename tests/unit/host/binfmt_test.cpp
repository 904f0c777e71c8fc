#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "enoexec/host.hpp"
#include "host/host_parse.hpp"

namespace enoexec::host {
namespace {

// As the kernel prints a Debian qemu-user-static entry (linux-exec.md section 5).
constexpr const char* QEMU_AARCH64 =
    "enabled\n"
    "interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n"
    "flags: POF\n"
    "offset 0\n"
    "magic 7f454c460201010000000000000000000200b700\n"
    "mask ffffffffffffff00fffffffffffffffffeffffff\n";

// The first 20 bytes of an ELF header: class, data, OS ABI, e_type, e_machine.
std::vector<std::uint8_t> elf_head(std::uint8_t cls, std::uint8_t osabi, std::uint8_t type, std::uint8_t machine) {
  std::vector<std::uint8_t> head = {0x7f, 'E', 'L', 'F', cls, 1, 1, osabi, 0, 0, 0, 0, 0, 0, 0, 0, type, 0, machine, 0};
  head.resize(256, 0);
  return head;
}

TEST(Binfmt, ParsesAMagicEntryWithMask) {
  std::vector<std::string> warnings;
  const auto entry = parse_binfmt_entry("qemu-aarch64", QEMU_AARCH64, warnings);
  ASSERT_TRUE(entry);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(entry->name, "qemu-aarch64");
  EXPECT_TRUE(entry->enabled);
  EXPECT_EQ(entry->interpreter, "/usr/libexec/qemu-binfmt/aarch64-binfmt-P");
  EXPECT_EQ(entry->flags, "POF");
  EXPECT_TRUE(entry->preserve_argv0());
  EXPECT_TRUE(entry->open_binary());
  EXPECT_FALSE(entry->credentials());
  EXPECT_TRUE(entry->fix_binary());
  EXPECT_FALSE(entry->by_extension);
  EXPECT_EQ(entry->offset, 0u);
  ASSERT_EQ(entry->magic.size(), 20u);
  EXPECT_EQ(entry->magic[18], 0xb7);
  ASSERT_EQ(entry->mask.size(), 20u);
  EXPECT_EQ(entry->mask[7], 0x00);
  EXPECT_EQ(entry->mask[16], 0xfe);
}

TEST(Binfmt, ParsesAnEntryWithoutMaskAndWithOffset) {
  std::vector<std::string> warnings;
  const auto entry =
      parse_binfmt_entry("python3.11", "enabled\ninterpreter /usr/bin/python3.11\nflags: \noffset 2\nmagic a70d0d0a\n", warnings);
  ASSERT_TRUE(entry);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(entry->flags, "");
  EXPECT_FALSE(entry->fix_binary());
  EXPECT_EQ(entry->offset, 2u);
  EXPECT_EQ(entry->magic, (std::vector<std::uint8_t>{0xa7, 0x0d, 0x0d, 0x0a}));
  EXPECT_TRUE(entry->mask.empty());
}

TEST(Binfmt, ParsesADisabledExtensionEntry) {
  std::vector<std::string> warnings;
  const auto entry = parse_binfmt_entry("wine", "disabled\ninterpreter /usr/bin/wine\nflags: \nextension .exe\n", warnings);
  ASSERT_TRUE(entry);
  EXPECT_FALSE(entry->enabled);
  EXPECT_TRUE(entry->by_extension);
  EXPECT_EQ(entry->extension, "exe");
  EXPECT_TRUE(entry->magic.empty());
}

TEST(Binfmt, RejectsWhatIsNotAnEntry) {
  std::vector<std::string> warnings;
  EXPECT_FALSE(parse_binfmt_entry("register", "", warnings));
  EXPECT_FALSE(parse_binfmt_entry("junk", "hello\n", warnings));
  EXPECT_EQ(warnings, (std::vector<std::string>{"binfmt_misc/register: not an entry (first line \"\")",
                                                "binfmt_misc/junk: not an entry (first line \"hello\")"}));
}

TEST(Binfmt, WarnsAboutBadFieldsAndKeepsTheRest) {
  std::vector<std::string> warnings;
  const auto entry = parse_binfmt_entry(
      "bad", "enabled\ninterpreter /x\noffset twelve\nmagic 7f45zz\nmask ffff\nsurprise\n", warnings);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->interpreter, "/x");
  EXPECT_TRUE(entry->magic.empty());
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "binfmt_misc/bad: offset is not a number: \"offset twelve\"",
                          "binfmt_misc/bad: magic is not hex: \"magic 7f45zz\"",
                          "binfmt_misc/bad: unknown line: \"surprise\"",
                          "binfmt_misc/bad: mask has 2 bytes, magic 0; mask ignored",
                      }));
  EXPECT_TRUE(entry->mask.empty());
}

TEST(Binfmt, Status) {
  EXPECT_EQ(parse_binfmt_status("enabled\n"), true);
  EXPECT_EQ(parse_binfmt_status("disabled\n"), false);
  EXPECT_EQ(parse_binfmt_status("maybe"), std::nullopt);
}

TEST(Binfmt, MaskedMagicMatchesAsTheKernelDoes) {
  std::vector<std::string> warnings;
  const BinfmtEntry entry = *parse_binfmt_entry("qemu-aarch64", QEMU_AARCH64, warnings);
  EXPECT_TRUE(binfmt_matches(entry, elf_head(2, 0, 2, 0xb7), "prog"));   // ET_EXEC
  EXPECT_TRUE(binfmt_matches(entry, elf_head(2, 0, 3, 0xb7), "prog"));   // ET_DYN: mask fe on e_type
  EXPECT_TRUE(binfmt_matches(entry, elf_head(2, 3, 2, 0xb7), "prog"));   // EI_OSABI masked out
  EXPECT_FALSE(binfmt_matches(entry, elf_head(2, 0, 1, 0xb7), "prog"));  // ET_REL
  EXPECT_FALSE(binfmt_matches(entry, elf_head(2, 0, 2, 0x3e), "prog"));  // x86-64
  EXPECT_FALSE(binfmt_matches(entry, elf_head(1, 0, 2, 0xb7), "prog"));  // ELFCLASS32
  // Bytes past the file's end are the zeros of the kernel's padded buffer.
  EXPECT_FALSE(binfmt_matches(entry, std::vector<std::uint8_t>{0x7f, 'E', 'L', 'F'}, "prog"));
  BinfmtEntry disabled = entry;
  disabled.enabled = false;
  EXPECT_FALSE(binfmt_matches(disabled, elf_head(2, 0, 2, 0xb7), "prog"));
}

TEST(Binfmt, UnmaskedMagicAtAnOffset) {
  BinfmtEntry entry;
  entry.enabled = true;
  entry.offset = 2;
  entry.magic = {0xab, 0xcd};
  EXPECT_TRUE(binfmt_matches(entry, std::vector<std::uint8_t>{0, 0, 0xab, 0xcd}, "x"));
  EXPECT_FALSE(binfmt_matches(entry, std::vector<std::uint8_t>{0xab, 0xcd, 0, 0}, "x"));
  entry.magic = {0x00, 0x00};
  EXPECT_TRUE(binfmt_matches(entry, std::vector<std::uint8_t>{}, "x"));  // zero padding matches zeros
}

TEST(Binfmt, ExtensionMatchesTheTextAfterTheLastDot) {
  BinfmtEntry entry;
  entry.enabled = true;
  entry.by_extension = true;
  entry.extension = "exe";
  EXPECT_TRUE(binfmt_matches(entry, {}, "/tmp/setup.exe"));
  EXPECT_FALSE(binfmt_matches(entry, {}, "/tmp/setup.EXE"));  // case-sensitive
  EXPECT_FALSE(binfmt_matches(entry, {}, "/tmp/setup.exe.txt"));
  EXPECT_FALSE(binfmt_matches(entry, {}, "/tmp.exe/setup"));
  EXPECT_FALSE(binfmt_matches(entry, {}, "setup"));
}

}  // namespace
}  // namespace enoexec::host

#include <gtest/gtest.h>

#include "builders/elf_builder.hpp"
#include "host/elf_head.hpp"

namespace enoexec::host {
namespace {

ByteView view(const std::vector<std::uint8_t>& bytes) { return ByteView({bytes.data(), bytes.size()}); }

TEST(ElfHead, ReadsIdentityAndInterpreter) {
  test::ElfBuilder builder(64, Endian::little);
  builder.e_machine = 183;
  const auto image = builder.interp("/lib/ld-linux-aarch64.so.1").build();
  const auto elf = read_elf_head(view(image.bytes), true);
  ASSERT_TRUE(elf) << to_string(elf.error());
  EXPECT_EQ(elf->machine, "EM_AARCH64");
  EXPECT_EQ(elf->arch, Arch::arm64);
  EXPECT_EQ(elf->bits, 64);
  EXPECT_EQ(elf->endian, Endian::little);
  EXPECT_EQ(elf->interpreter, "/lib/ld-linux-aarch64.so.1");
}

TEST(ElfHead, ThirtyTwoBitArmHardFloat) {
  test::ElfBuilder builder(32, Endian::little);
  builder.e_machine = 40;
  builder.e_flags = 0x05000400;
  const auto image = builder.interp("/lib/ld-linux-armhf.so.3").build();
  const auto elf = read_elf_head(view(image.bytes), true);
  ASSERT_TRUE(elf) << to_string(elf.error());
  EXPECT_EQ(elf->arch, Arch::arm);
  EXPECT_EQ(elf->bits, 32);
  EXPECT_EQ(elf->flags, 0x05000400u);
  EXPECT_EQ(elf->interpreter, "/lib/ld-linux-armhf.so.3");
}

TEST(ElfHead, BigEndianStaticHasNoInterpreter) {
  test::ElfBuilder builder(64, Endian::big);
  builder.e_machine = 22;  // EM_S390
  const auto image = builder.build();
  const auto elf = read_elf_head(view(image.bytes), true);
  ASSERT_TRUE(elf) << to_string(elf.error());
  EXPECT_EQ(elf->arch, Arch::s390x);
  EXPECT_EQ(elf->endian, Endian::big);
  EXPECT_EQ(elf->interpreter, std::nullopt);
}

TEST(ElfHead, Errors) {
  const std::vector<std::uint8_t> text = {'#', '!', '/', 'b', 'i', 'n', '/', 's', 'h', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(to_string(read_elf_head(view(text), false).error()), "bad magic: no ELF magic (7f 45 4c 46) in e_ident (at offset 0x0)");

  const std::vector<std::uint8_t> short_ident = {0x7f, 'E', 'L', 'F', 2};
  EXPECT_EQ(read_elf_head(view(short_ident), false).error().code, ErrorCode::truncated);

  test::ElfBuilder builder(64, Endian::little);
  auto image = builder.interp("/lib/ld.so").build();
  image.bytes[4] = 7;
  EXPECT_EQ(to_string(read_elf_head(view(image.bytes), false).error()), "malformed: EI_CLASS 7 is neither ELFCLASS32 (1) nor ELFCLASS64 (2) (at offset 0x4)");
  image.bytes[4] = 2;
  image.put16(image.e_phentsize_at(), 40);
  EXPECT_EQ(to_string(read_elf_head(view(image.bytes), true).error()), "malformed: e_phentsize is 40, not 56 (at offset 0x36)");
  EXPECT_TRUE(read_elf_head(view(image.bytes), false));  // the header alone still reads
  image.put16(image.e_phentsize_at(), 56);
  image.put16(image.e_phnum_at(), 5000);  // more headers than the file holds
  EXPECT_EQ(to_string(read_elf_head(view(image.bytes), true).error()),
            "out of bounds: program header table: 5000 entries of 56 bytes exceed the " +
                std::to_string(image.bytes.size()) + " bytes of the file (at offset 0x40)");
}

// The header is the ELF reader's (formats/elf/elf_header.hpp): a file cut inside it is refused
// even when e_machine and e_flags are there.
TEST(ElfHead, NeedsTheWholeHeader) {
  test::ElfBuilder builder(64, Endian::little);
  auto image = builder.build();
  image.bytes.resize(63);
  EXPECT_EQ(read_elf_head(view(image.bytes), false).error().code, ErrorCode::truncated);
}

TEST(ElfHead, MachineNames) {
  EXPECT_EQ(elf_machine_name(62), "EM_X86_64");
  EXPECT_EQ(elf_machine_name(0xfff0), "EM_65520");
}

}  // namespace
}  // namespace enoexec::host

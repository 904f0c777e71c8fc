// read_elf_header(): the one reader of the ELF file header, shared by the ELF reader, the host
// probe and the execve model. Every field in both classes and byte orders; what it refuses.
#include "formats/elf/elf_header.hpp"

#include <tuple>

#include <gtest/gtest.h>

#include "unit/elf/elf_test_util.hpp"

namespace enoexec::test {
namespace {

using elf::read_elf_header;

class EachHeaderLayout : public ::testing::TestWithParam<std::tuple<int, Endian>> {};

TEST_P(EachHeaderLayout, ReadsEveryField) {
  const auto [bits, endian] = GetParam();
  ElfBuilder b(bits, endian);
  b.e_type = elf::ET_DYN;
  b.e_machine = elf::EM_RISCV;
  b.e_flags = 0x5;
  b.e_entry = 0x1040;
  b.osabi = elf::ELFOSABI_GNU;
  b.interp("/lib/ld-linux-riscv64-lp64d.so.1");
  const ElfImage image = b.build();
  const auto header = read_elf_header(view_of(image));
  ASSERT_TRUE(header) << to_string(header.error());
  EXPECT_EQ(elf::header_bits(*header), bits);
  EXPECT_EQ(elf::header_endian(*header), endian);
  EXPECT_EQ(header->osabi, elf::ELFOSABI_GNU);
  EXPECT_EQ(header->type, elf::ET_DYN);
  EXPECT_EQ(header->machine, elf::EM_RISCV);
  EXPECT_EQ(header->version, elf::EV_CURRENT);
  EXPECT_EQ(header->flags, 0x5u);
  EXPECT_EQ(header->entry, 0x1040u);
  EXPECT_EQ(header->ehsize, elf::header_size(bits));
  EXPECT_EQ(header->phentsize, elf::phdr_size(bits));
  EXPECT_GE(header->phoff, elf::header_size(bits));  // the builder places the table after it
  EXPECT_GE(header->phnum, 1u);
  EXPECT_EQ(header->shentsize, elf::shdr_size(bits));
}

INSTANTIATE_TEST_SUITE_P(Layouts, EachHeaderLayout,
                         ::testing::Combine(::testing::Values(32, 64),
                                            ::testing::Values(Endian::little, Endian::big)));

TEST(ElfHeader, RefusesWhatHasNoHeader) {
  const std::vector<std::uint8_t> text(64, 'x');
  EXPECT_EQ(to_string(read_elf_header(ByteView(text)).error()),
            "bad magic: no ELF magic (7f 45 4c 46) in e_ident (at offset 0x0)");
  const std::vector<std::uint8_t> short_ident = {0x7f, 'E', 'L', 'F', 2};
  EXPECT_EQ(read_elf_header(ByteView(short_ident)).error().code, ErrorCode::truncated);

  ElfImage image = ElfBuilder(64, Endian::little).build();
  image.bytes[elf::EI_CLASS] = 7;
  EXPECT_EQ(to_string(read_elf_header(view_of(image)).error()),
            "malformed: EI_CLASS 7 is neither ELFCLASS32 (1) nor ELFCLASS64 (2) (at offset 0x4)");
  image.bytes[elf::EI_CLASS] = elf::ELFCLASS64;
  image.bytes.resize(63);  // one byte short of an Elf64_Ehdr
  EXPECT_EQ(read_elf_header(view_of(image)).error().code, ErrorCode::truncated);
  image.bytes.resize(64);
  EXPECT_TRUE(read_elf_header(view_of(image)));
}

// The kernel never reads EI_DATA: the execve model asks for no byte-order check and gets the
// header read little-endian, as an x86-64 or arm64 kernel reads it.
TEST(ElfHeader, ByteOrderCheckCanBeLeftToTheCaller) {
  ElfImage image = ElfBuilder(64, Endian::little).build();
  image.bytes[elf::EI_DATA] = 0;
  EXPECT_EQ(to_string(read_elf_header(view_of(image)).error()),
            "malformed: EI_DATA 0 is neither ELFDATA2LSB (1) nor ELFDATA2MSB (2) (at offset 0x5)");
  const auto lenient = read_elf_header(view_of(image), elf::HeaderChecks{.byte_order = false});
  ASSERT_TRUE(lenient);
  EXPECT_EQ(elf::header_endian(*lenient), Endian::little);
  EXPECT_EQ(lenient->machine, elf::EM_X86_64);
}

// Nothing past e_ident is judged: the callers decide what an odd e_type or e_version means.
TEST(ElfHeader, ReturnsOddFieldsAsStated) {
  ElfBuilder b(32, Endian::big);
  b.e_type = elf::ET_CORE;
  b.e_machine = 0xfff0;
  ElfImage image = b.build();
  image.put16(image.e_phentsize_at(), 7);
  const auto header = read_elf_header(view_of(image));
  ASSERT_TRUE(header);
  EXPECT_EQ(header->type, elf::ET_CORE);
  EXPECT_EQ(header->machine, 0xfff0);
  EXPECT_EQ(header->phentsize, 7);
}

}  // namespace
}  // namespace enoexec::test

// read_elf_header(): e_ident, then every field of the class's header, in file order.
#include "formats/elf/elf_header.hpp"

#include <array>

#include <fmt/format.h>

#include "formats/elf/elf_reader.hpp"

namespace enoexec::elf {
namespace {

constexpr std::uint8_t kMagic[4] = {0x7f, 'E', 'L', 'F'};

Result<void> check_ident(ByteView ident, HeaderChecks checks) {
  for (std::uint64_t i = 0; i < 4; ++i)
    if (ident.u8(i, "e_ident").value_or(0) != kMagic[i])
      return make_error(ErrorCode::bad_magic, 0, "no ELF magic (7f 45 4c 46) in e_ident");
  const std::uint8_t ei_class = ident.u8(EI_CLASS, "EI_CLASS").value_or(0);
  if (ei_class != ELFCLASS32 && ei_class != ELFCLASS64)
    return make_error(ErrorCode::malformed, EI_CLASS,
                      fmt::format("EI_CLASS {} is neither ELFCLASS32 (1) nor ELFCLASS64 (2)",
                                  ei_class));
  const std::uint8_t ei_data = ident.u8(EI_DATA, "EI_DATA").value_or(0);
  if (checks.byte_order && ei_data != ELFDATA2LSB && ei_data != ELFDATA2MSB)
    return make_error(ErrorCode::malformed, EI_DATA,
                      fmt::format("EI_DATA {} is neither ELFDATA2LSB (1) nor ELFDATA2MSB (2)",
                                  ei_data));
  return {};
}

// The Elf32_Ehdr/Elf64_Ehdr fields after e_ident, in file order.
void read_fields(FieldReader& in, FileHeader& h) {
  in.skip(EI_NIDENT);
  h.type = in.u16();
  h.machine = in.u16();
  h.version = in.u32();
  h.entry = in.word();
  h.phoff = in.word();
  h.shoff = in.word();
  h.flags = in.u32();
  h.ehsize = in.u16();
  h.phentsize = in.u16();
  h.phnum = in.u16();
  h.shentsize = in.u16();
  h.shnum = in.u16();
  h.shstrndx = in.u16();
}

}  // namespace

Result<FileHeader> read_elf_header_as(ByteView bytes, int bits, Endian endian) {
  std::array<std::uint8_t, 64> buffer{};  // Elf64_Ehdr; zero past the end of `bytes`
  const ByteView given = bytes.clamp(0, buffer.size());
  for (std::uint64_t i = 0; i < given.size(); ++i) buffer[i] = given.u8(i, "e_ident").value_or(0);
  for (std::size_t i = 0; i < 4; ++i)
    if (buffer[i] != kMagic[i]) return make_error(ErrorCode::bad_magic, 0, "no ELF magic (7f 45 4c 46) in e_ident");
  FileHeader h;
  h.ei_class = buffer[EI_CLASS];
  h.ei_data = buffer[EI_DATA];
  h.ei_version = buffer[EI_VERSION];
  h.osabi = buffer[EI_OSABI];
  h.abi_version = buffer[EI_ABIVERSION];
  FieldReader in(ByteView(std::span<const std::uint8_t>(buffer.data(), header_size(bits))), endian, bits);
  read_fields(in, h);
  return h;
}

Result<FileHeader> read_elf_header(ByteView bytes, HeaderChecks checks) {
  auto ident = bytes.sub(0, EI_NIDENT, "e_ident");
  if (!ident) return tl::unexpected(ident.error());
  if (auto valid = check_ident(*ident, checks); !valid) return tl::unexpected(valid.error());

  FileHeader h;
  h.ei_class = ident->u8(EI_CLASS, "EI_CLASS").value_or(0);
  h.ei_data = ident->u8(EI_DATA, "EI_DATA").value_or(0);
  h.ei_version = ident->u8(EI_VERSION, "EI_VERSION").value_or(0);
  h.osabi = ident->u8(EI_OSABI, "EI_OSABI").value_or(0);
  h.abi_version = ident->u8(EI_ABIVERSION, "EI_ABIVERSION").value_or(0);
  const int bits = header_bits(h);

  auto record = bytes.sub(0, header_size(bits), "ELF header");
  if (!record) return tl::unexpected(record.error());
  FieldReader in(*record, header_endian(h), bits);
  read_fields(in, h);
  return h;
}

}  // namespace enoexec::elf

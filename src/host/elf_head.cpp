#include "host/elf_head.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "formats/elf/elf_header.hpp"
#include "formats/elf/elf_names.hpp"

namespace enoexec::host {
namespace {

using elf::FileHeader;

constexpr std::uint64_t PATH_CAP = elf::kInterpMaxSize;  // the kernel refuses longer PT_INTERP

// Offsets of the program header fields read here, by class (ELF gABI).
struct PhdrLayout {
  std::uint64_t p_offset, p_filesz;
  bool wide;
};
constexpr PhdrLayout ELF32{4, 16, false};
constexpr PhdrLayout ELF64{8, 32, true};

Result<std::uint64_t> word(ByteView bytes, std::uint64_t offset, const PhdrLayout& layout,
                           Endian endian, std::string_view what) {
  if (layout.wide) return bytes.read<std::uint64_t>(offset, endian, what);
  return bytes.read<std::uint32_t>(offset, endian, what).map([](std::uint32_t v) { return std::uint64_t{v}; });
}

// PT_INTERP from the program header table the header names; an unreadable table is an error.
Result<std::optional<std::string>> find_interpreter(ByteView bytes, const FileHeader& header) {
  const int bits = elf::header_bits(header);
  const Endian endian = elf::header_endian(header);
  const PhdrLayout& layout = bits == 64 ? ELF64 : ELF32;
  const std::uint64_t phdr_size = elf::phdr_size(bits);
  if (header.phentsize != phdr_size)
    return make_error(ErrorCode::malformed, bits == 64 ? 54 : 42,
                      fmt::format("e_phentsize is {}, not {}", header.phentsize, phdr_size));
  auto table = bytes.array(header.phoff, header.phnum, header.phentsize, "program header table");
  if (!table) return tl::unexpected(table.error());
  for (std::uint64_t i = 0; i < header.phnum; ++i) {
    const std::uint64_t at = i * phdr_size;
    auto type = table->read<std::uint32_t>(at, endian, "p_type");
    if (!type) return tl::unexpected(type.error());
    if (*type != elf::PT_INTERP) continue;
    auto offset = word(*table, at + layout.p_offset, layout, endian, "PT_INTERP p_offset");
    auto size = word(*table, at + layout.p_filesz, layout, endian, "PT_INTERP p_filesz");
    if (!offset) return tl::unexpected(offset.error());
    if (!size) return tl::unexpected(size.error());
    auto path = bytes.cstring(*offset, std::min(*size, PATH_CAP), "PT_INTERP path");
    if (!path) return tl::unexpected(path.error());
    return std::optional<std::string>(std::string(*path));
  }
  return std::optional<std::string>();
}

}  // namespace

std::string elf_machine_name(std::uint16_t machine) {
  const std::string_view name = elf::machine_name(machine);
  return name.empty() ? fmt::format("EM_{}", machine) : std::string(name);
}

Result<HostElf> read_elf_head(ByteView bytes, bool want_interpreter) {
  auto header = elf::read_elf_header(bytes);
  if (!header) return tl::unexpected(header.error());
  HostElf elf;
  elf.bits = elf::header_bits(*header);
  elf.endian = elf::header_endian(*header);
  elf.flags = header->flags;
  elf.machine = elf_machine_name(header->machine);
  elf.arch = elf::machine_arch(header->machine, elf.bits, *elf.endian);
  if (want_interpreter) {
    auto interpreter = find_interpreter(bytes, *header);
    if (!interpreter) return tl::unexpected(interpreter.error());
    elf.interpreter = std::move(*interpreter);
  }
  return elf;
}

}  // namespace enoexec::host

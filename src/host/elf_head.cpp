#include "host/elf_head.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace enoexec::host {
namespace {

constexpr std::uint32_t PT_INTERP = 3;
constexpr std::uint64_t EI_NIDENT = 16;
constexpr std::uint64_t PATH_CAP = 4096;  // PATH_MAX: the kernel refuses longer PT_INTERP

struct MachineRow {
  std::uint16_t value;
  std::string_view name;
  std::array<Arch, 4> arch;  // ELFCLASS32 LSB, 32 MSB, 64 LSB, 64 MSB
};

// The e_machine table is the ELF reader's spec table (a data file, no code): one list of names.
constexpr MachineRow MACHINES[] = {
#define ELF_MACHINE(name, value, a32l, a32b, a64l, a64b) \
  {value, #name, {Arch::a32l, Arch::a32b, Arch::a64l, Arch::a64b}},
#include "formats/elf/elf_machines.def"
#undef ELF_MACHINE
};

const MachineRow* find_machine(std::uint16_t value) {
  for (const MachineRow& row : MACHINES)
    if (row.value == value) return &row;
  return nullptr;
}

// Layout of the fields read here, by class (ELF gABI).
struct Layout {
  std::uint64_t e_phoff, e_flags, e_phentsize, phdr_size, p_offset, p_filesz;
  bool wide;
};
constexpr Layout ELF32{28, 36, 42, 32, 4, 16, false};
constexpr Layout ELF64{32, 48, 54, 56, 8, 32, true};

Result<std::uint64_t> word(ByteView bytes, std::uint64_t offset, const Layout& layout, Endian endian,
                           std::string_view what) {
  if (layout.wide) return bytes.read<std::uint64_t>(offset, endian, what);
  return bytes.read<std::uint32_t>(offset, endian, what).map([](std::uint32_t v) { return std::uint64_t{v}; });
}

Result<std::optional<std::string>> find_interpreter(ByteView bytes, const Layout& layout, Endian endian) {
  auto phoff = word(bytes, layout.e_phoff, layout, endian, "e_phoff");
  auto phentsize = bytes.read<std::uint16_t>(layout.e_phentsize, endian, "e_phentsize");
  auto phnum = bytes.read<std::uint16_t>(layout.e_phentsize + 2, endian, "e_phnum");
  if (!phoff) return tl::unexpected(phoff.error());
  if (!phentsize) return tl::unexpected(phentsize.error());
  if (!phnum) return tl::unexpected(phnum.error());
  if (*phentsize != layout.phdr_size)
    return make_error(ErrorCode::malformed, layout.e_phentsize,
                      fmt::format("e_phentsize is {}, not {}", *phentsize, layout.phdr_size));
  auto table = bytes.array(*phoff, *phnum, *phentsize, "program header table");
  if (!table) return tl::unexpected(table.error());
  for (std::uint64_t i = 0; i < *phnum; ++i) {
    const std::uint64_t at = i * layout.phdr_size;
    auto type = table->read<std::uint32_t>(at, endian, "p_type");
    if (!type) return tl::unexpected(type.error());
    if (*type != PT_INTERP) continue;
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
  const MachineRow* row = find_machine(machine);
  return row ? std::string(row->name) : fmt::format("EM_{}", machine);
}

Result<HostElf> read_elf_head(ByteView bytes, bool want_interpreter) {
  auto ident = bytes.sub(0, EI_NIDENT, "e_ident");
  if (!ident) return tl::unexpected(ident.error());
  const auto* id = ident->data();
  if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
    return make_error(ErrorCode::bad_magic, 0, "not an ELF file (no \\x7fELF magic)");
  if (id[4] != 1 && id[4] != 2)
    return make_error(ErrorCode::malformed, 4, fmt::format("EI_CLASS {} is neither 1 nor 2", id[4]));
  if (id[5] != 1 && id[5] != 2)
    return make_error(ErrorCode::malformed, 5, fmt::format("EI_DATA {} is neither 1 nor 2", id[5]));
  const bool wide = id[4] == 2;
  const Endian endian = id[5] == 1 ? Endian::little : Endian::big;
  const Layout& layout = wide ? ELF64 : ELF32;

  auto machine = bytes.read<std::uint16_t>(18, endian, "e_machine");
  if (!machine) return tl::unexpected(machine.error());
  auto flags = bytes.read<std::uint32_t>(layout.e_flags, endian, "e_flags");
  if (!flags) return tl::unexpected(flags.error());

  HostElf elf;
  elf.bits = wide ? 64 : 32;
  elf.endian = endian;
  elf.flags = *flags;
  elf.machine = elf_machine_name(*machine);
  if (const MachineRow* row = find_machine(*machine))
    elf.arch = row->arch[(wide ? 2u : 0u) + (endian == Endian::big ? 1u : 0u)];
  if (want_interpreter) {
    auto interpreter = find_interpreter(bytes, layout, endian);
    if (!interpreter) return tl::unexpected(interpreter.error());
    elf.interpreter = std::move(*interpreter);
  }
  return elf;
}

}  // namespace enoexec::host

// Spec tables: e_machine (elf_machines.def), p_type and EI_OSABI names.
#include "formats/elf/elf_names.hpp"

#include <array>

#include <fmt/format.h>

#include "formats/elf/elf_types.hpp"

namespace enoexec::elf {
namespace {

struct MachineRow {
  std::uint16_t value;
  std::string_view name;
  std::array<Arch, 4> arch;  // ELFCLASS32 LSB, ELFCLASS32 MSB, ELFCLASS64 LSB, ELFCLASS64 MSB
};

constexpr MachineRow kMachines[] = {
#define ELF_MACHINE(name, value, a32le, a32be, a64le, a64be) \
  {value, #name, {Arch::a32le, Arch::a32be, Arch::a64le, Arch::a64be}},
#include "formats/elf/elf_machines.def"
#undef ELF_MACHINE
};

const MachineRow* find_machine(std::uint16_t machine) {
  for (const auto& row : kMachines)
    if (row.value == machine) return &row;
  return nullptr;
}

struct NamedValue {
  std::uint32_t value;
  std::string_view name;
};

// p_type values every machine shares (gABI, GNU, Sun and OpenBSD extensions).
constexpr NamedValue kSegmentTypes[] = {
    {PT_NULL, "PT_NULL"},
    {PT_LOAD, "PT_LOAD"},
    {PT_DYNAMIC, "PT_DYNAMIC"},
    {PT_INTERP, "PT_INTERP"},
    {PT_NOTE, "PT_NOTE"},
    {PT_SHLIB, "PT_SHLIB"},
    {PT_PHDR, "PT_PHDR"},
    {PT_TLS, "PT_TLS"},
    {PT_GNU_EH_FRAME, "PT_GNU_EH_FRAME"},
    {PT_GNU_STACK, "PT_GNU_STACK"},
    {PT_GNU_RELRO, "PT_GNU_RELRO"},
    {PT_GNU_PROPERTY, "PT_GNU_PROPERTY"},
    {PT_GNU_SFRAME, "PT_GNU_SFRAME"},
    {0x6464e550, "PT_SUNW_UNWIND"},
    {0x6ffffffa, "PT_SUNWBSS"},
    {0x6ffffffb, "PT_SUNWSTACK"},
    {0x65041580, "PT_PAX_FLAGS"},
    {0x65a3dbe5, "PT_OPENBSD_MUTABLE"},
    {0x65a3dbe6, "PT_OPENBSD_RANDOMIZE"},
    {0x65a3dbe7, "PT_OPENBSD_WXNEEDED"},
    {0x65a3dbe8, "PT_OPENBSD_NOBTCFI"},
    {0x65a3dbe9, "PT_OPENBSD_SYSCALLS"},
    {0x65a41be6, "PT_OPENBSD_BOOTDATA"},
};

// Processor-specific p_type values (0x70000000..0x7fffffff), by machine.
struct MachineSegmentType {
  std::uint16_t machine;
  std::uint32_t value;
  std::string_view name;
};

constexpr MachineSegmentType kProcessorSegmentTypes[] = {
    {EM_ARM, 0x70000000, "PT_ARM_ARCHEXT"},
    {EM_ARM, PT_ARM_EXIDX, "PT_ARM_EXIDX"},
    {EM_AARCH64, 0x70000002, "PT_AARCH64_MEMTAG_MTE"},
    {EM_MIPS, 0x70000000, "PT_MIPS_REGINFO"},
    {EM_MIPS, 0x70000001, "PT_MIPS_RTPROC"},
    {EM_MIPS, 0x70000002, "PT_MIPS_OPTIONS"},
    {EM_MIPS, PT_MIPS_ABIFLAGS, "PT_MIPS_ABIFLAGS"},
    {EM_RISCV, PT_RISCV_ATTRIBUTES, "PT_RISCV_ATTRIBUTES"},
    {15 /* EM_PARISC */, 0x70000000, "PT_PARISC_ARCHEXT"},
    {15 /* EM_PARISC */, 0x70000001, "PT_PARISC_UNWIND"},
    {50 /* EM_IA_64 */, 0x70000000, "PT_IA_64_ARCHEXT"},
    {50 /* EM_IA_64 */, 0x70000001, "PT_IA_64_UNWIND"},
};

constexpr NamedValue kOsAbis[] = {
    {0, "SYSV"},     {1, "HP-UX"},   {2, "NetBSD"},    {3, "GNU/Linux"}, {4, "GNU/Hurd"},
    {6, "Solaris"},  {7, "AIX"},     {8, "IRIX"},      {9, "FreeBSD"},   {10, "TRU64"},
    {11, "Modesto"}, {12, "OpenBSD"}, {13, "OpenVMS"}, {14, "NSK"},      {15, "AROS"},
    {16, "FenixOS"}, {17, "CloudABI"}, {18, "OpenVOS"}, {255, "Standalone"},
};

bool is_mips(std::uint16_t machine) { return machine == EM_MIPS || machine == 10; }

}  // namespace

std::string_view machine_name(std::uint16_t machine) {
  const MachineRow* row = find_machine(machine);
  return row != nullptr ? row->name : std::string_view{};
}

std::string machine_label(std::uint16_t machine) {
  const std::string_view name = machine_name(machine);
  return name.empty() ? fmt::format("0x{:04x}", machine) : std::string(name);
}

Arch machine_arch(std::uint16_t machine, int bits, Endian endian) {
  const MachineRow* row = find_machine(machine);
  if (row == nullptr) return Arch::unknown;
  const std::size_t column = (bits == 64 ? 2u : 0u) + (endian == Endian::big ? 1u : 0u);
  return row->arch[column];
}

std::string segment_type_name(std::uint32_t type, std::uint16_t machine) {
  for (const auto& row : kSegmentTypes)
    if (row.value == type) return std::string(row.name);
  const std::uint16_t family = is_mips(machine) ? EM_MIPS : machine;
  for (const auto& row : kProcessorSegmentTypes)
    if (row.machine == family && row.value == type) return std::string(row.name);
  return fmt::format("0x{:x}", type);
}

std::string osabi_name(std::uint8_t osabi, std::uint16_t machine) {
  // 64 and 97 are processor-specific: ARM's EABI marker and the old ARM "OS ABI".
  if (machine == EM_ARM && osabi == 64) return "ARM EABI";
  if (machine == EM_ARM && osabi == 97) return "ARM";
  for (const auto& row : kOsAbis)
    if (row.value == osabi) return std::string(row.name);
  return fmt::format("0x{:02x}", osabi);
}

}  // namespace enoexec::elf

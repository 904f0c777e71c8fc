#include "formats/pe/pe_constants.hpp"

#include <array>

#include <fmt/format.h>

namespace enoexec::pe {
namespace {

// Microsoft "PE Format", section "Machine Types". Windows NT ran MIPS, Alpha and PowerPC
// little-endian, hence mipsle and ppcle.
constexpr std::array kMachines{
    MachineInfo{0x0000, "IMAGE_FILE_MACHINE_UNKNOWN", Arch::unknown, ""},
    MachineInfo{0x014c, "IMAGE_FILE_MACHINE_I386", Arch::i386, ""},
    MachineInfo{0x0162, "IMAGE_FILE_MACHINE_R3000", Arch::mipsle, ""},
    MachineInfo{0x0166, "IMAGE_FILE_MACHINE_R4000", Arch::mipsle, ""},
    MachineInfo{0x0168, "IMAGE_FILE_MACHINE_R10000", Arch::mipsle, ""},
    MachineInfo{0x0169, "IMAGE_FILE_MACHINE_WCEMIPSV2", Arch::mipsle, ""},
    MachineInfo{0x0184, "IMAGE_FILE_MACHINE_ALPHA", Arch::alpha, ""},
    MachineInfo{0x01a2, "IMAGE_FILE_MACHINE_SH3", Arch::sh, ""},
    MachineInfo{0x01a3, "IMAGE_FILE_MACHINE_SH3DSP", Arch::sh, ""},
    MachineInfo{0x01a6, "IMAGE_FILE_MACHINE_SH4", Arch::sh, ""},
    MachineInfo{0x01a8, "IMAGE_FILE_MACHINE_SH5", Arch::unknown, ""},
    MachineInfo{0x01c0, "IMAGE_FILE_MACHINE_ARM", Arch::arm, ""},
    MachineInfo{0x01c2, "IMAGE_FILE_MACHINE_THUMB", Arch::arm, ""},
    MachineInfo{0x01c4, "IMAGE_FILE_MACHINE_ARMNT", Arch::arm, "v7"},
    MachineInfo{0x01d3, "IMAGE_FILE_MACHINE_AM33", Arch::unknown, ""},
    MachineInfo{0x01f0, "IMAGE_FILE_MACHINE_POWERPC", Arch::ppcle, ""},
    MachineInfo{0x01f1, "IMAGE_FILE_MACHINE_POWERPCFP", Arch::ppcle, ""},
    MachineInfo{0x0200, "IMAGE_FILE_MACHINE_IA64", Arch::ia64, ""},
    MachineInfo{0x0266, "IMAGE_FILE_MACHINE_MIPS16", Arch::mipsle, ""},
    MachineInfo{0x0284, "IMAGE_FILE_MACHINE_ALPHA64", Arch::alpha, ""},
    MachineInfo{0x0366, "IMAGE_FILE_MACHINE_MIPSFPU", Arch::mipsle, ""},
    MachineInfo{0x0466, "IMAGE_FILE_MACHINE_MIPSFPU16", Arch::mipsle, ""},
    MachineInfo{0x0520, "IMAGE_FILE_MACHINE_TRICORE", Arch::unknown, ""},
    MachineInfo{0x0cef, "IMAGE_FILE_MACHINE_CEF", Arch::unknown, ""},
    MachineInfo{0x0ebc, "IMAGE_FILE_MACHINE_EBC", Arch::ebc, ""},
    MachineInfo{0x3a64, "IMAGE_FILE_MACHINE_CHPE_X86", Arch::i386, ""},
    MachineInfo{0x5032, "IMAGE_FILE_MACHINE_RISCV32", Arch::riscv32, ""},
    MachineInfo{0x5064, "IMAGE_FILE_MACHINE_RISCV64", Arch::riscv64, ""},
    MachineInfo{0x5128, "IMAGE_FILE_MACHINE_RISCV128", Arch::unknown, ""},
    MachineInfo{0x6232, "IMAGE_FILE_MACHINE_LOONGARCH32", Arch::unknown, ""},
    MachineInfo{0x6264, "IMAGE_FILE_MACHINE_LOONGARCH64", Arch::loong64, ""},
    MachineInfo{0x8664, "IMAGE_FILE_MACHINE_AMD64", Arch::amd64, ""},
    MachineInfo{0x9041, "IMAGE_FILE_MACHINE_M32R", Arch::unknown, ""},
    MachineInfo{0xa641, "IMAGE_FILE_MACHINE_ARM64EC", Arch::arm64, ""},
    MachineInfo{0xa64e, "IMAGE_FILE_MACHINE_ARM64X", Arch::arm64, ""},
    MachineInfo{0xaa64, "IMAGE_FILE_MACHINE_ARM64", Arch::arm64, ""},
    MachineInfo{0xc0ee, "IMAGE_FILE_MACHINE_CEE", Arch::unknown, ""},
};

// IMAGE_FILE_MACHINE_NATIVE_OS_OVERRIDE (dotnet/runtime src/coreclr/inc/pedecoder.h).
struct OsOverride {
  std::uint16_t value;
  Os os;
  std::string_view name;
};
constexpr std::array kReadyToRunOs{
    OsOverride{0x7b79, Os::linux, "linux"},     OsOverride{0x4644, Os::darwin, "darwin"},
    OsOverride{0xadc4, Os::freebsd, "freebsd"}, OsOverride{0x1993, Os::netbsd, "netbsd"},
    OsOverride{0x1992, Os::solaris, "solaris"},
};

constexpr std::array kSubsystems{
    NamedValue{0, "UNKNOWN"},
    NamedValue{1, "NATIVE"},
    NamedValue{2, "WINDOWS_GUI"},
    NamedValue{3, "WINDOWS_CUI"},
    NamedValue{5, "OS2_CUI"},
    NamedValue{7, "POSIX_CUI"},
    NamedValue{8, "NATIVE_WINDOWS"},
    NamedValue{9, "WINDOWS_CE_GUI"},
    NamedValue{10, "EFI_APPLICATION"},
    NamedValue{11, "EFI_BOOT_SERVICE_DRIVER"},
    NamedValue{12, "EFI_RUNTIME_DRIVER"},
    NamedValue{13, "EFI_ROM"},
    NamedValue{14, "XBOX"},
    NamedValue{16, "WINDOWS_BOOT_APPLICATION"},
    NamedValue{17, "XBOX_CODE_CATALOG"},
};

constexpr std::array<std::string_view, kMaxDataDirectories> kDirectories{
    "EXPORT", "IMPORT",   "RESOURCE",    "EXCEPTION",    "SECURITY",     "BASERELOC",
    "DEBUG",  "ARCHITECTURE", "GLOBALPTR", "TLS",        "LOAD_CONFIG",  "BOUND_IMPORT",
    "IAT",    "DELAY_IMPORT", "COM_DESCRIPTOR", "RESERVED",
};

constexpr std::array kCharacteristics{
    NamedValue{0x0001, "RELOCS_STRIPPED"},
    NamedValue{0x0002, "EXECUTABLE_IMAGE"},
    NamedValue{0x0004, "LINE_NUMS_STRIPPED"},
    NamedValue{0x0008, "LOCAL_SYMS_STRIPPED"},
    NamedValue{0x0010, "AGGRESSIVE_WS_TRIM"},
    NamedValue{0x0020, "LARGE_ADDRESS_AWARE"},
    NamedValue{0x0080, "BYTES_REVERSED_LO"},
    NamedValue{0x0100, "32BIT_MACHINE"},
    NamedValue{0x0200, "DEBUG_STRIPPED"},
    NamedValue{0x0400, "REMOVABLE_RUN_FROM_SWAP"},
    NamedValue{0x0800, "NET_RUN_FROM_SWAP"},
    NamedValue{0x1000, "SYSTEM"},
    NamedValue{0x2000, "DLL"},
    NamedValue{0x4000, "UP_SYSTEM_ONLY"},
    NamedValue{0x8000, "BYTES_REVERSED_HI"},
};

constexpr std::array kDllCharacteristics{
    NamedValue{0x0020, "HIGH_ENTROPY_VA"},
    NamedValue{0x0040, "DYNAMIC_BASE"},
    NamedValue{0x0080, "FORCE_INTEGRITY"},
    NamedValue{0x0100, "NX_COMPAT"},
    NamedValue{0x0200, "NO_ISOLATION"},
    NamedValue{0x0400, "NO_SEH"},
    NamedValue{0x0800, "NO_BIND"},
    NamedValue{0x1000, "APPCONTAINER"},
    NamedValue{0x2000, "WDM_DRIVER"},
    NamedValue{0x4000, "GUARD_CF"},
    NamedValue{0x8000, "TERMINAL_SERVER_AWARE"},
};

// The IMAGE_SCN_ALIGN_* nibble (0x00f00000) only means something in object files; images
// leave it zero, so it is not spelled out here.
constexpr std::uint32_t kSectionAlignMask = 0x00f00000;
constexpr std::array kSectionFlags{
    NamedValue{0x00000008, "TYPE_NO_PAD"},
    NamedValue{0x00000020, "CNT_CODE"},
    NamedValue{0x00000040, "CNT_INITIALIZED_DATA"},
    NamedValue{0x00000080, "CNT_UNINITIALIZED_DATA"},
    NamedValue{0x00000100, "LNK_OTHER"},
    NamedValue{0x00000200, "LNK_INFO"},
    NamedValue{0x00000800, "LNK_REMOVE"},
    NamedValue{0x00001000, "LNK_COMDAT"},
    NamedValue{0x00008000, "GPREL"},
    NamedValue{0x01000000, "LNK_NRELOC_OVFL"},
    NamedValue{0x02000000, "MEM_DISCARDABLE"},
    NamedValue{0x04000000, "MEM_NOT_CACHED"},
    NamedValue{0x08000000, "MEM_NOT_PAGED"},
    NamedValue{0x10000000, "MEM_SHARED"},
    NamedValue{0x20000000, "MEM_EXECUTE"},
    NamedValue{0x40000000, "MEM_READ"},
    NamedValue{0x80000000, "MEM_WRITE"},
};

// ECMA-335 II.25.3.3.1 and CorFlags (System.Reflection.Metadata).
constexpr std::array kClrFlags{
    NamedValue{0x00000001, "ILONLY"},
    NamedValue{0x00000002, "32BITREQUIRED"},
    NamedValue{0x00000004, "IL_LIBRARY"},
    NamedValue{0x00000008, "STRONGNAMESIGNED"},
    NamedValue{0x00000010, "NATIVE_ENTRYPOINT"},
    NamedValue{0x00010000, "TRACKDEBUGDATA"},
    NamedValue{0x00020000, "32BITPREFERRED"},
};

}  // namespace

std::optional<MachineInfo> machine_info(std::uint16_t machine) {
  for (const auto& row : kMachines)
    if (row.value == machine) return row;
  return std::nullopt;
}

std::string machine_name(std::uint16_t machine) {
  if (auto info = machine_info(machine)) return std::string(info->name);
  return fmt::format("{:#06x}", machine);
}

std::optional<ReadyToRunTarget> ready_to_run_target(std::uint16_t machine) {
  for (const auto& row : kReadyToRunOs) {
    const auto real = static_cast<std::uint16_t>(machine ^ row.value);
    auto info = machine_info(real);
    if (info && info->arch != Arch::unknown) return ReadyToRunTarget{real, row.os, row.name};
  }
  return std::nullopt;
}

std::string subsystem_name(std::uint16_t subsystem) {
  for (const auto& row : kSubsystems)
    if (row.value == subsystem) return std::string(row.name);
  return fmt::format("{}", subsystem);
}

std::string_view directory_name(std::size_t index) {
  return index < kDirectories.size() ? kDirectories[index] : std::string_view("?");
}

std::vector<std::string> flag_names(std::uint32_t value, std::span<const NamedValue> table) {
  std::vector<std::string> names;
  std::uint32_t unnamed = value;
  for (const auto& row : table) {
    if ((value & row.value) == 0) continue;
    names.emplace_back(row.name);
    unnamed &= ~row.value;
  }
  for (std::uint32_t bit = 1; bit != 0 && unnamed != 0; bit <<= 1)
    if ((unnamed & bit) != 0) {
      names.push_back(fmt::format("{:#x}", bit));
      unnamed &= ~bit;
    }
  return names;
}

std::vector<std::string> characteristics_names(std::uint16_t value) {
  return flag_names(value, kCharacteristics);
}

std::vector<std::string> dll_characteristics_names(std::uint16_t value) {
  return flag_names(value, kDllCharacteristics);
}

std::vector<std::string> section_flag_names(std::uint32_t value) {
  return flag_names(value & ~kSectionAlignMask, kSectionFlags);
}

std::vector<std::string> clr_flag_names(std::uint32_t value) {
  return flag_names(value, kClrFlags);
}

}  // namespace enoexec::pe

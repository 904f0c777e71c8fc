// PE/COFF specification tables: machine values, subsystems, characteristics, section flags and
// CLR flags, with the names the specification gives them (minus the IMAGE_* prefixes in flag
// lists). Sources: Microsoft "PE Format"; ECMA-335 II.25.3.3; dotnet/runtime pedecoder.h.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/platform.hpp"

namespace enoexec::pe {

struct NamedValue {
  std::uint32_t value;
  std::string_view name;
};

struct MachineInfo {
  std::uint16_t value;
  std::string_view name;  // "IMAGE_FILE_MACHINE_AMD64"
  Arch arch;
  std::string_view variant;  // OCI variant: "v7" for ARMNT
};

// Offsets and sizes of the fixed structures.
inline constexpr std::uint64_t kDosHeaderSize = 64;
inline constexpr std::uint64_t kLfanewOffset = 0x3c;
inline constexpr std::uint64_t kLfarlcOffset = 0x18;  // e_lfarlc: >= 0x40 announces a new header
inline constexpr std::uint64_t kCoffHeaderSize = 20;
inline constexpr std::uint64_t kSectionHeaderSize = 40;
inline constexpr std::uint64_t kOptionalHeaderFixed32 = 96;   // up to the data directories
inline constexpr std::uint64_t kOptionalHeaderFixed64 = 112;
inline constexpr std::uint32_t kMaxDataDirectories = 16;      // IMAGE_NUMBEROF_DIRECTORY_ENTRIES

inline constexpr std::uint16_t kMagicPe32 = 0x10b;
inline constexpr std::uint16_t kMagicPe32Plus = 0x20b;
inline constexpr std::uint16_t kMagicRom = 0x107;

inline constexpr std::uint16_t IMAGE_FILE_MACHINE_I386 = 0x014c;
inline constexpr std::uint16_t IMAGE_FILE_MACHINE_ARMNT = 0x01c4;
inline constexpr std::uint16_t IMAGE_FILE_MACHINE_IA64 = 0x0200;
inline constexpr std::uint16_t IMAGE_FILE_MACHINE_AMD64 = 0x8664;
inline constexpr std::uint16_t IMAGE_FILE_MACHINE_ARM64 = 0xaa64;
inline constexpr std::uint16_t IMAGE_FILE_MACHINE_ARM64EC = 0xa641;
inline constexpr std::uint16_t IMAGE_FILE_MACHINE_ARM64X = 0xa64e;
inline constexpr std::uint16_t IMAGE_FILE_MACHINE_CHPE_X86 = 0x3a64;

inline constexpr std::uint16_t IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
inline constexpr std::uint16_t IMAGE_FILE_DLL = 0x2000;

inline constexpr std::uint16_t IMAGE_SUBSYSTEM_NATIVE = 1;
inline constexpr std::uint16_t IMAGE_SUBSYSTEM_EFI_APPLICATION = 10;
inline constexpr std::uint16_t IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER = 11;
inline constexpr std::uint16_t IMAGE_SUBSYSTEM_EFI_RUNTIME_DRIVER = 12;
inline constexpr std::uint16_t IMAGE_SUBSYSTEM_EFI_ROM = 13;
inline constexpr std::uint16_t IMAGE_SUBSYSTEM_WINDOWS_BOOT_APPLICATION = 16;

// Data directory indexes.
inline constexpr std::size_t IMAGE_DIRECTORY_ENTRY_IMPORT = 1;
inline constexpr std::size_t IMAGE_DIRECTORY_ENTRY_SECURITY = 4;
inline constexpr std::size_t IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG = 10;
inline constexpr std::size_t IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT = 13;
inline constexpr std::size_t IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR = 14;

inline constexpr std::uint32_t COMIMAGE_FLAGS_ILONLY = 0x1;
inline constexpr std::uint32_t COMIMAGE_FLAGS_32BITREQUIRED = 0x2;
inline constexpr std::uint32_t COMIMAGE_FLAGS_32BITPREFERRED = 0x20000;

// The row for a COFF Machine value, or nullopt for values the specification does not define.
std::optional<MachineInfo> machine_info(std::uint16_t machine);
// "IMAGE_FILE_MACHINE_AMD64", or "0x1234" for unknown values.
std::string machine_name(std::uint16_t machine);
// .NET ReadyToRun images built for another OS store Machine XOR an OS value (pedecoder.h).
struct ReadyToRunTarget {
  std::uint16_t machine;  // the real machine
  Os os;
  std::string_view os_name;  // "linux"
};
std::optional<ReadyToRunTarget> ready_to_run_target(std::uint16_t machine);

std::string subsystem_name(std::uint16_t subsystem);  // "WINDOWS_CUI", or the number
std::string_view directory_name(std::size_t index);   // "IMPORT", "COM_DESCRIPTOR"

// Each set bit spelled with its table name; bits without a name as "0x..".
std::vector<std::string> flag_names(std::uint32_t value, std::span<const NamedValue> table);
std::vector<std::string> characteristics_names(std::uint16_t value);
std::vector<std::string> dll_characteristics_names(std::uint16_t value);
std::vector<std::string> section_flag_names(std::uint32_t value);
std::vector<std::string> clr_flag_names(std::uint32_t value);

}  // namespace enoexec::pe

// The CLR header (IMAGE_COR20_HEADER, ECMA-335 II.25.3.3) of .NET assemblies, its metadata root
// (II.24.2.1), and the load-config CHPE metadata pointer that marks Arm64EC / Arm64X images.
#include <algorithm>

#include <fmt/format.h>

#include "formats/pe/pe_constants.hpp"
#include "formats/pe/pe_file.hpp"

namespace enoexec::pe {
namespace {

constexpr std::uint64_t kCorHeaderFieldsRead = 20;      // cb .. Flags
constexpr std::uint32_t kMetadataSignature = 0x424a5342;  // "BSJB"
constexpr std::uint64_t kMaxVersionLength = 255;          // II.24.2.1: at most 255 bytes

// CHPEMetadataPointer in IMAGE_LOAD_CONFIG_DIRECTORY32 / 64.
constexpr std::uint64_t kChpePointer32 = 124;
constexpr std::uint64_t kChpePointer64 = 200;

std::uint32_t u32(ByteView bytes, std::uint64_t at) {
  return bytes.read<std::uint32_t>(at, Endian::little, "").value_or(0);
}

// The runtime version string of the metadata root ("v4.0.30319"), or nullopt with a warning.
std::optional<std::string> metadata_version(PeImage& image, std::uint32_t rva,
                                            std::uint64_t where) {
  auto root = image.at_rva(rva, "CLR metadata root", where);
  if (!root) {
    image.warn(root.error());
    return std::nullopt;
  }
  auto signature = root->read<std::uint32_t>(0, Endian::little, "CLR metadata root signature");
  if (!signature) {
    image.warn(signature.error());
    return std::nullopt;
  }
  if (*signature != kMetadataSignature) {
    image.warn(root->file_offset(),
               fmt::format("CLR metadata root signature {:#010x} is not \"BSJB\"", *signature));
    return std::nullopt;
  }
  auto length = root->read<std::uint32_t>(12, Endian::little, "CLR metadata version length");
  if (!length) {
    image.warn(length.error());
    return std::nullopt;
  }
  const ByteView text = root->clamp(16, std::min<std::uint64_t>(*length, kMaxVersionLength));
  const std::string_view chars = text.as_chars();
  return printable(chars.substr(0, std::min(chars.find('\0'), chars.size())));
}

void check_flag_combination(PeImage& image, std::uint32_t flags, std::uint64_t where) {
  if ((flags & COMIMAGE_FLAGS_32BITPREFERRED) != 0 && (flags & COMIMAGE_FLAGS_32BITREQUIRED) == 0)
    image.warn(where, "CLR flags: 32BITPREFERRED without 32BITREQUIRED is not a valid "
                      "combination");
}

}  // namespace

std::string clr_runs_as(std::uint16_t machine, bool pe32_plus, std::uint32_t flags) {
  const bool il_only = (flags & COMIMAGE_FLAGS_ILONLY) != 0;
  const bool required = (flags & COMIMAGE_FLAGS_32BITREQUIRED) != 0;
  const bool preferred = (flags & COMIMAGE_FLAGS_32BITPREFERRED) != 0;
  if (machine == IMAGE_FILE_MACHINE_I386 && !pe32_plus) {
    // Mixed-mode (not ILONLY) assemblies carry x86 code, whatever the flags say.
    if (!il_only) return "x86 only";
    if (preferred) return required ? "AnyCPU (32-bit preferred)" : "";
    return required ? "x86 only" : "AnyCPU";
  }
  switch (machine) {
    case IMAGE_FILE_MACHINE_AMD64: return "x64 only";
    case IMAGE_FILE_MACHINE_ARM64: return "ARM64 only";
    case IMAGE_FILE_MACHINE_ARMNT: return "ARM only";
    case IMAGE_FILE_MACHINE_IA64: return "IA64 only";
    case IMAGE_FILE_MACHINE_I386: return "x86 only";
    default: break;
  }
  if (auto target = ready_to_run_target(machine))
    return fmt::format("{} (ReadyToRun for {})", clr_runs_as(target->machine, pe32_plus, flags),
                       target->os_name);
  return fmt::format("{} only", machine_name(machine));
}

void read_clr(PeImage& image) {
  const auto& dir = image.directories[IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR];
  if (dir.rva == 0) return;
  const std::uint64_t where = image.directory_offset(IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR);
  auto header = image.at_rva(dir.rva, "CLR header", where)
                    .and_then([](ByteView bytes) {
                      return bytes.sub(0, kCorHeaderFieldsRead, "CLR header");
                    });
  if (!header) {
    image.warn(header.error());
    return;
  }
  PeClr clr;
  clr.major_runtime_version = header->read<std::uint16_t>(4, Endian::little, "").value_or(0);
  clr.minor_runtime_version = header->read<std::uint16_t>(6, Endian::little, "").value_or(0);
  clr.flags = u32(*header, 16);
  clr.flag_names = clr_flag_names(clr.flags);
  check_flag_combination(image, clr.flags, header->file_offset() + 16);
  if (const std::uint32_t metadata_rva = u32(*header, 8); metadata_rva != 0)
    clr.runtime_version = metadata_version(image, metadata_rva, header->file_offset() + 8);
  if (!machine_info(image.machine))
    if (auto target = ready_to_run_target(image.machine)) clr.ready_to_run_os = target->os_name;
  clr.runs_as = clr_runs_as(image.machine, image.pe32_plus, clr.flags);
  image.details.clr = std::move(clr);
}

void read_hybrid(PeImage& image) {
  const std::uint16_t machine = image.machine;
  if (machine != IMAGE_FILE_MACHINE_AMD64 && machine != IMAGE_FILE_MACHINE_ARM64 &&
      machine != IMAGE_FILE_MACHINE_I386)
    return;
  const auto& dir = image.directories[IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG];
  if (dir.rva == 0) return;
  auto config = image.at_rva(dir.rva, "load config directory",
                             image.directory_offset(IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG));
  if (!config) {
    image.warn(config.error());
    return;
  }
  // The structure grew over the years; its own Size says which fields exist.
  const std::uint64_t field = image.pe32_plus ? kChpePointer64 : kChpePointer32;
  const std::uint64_t width = image.pe32_plus ? 8 : 4;
  if (u32(*config, 0) < field + width || !config->contains(field, width)) return;
  const std::uint64_t pointer = image.pe32_plus
      ? config->read<std::uint64_t>(field, Endian::little, "").value_or(0)
      : u32(*config, field);
  if (pointer == 0) return;
  image.details.hybrid = machine == IMAGE_FILE_MACHINE_AMD64   ? "ARM64EC"
                         : machine == IMAGE_FILE_MACHINE_ARM64 ? "ARM64X"
                                                               : "CHPE_X86";
}

}  // namespace enoexec::pe

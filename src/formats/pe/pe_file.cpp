// From a parsed PE image to the format-neutral report (decisions: see pe_file.hpp).
#include "formats/pe/pe_file.hpp"

#include <cctype>

#include <fmt/format.h>

#include "formats/pe/pe_constants.hpp"

namespace enoexec::pe {
namespace {

bool is_efi(std::uint16_t subsystem) {
  return subsystem >= IMAGE_SUBSYSTEM_EFI_APPLICATION && subsystem <= IMAGE_SUBSYSTEM_EFI_ROM;
}

std::string image_type(const PeDetails& d) {
  switch (d.subsystem) {
    case IMAGE_SUBSYSTEM_EFI_APPLICATION: return "efi-application";
    case IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER: return "efi-boot-service-driver";
    case IMAGE_SUBSYSTEM_EFI_RUNTIME_DRIVER: return "efi-runtime-driver";
    case IMAGE_SUBSYSTEM_EFI_ROM: return "efi-rom";
    case IMAGE_SUBSYSTEM_NATIVE: return "native";
    case IMAGE_SUBSYSTEM_WINDOWS_BOOT_APPLICATION: return "boot-application";
    default: break;
  }
  return (d.characteristics & IMAGE_FILE_DLL) != 0 ? "shared-library" : "executable";
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The C runtime named by the imports: the Universal CRT (MSVC 2015+, UCRT MinGW) or the old
// system msvcrt.dll (MinGW's default).
void set_libc(const PeDetails& d, FileReport& report) {
  Platform& platform = *report.platform;
  if (platform.os == Os::uefi) {
    platform.libc = Libc::none;
    report.evidence.push_back({"libc", "none", "EFI subsystem: firmware services, no C runtime"});
    return;
  }
  const PeImport* msvcrt = nullptr;
  for (const auto& import : d.imports) {
    const std::string name = lower(import.dll);
    if (name == "ucrtbase.dll" || name.starts_with("api-ms-win-crt-")) {
      platform.libc = Libc::ucrt;
      report.evidence.push_back({"libc", "ucrt", fmt::format("imports {}", import.dll)});
      return;
    }
    if (name == "msvcrt.dll" && msvcrt == nullptr) msvcrt = &import;
  }
  if (msvcrt == nullptr) return;
  platform.libc = Libc::msvcrt;
  report.evidence.push_back({"libc", "msvcrt", fmt::format("imports {}", msvcrt->dll)});
}

// The machine the report names: Arm64EC / Arm64X images carry AMD64 / ARM64 in the header.
std::uint16_t effective_machine(const PeDetails& d) {
  if (d.hybrid == "ARM64EC") return IMAGE_FILE_MACHINE_ARM64EC;
  if (d.hybrid == "ARM64X") return IMAGE_FILE_MACHINE_ARM64X;
  return d.machine;
}

void set_platform(const PeImage& image, FileReport& report) {
  const PeDetails& d = image.details;
  Platform platform;
  platform.bits = image.pe32_plus ? 64 : 32;
  platform.endian = Endian::little;
  const std::string subsystem = fmt::format("Subsystem {} ({})", d.subsystem_name, d.subsystem);
  platform.os = is_efi(d.subsystem) ? Os::uefi : Os::windows;
  std::uint16_t machine = effective_machine(d);
  std::string machine_source = fmt::format("COFF Machine {} ({:#06x})", machine_name(d.machine),
                                           d.machine);
  if (machine != d.machine)
    machine_source += fmt::format(" with CHPE metadata in the load config: {}", d.hybrid);
  if (d.clr && d.clr->ready_to_run_os) {
    if (auto target = ready_to_run_target(d.machine)) {
      machine = target->machine;
      platform.os = target->os;
      machine_source += fmt::format(": .NET ReadyToRun {} for {}", machine_name(machine),
                                    target->os_name);
    }
  }
  const auto info = machine_info(machine);
  if (info) {
    platform.arch = info->arch;
    platform.variant = std::string(info->variant);
  }
  report.machine = machine_name(machine);
  report.platform = platform;
  report.evidence.push_back({"os", std::string(to_string(platform.os)),
                             d.clr && d.clr->ready_to_run_os ? machine_source : subsystem});
  if (platform.arch != Arch::unknown)
    report.evidence.push_back({"arch", std::string(to_string(platform.arch)), machine_source});
  if (d.clr)
    report.evidence.push_back({"clr", d.clr->runs_as,
                               fmt::format("CLR flags {:#x} on a {} image", d.clr->flags,
                                           d.magic)});
}

void describe(PeImage& image, FileReport& report) {
  const PeDetails& d = image.details;
  report.format = Format::pe;
  report.bits = image.pe32_plus ? 64 : 32;
  report.endian = Endian::little;
  report.type = image_type(d);
  set_platform(image, report);
  set_libc(d, report);
  report.interpreter = std::nullopt;
  std::vector<std::string> needed;
  needed.reserve(d.imports.size());
  for (const auto& import : d.imports) needed.push_back(import.dll);
  report.linkage = needed.empty() ? Linkage::static_exe : Linkage::dynamic;
  report.needed = std::move(needed);
  if (image.truncated) report.kind = "truncated";
  report.warnings.insert(report.warnings.end(), image.warnings.begin(), image.warnings.end());
  if (image.warnings_dropped > 0)
    report.warnings.push_back(fmt::format("{} more warnings not shown", image.warnings_dropped));
  report.pe = std::move(image.details);
}

}  // namespace

void inspect(ByteView file, FileReport& report, const Limits& limits) {
  auto dos = read_dos_header(file);
  if (!dos) {
    report.format = Format::pe;
    report.error = to_string(dos.error());
    return;
  }
  if (!dos->kind.empty()) {
    report.format = Format::unknown;
    report.kind = std::string(dos->kind);
    return;
  }
  report.format = Format::pe;
  auto image = parse_headers(file, dos->pe_offset, report, limits);
  if (!image) {
    report.error = to_string(image.error());
    return;
  }
  read_imports(*image);
  read_delay_imports(*image);
  read_clr(*image);
  read_hybrid(*image);
  describe(*image, report);
}

}  // namespace enoexec::pe

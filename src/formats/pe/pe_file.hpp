// formats/pe: reads DOS/PE/COFF images and fills the format-neutral report.
//
// Decisions (documented here because the JSON shows them):
// - "MZ" without a PE header is a DOS program: format "unknown", kind "dos-executable" (or
//   "ne-executable" / "le-executable" / "lx-executable" when e_lfanew leads to one of those). It is
//   an error (format "pe") only when the DOS header announces a new-style header (e_lfarlc >= 0x40,
//   as every PE linker writes) and e_lfanew does not lead to one, or when the 64-byte DOS header is
//   cut short. Every later failure is also format "pe" with report.error.
// - type: EFI subsystems give "efi-application", "efi-boot-service-driver", "efi-runtime-driver",
//   "efi-rom"; NATIVE gives "native" (drivers, smss.exe); WINDOWS_BOOT_APPLICATION gives
//   "boot-application"; otherwise IMAGE_FILE_DLL gives "shared-library", else "executable".
// - platform os: "uefi" for the EFI subsystems, else "windows" (ReadyToRun .NET images built for
//   another OS name that OS). arch follows the COFF Machine, also for .NET AnyCPU assemblies
//   (their header says I386: platform windows/386); what the runtime really does is pe.clr.runs_as.
//   Arm64EC images (AMD64 machine + CHPE metadata) are reported as machine ARM64EC, arch arm64.
// - linkage: "dynamic" when the import directory names a DLL, else "static"; interpreter null.
// - libc: ucrt (ucrtbase.dll or api-ms-win-crt-*), msvcrt (msvcrt.dll), none for EFI images.
// - Headers are read as the Windows loader reads them (Microsoft "PE Format"; the loader's
//   leniency from public analyses: Sotirov's "Tiny PE", corkami's PE notes, Ferrie's pehdr):
//   MZ, "PE\0\0" at e_lfanew and an optional-header Magic of 0x10b or 0x20b make an image,
//   however folded its headers (e_lfanew 4 puts the PE header inside the DOS header). The
//   optional header's fields and data directories are read at their fixed place whatever
//   SizeOfOptionalHeader says (it only locates the section table, which may then overlap them;
//   0 is allowed), and past the end of a short file they read as zeros, as in the loader's
//   mapping of the header page. NumberOfSections may be 0.
// - "truncated" (kind, plus a warning saying what) only when the file ends before what the
//   loader must map from it: the section table, or a section's raw data. A file that ends
//   before the optional header's Magic is an error (nothing says what it is).
// - Every section is read (up to the "sections" limit), the first "listed sections" are listed
//   in details.sections and the rest counted in details.sections_not_listed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "enoexec/limits.hpp"
#include "enoexec/report.hpp"
#include "support/byte_view.hpp"

namespace enoexec::pe {

// Safety limits for lists whose length only the file states. Imported DLLs are the "needed
// libraries" limit (PeImage::limits, enoexec/limits.hpp); this is its default.
inline constexpr std::size_t kMaxImportedDlls = Limits{}.needed_libraries;
inline constexpr std::size_t kMaxImportsPerDll = 65536;
inline constexpr std::uint64_t kMaxDllNameLength = 260;  // MAX_PATH
inline constexpr std::size_t kMaxPeWarnings = 100;  // as ELF's kMaxWarnings

struct DataDirectory {
  std::uint32_t rva = 0, size = 0;
};

// The headers, and what the directory readers need to find bytes by RVA.
struct PeImage {
  ByteView file;
  std::uint64_t pe_offset = 0;  // e_lfanew
  bool pe32_plus = false;
  std::uint16_t machine = 0;
  std::uint64_t image_base = 0;
  std::uint32_t size_of_headers = 0;
  std::array<DataDirectory, 16> directories{};  // entries past NumberOfRvaAndSizes stay zero
  std::uint64_t directories_offset = 0;         // file offset of data directory 0
  PeDetails details;
  // Every section read, compactly (details.sections lists only the first "listed sections").
  struct Section {
    std::uint32_t vaddr = 0, vsize = 0, raw_offset = 0, raw_size = 0, characteristics = 0;
    std::uint64_t header_offset = 0;  // file offset of its section header
  };
  std::vector<Section> table;
  ByteView strings;                       // the COFF string table, for long section names
  std::vector<std::uint32_t> by_address;  // indexes into table, by VirtualAddress
  bool truncated = false;  // the section table or some section's raw data runs past the end
  // A hostile image can earn a warning per descriptor: past kMaxPeWarnings they are counted.
  std::vector<std::string> warnings;
  std::size_t warnings_dropped = 0;
  Limits limits;  // sections, listed sections, needed libraries

  // The name of table[index] as printed: long names resolved, bytes made printable.
  std::string section_name(std::size_t index) const;

  // The file bytes from `rva` to the end of the raw data of the section holding it (or of the
  // headers). Fails when the RVA lies in no section or in a part with no bytes in the file;
  // `where` is the file offset of the field that holds the RVA, for the error.
  Result<ByteView> at_rva(std::uint64_t rva, std::string_view what, std::uint64_t where) const;
  void warn(std::uint64_t offset, std::string_view text);
  void warn(const Error& error);
  bool warnings_full() const { return warnings.size() >= kMaxPeWarnings; }
  // warn(offset, make_text()), the text made only when it will be kept.
  template <class MakeText>
  void warn_with(std::uint64_t offset, MakeText make_text) {
    if (warnings_full()) ++warnings_dropped;
    else warn(offset, make_text());
  }
  // File offset of data directory `index`, for error messages.
  std::uint64_t directory_offset(std::size_t index) const { return directories_offset + 8 * index; }
};

struct DosHeader {
  std::uint64_t pe_offset = 0;  // e_lfanew, when it leads to a PE signature
  std::string_view kind;        // "dos-executable", "ne-executable", ...; "" for a PE image
};
// Reads the DOS header and decides whether a PE image follows.
Result<DosHeader> read_dos_header(ByteView file);

// Reads the DOS, COFF and optional headers and the section table. Fails when any of them cannot
// be read or contradicts itself; `report` gets whatever was learnt before the failure.
Result<PeImage> parse_headers(ByteView file, std::uint64_t pe_offset, FileReport& report,
                              const Limits& limits = {});

// Directory readers (pe_imports.cpp, pe_clr.cpp): fill image.details, add image.warnings.
void read_imports(PeImage& image);
void read_delay_imports(PeImage& image);
void read_clr(PeImage& image);
void read_hybrid(PeImage& image);  // load config: Arm64EC / Arm64X / CHPE metadata

// How far a section reaches in memory (VirtualSize, or SizeOfRawData when that is zero).
std::uint64_t section_extent(const PeSection& section);
std::uint64_t section_extent(const PeImage::Section& section);

// Bytes from the file as JSON-safe text: printable ASCII kept, anything else as \xNN.
std::string printable(std::string_view bytes);

// "AnyCPU", "x86 only", ... from the machine, PE magic and CLR flags.
std::string clr_runs_as(std::uint16_t machine, bool pe32_plus, std::uint32_t flags);

// Fills `report` from `file`; problems become report.error (nothing usable) or warnings.
void inspect(ByteView file, FileReport& report, const Limits& limits = {});

}  // namespace enoexec::pe

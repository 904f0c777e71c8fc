// Facts read from a PE/COFF image. Filled in by formats/pe; numbers are raw header values, the
// `*_names` vectors spell their bits with the specification's names minus the common prefix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace enoexec {

struct PeSection {
  std::string name;  // ".text"; long names ("/4") are left as the COFF string-table reference
  std::uint32_t vaddr = 0, vsize = 0, raw_offset = 0, raw_size = 0;
  std::uint32_t characteristics = 0;
  std::vector<std::string> flags;  // "CNT_CODE", "MEM_EXECUTE", "MEM_READ", ...
};

struct PeImport {
  std::string dll;              // as written in the file: "KERNEL32.dll"
  std::uint32_t functions = 0;  // entries in its import lookup table
};

struct PeDataDirectory {
  std::string name;  // "IMPORT", "COM_DESCRIPTOR", ...
  std::uint32_t rva = 0, size = 0;
};

// IMAGE_COR20_HEADER: the image is a .NET assembly.
struct PeClr {
  std::uint16_t major_runtime_version = 0, minor_runtime_version = 0;  // "2.5"
  std::optional<std::string> runtime_version;  // metadata root: "v4.0.30319"
  std::uint32_t flags = 0;
  std::vector<std::string> flag_names;  // "ILONLY", "32BITREQUIRED", "32BITPREFERRED", ...
  // What the runtime can run it as: "AnyCPU", "AnyCPU (32-bit preferred)", "x86 only",
  // "x64 only", "ARM64 only", ... ("" when the flags contradict each other).
  std::string runs_as;
  // ReadyToRun images for other systems XOR the machine with an OS value: "linux", "darwin", ...
  std::optional<std::string> ready_to_run_os;
};

struct PeDetails {
  std::uint16_t machine = 0;   // COFF header Machine, raw
  std::string magic;           // "PE32", "PE32+"
  std::uint16_t subsystem = 0;
  std::string subsystem_name;  // "WINDOWS_CUI", "WINDOWS_GUI", "EFI_APPLICATION", ...
  std::string subsystem_version;  // MajorSubsystemVersion.Minor: the oldest Windows that loads it
  std::string os_version;         // MajorOperatingSystemVersion.Minor
  std::string linker_version;     // MajorLinkerVersion.Minor
  std::uint64_t image_base = 0;
  std::uint32_t entry_rva = 0;
  std::uint32_t size_of_image = 0;
  std::uint16_t characteristics = 0;
  std::vector<std::string> characteristics_names;  // "EXECUTABLE_IMAGE", "DLL", ...
  std::uint16_t dll_characteristics = 0;
  std::vector<std::string> dll_characteristics_names;  // "DYNAMIC_BASE", "NX_COMPAT", "GUARD_CF"
  std::uint32_t timestamp = 0;  // TimeDateStamp (often a hash in reproducible builds)
  // Arm64EC / Arm64X / CHPE x86 images keep the plain machine value; the load-config directory's
  // CHPE metadata pointer marks them. "ARM64EC", "ARM64X", "CHPE_X86" or "".
  std::string hybrid;

  std::uint32_t number_of_rva_and_sizes = 0;   // as written (may exceed the 16 read)
  std::vector<PeDataDirectory> data_directories;  // non-empty entries only
  std::vector<PeSection> sections;  // the first "listed sections" (enoexec/limits.hpp) of them
  std::uint64_t sections_not_listed = 0;  // sections read but left out of `sections`
  // The file ends inside the optional header (with its data directories): only a loader that
  // zero-fills the rest reads it, as Windows XP did (the 97-byte "tiny PE").
  bool optional_header_cut = false;
  // The first part the loader maps that the file lacks, in words ("section .text raw data [0x400,
  // 0x600) runs past the end of the file (768 bytes)"); empty when the file holds all of it. A
  // cut certificate table is not mapped and not named here.
  std::string mapped_part_cut;
  std::vector<PeImport> imports;
  std::vector<PeImport> delay_imports;
  std::optional<PeClr> clr;
};

}  // namespace enoexec

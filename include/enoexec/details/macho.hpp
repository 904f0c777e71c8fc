// Facts read from a Mach-O file (one slice). Filled in by formats/macho.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace enoexec {

struct MachoSegment {
  std::string name;  // "__TEXT"
  std::uint64_t vmaddr = 0, vmsize = 0, fileoff = 0, filesize = 0;
  std::uint32_t maxprot = 0, initprot = 0, nsects = 0, flags = 0;
};

// One LC_LOAD_DYLIB / LC_LOAD_WEAK_DYLIB / LC_REEXPORT_DYLIB / LC_LAZY_LOAD_DYLIB /
// LC_LOAD_UPWARD_DYLIB (or LC_ID_DYLIB for the file's own install name).
struct MachoDylib {
  std::string name;                   // install name: "/usr/lib/libSystem.B.dylib"
  std::string command;                // "LC_LOAD_DYLIB", "LC_LOAD_WEAK_DYLIB", ...
  std::string current_version;        // "1311.0.0"
  std::string compatibility_version;  // "1.0.0"
};

// One LC_BUILD_VERSION or LC_VERSION_MIN_* command.
struct MachoBuildVersion {
  std::string command;   // "LC_BUILD_VERSION", "LC_VERSION_MIN_MACOSX", ...
  std::uint32_t platform_id = 0;  // PLATFORM_* (LC_VERSION_MIN_*: the platform it implies)
  std::string platform;  // "macos", "ios", "ios-simulator", "maccatalyst", "tvos", "watchos", "visionos", ...
  std::string minos;     // "11.0", "10.13.2"
  std::string sdk;       // "14.0"; "" when the command says 0 (n/a)
  std::vector<std::string> tools;  // LC_BUILD_VERSION build tools: "ld 907", "clang 1500.0.40"
};

// The embedded code signature (LC_CODE_SIGNATURE → SuperBlob → CodeDirectory).
struct MachoCodeSignature {
  bool is_signed = false;      // a CodeDirectory was found and read
  bool adhoc = false;          // CS_ADHOC: no certificate
  bool linker_signed = false;  // CS_LINKER_SIGNED: written by ld, not by codesign
  bool runtime = false;        // CS_RUNTIME: hardened runtime
  bool has_cms = false;        // a non-empty CMS signature blob (certificate-based signature)
  bool has_entitlements = false;
  std::optional<std::string> identifier;  // "a.out", "com.example.tool"
  std::optional<std::string> team_id;     // "ABCDE12345"
  std::string hash_type;                  // strongest CodeDirectory hash: "sha1", "sha256", ...
  std::vector<std::string> hash_types;    // every CodeDirectory's hash type, in slot order
  std::string cd_version;                 // "0x20400"
  std::uint32_t cd_flags = 0;
  std::vector<std::string> flags;         // "CS_ADHOC", "CS_LINKER_SIGNED", ...
  std::optional<std::string> runtime_version;  // CodeDirectory v0x20500+ runtime: "14.0"
  std::uint32_t dataoff = 0, datasize = 0;      // LC_CODE_SIGNATURE, slice-relative
};

struct MachoDetails {
  std::uint32_t cputype = 0, cpusubtype = 0;  // raw, cpusubtype with its capability bits
  std::string cpusubtype_name;                // "CPU_SUBTYPE_ARM64E", "CPU_SUBTYPE_X86_64_H"
  std::string arch_name;                      // lipo/ld name: "arm64e", "x86_64h", "armv7k"
  bool ptrauth_abi = false;                   // arm64e: CPU_SUBTYPE_PTRAUTH_ABI set
  std::optional<int> ptrauth_abi_version;     // arm64e: bits 24-27 of cpusubtype
  std::uint32_t filetype = 0;
  std::string filetype_name;                  // "MH_EXECUTE"
  std::uint32_t flags = 0;
  std::vector<std::string> flag_names;        // "MH_DYLDLINK", "MH_PIE", ...
  std::uint32_t ncmds = 0, sizeofcmds = 0;
  std::vector<std::string> load_commands;     // command names in file order

  std::string platform;                       // from the first build-version command: "macos"
  std::string minos, sdk;
  std::vector<MachoBuildVersion> build_versions;  // every platform command (zippered: several)

  std::optional<std::uint64_t> entry;         // LC_MAIN entryoff, or the thread state's pc
  std::string entry_source;                   // "LC_MAIN entryoff", "LC_UNIXTHREAD pc"
  std::optional<std::string> dylinker;        // LC_LOAD_DYLINKER
  std::optional<std::string> install_name;    // LC_ID_DYLIB
  std::vector<MachoDylib> dylibs;             // every dylib load command, in order
  std::vector<std::string> weak_dylibs, reexported_dylibs;
  std::vector<std::string> rpaths;
  std::optional<std::string> uuid;            // "0f3e...-..." upper-case, 8-4-4-4-12
  bool encrypted = false;                     // LC_ENCRYPTION_INFO(_64) with cryptid != 0
  std::vector<MachoSegment> segments;
  MachoCodeSignature code_signature;

  // Slices of a universal binary only: where the fat header put this slice.
  std::optional<std::uint64_t> fat_offset, fat_size;
};

}  // namespace enoexec

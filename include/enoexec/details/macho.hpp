// Facts read from a Mach-O file (one slice). Filled in by formats/macho.
#pragma once

#include <cstddef>
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

// What a signature check looked at when it failed.
enum class SignatureCheck {
  page,          // a code page's hash does not match the CodeDirectory's
  special_slot,  // a special slot's hash does not match the blob it names (or the blob is missing)
  structure,     // the signature itself is cut, out of bounds or self-contradictory
};

// One failed check, as the kernel would meet it.
struct MachoSignatureProblem {
  SignatureCheck check = SignatureCheck::structure;
  std::optional<std::string> code_directory;  // its hash type: "sha256"; nullopt: the SuperBlob
  std::optional<std::size_t> directory;       // index into code_directories; nullopt: SuperBlob
  std::optional<std::uint64_t> page;          // page index (check == page)
  std::optional<std::uint64_t> offset;        // absolute file offset of that page, or of the fault
  std::optional<std::uint32_t> slot;          // special slot number (check == special_slot)
  std::string message;                        // one line: what failed and why it matters
};

// One CodeDirectory and what recomputing its hashes found.
struct MachoCodeDirectory {
  std::uint32_t slot = 0;           // SuperBlob slot: 0, or 0x1000.. for alternates
  std::uint8_t hash_type_id = 0;    // CS_HASHTYPE_*: 1 SHA-1, 2 SHA-256, 3 SHA-256/20, 4 SHA-384
  std::string hash_type;            // "sha256"
  std::uint64_t page_size = 0;      // 1 << pageSize
  std::uint64_t code_limit = 0;     // codeLimit64 when set, else codeLimit
  std::uint32_t pages = 0;          // nCodeSlots
  std::uint32_t special_slots = 0;  // nSpecialSlots
  std::uint64_t bad_pages = 0;      // pages whose hash does not match
  // Pages and checkable special slots all match and the structure is sound; nullopt when the
  // pages could not all be checked (a limit, a scatter vector).
  std::optional<bool> valid;
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

  // Verification (codesign_verify.cpp): every CodeDirectory's page hashes and the special slots
  // that can be checked from the file alone, recomputed. nullopt: no LC_CODE_SIGNATURE at all;
  // false: any check failed, or the signature could not be read; true: every check passed.
  std::optional<bool> valid;
  // What xnu itself checks (bsd/kern/ubc_subr.c): the SuperBlob and every CodeDirectory's
  // structure, then the pages and special slots of the strongest CodeDirectory only. It differs
  // from `valid` when only a weaker (SHA-1) directory is stale.
  std::optional<bool> kernel_valid;
  // CS_HARD, CS_KILL or CS_RUNTIME (hardened runtime): the program asks the kernel to kill it
  // when a page does not match, even where the system does not insist (Intel Macs).
  bool enforced = false;
  // The file ends before what its signature covers (LC_CODE_SIGNATURE's data, or codeLimit):
  // cut by an interrupted download or copy, not changed after signing.
  bool truncated = false;
  std::vector<MachoSignatureProblem> invalid;        // what failed (at most 8 pages per directory)
  std::vector<MachoCodeDirectory> code_directories;  // SuperBlob order
  std::vector<std::string> unchecked;  // slots that need files outside this one: "info-plist", ...
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

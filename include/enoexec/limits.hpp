// Named safety limits: the most work or memory one hostile file can make enoexec spend. Every
// count, size or depth that only the file states is checked against one of these before it is
// trusted. A hit never fails the whole run: the file's report carries a warning (or, when nothing
// useful is left, its error) that starts with exactly "limit exceeded: NAME", NAME as below and
// in docs/limits.md, followed by what was found and what was read instead.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "enoexec/error.hpp"
#include "enoexec/kernel.hpp"

namespace enoexec {

struct Limits {
  // "identify bytes": bytes of a file's head (and tail) looked at to tell an unknown file's kind
  // (archive, HTML error page, Git LFS pointer, text); a window, so reaching it is not an error.
  std::uint64_t identify_bytes = 4096;
  // "program headers": ELF program header entries read.
  std::uint64_t program_headers = 65536;
  // "sections": ELF section headers, PE section headers, Mach-O sections per segment.
  std::uint64_t sections = 1u << 20;
  // "notes": ELF notes read per PT_NOTE segment or SHT_NOTE section.
  std::uint64_t notes = 4096;
  // "dynamic entries": ELF Elf_Dyn records read from PT_DYNAMIC.
  std::uint64_t dynamic_entries = 65536;
  // "needed libraries": DT_NEEDED entries, Mach-O dylib load commands, PE imported DLLs.
  std::uint64_t needed_libraries = 1024;
  // "string bytes": bytes of names copied out of an ELF dynamic string table per file (DT_NEEDED,
  // DT_SONAME, DT_RPATH, DT_RUNPATH, version names). Entries may all point at one long string,
  // so without it a 56 KiB file could print 40 MiB of library names. Section names may take
  // this much beyond the size of their own name table.
  std::uint64_t string_bytes = 1u << 20;
  // "load commands": Mach-O load commands walked (ncmds).
  std::uint64_t load_commands = 65536;
  // "universal slices": architectures of a universal (fat) Mach-O file (nfat_arch).
  std::uint64_t universal_slices = 64;
  // "shebang bytes": the head of a script the kernel reads for its #! line. Fixed at the
  // kernel's BINPRM_BUF_SIZE: any other buffer would read another line than the kernel does, so
  // set_limit refuses other values (docs/limits.md).
  std::uint64_t shebang_bytes = kernel::BINPRM_BUF_SIZE;
  // "interpreter depth": interpreter rewrites (#! or binfmt_misc) the execve model follows. The
  // kernel's own 5 (then ELOOP) decides the verdict; a lower setting makes a deeper chain's
  // answer "limit exceeded", never another verdict. At most the kernel's value.
  std::uint64_t interpreter_depth = kernel::MAX_INTERPRETER_DEPTH;
  // "symlink hops": symbolic links followed to resolve one path. The kernel's MAXSYMLINKS (40)
  // decides ELOOP; a lower setting bounds the chains enoexec follows itself. At most the kernel's.
  std::uint64_t symlink_hops = kernel::MAXSYMLINKS;
  // "json bytes" and "json depth": a JSON document read from an untrusted source (a --host-file;
  // later image manifests and configs) and its nesting.
  std::uint64_t json_bytes = 16u << 20;
  std::uint64_t json_depth = 64;
  // "decompressed bytes": output of one decompression: an image layer (streamed, never held
  // whole), so sized for real layers (CUDA and ML images carry layers of several GiB).
  std::uint64_t decompressed_bytes = std::uint64_t{16} << 30;
  // "image bytes": decompressed bytes of all layers of one image entry together, and the bytes
  // an archive read from a pipe may spool to the private temporary folder.
  std::uint64_t image_bytes = std::uint64_t{64} << 30;
  // "compression ratio": decompressed bytes per compressed byte of a layer, checked once a layer
  // has produced 64 MiB (gzip cannot pass 1032:1; zstd can, and its bombs can).
  std::uint64_t compression_ratio = 2048;
  // "layer entries": tar members of one layer, and entries of an image's flattened root. Real
  // layers stay well below (a node_modules-heavy layer holds a few hundred thousand files).
  std::uint64_t layer_entries = std::uint64_t{1} << 19;
  // "path bytes": one member path of a layer or an image archive (the kernel's PATH_MAX).
  std::uint64_t path_bytes = 4096;
  // "layers": layers of one image entry (overlayfs stacks at most 500 lower layers; Docker
  // refuses more than 125 for years).
  std::uint64_t layers = 512;
  // "platforms": manifests of an image's indexes together, nested ones included.
  std::uint64_t platforms = 1024;
  // "signature bytes": bytes hashed to verify a file's Mach-O code signatures, all slices and
  // CodeDirectories together. Each directory hashes at most its slice, but a universal file's
  // slices may overlap; past the limit the rest is left unchecked (valid: null), not guessed.
  std::uint64_t signature_bytes = std::uint64_t{1} << 30;
  // "listed sections": PE sections listed in a file's report (all are read, up to "sections");
  // the rest are counted (pe.sections_not_listed), so 65,535 sections print a small report.
  std::uint64_t listed_sections = 1024;
};

// One row of the limit table: the name in messages and docs, the CLI spelling, the field.
struct LimitName {
  std::string_view name;     // "program headers"
  std::string_view option;   // "program-headers", for --limit program-headers=100
  std::uint64_t Limits::*field;
};

inline constexpr std::array<LimitName, 23> kLimitNames{{
    {"identify bytes", "identify-bytes", &Limits::identify_bytes},
    {"program headers", "program-headers", &Limits::program_headers},
    {"sections", "sections", &Limits::sections},
    {"notes", "notes", &Limits::notes},
    {"dynamic entries", "dynamic-entries", &Limits::dynamic_entries},
    {"needed libraries", "needed-libraries", &Limits::needed_libraries},
    {"string bytes", "string-bytes", &Limits::string_bytes},
    {"load commands", "load-commands", &Limits::load_commands},
    {"universal slices", "universal-slices", &Limits::universal_slices},
    {"shebang bytes", "shebang-bytes", &Limits::shebang_bytes},
    {"interpreter depth", "interpreter-depth", &Limits::interpreter_depth},
    {"symlink hops", "symlink-hops", &Limits::symlink_hops},
    {"json bytes", "json-bytes", &Limits::json_bytes},
    {"json depth", "json-depth", &Limits::json_depth},
    {"decompressed bytes", "decompressed-bytes", &Limits::decompressed_bytes},
    {"image bytes", "image-bytes", &Limits::image_bytes},
    {"compression ratio", "compression-ratio", &Limits::compression_ratio},
    {"layer entries", "layer-entries", &Limits::layer_entries},
    {"path bytes", "path-bytes", &Limits::path_bytes},
    {"layers", "layers", &Limits::layers},
    {"platforms", "platforms", &Limits::platforms},
    {"signature bytes", "signature-bytes", &Limits::signature_bytes},
    {"listed sections", "listed-sections", &Limits::listed_sections},
}};

// Applies one "NAME=VALUE" (CLI: --limit NAME=VALUE, repeatable). NAME is the option spelling
// ("program-headers") or the message spelling ("program headers"); VALUE is a decimal count,
// at least 1, optionally with a K, M or G suffix (binary multiples). A limit that stands for a
// kernel number takes no more than it (interpreter depth 5, symlink hops 40), and shebang bytes
// only the kernel's 256. Fails with a message that lists the valid names or values.
Result<void> set_limit(Limits& limits, std::string_view name_eq_value);

// "limit exceeded: NAME: DETAILS": the one spelling every reader uses for a hit.
std::string limit_exceeded(std::string_view name, std::string_view details);

}  // namespace enoexec

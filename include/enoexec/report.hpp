// The format-neutral report for one file: what `inspect` prints, what verdicts are computed from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "enoexec/details/elf.hpp"
#include "enoexec/details/go.hpp"
#include "enoexec/details/macho.hpp"
#include "enoexec/details/pe.hpp"
#include "enoexec/details/script.hpp"
#include "enoexec/details/toolchain.hpp"
#include "enoexec/platform.hpp"

namespace enoexec {

enum class Format { unknown, elf, macho, macho_fat, pe, script };
enum class Linkage { static_exe, static_pie, dynamic };

std::string_view to_string(Format format);    // "elf", "macho-fat", ...
std::string_view to_string(Linkage linkage);  // "static", "static-pie", "dynamic"

// Why a derived fact (os, libc, variant, ...) has the value it has.
struct Evidence {
  std::string fact;    // "os", "libc", "variant"
  std::string value;   // "linux"
  std::string source;  // "PT_INTERP /lib/ld-musl-x86_64.so.1"
};

struct FileReport {
  std::string path;
  Format format = Format::unknown;
  std::string kind;  // what a non-program really is ("html", "gzip", ...); "" when not applicable

  std::optional<int> bits;
  std::optional<Endian> endian;
  std::string type;     // "executable", "pie-executable", "shared-library", "relocatable", "core", "script", ...; "" = unknown
  std::string machine;  // the format's own constant: "EM_AARCH64", "CPU_TYPE_ARM64", "IMAGE_FILE_MACHINE_AMD64"
  std::optional<Platform> platform;
  std::optional<std::string> interpreter;
  std::optional<Linkage> linkage;
  std::optional<std::vector<std::string>> needed;  // nullopt: not known; empty: needs nothing
  std::optional<std::string> glibc_min;            // "2.34"
  std::optional<GoBuildInfo> go;
  std::optional<Toolchain> toolchain;  // what built the file, from the evidence it carries
  std::optional<CpuLevel> cpu_level;   // the least CPU the file demands

  std::vector<Evidence> evidence;
  std::vector<std::string> warnings;  // partial reads: what could not be read, with offsets
  std::optional<std::string> error;   // set when the file could not be read or parsed at all

  std::optional<ElfDetails> elf;
  std::optional<MachoDetails> macho;
  std::optional<PeDetails> pe;
  std::optional<ScriptDetails> script;
  std::vector<FileReport> slices;  // universal Mach-O: one report per slice
};

}  // namespace enoexec

// Parsers for the text files the host probe reads. Each takes the file's text (already read with
// a size cap) and never fails: what cannot be read is left empty and, where it matters, named in
// `warnings`. probe.cpp reads the files; tests feed these literal strings.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/host.hpp"

namespace enoexec::host {

// /proc/cpuinfo -> the fields of HostCpu (vendor, model, features, ...) and the level the features
// reach for `kernel_arch` (amd64: x86-64-v1..v4; arm: ARMv5..v8 and the FPU; arm64: ARMv8.x).
HostCpu parse_cpuinfo(std::string_view text, Arch kernel_arch);

// The x86-64 psABI level of a flag set: 0 when even v1 is missing, else 1..4. `missing` gets the
// flags the next level needs.
int x86_64_level(const std::vector<std::string>& flags, std::vector<std::string>* missing);

// One /proc/sys/fs/binfmt_misc/<name> file. nullopt (and a warning) when it is not one.
std::optional<BinfmtEntry> parse_binfmt_entry(std::string name, std::string_view text,
                                              std::vector<std::string>& warnings);

// /proc/sys/fs/binfmt_misc/status: "enabled" / "disabled".
std::optional<bool> parse_binfmt_status(std::string_view text);

// Every mount of /proc/self/mountinfo whose per-mount options include noexec. Octal escapes
// (\040 space, \011 tab, \012 newline, \134 backslash) are decoded.
std::vector<MountInfo> parse_noexec_mounts(std::string_view mountinfo,
                                           std::vector<std::string>& warnings);

// KEY=value lines of os-release(5): values may be "double" or 'single' quoted with backslash
// escapes; comments and blank lines are skipped.
std::map<std::string, std::string> parse_os_release(std::string_view text);

// The version of package `name` in Alpine's apk database (lib/apk/db/installed: "P:musl" then
// "V:1.2.4-r2" in the same record): "1.2.4-r2".
std::optional<std::string> apk_package_version(std::string_view installed, std::string_view name);

// glibc's banner in libc.so.6: "GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release
// version 2.36." -> {version "2.36", build "Debian GLIBC 2.36-9+deb12u14"}.
struct GlibcBanner {
  std::string version;
  std::string build;
};
std::optional<GlibcBanner> find_glibc_banner(std::string_view bytes);

// musl's version: the library holds "musl libc (" (its loader's usage text) and its version as
// a lone NUL-terminated "1.2.4" string. nullopt unless exactly one such string is found.
std::optional<std::string> find_musl_version(std::string_view bytes);

// The kernel command line option `name` ("ia32_emulation") and its value; "" for a bare flag.
std::optional<std::string> cmdline_option(std::string_view cmdline, std::string_view name);

// A kernel config line: "CONFIG_X=y" -> "y"; "# CONFIG_X is not set" -> "n"; absent -> nullopt.
std::optional<std::string> kernel_config_value(std::string_view config, std::string_view name);

// The platform a loader's file name implies: "ld-musl-x86_64.so.1" -> amd64/musl,
// "ld-linux-armhf.so.3" -> arm/glibc, "linker64" -> arm64/bionic. Used only when the loader's
// own ELF header cannot be read.
struct LoaderName {
  Libc libc = Libc::unknown;
  Arch arch = Arch::unknown;
};
std::optional<LoaderName> loader_from_name(std::string_view file_name);

}  // namespace enoexec::host

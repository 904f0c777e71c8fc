#include "output/host_text.hpp"

#include <fmt/format.h>

namespace enoexec {
namespace {

std::string or_unknown(std::string_view text) { return text.empty() ? "unknown" : std::string(text); }

std::string arch_name(Arch arch) { return arch == Arch::unknown ? "unknown arch" : std::string(to_string(arch)); }

// "amd64, 64-bit, little-endian"
std::string shape(Arch arch, int bits, const std::optional<Endian>& endian) {
  std::string out = arch_name(arch);
  if (bits != 0) out += fmt::format(", {}-bit", bits);
  if (endian) out += fmt::format(", {}-endian", to_string(*endian));
  return out;
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  for (std::uint8_t byte : bytes) out += fmt::format("{:02x}", byte);
  return out;
}

void kernel_lines(const HostInfo& host, std::string& out) {
  const HostKernel& k = host.kernel;
  out += fmt::format("host: {}{}\n", host.root, host.root == "/" ? " (this system)" : " (recorded tree)");
  out += fmt::format("kernel: {} {} {} ({}; from {})\n", or_unknown(k.os), or_unknown(k.release), or_unknown(k.machine),
                     shape(k.arch, k.bits, k.endian), or_unknown(k.source));
  if (host.userland) {
    const HostElf& u = *host.userland;
    out += fmt::format("userland: {} ({} of {})", shape(u.arch, u.bits, u.endian), u.machine, u.path);
    out += u.interpreter ? fmt::format(", interpreter {}\n", *u.interpreter) : ", static\n";
  } else {
    out += "userland: unknown (no readable /bin/sh)\n";
  }
  const HostOsRelease& os = host.os_release;
  std::string name = os.pretty_name.empty() ? os.id : os.pretty_name;
  if (!os.alpine_release.empty()) name += fmt::format(" (alpine-release {})", os.alpine_release);
  out += fmt::format("os: {}\n", or_unknown(name));
  if (!host.os_version.empty()) out += fmt::format("os version: {} ({})\n", host.os_version, or_unknown(host.os_version_source));
  for (const HostEmulation& e : host.emulation)
    out += fmt::format("runs {} programs via {} ({})\n", to_oci(e.guest), e.via, or_unknown(e.source));
  out += host.page_size ? fmt::format("page size: {} bytes ({})\n", *host.page_size, host.page_size_source)
                        : "page size: unknown\n";
}

void compat_lines(const HostCompat32& compat, std::string& out) {
  out += fmt::format("32-bit programs: {}", to_string(compat.support));
  if (compat.arch != Arch::unknown) out += fmt::format(" ({})", to_string(compat.arch));
  out += "\n";
  for (const auto& fact : compat.evidence) out += fmt::format("  {}\n", fact);
}

void cpu_lines(const HostCpu& cpu, std::string& out) {
  std::string name = cpu.model_name.empty() ? or_unknown(cpu.vendor) : cpu.model_name;
  if (!cpu.model.empty()) name += fmt::format(" ({})", cpu.model);
  out += fmt::format("cpu: {}", name);
  if (cpu.processors > 0) out += fmt::format(", {} processor{}", cpu.processors, cpu.processors == 1 ? "" : "s");
  out += "\n";
  if (!cpu.level.empty()) {
    out += fmt::format("  level: {}", cpu.level);
    if (!cpu.go_env.empty()) out += fmt::format(", {}", cpu.go_env);
    if (!cpu.variant.empty()) out += fmt::format(", OCI variant {}", cpu.variant);
    out += "\n";
  }
  if (!cpu.fpu.empty()) out += fmt::format("  fpu: {}\n", cpu.fpu);
  if (!cpu.missing.empty()) out += fmt::format("  next level needs: {}\n", fmt::join(cpu.missing, " "));
  for (const auto& note : cpu.notes) out += fmt::format("  note: {}\n", note);
}

void libc_lines(const HostLibc& libc, std::string& out) {
  out += fmt::format("libc: {}", libc.flavour == Libc::unknown ? "unknown" : to_string(libc.flavour));
  if (!libc.version.empty()) out += fmt::format(" {}", libc.version);
  if (!libc.source.empty()) out += fmt::format(" ({})", libc.source);
  out += "\n";
  for (const HostLoader& loader : libc.loaders)
    out += fmt::format("  loader {}: {}, {}{}\n", loader.path, or_unknown(loader.libc == Libc::unknown ? "" : to_string(loader.libc)),
                       arch_name(loader.arch), loader.arch_source.empty() ? "" : fmt::format(" ({})", loader.arch_source));
  for (const HostLibcFile& file : libc.libraries) {
    out += fmt::format("  library {}: {} {}, {}", file.path, to_string(file.libc), or_unknown(file.version), arch_name(file.arch));
    if (!file.build.empty()) out += fmt::format(" ({})", file.build);
    out += "\n";
  }
}

std::string describe(const BinfmtEntry& e) {
  std::string match = e.by_extension ? fmt::format("extension .{}", e.extension)
                                     : fmt::format("magic {} at {}", hex(e.magic), e.offset);
  if (!e.by_extension && !e.mask.empty()) match += fmt::format(" mask {}", hex(e.mask));
  std::string exists = !e.interpreter_exists ? "" : (*e.interpreter_exists ? " (exists)" : " (missing)");
  return fmt::format("  {}: {}, {} -> {}{}, flags {}{}\n", e.name, e.enabled ? "enabled" : "disabled", match,
                     e.interpreter, exists, e.flags.empty() ? "none" : e.flags,
                     e.fix_binary() ? " (F: interpreter opened at registration, works in containers)" : "");
}

void binfmt_lines(const HostBinfmt& binfmt, std::string& out) {
  if (!binfmt.mounted && binfmt.entries.empty()) {
    out += "binfmt_misc: not mounted\n";
    return;
  }
  const std::string state = !binfmt.enabled ? "status unknown" : (*binfmt.enabled ? "enabled" : "disabled");
  out += fmt::format("binfmt_misc: {}, {} entr{}\n", state, binfmt.entries.size(), binfmt.entries.size() == 1 ? "y" : "ies");
  for (const BinfmtEntry& entry : binfmt.entries) out += describe(entry);
}

}  // namespace

std::string host_text(const HostInfo& host) {
  std::string out;
  kernel_lines(host, out);
  compat_lines(host.compat32, out);
  cpu_lines(host.cpu, out);
  libc_lines(host.libc, out);
  binfmt_lines(host.binfmt, out);
  out += host.noexec_mounts.empty() ? "noexec mounts: none\n" : "noexec mounts:\n";
  for (const MountInfo& m : host.noexec_mounts) out += fmt::format("  {} ({}, {})\n", m.mount_point, m.fs_type, m.source);
  if (!host.warnings.empty()) out += "warnings:\n";
  for (const auto& warning : host.warnings) out += fmt::format("  {}\n", warning);
  return out;
}

}  // namespace enoexec

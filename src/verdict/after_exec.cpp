// What stops a program after execve succeeded: glibc's ld.so (missing DT_NEEDED libraries, a
// GLIBC_x.y requirement newer than the target's libc), the CPU level, an ELF for another OS
// (Linux execs it; its system calls are not Linux's), and a script's env line.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <set>
#include <optional>
#include <string_view>
#include <utility>

#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

std::string replace_origin(std::string dir, const std::string& origin) {
  for (const std::string_view token : {"${ORIGIN}", "$ORIGIN"}) {
    for (auto at = dir.find(token); at != std::string::npos; at = dir.find(token))
      dir.replace(at, token.size(), origin);
  }
  return dir;
}

// The target's multiarch name ("x86_64-linux-gnu"): the same for every file a scan judges, so
// each thread remembers the last one.
const std::string& multiarch_of(const Platform& target) {
  thread_local std::optional<std::pair<Platform, std::string>> last;
  if (!last || !(last->first == target)) last.emplace(target, names_of(target).gnu_triple);
  return last->second;
}

// glibc's search order (ld.so(8)): DT_RPATH (when no DT_RUNPATH), DT_RUNPATH, ld.so.cache (built
// from ld.so.conf), the default directories. LD_LIBRARY_PATH is the caller's and not modelled.
std::vector<std::string> library_dirs(const FileReport& report, const HostInfo& host,
                                      const JudgeContext& context) {
  std::vector<std::string> dirs;
  const std::string origin = directory_of(report.path);
  const ElfDetails& elf = *report.elf;
  if (elf.runpath.empty())
    for (const auto& dir : elf.rpath) dirs.push_back(replace_origin(dir, origin));
  for (const auto& dir : elf.runpath) dirs.push_back(replace_origin(dir, origin));
  const std::vector<std::string> configured = context.ld_so_conf_dirs();
  dirs.insert(dirs.end(), configured.begin(), configured.end());
  const std::string& multiarch = multiarch_of(target_platform(host));
  for (const std::string prefix : {"/lib", "/usr/lib"}) {
    if (!multiarch.empty()) dirs.push_back(prefix + "/" + multiarch);
    if (report.bits == 64) dirs.push_back(prefix + "64");
    if (report.bits == 32) dirs.push_back(prefix + "32");
    dirs.push_back(prefix);
  }
  return dirs;
}

bool library_found(const std::string& name, const std::vector<std::string>& dirs,
                   const JudgeContext& context) {
  if (name.find('/') != std::string::npos)
    return context.target(name).kind == PathInfo::Kind::regular;
  for (const auto& dir : dirs)
    if (context.target(dir + "/" + name).kind == PathInfo::Kind::regular) return true;
  return false;
}

void missing_libraries(const FileReport& report, const HostInfo& host, const JudgeContext& context,
                       std::vector<Problem>& problems) {
  if (!report.elf || !report.needed || report.needed->empty()) return;
  if (context.target("/").kind == PathInfo::Kind::unknown) return;
  const std::vector<std::string> dirs = library_dirs(report, host, context);
  for (const auto& name : *report.needed) {
    if (library_found(name, dirs, context)) continue;
    problems.push_back(make_problem(
        "E_LIB_MISSING",
        fmt::format("{}: error while loading shared libraries: {}: cannot open shared object file: "
                    "No such file or directory",
                    report.path, name),
        "exit 127", report, host));
  }
}

struct FoundLibrary {
  std::string path;      // as ld.so names it: "/lib64/libstdc++.so.6"
  std::string resolved;  // after symlinks: "/lib64/libstdc++.so.6.0.19"
};

// Where ld.so would find library `name` inside the target root; empty when it would not.
FoundLibrary find_library(const std::string& name, const std::vector<std::string>& dirs,
                          const JudgeContext& context) {
  for (const auto& dir : dirs) {
    const std::string path = dir + "/" + name;
    const PathInfo info = context.target(path);
    if (info.kind == PathInfo::Kind::regular) return {path, info.resolved.empty() ? path : info.resolved};
  }
  return {};
}

// "2.34" < "2.36": compares dot-separated numbers.
bool version_less(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    const auto take = [](std::string_view& s) {
      const auto dot = s.find('.');
      const std::string part(s.substr(0, dot));
      s = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
      return std::strtol(part.c_str(), nullptr, 10);
    };
    const long x = take(a), y = take(b);
    if (x != y) return x < y;
  }
  return false;
}

// "memcpy, stat (and 3 more)": the symbols a version requirement is for.
std::string symbol_list(const NameList& symbols) {
  constexpr std::size_t SHOWN = 4;
  std::string text;
  for (std::size_t i = 0; i < symbols.size() && i < SHOWN; ++i)
    text += fmt::format("{}{}", i == 0 ? "" : ", ", symbols[i]);
  if (symbols.size() > SHOWN) text += fmt::format(" (and {} more)", symbols.size() - SHOWN);
  return text;
}

void glibc_version(const FileReport& report, const HostInfo& host, std::vector<Problem>& problems) {
  if (!report.glibc_min || host.libc.flavour != Libc::glibc || host.libc.version.empty()) return;
  if (!version_less(host.libc.version, *report.glibc_min)) return;
  std::string needs;
  if (report.elf && report.elf->glibc_min && !report.elf->glibc_min->symbols.empty())
    needs = fmt::format(" for {}", symbol_list(report.elf->glibc_min->symbols));
  problems.push_back(make_problem(
      "E_GLIBC_TOO_OLD",
      fmt::format("{}: /lib/{}/libc.so.6: version `GLIBC_{}' not found (required by {}) — the "
                  "target has glibc {}; the file needs GLIBC_{}{}",
                  report.path, multiarch_of(target_platform(host)), *report.glibc_min,
                  report.path, host.libc.version, *report.glibc_min, needs),
      "exit 1", report, host));
}

// glibc refuses to start on a kernel older than the one it was configured for (--enable-kernel):
// static programs in their start-up code, dynamic ones in ld.so, both with "FATAL: kernel too
// old". The NT_GNU_ABI_TAG note of a glibc-linked file records that minimum.
void kernel_version(const FileReport& report, const HostInfo& host, std::vector<Problem>& problems) {
  if (!report.elf || !report.elf->notes.abi_tag_kernel || host.kernel.release.empty()) return;
  if (report.elf->notes.abi_tag_os.value_or("Linux") != "Linux") return;
  const std::string& needs = *report.elf->notes.abi_tag_kernel;
  if (!version_less(host.kernel.release, needs)) return;
  const bool dynamic = report.interpreter.has_value();
  problems.push_back(make_problem(
      "E_KERNEL_TOO_OLD",
      fmt::format("FATAL: kernel too old — {} is linked with a glibc that needs Linux {} or newer "
                  "(its NT_GNU_ABI_TAG note), the target's kernel is {}",
                  report.path, needs, host.kernel.release),
      dynamic ? "exit 127" : "SIGABRT", report, host));
}

// libstdc++.so.6.0.N defines GLIBCXX_3.4.1 ... GLIBCXX_3.4.N (the library's versioning scheme
// since GCC 4.x): the highest version a target's libstdc++ has, from its file name. "" if unknown.
std::string glibcxx_of(const std::string& resolved) {
  constexpr std::string_view PREFIX = "libstdc++.so.6.0.";
  const auto at = resolved.rfind(PREFIX);
  if (at == std::string::npos) return {};
  const std::string minor = resolved.substr(at + PREFIX.size());
  if (minor.empty() || minor.find_first_not_of("0123456789") != std::string::npos) return {};
  return "3.4." + minor;
}

// "v3" -> 3, "v8.2" -> 8.2; nullopt for levels that are not numbered that way.
std::optional<double> level_number(std::string_view level) {
  if (level.starts_with('v')) level.remove_prefix(1);
  if (level.empty() || level.front() < '0' || level.front() > '9') return std::nullopt;
  return std::strtod(std::string(level).c_str(), nullptr);
}

// GLIBCXX_3.4.N newer than the target's libstdc++ (read inside --root; without a root nothing
// is known about it, so nothing is said).
void glibcxx_version(const FileReport& report, const HostInfo& host, const JudgeContext& context,
                     std::vector<Problem>& problems) {
  if (!report.elf || !report.elf->glibcxx_min) return;
  if (context.target("/").kind == PathInfo::Kind::unknown) return;
  const FoundLibrary library = find_library("libstdc++.so.6", library_dirs(report, host, context), context);
  const std::string has = glibcxx_of(library.resolved);
  const std::string& needs = report.elf->glibcxx_min->version;
  if (has.empty() || !version_less(has, needs)) return;
  problems.push_back(make_problem(
      "E_GLIBCXX_TOO_OLD",
      fmt::format("{}: {}: version `GLIBCXX_{}' not found (required by {}) — the target's "
                  "libstdc++ has GLIBCXX_{}; the file needs GLIBCXX_{} for {}",
                  report.path, library.path, needs, report.path, has, needs,
                  symbol_list(report.elf->glibcxx_min->symbols)),
      "exit 1", report, host));
}

void cpu_level(const FileReport& report, const HostInfo& host, std::vector<Problem>& problems) {
  if (!report.cpu_level || !report.platform || report.platform->arch != host_arch(host)) return;
  if (host.cpu.level.empty()) return;
  const auto needs = level_number(report.cpu_level->level);
  const auto has = level_number(host.cpu.variant.empty() ? std::string_view("v1")
                                                         : std::string_view(host.cpu.variant));
  if (!needs || !has || *needs <= *has) return;
  const bool go_amd64 = report.go && report.platform->arch == Arch::amd64;
  const std::string message =
      go_amd64
          ? fmt::format(
                "This program can only be run on AMD64 processors with {} "
                "microarchitecture support.",
                report.cpu_level->level)
          : fmt::format("{}: Illegal instruction: built for {} level {} ({}), the target CPU is {}",
                        report.path, report.cpu_level->isa, report.cpu_level->level,
                        report.cpu_level->source, host.cpu.level);
  problems.push_back(
      make_problem("E_CPU_LEVEL", message, go_amd64 ? "exit 1" : "SIGILL", report, host));
}

void foreign_os(const FileReport& report, const HostInfo& host, std::vector<Problem>& problems) {
  if (!report.elf || !report.platform) return;
  const Os os = report.platform->os;
  if (os == Os::unknown || os == Os::linux || os == Os::android) return;
  problems.push_back(make_problem(
      "E_FOREIGN_OS",
      fmt::format("{}: {} {} program ({}): Linux execs it, but it makes {} system calls, so it "
                  "dies at its first one (SIGSEGV or SIGSYS)",
                  report.path, std::string_view("AEIOUaeiou").find(display_name(os).front()) == std::string_view::npos ? "a" : "an",
                  display_name(os), to_oci(*report.platform), display_name(os)),
      "SIGSEGV", report, host));
}

// A #! line the kernel accepts but the interpreter or env then rejects.
void script_line(const FileReport& report, const HostInfo& host, std::vector<Problem>& problems) {
  if (!report.script) return;
  static const std::set<std::string, std::less<>> fatal{"crlf", "env-needs-S", "env-no-command"};
  const std::string args = report.script->interpreter_args.value_or("");
  const bool env_split =
      report.script->env_command && (args.starts_with("-S") || args.starts_with("-vS"));
  for (const auto& finding : report.script->findings) {
    if (finding.code == "crlf" && env_split) {
      problems.push_back(make_warning("W_SCRIPT_CRLF", finding.message, "", report, host));
    } else if (fatal.contains(finding.code)) {
      const std::string code = finding.code == "crlf"          ? "E_SCRIPT_CRLF"
                               : finding.code == "env-needs-S" ? "E_ENV_NEEDS_S"
                                                               : "E_ENV_NO_COMMAND";
      problems.push_back(make_problem(code, finding.message, "exit 127", report, host));
    }
  }
}

// env's default PATH when the caller has none set is confstr(_CS_PATH); a login shell on a
// Debian-like or Alpine system sets this one (/etc/profile, /etc/login.defs).
constexpr std::array<std::string_view, 6> DEFAULT_PATH{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                                                       "/usr/bin", "/sbin", "/bin"};

// `#!/usr/bin/env NAME`: env searches PATH for NAME; inside a root whose PATH directories lack
// it, env fails with exit 127. Only with a root (otherwise the target's files are unknown), and
// only for a line env reads as intended (no \r, no unsplit options: those have their own rule).
void env_program(const FileReport& report, const HostInfo& host, const JudgeContext& context,
                 std::vector<Problem>& problems) {
  if (!report.script || !report.script->env_command || report.script->env_command->empty()) return;
  for (const auto& finding : report.script->findings)
    if (finding.code == "crlf" || finding.code == "env-needs-S") return;
  const std::string& name = report.script->env_command->front();
  if (name.find('/') != std::string::npos || name.find('$') != std::string::npos) return;
  if (context.target("/").kind == PathInfo::Kind::unknown) return;
  for (const auto dir : DEFAULT_PATH) {
    const PathInfo info = context.target(fmt::format("{}/{}", dir, name));
    if (info.kind == PathInfo::Kind::regular && info.may_exec) return;
  }
  problems.push_back(make_problem(
      "E_ENV_PROGRAM_MISSING",
      fmt::format("{}: /usr/bin/env: '{}': No such file or directory — no {} in the target's PATH "
                  "({})",
                  report.path, name, name, fmt::join(DEFAULT_PATH, ":")),
      "exit 127", report, host));
}

// An ELF the kernel starts without a dynamic loader (no PT_INTERP) runs its entry as it lies in
// the file: nothing loads its DT_NEEDED libraries or applies its relocations. A static or
// static-pie program (DF_1_PIE), or a loader (type "dynamic-linker"), relocates itself; a shared
// library does not: at e_entry 0 the kernel jumps into its ELF header, and code that calls into
// its libraries jumps through unrelocated slots. Measured on x86-64 (tests/cli/no_interp_test.sh:
// SIGSEGV); other instruction sets may fault with SIGILL first.
void without_loader(const FileReport& report, const HostInfo& host, std::vector<Problem>& problems) {
  if (!report.elf || report.interpreter || report.type != "shared-library") return;
  const Arch arch = host_arch(host);
  const bool x86 = arch == Arch::amd64 || arch == Arch::i386;
  const std::string outcome = x86 ? "SIGSEGV" : "SIGSEGV or SIGILL";
  const bool needs = report.needed && !report.needed->empty();
  if (report.elf->entry == 0) {
    problems.push_back(make_problem(
        "E_LIBRARY_EXECUTED",
        fmt::format("{}: a shared library, not a program: it has no PT_INTERP and no entry point "
                    "(e_entry 0), so the kernel starts it at its own ELF header and it dies ({})",
                    report.path, outcome),
        outcome, report, host));
  } else if (needs) {
    problems.push_back(make_problem(
        "E_LIBRARY_EXECUTED",
        fmt::format("{}: a shared library executed as a program: it has no PT_INTERP, so no dynamic "
                    "loader loads {} or applies its relocations, and its entry dies at its first "
                    "call into them ({})",
                    report.path, fmt::join(*report.needed, ", "), outcome),
        outcome, report, host));
  } else {
    problems.push_back(make_warning(
        "W_ENTRY_UNRELOCATED",
        fmt::format("{}: a shared object without PT_INTERP, DF_1_PIE or libraries, with an entry "
                    "point: the kernel starts it unrelocated, and it runs only if its entry "
                    "relocates itself (a static-pie linked without DF_1_PIE does; a library does not)",
                    report.path),
        outcome + " unless its entry relocates itself", report, host));
  }
}

}  // namespace

std::vector<Problem> after_exec(const FileReport& report, const HostInfo& host,
                                const JudgeContext& context, bool loaded) {
  std::vector<Problem> problems;
  foreign_os(report, host, problems);
  script_line(report, host, problems);
  env_program(report, host, context, problems);
  if (!loaded) without_loader(report, host, problems);
  // ld.so's checks apply where ld.so runs: for a program that names it, or a library it maps.
  if (loaded || report.interpreter) {
    missing_libraries(report, host, context, problems);
    glibc_version(report, host, problems);
    glibcxx_version(report, host, context, problems);
  }
  kernel_version(report, host, problems);
  cpu_level(report, host, problems);
  return problems;
}

}  // namespace enoexec::verdict

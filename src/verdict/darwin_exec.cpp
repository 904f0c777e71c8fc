// The macOS model (macho-pe.md A.2-A.7): execve in xnu (exec_fat_imgact picks a universal
// binary's slice, exec_mach_imgact takes MH_EXECUTE files of a CPU type the Mac runs, Rosetta 2
// takes x86_64 on Apple silicon), then what stops the program once exec'd: code-signing
// enforcement of native arm64 code and dyld's platform and minimum-version checks.
// Messages are what zsh prints for the errno, then why; each rule's fix sits next to it.
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "formats/impostor/kind_names.hpp"
#include "support/display_text.hpp"
#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

constexpr std::uint32_t MH_EXECUTE = 2;
constexpr std::string_view EBADARCH = "execve: EBADARCH (86, Bad CPU type in executable)";
constexpr std::string_view DYLD_ABORT = "dyld aborts the process (SIGABRT, Abort trap: 6)";

// The platforms whose Mach-O programs macOS loads: macOS itself and Mac Catalyst.
bool runs_on_macos(std::string_view platform) { return platform == "macos" || platform == "maccatalyst"; }

std::string arch_label(const FileReport& r) {
  if (r.macho && !r.macho->arch_name.empty()) return r.macho->arch_name;
  return r.platform ? std::string(to_string(r.platform->arch)) : r.machine;
}

// The command that builds for this Mac, in the vocabulary of what built the file. Fixes are
// shell lines: the command, then " # " and caveats (docs/rules.md).
std::string mac_build(const FileReport& report, const HostInfo& host) {
  const Arch arch = host_arch(host) == Arch::amd64 ? Arch::amd64 : Arch::arm64;
  const PlatformNames names = names_of(make_platform(Os::darwin, arch));
  if (built_with_go(report)) return fmt::format("GOOS=darwin GOARCH={} go build", names.goarch);
  if (built_with_rust(report))
    return fmt::format("rustup target add {0} && cargo build --target {0}", names.rust_triple);
  return fmt::format("clang -arch {} -o prog prog.c", arch == Arch::amd64 ? "x86_64" : "arm64");
}

// The build for this Mac, with the universal-binary alternative for C.
std::string mac_fix(const FileReport& report, const HostInfo& host, std::string_view caveat = {}) {
  std::string fix = mac_build(report, host);
  const bool c = !built_with_go(report) && !built_with_rust(report);
  if (c) fix += " # or -arch arm64 -arch x86_64: a universal binary that runs on every Mac";
  if (!caveat.empty()) fix += fmt::format("{}{}", c ? "; " : " # ", caveat);
  return fix;
}

// The macOS version an LC_BUILD_VERSION / LC_VERSION_MIN_MACOSX asks for ("" when none does).
std::string macos_minos(const MachoDetails& macho) {
  for (const auto& bv : macho.build_versions)
    if (bv.platform == "macos") return bv.minos;
  return macho.platform == "macos" ? macho.minos : std::string();
}

// Apple's spelling of a build-version platform: "iOS", "the iOS simulator", "watchOS".
std::string platform_name(std::string_view platform) {
  static constexpr std::pair<std::string_view, std::string_view> NAMES[] = {
      {"ios", "iOS"}, {"ios-simulator", "the iOS simulator"}, {"tvos", "tvOS"},
      {"tvos-simulator", "the tvOS simulator"}, {"watchos", "watchOS"},
      {"watchos-simulator", "the watchOS simulator"}, {"visionos", "visionOS"},
      {"bridgeos", "bridgeOS"}, {"driverkit", "DriverKit"}};
  for (const auto& [name, apple] : NAMES)
    if (name == platform) return std::string(apple);
  return std::string(platform);
}

class DarwinExec {
 public:
  DarwinExec(const FileReport& report, const HostInfo& host, const JudgeContext& context)
      : report_(report), host_(host), context_(context) {}

  ExecResult run() {
    if (!opened()) return std::move(result_);
    switch (report_.format) {
      case Format::macho:
        thin(report_);
        break;
      case Format::macho_fat:
        universal();
        break;
      case Format::elf:
        foreign("E_MACOS_ELF", fmt::format("an ELF program for {}", platform_text()),
                mac_fix(report_, host_,
                        fmt::format("or run the Linux program in a virtual machine or container: docker run "
                                    "--platform linux/{}",
                                    to_string(host_arch(host_)))));
        break;
      case Format::pe:
        foreign("E_MACOS_PE", "a Windows PE program",
                mac_fix(report_, host_, "or run the Windows program with Wine or CrossOver"));
        break;
      case Format::script:
        break;  // #! works as on Linux; the interpreter is on the target, whose files are not here
      case Format::unknown:
        unknown();
        break;
    }
    return std::move(result_);
  }

 private:
  void fail(const std::string& code, std::string message, std::string_view execve,
            std::string_view outcome, std::string fix) {
    result_.execve = std::string(execve);
    add("error", code, std::move(message), outcome, std::move(fix));
  }
  void add(std::string severity, const std::string& code, std::string message,
           std::string_view outcome, std::string fix) {
    result_.problems.push_back(
        Problem{code, std::move(severity), std::move(message), std::string(outcome), std::move(fix)});
  }

  std::string platform_text() const {
    return report_.platform ? to_oci(*report_.platform) : std::string("another system");
  }

  // exec's lookup and permission checks, as zsh reports them.
  bool opened() {
    const PathInfo info = context_.subject(report_.path);
    const std::string& path = report_.path;
    if (info.kind == PathInfo::Kind::missing)
      return refuse("E_FILE_MISSING", fmt::format("zsh: no such file or directory: {}", path), "ENOENT");
    if (info.kind == PathInfo::Kind::directory || info.kind == PathInfo::Kind::other)
      return refuse("E_NOT_REGULAR", fmt::format("zsh: permission denied: {} (not a regular file)", path), "EACCES");
    if (info.kind == PathInfo::Kind::regular && !info.may_exec)
      return refuse("E_NOT_EXECUTABLE", fmt::format("zsh: permission denied: {} (no execute permission)", path),
                    "EACCES");
    return true;
  }

  // A rule shared with Linux, whose fix text fixes.cpp holds. Always false: exec stops here.
  bool refuse(const std::string& code, std::string message, const std::string& error) {
    result_.execve = error;
    result_.problems.push_back(make_problem(code, std::move(message), "execve: " + error, report_, host_));
    return false;
  }

  void foreign(const std::string& code, const std::string& what, std::string fix) {
    fail(code, fmt::format("zsh: exec format error: {} ({}; macOS runs Mach-O programs only)", report_.path, what),
         "ENOEXEC", "execve: ENOEXEC", std::move(fix));
  }

  void unknown() {
    const std::string why = report_.kind.empty() ? "no handler recognises it" : impostor::not_a_program(report_, "macOS");
    result_.execve = "ENOEXEC";
    result_.problems.push_back(make_problem("E_UNKNOWN_FORMAT",
                                            fmt::format("zsh: exec format error: {} ({})", report_.path, why),
                                            "execve: ENOEXEC", report_, host_));
  }

  // exec_fat_imgact: the kernel grades every slice and runs the best one; none → EBADARCH.
  void universal() {
    const SliceChoice choice = choose_slice(report_, host_);
    if (report_.slices.empty()) return unknown();
    if (!choice.index) {
      const FileReport& slice = report_.slices[choice.closest];
      return arch_failure(slice, macho_fit(slice, host_),
                          fmt::format("a universal binary with no slice for this Mac (slices: {}); its {} slice is ",
                                      choice.names, arch_label(slice)));
    }
    const FileReport& slice = report_.slices[*choice.index];
    add("info", "I_SLICE_CHOSEN",
        fmt::format("a universal binary (slices: {}): the target runs its {} slice{}", choice.names,
                    arch_label(slice), choice.fit == MachoFit::rosetta ? " under Rosetta 2" : ""),
        "", "");
    thin(slice);
  }

  // exec_mach_imgact: MH_EXECUTE only, then the CPU type; then what happens once it runs.
  void thin(const FileReport& file) {
    if (!file.macho) return unknown();
    const MachoDetails& macho = *file.macho;
    if (macho.filetype != MH_EXECUTE) {
      return fail("E_MACHO_TYPE",
                  fmt::format("zsh: exec format error: {} ({}: a {} Mach-O file, not an executable (MH_EXECUTE))",
                              report_.path, macho.filetype_name, file.type.empty() ? "non-program" : file.type),
                  "ENOEXEC", "execve: ENOEXEC",
                  fmt::format("clang -arch {} -o prog {} # link it into a program; a dylib is loaded by "
                              "a program, not run",
                              arch_label(file), report_.path));
    }
    const MachoFit fit = macho_fit(file, host_);
    if (fit == MachoFit::rosetta) {
      result_.emulator = emulation_for(host_, Os::darwin, Arch::amd64)->via;
    } else if (fit != MachoFit::native) {
      return arch_failure(file, fit, "");
    }
    signature(file, fit);
    platform(macho);
    minimum_version(macho);
  }

  // EBADARCH, with the reason the Mac does not run this CPU type. `context` prefixes the file's
  // description (a universal binary's slice).
  void arch_failure(const FileReport& file, MachoFit fit, const std::string& context) {
    const std::string head = fmt::format("zsh: bad CPU type in executable: {} ({}", report_.path, context);
    const std::string build = mac_fix(file, host_);
    switch (fit) {
      case MachoFit::no_rosetta:
        return fail("E_MACHO_NO_ROSETTA",
                    fmt::format("{}an x86_64 program; this Apple silicon Mac has no Rosetta 2 to translate it)", head),
                    "EBADARCH", EBADARCH,
                    fmt::format("softwareupdate --install-rosetta --agree-to-license # installs Rosetta 2; or "
                                "build for arm64: {}",
                                mac_build(file, host_)));
      case MachoFit::i386:
        return fail("E_MACHO_I386",
                    fmt::format("{}a 32-bit i386 program; macOS 10.15 and later run no 32-bit programs)", head),
                    "EBADARCH", EBADARCH, build);
      case MachoFit::arm64e: {
        const int abi = file.macho && file.macho->ptrauth_abi_version ? *file.macho->ptrauth_abi_version : 0;
        return fail("E_MACHO_ARM64E",
                    fmt::format("{}arm64e, pointer-authentication ABI version {}: macOS runs arm64e code "
                                "only in Apple's own programs, unless booted with -arm64e_preview_abi)",
                                head, abi),
                    "EBADARCH", EBADARCH, "clang -arch arm64 -o prog prog.c # arm64, not arm64e");
      }
      case MachoFit::native:
      case MachoFit::rosetta:
      case MachoFit::wrong:
        break;
    }
    fail("E_MACHO_BAD_ARCH",
         fmt::format("{}{} code; this Mac runs {}{})", head, arch_label(file),
                     host_arch(host_) == Arch::amd64 ? "x86_64" : to_string(host_arch(host_)),
                     emulation_for(host_, Os::darwin, Arch::amd64) ? " and, under Rosetta 2, x86_64" : ""),
         "EBADARCH", EBADARCH, build);
  }

  // Apple silicon kills native arm64 code that carries no signature (ad hoc is enough) or whose
  // signature does not match its bytes; code under Rosetta and Intel Macs are exempt unless the
  // program asks for enforcement (macho-pe.md A.7; xnu bsd/kern/kern_cs.c cs_invalid_page kills
  // a process with CS_KILL when a page fails its hash, and arm64 macOS enforces for every native
  // process).
  void signature(const FileReport& file, MachoFit fit) {
    const MachoCodeSignature& sig = file.macho->code_signature;
    const bool enforced_here = fit == MachoFit::native && host_arch(host_) == Arch::arm64;
    if (!sig.valid.has_value() && !sig.is_signed) {
      if (enforced_here) unsigned_code();
      return;
    }
    if (sig.kernel_valid == false && (enforced_here || sig.enforced)) return invalid_signature(sig, true);
    if (sig.valid == false) return invalid_signature(sig, false);
    if (!sig.valid.has_value() && enforced_here)
      add("warning", "W_MACHO_SIGNATURE_UNCHECKED",
          fmt::format("{}: the code signature could not be checked in full ({}); macOS kills the "
                      "program if a page does not match",
                      report_.path, fmt::join(sig.unchecked, ", ")),
          "SIGKILL (Killed: 9) if a page does not match", "");
  }

  void unsigned_code() {
    result_.execve = "SIGKILL";
    add("error", "E_MACHO_UNSIGNED",
        fmt::format("{}: Killed: 9 (native arm64 code without a code signature; Apple silicon Macs kill "
                    "unsigned programs when they start)",
                    report_.path),
        "SIGKILL (Killed: 9)",
        fmt::format("codesign -s - {0} # on the Mac; ad hoc is enough. Elsewhere: rcodesign sign {0}. "
                    "Apple's ld and ld64.lld sign by default unless given -no_adhoc_codesign",
                    shell_quote(report_.path)));
  }

  // A signature that no longer matches the file. `killed`: the kernel enforces it here (native
  // arm64 on Apple silicon, or a program that asks with CS_KILL / CS_HARD / the hardened
  // runtime); otherwise the program still starts, and only codesign --verify and Gatekeeper
  // complain.
  void invalid_signature(const MachoCodeSignature& sig, bool killed) {
    const std::string what = sig.invalid.empty() ? "it does not match the file" : sig.invalid.front().message;
    const std::string fix =
        sig.truncated
            ? "the file is shorter than its code signature says: it was cut (an interrupted download or "
              "copy); download or copy it again"
            : fmt::format("codesign --force -s - {0} # on a Mac, as the last build step: the file was changed "
                          "after it was signed (strip, install_name_tool, a patch, a post-link step). "
                          "Elsewhere: rcodesign sign {0}",
                          shell_quote(report_.path));
    if (!killed) {
      const std::string_view why = sig.kernel_valid == false
                                       ? "this Mac enforces signatures only for native arm64 code and for "
                                         "programs that ask (CS_KILL, CS_HARD, the hardened runtime)"
                                       : "the kernel checks only the strongest CodeDirectory, which matches";
      return add("warning", "W_MACHO_SIGNATURE_INVALID",
                 fmt::format("{}: its code signature does not match ({}); it starts, as {}, but codesign "
                             "--verify rejects it, and so does Gatekeeper when the file was downloaded",
                             report_.path, what, why),
                 "", fix);
    }
    result_.execve = "SIGKILL";
    add("error", "E_MACHO_SIGNATURE_INVALID",
        fmt::format("{}: Killed: 9 (the code signature does not match the file: {})", report_.path, what),
        "SIGKILL (Killed: 9)", fix);
  }

  // dyld loads programs built for macOS (or Mac Catalyst) only (wording: U).
  void platform(const MachoDetails& macho) {
    if (macho.build_versions.empty()) return;
    for (const auto& bv : macho.build_versions)
      if (runs_on_macos(bv.platform)) return;
    const std::string name = platform_name(macho.build_versions.front().platform);
    add("error", "E_MACHO_PLATFORM",
        fmt::format("dyld: {}: built for {}, not macOS; dyld refuses to load it", report_.path, name),
        DYLD_ABORT,
        "clang --target=arm64-apple-macos11 -o prog prog.c # an iOS app for the Mac: Mac Catalyst, "
        "--target=arm64-apple-ios14.0-macabi");
  }

  // LC_BUILD_VERSION / LC_VERSION_MIN_MACOSX minos above the target's macOS (wording: U).
  void minimum_version(const MachoDetails& macho) {
    const std::string minos = macos_minos(macho);
    if (minos.empty()) return;
    if (host_.os_version.empty()) {
      return add("info", "I_MACOS_VERSION_UNKNOWN",
                 fmt::format("{} needs macOS {} or later; the target's macOS version is not known (profiles "
                             "such as macos-11-arm64 and macos-13-intel state one)",
                             report_.path, minos),
                 "", "");
    }
    if (!version_less(host_.os_version, minos)) return;
    add("error", "E_MACOS_MINOS",
        fmt::format("dyld: {} was built for macOS {}, which is newer than the running OS (macOS {})",
                    report_.path, minos, host_.os_version),
        DYLD_ABORT, minos_fix());
  }

  std::string minos_fix() const {
    const std::string& target = host_.os_version;
    if (built_with_go(report_))
      return fmt::format("{} # with a Go release that still supports macOS {} (go.dev wiki "
                         "MinimumRequirements: Go 1.21 needs 10.15, Go 1.27 needs 13)",
                         mac_build(report_, host_), target);
    if (built_with_rust(report_)) return fmt::format("MACOSX_DEPLOYMENT_TARGET={} cargo build", target);
    return fmt::format("clang -mmacosx-version-min={0} -o prog prog.c # or MACOSX_DEPLOYMENT_TARGET={0}", target);
  }

  const FileReport& report_;
  const HostInfo& host_;
  const JudgeContext& context_;
  ExecResult result_;
};

}  // namespace

ExecResult darwin_exec(const FileReport& report, const HostInfo& host, const JudgeContext& context) {
  return DarwinExec(report, host, context).run();
}

}  // namespace enoexec::verdict

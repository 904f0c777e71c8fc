// The Windows model (macho-pe.md part B): what CreateProcess does with a file. Only PE images
// start; a DLL or an image of a non-Win32 subsystem (UEFI, native) does not; the COFF machine
// must be the system's own or one it emulates (WoW64: x86 on x64; Windows on Arm: x86, and x64
// on Windows 11 only); the subsystem version must not be above the system's. .NET assemblies
// marked AnyCPU run natively wherever the runtime is. Messages are what cmd.exe / Explorer say,
// then why; each rule's fix sits next to it.
#include <algorithm>

#include <fmt/format.h>

#include "formats/impostor/kind_names.hpp"
#include "support/display_text.hpp"
#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

constexpr std::uint16_t IMAGE_FILE_MACHINE_I386 = 0x014c;
constexpr std::uint16_t IMAGE_SUBSYSTEM_NATIVE = 1;
constexpr std::uint16_t IMAGE_SUBSYSTEM_WINDOWS_GUI = 2, IMAGE_SUBSYSTEM_WINDOWS_CUI = 3;
constexpr std::uint16_t IMAGE_SUBSYSTEM_WINDOWS_CE_GUI = 9;  // not run by desktop Windows
constexpr std::uint16_t IMAGE_SUBSYSTEM_EFI_APPLICATION = 10, IMAGE_SUBSYSTEM_EFI_ROM = 13;
constexpr std::string_view WINDOWS_11 = "10.0.22000";  // the first Windows 11 build

constexpr std::string_view BAD_EXE_FORMAT = "CreateProcess: ERROR_BAD_EXE_FORMAT (193)";
constexpr std::string_view MACHINE_MISMATCH = "CreateProcess: ERROR_EXE_MACHINE_TYPE_MISMATCH (216)";

bool has_flag(const PeClr& clr, std::string_view name) {
  for (const auto& flag : clr.flag_names)
    if (flag == name) return true;
  return false;
}

// "x64" as Windows names its architectures.
std::string windows_arch(Arch arch) {
  switch (arch) {
    case Arch::amd64: return "x64";
    case Arch::i386: return "x86";
    case Arch::arm64: return "Arm64";
    case Arch::arm: return "32-bit Arm";
    default: return std::string(to_string(arch));
  }
}

// The command that builds for `arch` Windows, in the vocabulary of what built the file. Fixes are
// shell lines: the command, then " # " and caveats (docs/rules.md).
std::string windows_build(const FileReport& report, Arch arch) {
  const PlatformNames names = names_of(make_platform(Os::windows, arch));
  if (built_with_go(report)) return fmt::format("GOOS=windows GOARCH={} go build", names.goarch);
  if (built_with_rust(report))
    return fmt::format("rustup target add {0} && cargo build --target {0}", names.rust_triple);
  if (report.pe && report.pe->clr) return "mcs -platform:anycpu -out:prog.exe prog.cs # AnyCPU runs natively everywhere";
  if (!names.gnu_triple.empty())
    return fmt::format("{}-gcc -o prog.exe prog.c # MinGW-w64; or MSVC for {}", names.gnu_triple, windows_arch(arch));
  return fmt::format("# rebuild for {} Windows", windows_arch(arch));
}

// A fix that is a build command, with one more caveat after its own.
std::string with_caveat(std::string fix, std::string_view caveat) {
  fix += fix.find(" # ") == std::string::npos ? " # " : "; ";
  fix += caveat;
  return fix;
}

class WindowsExec {
 public:
  WindowsExec(const FileReport& report, const HostInfo& host, const JudgeContext& context)
      : report_(report), host_(host), context_(context), target_(host_arch(host)) {}

  ExecResult run() {
    if (!opened()) return std::move(result_);
    if (report_.format != Format::pe || !report_.pe) {
      not_pe();
      return std::move(result_);
    }
    const PeDetails& pe = *report_.pe;
    if (truncated()) return std::move(result_);
    if (!program(pe)) return std::move(result_);
    if (!machine(pe)) return std::move(result_);
    subsystem_version(pe);
    return std::move(result_);
  }

 private:
  void fail(const std::string& code, std::string message, std::string_view error, std::string_view outcome,
            std::string fix) {
    result_.execve = std::string(error);
    add("error", code, std::move(message), outcome, std::move(fix));
  }
  void add(std::string severity, const std::string& code, std::string message, std::string_view outcome,
           std::string fix) {
    result_.problems.push_back(
        Problem{code, std::move(severity), std::move(message), std::string(outcome), std::move(fix)});
  }

  bool opened() {
    const PathInfo info = context_.subject(report_.path);
    if (info.kind == PathInfo::Kind::missing) {
      result_.execve = "ERROR_FILE_NOT_FOUND";
      result_.problems.push_back(make_problem(
          "E_FILE_MISSING", fmt::format("The system cannot find the file specified: {}", report_.path),
          "CreateProcess: ERROR_FILE_NOT_FOUND (2)", report_, host_));
      return false;
    }
    if (info.kind == PathInfo::Kind::directory || info.kind == PathInfo::Kind::other) {
      result_.execve = "ERROR_ACCESS_DENIED";
      result_.problems.push_back(make_problem("E_NOT_REGULAR", fmt::format("Access is denied: {} (not a file)", report_.path),
                                              "CreateProcess: ERROR_ACCESS_DENIED (5)", report_, host_));
      return false;
    }
    return true;  // Windows has no execute bit to check
  }

  // ELF, Mach-O, scripts and data: CreateProcess starts PE images only.
  void not_pe() {
    std::string what = "not a PE program";
    std::string fix = windows_build(report_, target_);
    if (report_.format == Format::elf) {
      what = fmt::format("an ELF program for {}", report_.platform ? to_oci(*report_.platform) : "Linux");
      fix = with_caveat(fix, fmt::format("or run the Linux program in WSL: wsl {}{}",
                                         report_.path.find('/') == std::string::npos ? "./" : "",
                                         shell_quote(report_.path)));
    } else if (report_.format == Format::macho || report_.format == Format::macho_fat) {
      what = "a Mach-O program for Apple systems";
    } else if (report_.format == Format::script) {
      what = "a #! script: Windows does not read #! lines";
      fix = fmt::format("wsl bash {} # or Git Bash: run it with its interpreter", shell_quote(report_.path));
    } else if (!report_.kind.empty()) {
      what = impostor::not_a_program(report_, "Windows");
    }
    fail("E_WIN_NOT_PE",
         fmt::format("This app can't run on your PC: {} is not a valid Win32 application ({}; Windows runs PE programs only)",
                     report_.path, what),
         "ERROR_BAD_EXE_FORMAT", BAD_EXE_FORMAT, std::move(fix));
  }

  // A file cut before what the loader maps from it: the section table or a section's raw data
  // (PeDetails::mapped_part_cut names it). A cut certificate table alone is not mapped.
  bool truncated() {
    if (report_.pe && report_.pe->optional_header_cut) {
      // The 97-byte tiny PE: XP zero-filled the missing header bytes, Vista and later refuse the
      // file (corkami's PE notes and pts-tinype report it; inferred, no Microsoft statement).
      // Every Windows target enoexec knows is Vista or later, so this is a refusal, not a guess
      // that it runs.
      fail("E_WIN_TRUNCATED",
           fmt::format("{} is not a valid Win32 application (the file ends inside its optional header; "
                       "only Windows XP read the rest as zeros)",
                       report_.path),
           "ERROR_BAD_EXE_FORMAT", BAD_EXE_FORMAT,
           "link a complete image: the whole optional header and its data directories must be in the file");
      return true;
    }
    if (!report_.pe || report_.pe->mapped_part_cut.empty()) return false;
    const std::string& what = report_.pe->mapped_part_cut;
    fail("E_WIN_TRUNCATED",
         fmt::format("{} is not a valid Win32 application (the file is cut short: {})", report_.path, what),
         "ERROR_BAD_EXE_FORMAT", BAD_EXE_FORMAT,
         "download or copy the file again, and compare its size or checksum with the original");
    return true;
  }

  // A DLL, or an image for a subsystem other than Windows GUI / console, is not a program to start.
  bool program(const PeDetails& pe) {
    const bool dll = std::find(pe.characteristics_names.begin(), pe.characteristics_names.end(), "DLL") !=
                     pe.characteristics_names.end();
    if (dll) {
      fail("E_WIN_DLL",
           fmt::format("{} is not a valid Win32 application (a DLL: programs load it, Windows does not start it)", report_.path),
           "ERROR_BAD_EXE_FORMAT", BAD_EXE_FORMAT,
           with_caveat(windows_build(report_, target_), "link a program; a DLL is loaded (LoadLibrary), not started"));
      return false;
    }
    const std::uint16_t s = pe.subsystem;
    if (s == IMAGE_SUBSYSTEM_WINDOWS_GUI || s == IMAGE_SUBSYSTEM_WINDOWS_CUI) return true;
    if (s == IMAGE_SUBSYSTEM_NATIVE) {
      fail("E_WIN_SUBSYSTEM",
           fmt::format("The {} application cannot be run in Win32 mode (subsystem NATIVE: a driver or boot-time "
                       "program, which Windows loads itself)",
                       report_.path),
           "ERROR_CHILD_NOT_COMPLETE", "CreateProcess: ERROR_CHILD_NOT_COMPLETE (129)",
           "# install it as the driver or boot-time program it is; a program to start needs subsystem "
           "WINDOWS_CUI or WINDOWS_GUI");
      return false;
    }
    const bool efi = s >= IMAGE_SUBSYSTEM_EFI_APPLICATION && s <= IMAGE_SUBSYSTEM_EFI_ROM;
    fail("E_WIN_SUBSYSTEM",
         fmt::format("{} is not a valid Win32 application (subsystem {}: {})", report_.path, pe.subsystem_name,
                     efi ? "a UEFI program, started by the firmware, not by Windows"
                         : s == IMAGE_SUBSYSTEM_WINDOWS_CE_GUI ? "a Windows CE program" : "not a Windows program"),
         "ERROR_BAD_EXE_FORMAT", BAD_EXE_FORMAT,
         efi ? "# start it from the UEFI firmware: its boot menu, the UEFI shell, or a boot entry (efibootmgr, bcdedit)"
             : "# link it for the Windows console or GUI subsystem (-mconsole / -mwindows, /SUBSYSTEM:CONSOLE)");
    return false;
  }

  // The architecture the image runs as: .NET AnyCPU runs as the system's own.
  Arch runs_as(const PeDetails& pe) const {
    const Arch arch = report_.platform ? report_.platform->arch : Arch::unknown;
    if (!pe.clr) return arch;
    const bool any_cpu = pe.machine == IMAGE_FILE_MACHINE_I386 && has_flag(*pe.clr, "ILONLY") &&
                         !has_flag(*pe.clr, "32BITREQUIRED");
    return any_cpu ? target_ : arch;
  }

  bool machine(const PeDetails& pe) {
    const Arch arch = runs_as(pe);
    if (pe.clr) dotnet(*pe.clr, arch);
    if (arch == target_) return true;
    if (const HostEmulation* e = emulation_for(host_, Os::windows, arch)) {
      result_.emulator = e->via;
      return true;
    }
    const std::string what = fmt::format("{} is built for {} Windows ({})", report_.path, windows_arch(arch), report_.machine);
    if (arch == Arch::arm && target_ == Arch::arm64) return arm32(what);
    if (arch == Arch::amd64 && target_ == Arch::arm64) {
      fail("E_WIN_NO_X64_EMULATION",
           fmt::format("This app can't run on your PC: {}; Windows 10 on Arm emulates x86 programs only (Windows 11 "
                       "on Arm emulates x64 too)",
                       what),
           "ERROR_EXE_MACHINE_TYPE_MISMATCH", MACHINE_MISMATCH,
           with_caveat(windows_build(report_, Arch::arm64), "or the x86 build; or Windows 11 on Arm, which emulates x64"));
      return false;
    }
    fail("E_WIN_WRONG_ARCH",
         fmt::format("This app can't run on your PC: {}; this is {} Windows", what, windows_arch(target_)),
         "ERROR_EXE_MACHINE_TYPE_MISMATCH", MACHINE_MISMATCH, windows_build(report_, target_));
    return false;
  }

  // 32-bit Arm programs run on Windows 10 on Arm; Windows 11 24H2 removed them (U).
  bool arm32(const std::string& what) {
    if (!host_.os_version.empty() && version_less(host_.os_version, WINDOWS_11)) return true;
    add("warning", "W_WIN_ARM32",
        fmt::format("{}: 32-bit Arm programs run on Windows 10 on Arm, but Windows 11 24H2 and later no longer "
                    "run them",
                    what),
        "CreateProcess: ERROR_EXE_MACHINE_TYPE_MISMATCH (216) on Windows 11 24H2 and later",
        windows_build(report_, Arch::arm64));
    return true;
  }

  void dotnet(const PeClr& clr, Arch arch) {
    add("info", "I_DOTNET_RUNTIME",
        fmt::format("{} is a .NET assembly ({}{}): the .NET runtime{} runs it as an {} process", report_.path,
                    clr.runs_as.empty() ? "flags " + fmt::format("{:#x}", clr.flags) : clr.runs_as,
                    clr.runtime_version ? ", built for " + *clr.runtime_version : "",
                    clr.runtime_version && clr.runtime_version->starts_with("v4.") ? " (.NET Framework 4, part of Windows 10 and 11)" : "",
                    windows_arch(arch)),
        "", "");
  }

  // MajorSubsystemVersion.Minor is the oldest Windows NT version the loader accepts (macho-pe.md B.3).
  void subsystem_version(const PeDetails& pe) {
    const std::string& wanted = pe.subsystem_version;
    if (wanted.empty()) return;
    if (host_.os_version.empty()) {
      return add("info", "I_WINDOWS_VERSION_UNKNOWN",
                 fmt::format("{} needs Windows NT {} or later (its PE subsystem version); the target's Windows version "
                             "is not known",
                             report_.path, wanted),
                 "", "name a Windows profile to check it: --target windows-7-x64, windows-10-x64, ...");
    }
    if (!version_less(host_.os_version, wanted)) return;
    fail("E_WIN_SUBSYSTEM_VERSION",
         fmt::format("{} is not a valid Win32 application (its PE subsystem version {} asks for Windows NT {} or later; "
                     "the target is Windows NT {})",
                     report_.path, wanted, wanted, host_.os_version),
         "ERROR_BAD_EXE_FORMAT", BAD_EXE_FORMAT, version_fix());
  }

  std::string version_fix() const {
    const std::string& target = host_.os_version;
    const auto dot = target.find('.');
    const std::string major = target.substr(0, dot);
    const std::string minor = dot == std::string::npos ? "0" : target.substr(dot + 1, target.find('.', dot + 1) - dot - 1);
    if (built_with_go(report_))
      return fmt::format("{} # with Go 1.20 or older: Go 1.21 and later support Windows 10 and later only",
                         windows_build(report_, target_));
    if (built_with_rust(report_))
      return fmt::format("RUSTFLAGS='-C link-arg=/SUBSYSTEM:CONSOLE,{}.{:0>2}' cargo build", major, minor);
    const std::string triple = names_of(make_platform(Os::windows, target_)).gnu_triple;
    return fmt::format("{0}-gcc -Wl,--major-subsystem-version,{1} -Wl,--minor-subsystem-version,{2} -o prog.exe "
                       "prog.c # MSVC: link /SUBSYSTEM:CONSOLE,{1}.{2:0>2}",
                       triple.empty() ? "x86_64-w64-mingw32" : triple, major, minor);
  }

  const FileReport& report_;
  const HostInfo& host_;
  const JudgeContext& context_;
  const Arch target_;
  ExecResult result_;
};

}  // namespace

ExecResult windows_exec(const FileReport& report, const HostInfo& host, const JudgeContext& context) {
  return WindowsExec(report, host, context).run();
}

}  // namespace enoexec::verdict

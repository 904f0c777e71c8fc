// The fix texts, in one table: per rule code, a generic fix and, where it differs, the fix in the
// vocabulary of the toolchain that built the file (Go, C/C++ with gcc or clang). Placeholders
// in braces are filled from the file and the target.
#include <array>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

struct FixRow {
  std::string_view code;
  std::string_view generic;
  std::string_view go;  // "" = same as generic
  std::string_view c;   // C/C++ (gcc, clang); "" = same as generic
};

constexpr std::string_view CROSS_C =
    "rebuild for the target: apt-get install gcc-{triple} and compile with {triple}-gcc, or docker "
    "buildx build --platform {oci}";
constexpr std::string_view GO_BUILD = "rebuild: GOOS=linux GOARCH={goarch}{govar} CGO_ENABLED=0 go build";

constexpr std::array FIXES{
    FixRow{"E_FILE_MISSING", "check the path", "", ""},
    FixRow{"E_NOT_REGULAR", "execute a regular file, not a directory or device", "", ""},
    FixRow{"E_NOT_EXECUTABLE", "chmod +x {file}", "", ""},
    FixRow{"E_NOEXEC_MOUNT", "move the file to a file system mounted without noexec, or run it through its interpreter", "", ""},
    FixRow{"E_INTERP_NOT_REGULAR", "make the #! line name the interpreter program itself", "", ""},
    FixRow{"E_INTERP_NOT_EXECUTABLE", "chmod +x on the interpreter the #! line names, or name another one", "", ""},
    FixRow{"E_INTERP_MISSING", "install the interpreter on the target, or change the #! line to an interpreter that exists there (#!/usr/bin/env NAME searches PATH)", "", ""},
    FixRow{"E_INTERP_LOOP", "make the #! line name a real program, not another script", "", ""},
    FixRow{"E_BINFMT_INTERP_MISSING", "install the emulator on the target, or register the binfmt_misc entry with the F flag (docker run --privileged tonistiigi/binfmt --install all)", "", ""},
    FixRow{"E_SCRIPT_CRLF", "convert to Unix line endings: sed -i 's/\\r$//' {file} (or dos2unix {file})", "", ""},
    FixRow{"W_SCRIPT_CRLF", "convert to Unix line endings: sed -i 's/\\r$//' {file} (or dos2unix {file})", "", ""},
    FixRow{"E_SCRIPT_BOM", "remove the byte-order mark: sed -i '1s/^\\xEF\\xBB\\xBF//' {file}", "", ""},
    FixRow{"E_SCRIPT_PATH_TRUNCATED", "shorten the #! line below the kernel's 255 bytes (install the interpreter at a shorter path, or use #!/usr/bin/env NAME)", "", ""},
    FixRow{"E_SCRIPT_EMPTY_INTERP", "write the interpreter's absolute path after #!", "", ""},
    FixRow{"E_SCRIPT_DECLINED", "start the file with a valid #! line naming an absolute path", "", ""},
    FixRow{"E_NO_SHEBANG", "add a first line such as #!/bin/sh (execve fails; only shells fall back to running it)", "", ""},
    FixRow{"E_ENV_NEEDS_S", "use #!/usr/bin/env -S to pass options in the #! line", "", ""},
    FixRow{"E_ENV_NO_COMMAND", "name the program after #!/usr/bin/env", "", ""},
    FixRow{"E_EMPTY_FILE", "the file is empty: download or build it again", "", ""},
    FixRow{"E_UNKNOWN_FORMAT", "this is not a program for {oci}: get the right file", "", ""},
    FixRow{"E_WINDOWS_PE", "use the Linux build of the program for {oci}, or run it with Wine", GO_BUILD, CROSS_C},
    FixRow{"E_MACHO", "use the Linux build of the program for {oci}", GO_BUILD, CROSS_C},
    FixRow{"E_ELF_HEADER", "the ELF header is cut short: download or build the file again", "", ""},
    FixRow{"E_ELF_TYPE", "link the object into an executable (this is not a program)", "", "link it: {triple}-gcc -o prog {file}"},
    FixRow{"E_ELF_PHDRS", "the program header table is damaged: build the file again", "", ""},
    FixRow{"E_ELF_INTERP_BAD", "the PT_INTERP entry is damaged: build the file again", "", ""},
    FixRow{"E_WRONG_ARCH", "use a build for {oci} (docker buildx build --platform {oci}), or install an emulator: apt-get install qemu-user-static binfmt-support", GO_BUILD, CROSS_C},
    FixRow{"E_NO_COMPAT32", "use a 64-bit build for {oci}, or enable 32-bit support (boot with ia32_emulation=1 on x86-64)", GO_BUILD, CROSS_C},
    FixRow{"E_ARM_OABI", "rebuild for the EABI (arm-linux-gnueabi or arm-linux-gnueabihf)", "", CROSS_C},
    FixRow{"E_LOADER_MISSING", "install the C library the file was linked against (its loader), or build a static binary for {oci}", "rebuild without cgo: GOOS=linux GOARCH={goarch}{govar} CGO_ENABLED=0 go build", "link statically (-static), or build against the target's C library ({triple}-gcc)"},
    FixRow{"E_LOADER_SHORT", "the ELF interpreter on the target is damaged: reinstall the C library", "", ""},
    FixRow{"E_LOADER_BAD", "the ELF interpreter on the target is not for this architecture: reinstall the C library for {debian}", "", ""},
    FixRow{"E_PAGE_SIZE", "relink with segments aligned for the target's page size: -Wl,-z,max-page-size=65536 (or boot a 4 KiB-page kernel: kernel=kernel8.img on a Raspberry Pi 5)", "", "relink with -Wl,-z,max-page-size=65536 -Wl,-z,common-page-size=65536"},
    FixRow{"E_LIB_MISSING", "install the package that provides the library on the target, or link it statically", "rebuild without cgo: CGO_ENABLED=0 go build", "install the library on the target, or link it statically"},
    FixRow{"E_GLIBC_TOO_OLD", "build on (or for) a system with glibc {glibc} or older, e.g. in a container of the target's distribution", "rebuild without cgo: CGO_ENABLED=0 go build (no glibc needed)", "build against glibc {glibc} or older (an older distribution's container, or zig cc -target {zig}.{glibc})"},
    FixRow{"E_CPU_LEVEL", "use a build for the target's CPU level ({oci_level})", "rebuild: GOOS=linux GOARCH={goarch}{govar_level} go build", "rebuild with -march for the target's CPU level"},
    FixRow{"E_FOREIGN_OS", "use the Linux build of the program for {oci}", GO_BUILD, CROSS_C},
};

bool is_go(const FileReport& report) {
  return report.go.has_value() || (report.toolchain && report.toolchain->language == "go");
}

bool is_c(const FileReport& report) {
  if (!report.toolchain) return false;
  const std::string& c = report.toolchain->compiler;
  return c == "gcc" || c == "clang";
}

std::string fill(std::string_view text, const std::map<std::string, std::string, std::less<>>& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto close = text.find('}', i);
    if (text[i] == '{' && close != std::string_view::npos) {
      if (auto it = values.find(text.substr(i + 1, close - i - 1)); it != values.end()) {
        out += it->second;
        i = close;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

std::string fix_for(const std::string& code, const FileReport& report, const HostInfo& host) {
  // Builds for a foreign target name its baseline: an amd64/v4 host runs amd64 (v1) programs,
  // while an arm/v6 host cannot run the arm/v7 default, so arm keeps its variant.
  const Platform target = target_platform(host);
  Platform baseline = target;
  if (baseline.arch == Arch::amd64 || baseline.arch == Arch::arm64) baseline.variant.clear();
  const PlatformNames names = names_of(baseline);
  const PlatformNames level = names_of(target);
  const std::map<std::string, std::string, std::less<>> values{
      {"file", report.path},
      {"oci", names.oci},
      {"goarch", names.goarch},
      {"govar", names.go_variant_var.empty() ? "" : fmt::format(" {}={}", names.go_variant_var, names.go_variant_value)},
      {"govar_level", level.go_variant_var.empty() ? "" : fmt::format(" {}={}", level.go_variant_var, level.go_variant_value)},
      {"oci_level", level.oci},
      {"triple", names.gnu_triple},
      {"debian", names.debian},
      {"glibc", host.libc.version},
      {"zig", names.gnu_triple},
  };
  for (const auto& row : FIXES) {
    if (row.code != code) continue;
    std::string_view text = row.generic;
    if (is_go(report) && !row.go.empty()) text = row.go;
    if (is_c(report) && !row.c.empty()) text = row.c;
    return fill(text, values);
  }
  return {};
}

Problem make_problem(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host) {
  return {code, "error", std::move(message), std::move(outcome), fix_for(code, report, host)};
}

Problem make_warning(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host) {
  return {code, "warning", std::move(message), std::move(outcome), fix_for(code, report, host)};
}

}  // namespace enoexec::verdict

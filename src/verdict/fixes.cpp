// The fix texts, in one table: per rule code, a generic fix and, where it differs, the fix in the
// vocabulary of the toolchain that built the file (Go, Rust, C, C++). A fix is a command line
// to paste into a shell; what follows " # " is a shell comment with the alternatives, so pasting
// the whole text runs only the command. Placeholders in braces are filled from the file and the
// target, with the names build_advice() uses (src/targets/build_advice.cpp).
#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "targets/build_advice.hpp"
#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

struct FixRow {
  std::string_view code;
  std::string_view generic;
  std::string_view go;    // "" = same as generic
  std::string_view c;     // C and C++ (gcc, clang); "" = same as generic
  std::string_view rust;  // "" = same as generic
};

// A build for the target, per toolchain. {c_build} is a complete C or C++ command line.
constexpr std::string_view GO_BUILD = "GOOS=linux GOARCH={goarch}{govar} CGO_ENABLED=0 go build";
constexpr std::string_view C_BUILD = "{c_build} # or: docker buildx build --platform {oci} .";
constexpr std::string_view RUST_BUILD =
    "rustup target add {rust} && cargo build --release --target {rust}";
constexpr std::string_view OTHER_BUILD =
    "docker buildx build --platform {oci} . # or run it emulated: sudo apt-get install "
    "qemu-user-static binfmt-support";
constexpr std::string_view SCRIPT_CRLF = "sed -i 's/\\r$//' {file} # or: dos2unix {file}";

constexpr std::array FIXES{
    FixRow{"E_FILE_MISSING", "check the path", "", "", ""},
    FixRow{"E_NOT_REGULAR", "execute a regular file, not a directory or device", "", "", ""},
    FixRow{"E_NOT_EXECUTABLE", "chmod +x {file}", "", "", ""},
    FixRow{"E_NOEXEC_MOUNT", "move the file to a file system mounted without noexec, or run it through its interpreter", "", "", ""},
    FixRow{"E_INTERP_NOT_REGULAR", "make the #! line name the interpreter program itself", "", "", ""},
    FixRow{"E_INTERP_NOT_EXECUTABLE", "chmod +x on the interpreter the #! line names, or name another one", "", "", ""},
    FixRow{"E_INTERP_MISSING", "install the interpreter on the target, or change the #! line to an interpreter that exists there (#!/usr/bin/env NAME searches PATH)", "", "", ""},
    FixRow{"E_INTERP_LOOP", "make the #! line name a real program, not another script", "", "", ""},
    FixRow{"E_BINFMT_INTERP_MISSING", "sudo apt-get install qemu-user-static binfmt-support # its entries are registered with the F flag; or: docker run --privileged --rm tonistiigi/binfmt --install all", "", "", ""},
    FixRow{"E_SCRIPT_CRLF", SCRIPT_CRLF, "", "", ""},
    FixRow{"W_SCRIPT_CRLF", SCRIPT_CRLF, "", "", ""},
    FixRow{"E_SCRIPT_BOM", "sed -i '1s/^\\xEF\\xBB\\xBF//' {file}", "", "", ""},
    FixRow{"E_SCRIPT_PATH_TRUNCATED", "shorten the #! line below the kernel's 255 bytes (install the interpreter at a shorter path, or use #!/usr/bin/env NAME)", "", "", ""},
    FixRow{"E_SCRIPT_EMPTY_INTERP", "write the interpreter's absolute path after #!", "", "", ""},
    FixRow{"E_SCRIPT_DECLINED", "start the file with a valid #! line naming an absolute path", "", "", ""},
    FixRow{"E_NO_SHEBANG", "sed -i '1i #!/bin/sh' {file} # execve needs a #! line; only shells fall back to running it", "", "", ""},
    FixRow{"E_ENV_NEEDS_S", "sed -i '1s|^#!/usr/bin/env |#!/usr/bin/env -S |' {file}", "", "", ""},
    FixRow{"E_ENV_NO_COMMAND", "name the program after #!/usr/bin/env", "", "", ""},
    FixRow{"E_ENV_PROGRAM_MISSING", "install the program the #!/usr/bin/env line names on the target, or name its absolute path in the #! line", "", "", ""},
    FixRow{"E_EMPTY_FILE", "the file is empty: download or build it again", "", "", ""},
    FixRow{"E_UNKNOWN_FORMAT", "this is not a program for {oci}: get the right file", "", "", ""},
    FixRow{"E_WINDOWS_PE", "use the Linux build of the program for {oci}, or run it with Wine", GO_BUILD, C_BUILD, RUST_BUILD},
    FixRow{"E_MACHO", "use the Linux build of the program for {oci}", GO_BUILD, C_BUILD, RUST_BUILD},
    FixRow{"E_ELF_HEADER", "the ELF header is cut short: download or build the file again", "", "", ""},
    FixRow{"E_ELF_TYPE", "link the object into an executable (this is not a program)", "", "link it: {cc} -o prog {file}", ""},
    FixRow{"E_ELF_PHDRS", "the program header table is damaged: build the file again", "", "", ""},
    FixRow{"E_ELF_INTERP_BAD", "the PT_INTERP entry is damaged: build the file again", "", "", ""},
    FixRow{"E_WRONG_ARCH", OTHER_BUILD, GO_BUILD, C_BUILD, RUST_BUILD},
    FixRow{"E_NO_COMPAT32", "use a 64-bit build for {oci}, or enable 32-bit support (boot with ia32_emulation=1 on x86-64)", GO_BUILD, C_BUILD, RUST_BUILD},
    FixRow{"E_ARM_OABI", "rebuild for the EABI (arm-linux-gnueabi or arm-linux-gnueabihf)", "", C_BUILD, ""},
    FixRow{"E_LOADER_MISSING", "install the C library the file was linked against (its loader), or build a static binary for {oci}", GO_BUILD, C_BUILD, RUST_BUILD},
    FixRow{"E_LOADER_SHORT", "the ELF interpreter on the target is damaged: reinstall the C library", "", "", ""},
    FixRow{"E_LOADER_BAD", "the ELF interpreter on the target is not for this architecture: reinstall the C library for {debian}", "", "", ""},
    FixRow{"E_PAGE_SIZE", "relink with segments aligned for 64 KiB pages: -Wl,-z,max-page-size=65536 (or boot a 4 KiB-page kernel: kernel=kernel8.img in config.txt on a Raspberry Pi 5)", "", "{c_page} # or boot a 4 KiB-page kernel: kernel=kernel8.img in config.txt on a Raspberry Pi 5", ""},
    FixRow{"E_LIB_MISSING", "install the package that provides the library on the target, or link it statically", GO_BUILD, "install the library on the target, or link it statically: {c_static}", ""},
    FixRow{"E_GLIBC_TOO_OLD", "build on (or for) a system with glibc {glibc} or older, e.g. in a container of the target's distribution", GO_BUILD, "zig cc -target {zig}.{glibc} -o prog {source} # or build in a container of the target's distribution (glibc {glibc})", ""},
    FixRow{"E_GLIBCXX_TOO_OLD", "link libstdc++ statically (-static-libstdc++ -static-libgcc), or build with the target's GCC", "", "{cxx_static_libstdcxx}", ""},
    FixRow{"E_KERNEL_TOO_OLD", "build against a C library that supports the target's kernel (an older distribution's glibc, or musl)", GO_BUILD, "{c_musl} # musl supports old kernels; or build in a container of the target's distribution", ""},
    FixRow{"E_CPU_LEVEL", "use a build for the target's CPU level ({oci_level})", "GOOS=linux GOARCH={goarch}{govar_level} CGO_ENABLED=0 go build", "{c_level}", "RUSTFLAGS='-C target-cpu={rust_cpu}' cargo build --release --target {rust}"},
    FixRow{"E_FOREIGN_OS", "use the Linux build of the program for {oci}", GO_BUILD, C_BUILD, RUST_BUILD},
};

enum class Lang { other, go, c, cxx, rust };

Lang language_of(const FileReport& report) {
  if (report.go.has_value()) return Lang::go;
  if (!report.toolchain) return Lang::other;
  const std::string& language = report.toolchain->language;
  const std::string& compiler = report.toolchain->compiler;
  if (language == "go") return Lang::go;
  if (language == "rust") return Lang::rust;
  if (compiler != "gcc" && compiler != "clang") return Lang::other;
  return language == "c++" ? Lang::cxx : Lang::c;
}

using Values = std::map<std::string, std::string, std::less<>>;

// `text` with each {name} replaced: {file} by the file's path, the others from `values()`,
// which builds them only when one is named (most fixes name none or only {file}, and a scan
// asks for thousands). An unknown name stays as written.
std::string fill(std::string_view text, const std::string& file,
                 const std::function<const Values&()>& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto close = text.find('}', i);
    if (text[i] == '{' && close != std::string_view::npos) {
      const std::string_view name = text.substr(i + 1, close - i - 1);
      if (name == "file") {
        out += file;
        i = close;
        continue;
      }
      if (auto it = values().find(name); it != values().end()) {
        out += it->second;
        i = close;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// The C or C++ compiler for the target, with the Debian package that provides it:
// {"sudo apt-get install gcc-aarch64-linux-gnu && ", "aarch64-linux-gnu-gcc"}. musl targets:
// Debian's musl-gcc builds for amd64 only; other arches need a musl cross toolchain.
struct Compiler {
  std::string install;
  std::string command;
};

Compiler compiler_for(const Platform& target, const PlatformNames& names, bool cxx) {
  const std::string_view tool = cxx ? "g++" : "gcc";
  if (target.libc == Libc::musl) {
    if (target.arch == Arch::amd64 && !cxx) return {"sudo apt-get install musl-tools && ", "musl-gcc"};
    return {"", fmt::format("{}-{}", names.gnu_triple, tool)};  // musl-cross-make
  }
  std::string package = targets::debian_gcc_package(names.gnu_triple);
  if (cxx) package.replace(0, 3, "g++");
  return {fmt::format("sudo apt-get install {} && ", package), fmt::format("{}-{}", names.gnu_triple, tool)};
}

// rustc -C target-cpu for a level: the names rustc (LLVM) knows.
std::string rust_cpu(const Platform& target) {
  if (target.arch == Arch::amd64) return target.variant.empty() ? "x86-64" : "x86-64-" + target.variant;
  if (target.arch == Arch::arm && target.variant == "v6") return "arm1176jzf-s";
  return "generic";
}

// The placeholder values of a fix on `host` for a file built with `lang`, all but {file}.
Values fix_values(const HostInfo& host, Lang lang) {
  // Builds for a foreign target name its baseline: an amd64/v4 host runs amd64 (v1) programs,
  // while an arm/v6 host cannot run the arm/v7 default, so arm keeps its variant.
  const Platform target = target_platform(host);
  Platform baseline = target;
  if (baseline.arch == Arch::amd64 || baseline.arch == Arch::arm64) baseline.variant.clear();
  const PlatformNames names = names_of(baseline);
  const PlatformNames level = names_of(target);
  const bool cxx = lang == Lang::cxx;
  const std::string source = cxx ? "prog.cpp" : "prog.c";
  const Compiler cc = compiler_for(baseline, names, cxx);
  const std::string static_flag = baseline.libc == Libc::musl ? " -static" : "";
  // Caveats go after " # ", so a fix stays one command line to paste.
  std::string caveat;
  if (target.arch == Arch::arm && target.variant == "v6" && baseline.libc != Libc::musl) {
    caveat = " # Debian's armhf start files are ARMv7: link against a Raspberry Pi OS sysroot, or build on the Pi";
  } else if (baseline.libc == Libc::musl && cc.install.empty()) {
    caveat = " # a musl cross toolchain (musl-cross-make); Debian packages none";
  }
  const std::string c_level = fmt::format("{}{}{} -o prog {}{}", cc.install, cc.command,
                                          targets::gcc_level_flags(target, false), source, caveat);
  const std::string c_build = fmt::format("{}{}{}{} -o prog {}{}", cc.install, cc.command,
                                          targets::gcc_level_flags(baseline, false), static_flag, source, caveat);
  const auto govar = [](const PlatformNames& n) {
    return n.go_variant_var.empty() ? std::string() : fmt::format(" {}={}", n.go_variant_var, n.go_variant_value);
  };
  return Values{
      {"oci", names.oci},
      {"goarch", names.goarch},
      // amd64 and arm64 builds for a foreign target take the baseline, which needs no variable
      // (and GOARM64 only exists from Go 1.23); arm always names GOARM.
      {"govar", baseline.variant.empty() && baseline.arch != Arch::arm ? std::string() : govar(names)},
      {"govar_level", govar(level)},
      {"oci_level", level.oci},
      {"triple", names.gnu_triple},
      {"debian", names.debian},
      {"glibc", host.libc.version},
      {"zig", names.gnu_triple},
      {"rust", names.rust_triple},
      {"rust_cpu", rust_cpu(target)},
      {"source", source},
      {"cc", cc.command},
      {"c_build", c_build},
      {"c_static", fmt::format("{}{} -static -o prog {}", cc.install, cc.command, source)},
      {"c_level", c_level},
      {"c_page", fmt::format("{}{} -Wl,-z,max-page-size=65536 -o prog {}", cc.install, cc.command, source)},
      {"c_musl", baseline.arch == Arch::amd64 && !cxx ? "sudo apt-get install musl-tools && musl-gcc -static -o prog prog.c"
                                                     : fmt::format("{}-linux-musl-gcc -static -o prog {}", names.goarch, source)},
      {"cxx_static_libstdcxx", fmt::format("{}{} -static-libstdc++ -static-libgcc -o prog {}", cc.install, cc.command, source)},
  };
}

}  // namespace

std::string fix_for(const std::string& code, const FileReport& report, const HostInfo& host) {
  const auto row = std::find_if(FIXES.begin(), FIXES.end(),
                                [&code](const FixRow& r) { return r.code == code; });
  if (row == FIXES.end()) return {};
  const Lang lang = language_of(report);
  std::string_view text = row->generic;
  if (lang == Lang::go && !row->go.empty()) text = row->go;
  if ((lang == Lang::c || lang == Lang::cxx) && !row->c.empty()) text = row->c;
  if (lang == Lang::rust && !row->rust.empty()) text = row->rust;
  std::optional<Values> values;
  return fill(text, report.path, [&]() -> const Values& {
    if (!values) values = fix_values(host, lang);
    return *values;
  });
}

Problem make_problem(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host) {
  return {code, "error", std::move(message), std::move(outcome), fix_for(code, report, host)};
}

Problem make_warning(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host) {
  return {code, "warning", std::move(message), std::move(outcome), fix_for(code, report, host)};
}

Problem make_info(const std::string& code, std::string message, std::string outcome,
                  const FileReport& report, const HostInfo& host) {
  return {code, "info", std::move(message), std::move(outcome), fix_for(code, report, host)};
}

}  // namespace enoexec::verdict

// Filling in the fix texts of the rules table (src/rules/rules.def): per rule code, a generic fix
// and, where it differs, the fix in the vocabulary of the toolchain that built the file (Go,
// Rust, C, C++). A fix is a command line to paste into a shell; what follows " # " is a shell
// comment with the alternatives, so pasting the whole text runs only the command. Placeholders
// in braces are filled from the file and the target, with the names build_advice() uses
// (src/targets/build_advice.cpp); the file's path is shell-quoted, so a name cannot smuggle a
// command into what is pasted. Also the one place a Problem is made from a code (make_problem).
#include <cassert>
#include <functional>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "enoexec/rules.hpp"
#include "formats/impostor/kind_names.hpp"
#include "support/display_text.hpp"
#include "targets/build_advice.hpp"
#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

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

// `text` with each {name} replaced: {file} by the file's path, shell-quoted; the others from
// `values()`, which builds them only when one is named (most fixes name none or only {file},
// and a scan asks for thousands). An unknown name stays as written.
std::string fill(std::string_view text, const std::string& file,
                 const std::function<const Values&()>& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto close = text.find('}', i);
    if (text[i] == '{' && close != std::string_view::npos) {
      const std::string_view name = text.substr(i + 1, close - i - 1);
      if (name == "file") {
        out += shell_quote(file);
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
  if (target.os == Os::android) return {"", targets::ndk_clang(names.gnu_triple, cxx)};
  if (target.libc == Libc::musl) {
    if (target.arch == Arch::amd64 && !cxx) return {"sudo apt-get install musl-tools && ", "musl-gcc"};
    return {"", fmt::format("{}-{}", names.gnu_triple, tool)};  // musl-cross-make
  }
  std::optional<std::string> package = targets::debian_gcc_package(names.gnu_triple);
  if (!package) return {"", fmt::format("{}-{}", names.gnu_triple, tool)};  // crosstool-NG, Buildroot
  if (cxx) package->replace(0, 3, "g++");
  return {fmt::format("sudo apt-get install {} && ", *package), fmt::format("{}-{}", names.gnu_triple, tool)};
}

// What builds or runs a program for `target` when the file's own toolchain is not known:
// Docker where qemu-user can build the target's platform, qemu-user where Debian packages it
// for the target and it emulates the file's architecture `file`; otherwise a rebuild.
std::string other_build(const Platform& target, const PlatformNames& names, Arch file) {
  const bool docker = target.os == Os::linux && targets::qemu_user_emulates(target.arch);
  const bool emulate = target.os == Os::linux && targets::debian_release_arch(target.arch) && file != Arch::unknown &&
                       targets::qemu_user_emulates(file);
  std::string text = docker ? fmt::format("docker buildx build --platform {} .", names.oci)
                            : fmt::format("rebuild it for {}", names.oci);
  if (emulate) text += " # or run it emulated: sudo apt-get install qemu-user-static binfmt-support";
  else if (docker) text += fmt::format(" # QEMU has no user-mode emulator for {}, so it cannot run emulated", to_string(file));
  return text;
}

// rustc -C target-cpu for a level: the names rustc (LLVM) knows.
std::string rust_cpu(const Platform& target) {
  if (target.arch == Arch::amd64) return target.variant.empty() ? "x86-64" : "x86-64-" + target.variant;
  if (target.arch == Arch::arm && target.variant == "v6") return "arm1176jzf-s";
  return "generic";
}

// The placeholder values of a fix on `host` for a file built with `lang`, all but {file}.
Values fix_values(const HostInfo& host, Lang lang, Arch file) {
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
  } else if (baseline.os == Os::android) {
    caveat = " # the Android NDK's clang; 21 is the oldest Android API level the program supports";
  } else if (baseline.libc == Libc::musl && cc.install.empty()) {
    caveat = " # a musl cross toolchain (musl-cross-make); Debian packages none";
  } else if (cc.install.empty()) {
    caveat = " # a cross toolchain Debian 12 does not package: crosstool-NG or Buildroot builds one";
  }
  const std::string c_level = fmt::format("{}{}{} -o prog {}{}", cc.install, cc.command,
                                          targets::gcc_level_flags(target, false), source, caveat);
  const std::string c_build = fmt::format("{}{}{}{} -o prog {}{}", cc.install, cc.command,
                                          targets::gcc_level_flags(baseline, false), static_flag, source, caveat);
  const auto govar = [](const PlatformNames& n) {
    return n.go_variant_var.empty() ? std::string() : fmt::format(" {}={}", n.go_variant_var, n.go_variant_value);
  };
  const bool docker = target.os == Os::linux && targets::qemu_user_emulates(baseline.arch);
  return Values{
      {"oci", names.oci},
      {"or_docker", docker ? fmt::format(" # or: docker buildx build --platform {} .", names.oci) : std::string()},
      {"other_build", other_build(baseline, names, file)},
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
  const RuleInfo* rule = find_rule(code);
  if (rule == nullptr || rule->fix.empty()) return {};
  const Lang lang = language_of(report);
  // A toolchain's own fix only where it has a port for the target (Go: GOARCH; Rust: a triple;
  // C: a GNU triple); else the generic fix.
  std::string_view text = rule->fix;
  std::string_view own;
  if (lang == Lang::go) own = rule->fix_go;
  if (lang == Lang::c || lang == Lang::cxx) own = rule->fix_c;
  if (lang == Lang::rust) own = rule->fix_rust;
  if (!own.empty()) {
    const PlatformNames target = names_of(target_platform(host));
    const std::string& port = lang == Lang::go ? target.goarch : lang == Lang::rust ? target.rust_triple : target.gnu_triple;
    if (!port.empty()) text = own;
  }
  const Arch file = report.platform ? report.platform->arch : Arch::unknown;
  std::optional<Values> values;
  return fill(text, report.path, [&]() -> const Values& {
    if (!values) {
      values = fix_values(host, lang, file);
      values->emplace("kind", impostor::describe_kind(report));  // "Markdown text"
    }
    return *values;
  });
}

namespace {

// Every code is a row of the rules table, with the severity its maker says: a code missing
// from it is a programming error (tests/unit/rules/ checks every code the sources spell).
Problem make(RuleSeverity severity, const std::string& code, std::string message,
             std::string outcome, const FileReport& report, const HostInfo& host) {
  [[maybe_unused]] const RuleInfo* rule = find_rule(code);
  assert(rule != nullptr && rule->severity == severity);
  return {code, std::string(to_string(severity)), std::move(message), std::move(outcome),
          fix_for(code, report, host)};
}

}  // namespace

Problem make_problem(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host) {
  return make(RuleSeverity::error, code, std::move(message), std::move(outcome), report, host);
}

Problem make_warning(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host) {
  return make(RuleSeverity::warning, code, std::move(message), std::move(outcome), report, host);
}

Problem make_info(const std::string& code, std::string message, std::string outcome,
                  const FileReport& report, const HostInfo& host) {
  return make(RuleSeverity::info, code, std::move(message), std::move(outcome), report, host);
}

}  // namespace enoexec::verdict

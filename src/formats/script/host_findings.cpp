#include "formats/script/host_findings.hpp"

#include <cerrno>

#include <fmt/format.h>

#include "enoexec/kernel.hpp"

#include "formats/script/kernel_line.hpp"
#include "formats/script/text.hpp"

namespace enoexec::script {
namespace {

// " (a symlink: "/usr/bin/python" -> "python2" -> ...)"
std::string symlink_chain(const std::string& path, const std::vector<std::string>& targets) {
  if (targets.empty()) return {};
  std::string chain = quoted(path);
  for (const auto& target : targets) chain += " -> " + quoted(target);
  return fmt::format(" (a symbolic link: {})", chain);
}

std::string missing_message(const std::string& path, const InterpreterOnHost& host) {
  const std::string name = quoted(path) + symlink_chain(path, host.symlinks);
  switch (host.stat_errno) {
    case ELOOP:
      return fmt::format("{} goes round symbolic links (more than {} of them) on this host: execve "
                         "fails with ELOOP (\"Too many levels of symbolic links\")",
                         name, kernel::MAXSYMLINKS);
    case ENOTDIR:
      return fmt::format("{} does not exist on this host (a part of the path is not a directory): "
                         "execve fails with ENOTDIR (\"Not a directory\")",
                         name);
    default:
      return fmt::format("{} does not exist on this host: the kernel cannot open it and execve fails "
                         "with ENOENT; bash prints \"cannot execute: required file not found\", zsh "
                         "\"bad interpreter: {}: no such file or directory\"",
                         name, escape_for_display(path));
  }
}

std::string nested_script_message(const std::string& path, const std::string& head) {
  const KernelLine inner = read_kernel_line(
      ByteView({reinterpret_cast<const std::uint8_t*>(head.data()), head.size()}));
  const std::string names =
      inner.verdict == KernelVerdict::opens_interpreter
          ? fmt::format("its \"#!\" line names {}", quoted(inner.interpreter))
          : std::string("its \"#!\" line names no usable interpreter, so execve fails with ENOEXEC");
  return fmt::format("the interpreter {} is itself a script on this host ({}): Linux runs such "
                     "chains up to 5 scripts deep and fails with ELOOP beyond that",
                     quoted(path), names);
}

}  // namespace

void add_host_findings(const InterpreterOnHost& host, ScriptDetails& script) {
  if (!script.interpreter) return;
  const std::string& path = *script.interpreter;
  if (host.stat_errno == ENOENT || host.stat_errno == ENOTDIR || host.stat_errno == ELOOP) {
    script.findings.push_back({"interpreter-missing", missing_message(path, host)});
    return;
  }
  if (host.stat_errno != 0) return;  // EACCES and the like: this host cannot tell
  if (host.file_type != "regular file" || !host.executable) {
    const std::string what = host.file_type != "regular file"
                                 ? fmt::format("is a {}", host.file_type)
                                 : std::string("has no execute permission");
    script.findings.push_back(
        {"interpreter-not-executable",
         fmt::format("the interpreter {}{} {} on this host: execve fails with EACCES (\"Permission "
                     "denied\")",
                     quoted(path), symlink_chain(path, host.symlinks), what)});
    return;
  }
  if (host.head && host.head->substr(0, 2) == "#!")
    script.findings.push_back({"interpreter-is-script", nested_script_message(path, *host.head)});
}

}  // namespace enoexec::script

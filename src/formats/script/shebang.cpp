#include "formats/script/shebang.hpp"

#include <algorithm>
#include <array>

#include "formats/script/env_command.hpp"
#include "formats/script/findings.hpp"
#include "formats/script/kernel_line.hpp"
#include "formats/script/text.hpp"

namespace enoexec::script {
namespace {

constexpr std::array<std::uint8_t, 5> BOM_SHEBANG{0xef, 0xbb, 0xbf, '#', '!'};
constexpr std::uint64_t BOM_SIZE = 3;

bool starts_with(ByteView file, std::string_view prefix) {
  return file.as_chars().substr(0, prefix.size()) == prefix;
}

bool starts_with_bom_shebang(ByteView file) {
  return file.size() >= BOM_SHEBANG.size() &&
         std::equal(BOM_SHEBANG.begin(), BOM_SHEBANG.end(), file.data());
}

// The first line as far as the kernel's buffer holds it, without its newline.
std::string_view first_line(ByteView file) {
  const std::string_view buffer = file.clamp(0, BINPRM_BUF_SIZE).as_chars();
  return buffer.substr(0, buffer.find('\n'));
}

// The length of the whole first line, whatever the buffer.
std::size_t whole_line_length(ByteView file) {
  const std::string_view chars = file.as_chars();
  return std::min(chars.find('\n'), chars.size());
}

// Where "#!" starts when only blank space comes before it: a near miss worth naming.
std::optional<std::uint64_t> late_shebang(ByteView file) {
  const std::string_view buffer = file.clamp(0, BINPRM_BUF_SIZE).as_chars();
  const std::size_t at = buffer.find_first_not_of(" \t\r\n\v\f");
  if (at == 0 || at == std::string_view::npos || buffer.substr(at, 2) != "#!") return std::nullopt;
  return file.file_offset() + at;
}

std::optional<std::uint64_t> nul_in_first_line(ByteView file) {
  const std::size_t at = first_line(file).find('\0');
  if (at == std::string_view::npos) return std::nullopt;
  return file.file_offset() + at;
}

bool ends_with_cr(std::string_view text) { return !text.empty() && text.back() == '\r'; }

bool same_reading(const KernelLine& a, const KernelLine& b) {
  return a.verdict == b.verdict && a.interpreter == b.interpreter && a.argument == b.argument;
}

void add(ScriptDetails& details, ScriptFinding finding) { details.findings.push_back(std::move(finding)); }

// The findings about a line the kernel reads, once it has decided to open `kernel.interpreter`.
void describe_interpreter(ByteView file, const KernelLine& kernel, ScriptDetails& details) {
  std::optional<EnvRun> env;
  if (is_env(kernel.interpreter)) {
    env = run_env(kernel.argument);
    if (env->result != EnvResult::split_error && env->result != EnvResult::bad_option)
      details.env_command = env->command;
  }
  if (ends_with_cr(kernel.interpreter) || ends_with_cr(kernel.argument.value_or("")))
    add(details, finding::crlf(kernel, env));
  if (kernel.interpreter.front() != '/') add(details, finding::relative_interpreter(kernel.interpreter));

  const KernelLine whole = read_whole_line(file);
  const std::size_t length = whole_line_length(file);
  if (whole.verdict == KernelVerdict::opens_interpreter && whole.argument != kernel.argument) {
    add(details, finding::argument_truncated(kernel, whole, BINPRM_BUF_SIZE));
  } else if (length >= OLD_BINPRM_BUF_SIZE) {
    const KernelLine old = read_kernel_line(file, OLD_BINPRM_BUF_SIZE);
    if (!same_reading(old, kernel)) add(details, finding::old_kernel_buffer(old, length));
  }
  if (env)
    if (auto problem = finding::env(kernel.interpreter, kernel.argument, *env)) add(details, *problem);
}

// A file that starts with "#!".
void describe_shebang(ByteView file, ScriptDetails& details) {
  const KernelLine kernel = read_kernel_line(file);
  if (auto nul = nul_in_first_line(file)) add(details, finding::nul_in_line(*nul, kernel));
  switch (kernel.verdict) {
    case KernelVerdict::not_script:  // callers only pass files that start with "#!"
    case KernelVerdict::no_interpreter:
      details.kernel_error = "ENOEXEC";
      return add(details, finding::empty_interpreter(false));
    case KernelVerdict::path_truncated:
      details.kernel_error = "ENOEXEC";
      return add(details, finding::interpreter_path_truncated(read_whole_line(file), BINPRM_BUF_SIZE));
    case KernelVerdict::opens_interpreter: break;
  }
  details.interpreter = kernel.interpreter;
  details.interpreter_args = kernel.argument;
  if (kernel.interpreter.empty()) {
    details.kernel_error = "EACCES";
    return add(details, finding::empty_interpreter(true));
  }
  describe_interpreter(file, kernel, details);
}

// The kernel declines the file; what the line would do without the BOM follows the BOM finding.
void describe_bom_shebang(ByteView file, ScriptDetails& details) {
  details.kernel_error = "ENOEXEC";
  const ByteView rest = file.clamp(BOM_SIZE, file.size());
  const std::string_view line = first_line(rest);
  add(details, finding::bom(line.substr(0, line.find_first_of(" \t"))));
  ScriptDetails without_bom;
  describe_shebang(rest, without_bom);
  for (auto& problem : without_bom.findings)
    add(details, {problem.code, "once the BOM is removed: " + problem.message});
}

}  // namespace

void inspect(ByteView file, FileReport& report) {
  report.format = Format::script;
  report.type = "script";
  ScriptDetails details;
  details.buffer_size = static_cast<std::uint32_t>(BINPRM_BUF_SIZE);
  details.line = escape_for_display(first_line(file));
  if (starts_with_bom_shebang(file)) {
    describe_bom_shebang(file, details);
  } else if (starts_with(file, "#!")) {
    describe_shebang(file, details);
  } else {
    details.kernel_error = "ENOEXEC";
    add(details, finding::no_shebang(late_shebang(file)));
  }
  report.interpreter = details.interpreter;
  report.script = std::move(details);
}

bool looks_like_text(ByteView file) { return is_text(file); }

bool looks_like_shell(ByteView file) { return is_shell_like(file); }

}  // namespace enoexec::script

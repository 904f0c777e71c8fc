#include "formats/script/env_command.hpp"

#include <array>

#include <fmt/format.h>

namespace enoexec::script {
namespace {

using SplitResult = tl::expected<std::vector<std::string>, std::string>;

// -S splits on these outside quotes (the C locale's isspace set).
bool is_split_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// The words of one -S string as they are built up.
class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  SplitResult run() {
    while (at_ < text_.size()) {
      auto step = next();
      if (!step) return tl::unexpected(step.error());
      if (!*step) return words_;  // "#" at a word start or "\c": the rest is ignored
    }
    if (single_ || double_) return tl::unexpected(std::string("no terminating quote in -S string"));
    return words_;
  }

 private:
  // Consumes one unit; false when the rest of the string is to be ignored.
  tl::expected<bool, std::string> next() {
    const char c = text_[at_];
    if (c == '\'' && !double_) return toggle(single_);
    if (c == '"' && !single_) return toggle(double_);
    if (is_split_space(c) && !single_ && !double_) {
      separated_ = true;
      ++at_;
      return true;
    }
    if (c == '#' && separated_) return false;
    if (c == '\\') return escape();
    if (c == '$' && !single_) return variable();
    append(c);
    ++at_;
    return true;
  }

  tl::expected<bool, std::string> toggle(bool& quote) {
    quote = !quote;
    start_word();  // even "" makes a (possibly empty) word
    ++at_;
    return true;
  }

  tl::expected<bool, std::string> escape() {
    const char following = at_ + 1 < text_.size() ? text_[at_ + 1] : '\0';
    if (single_ && following != '\\' && following != '\'') {  // literal inside '...'
      append('\\');
      ++at_;
      return true;
    }
    if (at_ + 1 >= text_.size())
      return tl::unexpected(std::string("invalid backslash at end of string in -S"));
    at_ += 2;
    switch (following) {
      case '"': case '#': case '$': case '\'': case '\\': append(following); return true;
      case 'f': append('\f'); return true;
      case 'n': append('\n'); return true;
      case 'r': append('\r'); return true;
      case 't': append('\t'); return true;
      case 'v': append('\v'); return true;
      case '_':  // a space inside "...", else a word break
        if (double_) append(' ');
        else separated_ = true;
        return true;
      case 'c':
        if (double_) return tl::unexpected(std::string("'\\c' must not appear in double-quoted -S string"));
        return false;
      default: break;
    }
    return tl::unexpected(fmt::format("invalid sequence '\\{}' in -S", following));
  }

  // Only ${NAME} is accepted. Its value belongs to the environment the script runs in, so the
  // word keeps the reference as written.
  tl::expected<bool, std::string> variable() {
    const std::string_view rest = text_.substr(at_);
    std::size_t end = 2;
    const auto name_char = [](char c, bool first) {  // ASCII only, as env's c_isalnum
      return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    };
    if (rest.size() > 2 && rest[1] == '{' && name_char(rest[2], true)) {
      end = 3;
      while (end < rest.size() && name_char(rest[end], false)) ++end;
    }
    if (end < 3 || end >= rest.size() || rest[end] != '}')
      return tl::unexpected(fmt::format("only ${{VARNAME}} expansion is supported, error at: {}", rest));
    for (char c : rest.substr(0, end + 1)) append(c);
    at_ += end + 1;
    return true;
  }

  void start_word() {
    if (separated_) words_.emplace_back();
    separated_ = false;
  }
  void append(char c) {
    start_word();
    words_.back().push_back(c);
  }

  std::string_view text_;
  std::size_t at_ = 0;
  bool single_ = false, double_ = false, separated_ = true;
  std::vector<std::string> words_;
};

// env's argument list while its options are read: the script's own path (appended by the
// kernel) is marked, because it is not text from the "#!" line.
struct EnvArg {
  std::string text;
  bool is_script = false;
};
using EnvArgs = std::vector<EnvArg>;

struct LongOption {
  std::string_view name;
  bool takes_value;  // required argument: "--name=V" or "--name V"
};
constexpr std::array<LongOption, 12> LONG_OPTIONS{{
    {"ignore-environment", false}, {"null", false}, {"unset", true}, {"chdir", true},
    {"default-signal", false}, {"ignore-signal", false}, {"block-signal", false},
    {"list-signal-handling", false}, {"debug", false}, {"split-string", true},
    {"help", false}, {"version", false},
}};

// getopt_long accepts unambiguous prefixes of long option names.
const LongOption* find_long_option(std::string_view name) {
  const LongOption* found = nullptr;
  for (const auto& option : LONG_OPTIONS) {
    if (option.name == name) return &option;
    if (option.name.substr(0, name.size()) == name) {
      if (found) return nullptr;
      found = &option;
    }
  }
  return found;
}

EnvRun failed(EnvResult result, std::string message) {
  EnvRun run;
  run.result = result;
  run.env_error = std::move(message);
  return run;
}

// Reads env's options from `args`, applying -S; on success `args` starts at the first operand.
class OptionReader {
 public:
  explicit OptionReader(EnvArgs& args) : args_(args) {}

  std::optional<EnvRun> read() {
    // Each -S consumes its own text, so the loop ends; the cap only guards the invariant.
    for (int round = 0; round < 4096; ++round) {
      if (args_.empty() || args_.front().is_script) return std::nullopt;
      const std::string text = args_.front().text;
      if (text == "--") {
        drop(1);
        return std::nullopt;
      }
      if (text.size() < 2 || text[0] != '-') return std::nullopt;
      auto problem = text[1] == '-' ? long_option(text.substr(2)) : short_options(text);
      if (problem) return problem;
    }
    return failed(EnvResult::bad_option, "too many -S options");
  }

  bool split() const { return split_; }

 private:
  std::optional<EnvRun> short_options(const std::string& text) {
    for (std::size_t j = 1; j < text.size(); ++j) {
      const char c = text[j];
      if (c == 'i' || c == 'v' || c == '0') continue;
      if (c == 'S' || c == 'u' || c == 'C') return with_value(c, text.substr(j + 1));
      if (is_split_space(c))  // "#!/usr/bin/env -i python3": env's own shebang check
        return failed(EnvResult::needs_split, fmt::format("invalid option -- '{}'", c));
      return failed(EnvResult::bad_option, fmt::format("invalid option -- '{}'", c));
    }
    drop(1);
    return std::nullopt;
  }

  std::optional<EnvRun> long_option(const std::string& body) {
    const std::size_t equals = body.find('=');
    const std::string name = body.substr(0, equals);
    const LongOption* option = find_long_option(name);
    if (!option) return failed(EnvResult::bad_option, fmt::format("unrecognized option '--{}'", name));
    if (option->name == "help" || option->name == "version")
      return failed(EnvResult::bad_option, fmt::format("--{} prints text and runs nothing", option->name));
    if (!option->takes_value) {
      drop(1);
      return std::nullopt;
    }
    const char letter = option->name == "split-string" ? 'S' : option->name == "unset" ? 'u' : 'C';
    return with_value(letter, equals == std::string::npos ? std::string() : body.substr(equals + 1),
                      equals != std::string::npos);
  }

  // An option with a value: the rest of this word, else the next word.
  std::optional<EnvRun> with_value(char letter, std::string attached, bool attached_given = false) {
    std::size_t consumed = 1;
    if (attached.empty() && !attached_given) {
      if (args_.size() < 2) return failed(EnvResult::bad_option, fmt::format("option requires an argument -- '{}'", letter));
      if (args_[1].is_script) return failed(EnvResult::no_command, fmt::format("-{} takes the script's own path as its value", letter));
      attached = args_[1].text;
      consumed = 2;
    }
    drop(consumed);
    if (letter != 'S') return std::nullopt;
    auto words = split_string(attached);
    if (!words) return failed(EnvResult::split_error, words.error());
    EnvArgs replaced;
    for (auto& word : *words) replaced.push_back({std::move(word), false});
    replaced.insert(replaced.end(), args_.begin(), args_.end());
    args_ = std::move(replaced);  // getopt starts over on the new list
    split_ = true;
    return std::nullopt;
  }

  void drop(std::size_t count) { args_.erase(args_.begin(), args_.begin() + static_cast<std::ptrdiff_t>(count)); }

  EnvArgs& args_;
  bool split_ = false;
};

bool has_blank(std::string_view text) { return text.find_first_of(" \t") != std::string_view::npos; }

}  // namespace

bool is_env(std::string_view interpreter) {
  const std::size_t slash = interpreter.rfind('/');
  return interpreter.substr(slash == std::string_view::npos ? 0 : slash + 1) == "env";
}

tl::expected<std::vector<std::string>, std::string> split_string(std::string_view text) {
  return Splitter(text).run();
}

EnvRun run_env(const std::optional<std::string>& argument) {
  EnvArgs args;
  if (argument) args.push_back({*argument, false});
  args.push_back({"", true});

  OptionReader options(args);
  if (auto problem = options.read()) return *problem;
  EnvRun run;
  run.split = options.split();
  std::size_t at = 0;
  if (!args.empty() && !args.front().is_script && args.front().text == "-") ++at;  // "-" = -i
  while (at < args.size() && !args[at].is_script && args[at].text.find('=') != std::string::npos)
    ++at;  // NAME=VALUE assignments
  if (at >= args.size() || args[at].is_script) {
    run.result = EnvResult::no_command;
    return run;
  }
  for (; at < args.size() && !args[at].is_script; ++at) run.command.push_back(args[at].text);
  if (!run.split && has_blank(run.command.front())) {
    run.result = EnvResult::needs_split;
    run.env_error = fmt::format("'{}': No such file or directory", run.command.front());
  }
  return run;
}

}  // namespace enoexec::script

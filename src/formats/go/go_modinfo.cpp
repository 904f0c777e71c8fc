#include "formats/go/go_modinfo.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "formats/go/go_strconv.hpp"

namespace enoexec::go {
namespace {

using Columns = std::vector<std::string_view>;

// A line-level failure: Go's message, before the line number is put in front of it.
using LineResult = tl::expected<void, std::string>;

std::string_view after_prefix(std::string_view line, std::string_view prefix) {
  return line.substr(prefix.size());
}

Columns split_tabs(std::string_view text) {
  Columns columns;
  for (;;) {
    const std::size_t tab = text.find('\t');
    columns.push_back(text.substr(0, tab));
    if (tab == std::string_view::npos) return columns;
    text.remove_prefix(tab + 1);
  }
}

// debug.quoteKey / quoteValue: what BuildInfo.String would have quoted.
bool needs_quoting_key(std::string_view key) {
  return key.empty() || key.find_first_of("= \t\r\n\"`") != std::string_view::npos;
}
bool needs_quoting_value(std::string_view value) {
  return value.find_first_of(" \t\r\n\"`") != std::string_view::npos;
}

tl::expected<GoDependency, std::string> module_line(const Columns& columns) {
  if (columns.size() != 2 && columns.size() != 3)
    return tl::unexpected(fmt::format("expected 2 or 3 columns; got {}", columns.size()));
  GoDependency module;
  module.path = columns[0];
  module.version = columns[1];
  if (columns.size() == 3) module.sum = columns[2];
  return module;
}

struct KeyAndRest {
  std::string key;
  std::string_view raw_value;
};

tl::expected<KeyAndRest, std::string> build_key(std::string_view kv) {
  if (kv.empty()) return tl::unexpected(std::string("build line missing '='"));
  if (kv[0] == '=') return tl::unexpected(std::string("build line with missing key"));
  if (kv[0] == '`' || kv[0] == '"') {
    auto key = unquote_prefix(kv);
    if (!key) return tl::unexpected(std::string("invalid quoted key in build line"));
    if (key->length == kv.size())
      return tl::unexpected(std::string("build line missing '=' after quoted key"));
    const auto next = static_cast<std::uint8_t>(kv[key->length]);
    if (next != '=')
      return tl::unexpected(
          fmt::format("unexpected character after quoted key: {}", quote_byte(next)));
    return KeyAndRest{std::move(key->value), kv.substr(key->length + 1)};
  }
  const std::size_t equals = kv.find('=');
  if (equals == std::string_view::npos)
    return tl::unexpected(std::string("build line missing '=' after key"));
  const std::string_view key = kv.substr(0, equals);
  if (needs_quoting_key(key))
    return tl::unexpected(fmt::format("unquoted key {} must be quoted", quote(key)));
  return KeyAndRest{std::string(key), kv.substr(equals + 1)};
}

tl::expected<std::string, std::string> build_value(std::string_view raw) {
  if (raw.empty()) return std::string();
  if (raw[0] == '`' || raw[0] == '"') {
    auto value = unquote(raw);
    if (!value) return tl::unexpected(std::string("invalid quoted value in build line"));
    return std::move(*value);
  }
  if (needs_quoting_value(raw))
    return tl::unexpected(fmt::format("unquoted value {} must be quoted", quote(raw)));
  return std::string(raw);
}

class Parser {
 public:
  explicit Parser(GoBuildInfo& info) : info_(info) {}

  LineResult line(std::string_view line) {
    if (line.starts_with("path\t")) {
      info_.path = after_prefix(line, "path\t");
    } else if (line.starts_with("mod\t")) {
      return module(split_tabs(after_prefix(line, "mod\t")), true);
    } else if (line.starts_with("dep\t")) {
      return module(split_tabs(after_prefix(line, "dep\t")), false);
    } else if (line.starts_with("=>\t")) {
      return replacement(split_tabs(after_prefix(line, "=>\t")));
    } else if (line.starts_with("build\t")) {
      return setting(after_prefix(line, "build\t"));
    }
    return {};
  }

 private:
  LineResult module(const Columns& columns, bool is_main) {
    auto parsed = module_line(columns);
    if (!parsed) return tl::unexpected(std::move(parsed.error()));
    if (is_main) {
      info_.main = std::move(*parsed);
      last_ = Last::main;
    } else {
      info_.deps.push_back(std::move(*parsed));
      last_ = Last::dep;
    }
    return {};
  }

  LineResult replacement(const Columns& columns) {
    if (columns.size() != 3)
      return tl::unexpected(
          fmt::format("expected 3 columns for replacement; got {}", columns.size()));
    GoDependency* target = last_ == Last::main  ? &*info_.main
                           : last_ == Last::dep ? &info_.deps.back()
                                                : nullptr;
    if (target == nullptr)
      return tl::unexpected(std::string("replacement with no module on previous line"));
    target->replace_path = columns[0];
    target->replace_version = columns[1];
    target->replace_sum = columns[2];
    last_ = Last::none;  // a second `=>` in a row has nothing left to replace
    return {};
  }

  LineResult setting(std::string_view kv) {
    auto key = build_key(kv);
    if (!key) return tl::unexpected(std::move(key.error()));
    auto value = build_value(key->raw_value);
    if (!value) return tl::unexpected(std::move(value.error()));
    info_.settings.emplace_back(std::move(key->key), std::move(*value));
    return {};
  }

  enum class Last { none, main, dep };
  GoBuildInfo& info_;
  Last last_ = Last::none;
};

}  // namespace

Result<void> parse_modinfo(ByteView text, GoBuildInfo& info) {
  const std::string_view chars = text.as_chars();
  Parser parser(info);
  std::size_t start = 0;
  for (unsigned number = 1; start < chars.size(); ++number) {
    const std::size_t newline = chars.find('\n', start);
    if (newline == std::string_view::npos) break;  // Go ignores an unterminated last line
    auto handled = parser.line(chars.substr(start, newline - start));
    if (!handled)
      return make_error(ErrorCode::malformed, text.file_offset() + start,
                        fmt::format("modinfo line {}: {}", number, handled.error()));
    start = newline + 1;
  }
  return {};
}

}  // namespace enoexec::go

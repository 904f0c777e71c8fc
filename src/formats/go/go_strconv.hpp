// Go's strconv quoting rules (golang/go: src/strconv/quote.go), as far as build info needs them:
// `build` lines quote keys and values with strconv.Quote, and runtime/debug.ParseBuildInfo reads
// them back with strconv.QuotedPrefix and strconv.Unquote.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace enoexec::go {

struct Unquoted {
  std::string value;   // the decoded bytes
  std::size_t length;  // how many bytes of the input the literal (quotes included) spans
};

// The Go string literal ("..." or `...`) at the start of `text`, decoded: QuotedPrefix and
// Unquote in one. nullopt when `text` does not start with a valid literal.
std::optional<Unquoted> unquote_prefix(std::string_view text);

// strconv.Unquote for string literals: all of `text` must be one "..." or `...` literal.
std::optional<std::string> unquote(std::string_view text);

// strconv.Quote, for error messages. Exact for ASCII and Latin-1; other valid runes are kept
// as they are (Go escapes the few it deems unprintable).
std::string quote(std::string_view text);

// strconv.QuoteRune of one byte, as fmt's %q prints a byte: 'x', '\t', '\x00', '\u0080'.
std::string quote_byte(std::uint8_t byte);

}  // namespace enoexec::go

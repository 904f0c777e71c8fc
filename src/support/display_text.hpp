// Text that leaves the program: the one escaper for what a terminal shows and the one quoter for
// what a shell reads. Every printer and every fix goes through these two (docs/architecture.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace enoexec {

// One UTF-8 sequence (RFC 3629) at the start of `bytes`: valid, invalid (`length` 1: the bad
// byte), or cut short by the end of `bytes` (`length` = what is there).
enum class Utf8 { valid, invalid, cut_short };
struct Utf8Sequence {
  Utf8 status;
  std::size_t length;
  char32_t code_point;
};
Utf8Sequence decode_utf8(std::string_view bytes);

// True when `text` is valid UTF-8 throughout (JSON strings must be; see docs/json.md path_bytes).
bool is_valid_utf8(std::string_view text);

// Bytes for a terminal: printable ASCII and valid UTF-8 as they are; "\t", "\r", "\n", "\0" and
// "\xNN" for other control bytes (ESC included: no escape sequence reaches the terminal), DEL
// and bytes that are not UTF-8; "\ufeff" for a byte-order mark, which is invisible. A backslash
// stays a backslash, so escaping twice changes nothing: a message that already holds escaped
// text can go through a printer again.
std::string escape_for_display(std::string_view bytes);
void append_escaped(std::string_view bytes, std::string& out);

// `"..."` around escape_for_display(bytes), with \" for a quote: a name inside a message.
std::string quoted(std::string_view bytes);

// One word for a POSIX shell: `text` as it is when it holds only characters no shell treats
// specially (letters, digits and _ @ % + = : , . / -) and is not empty; otherwise in single
// quotes, each ' written '\''. Pasting a fix never runs what a file name smuggles in.
std::string shell_quote(std::string_view text);

}  // namespace enoexec

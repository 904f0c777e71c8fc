#include "formats/impostor/impostor.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "formats/impostor/foreign.hpp"
#include "formats/impostor/magic_table.hpp"

namespace enoexec::impostor {
namespace {

// Markup and JSON are recognised from their first and last KiB.
constexpr std::uint64_t TEXT_WINDOW = 1024;

bool has_at(ByteView file, const Magic& magic) {
  if (!file.contains(magic.offset, magic.bytes.size())) return false;
  return file.as_chars().substr(magic.offset, magic.bytes.size()) == magic.bytes;
}

std::optional<std::uint16_t> u16(ByteView file, std::uint64_t offset, Endian endian) {
  auto value = file.read<std::uint16_t>(offset, endian, "impostor signature");
  return value ? std::optional(*value) : std::nullopt;
}

// "BZh" and the block size digit '1'..'9'.
bool is_bzip2(ByteView file) {
  const auto chars = file.as_chars();
  return chars.size() >= 4 && chars.substr(0, 3) == "BZh" && chars[3] >= '1' && chars[3] <= '9';
}

// POSIX ustar ("ustar\0") or GNU tar ("ustar  \0") magic in the first header block.
bool is_tar(ByteView file) {
  const auto chars = file.as_chars();
  if (chars.size() < 263 || chars.substr(257, 5) != "ustar") return false;
  return chars[262] == '\0' || chars[262] == ' ';
}

// CAFEBABE starts both Java class files and universal Mach-O. A class file follows it with
// minor_version and major_version (big-endian, major >= 45 since JDK 1.0.2); identify() takes
// the same bytes as a Mach-O slice count only when that count is below 45.
bool is_java_class(ByteView file) {
  static constexpr Magic cafebabe{"java-class", 0, "\xca\xfe\xba\xbe"sv};
  const auto major = u16(file, 6, Endian::big);
  return has_at(file, cafebabe) && major && *major >= 45;
}

// pcapng (draft-ietf-opsawg-pcapng section 4.1): a Section Header Block, block type 0x0A0D0D0A,
// its total length, then the byte-order magic 0x1A2B3C4D in the writer's byte order.
bool is_pcapng(ByteView file) {
  static constexpr Magic block{"pcapng", 0, "\x0a\x0d\x0d\x0a"sv};
  static constexpr Magic little{"pcapng", 8, "\x4d\x3c\x2b\x1a"sv};
  static constexpr Magic big{"pcapng", 8, "\x1a\x2b\x3c\x4d"sv};
  return has_at(file, block) && (has_at(file, little) || has_at(file, big));
}

// CPython .pyc (Lib/importlib/_bootstrap_external.py): a 2-byte little-endian magic number,
// then "\r\n" (bytes 2 and 3 both checked). 62211 is Python 2.7; 3.0 to 3.14 use 3000-3999. The
// header is at least 8 bytes long in every version; from 3.7 (magic 3390, PEP 552) bytes 4-7 are
// a flags word whose only defined values are 0, 1 and 3. 0x0D0A (3338) is no release's magic:
// "\x0a\x0d\x0d\x0a" starts every pcapng file, which is_pcapng() names before this test.
bool is_python_bytecode(ByteView file) {
  const auto magic = u16(file, 0, Endian::little);
  const auto crlf = u16(file, 2, Endian::big);
  if (!magic || !crlf || *crlf != 0x0d0a || file.size() < 8 || *magic == 0x0d0a) return false;
  if (*magic == 62211) return true;
  if (*magic < 3000 || *magic >= 4000) return false;
  const auto flags = file.read<std::uint32_t>(4, Endian::little, "pyc flags");
  return *magic < 3390 || (flags && (*flags == 0 || *flags == 1 || *flags == 3));
}

// A UTF-16 byte-order mark: text saved by Windows tools; the kernel sees neither "#!" nor ELF.
bool is_utf16_text(ByteView file) {
  const auto bom = u16(file, 0, Endian::big);
  return bom && (*bom == 0xfffe || *bom == 0xfeff) && file.size() >= 4;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) { return lower(a) == lower(b); });
}

bool contains_nocase(std::string_view text, std::string_view needle) {
  for (std::size_t at = 0; at + needle.size() <= text.size(); ++at)
    if (starts_with_nocase(text.substr(at), needle)) return true;
  return false;
}

constexpr std::string_view BLANKS = " \t\r\n\f\v";

// The start of the file without a UTF-8 BOM and leading blank space.
std::string_view text_start(ByteView file) {
  std::string_view head = file.clamp(0, TEXT_WINDOW).as_chars();
  if (head.substr(0, 3) == "\xef\xbb\xbf") head.remove_prefix(3);
  const std::size_t at = head.find_first_not_of(BLANKS);
  return at == std::string_view::npos ? std::string_view() : head.substr(at);
}

// The last non-blank byte of the file, looking back at most TEXT_WINDOW bytes.
char last_non_blank(ByteView file) {
  const std::uint64_t from = file.size() > TEXT_WINDOW ? file.size() - TEXT_WINDOW : 0;
  const std::string_view tail = file.clamp(from, TEXT_WINDOW).as_chars();
  const std::size_t at = tail.find_last_not_of(BLANKS);
  return at == std::string_view::npos ? '\0' : tail[at];
}

constexpr std::array<std::string_view, 5> HTML_STARTS{"<!doctype html", "<html", "<head", "<body", "<title"};

// HTML error pages (a failed download), SVG images and XML (S3-style error documents, feeds).
// SVG: an <svg element first, or an XML declaration, comment or <!DOCTYPE svg before one in the
// first KiB.
std::string_view markup_kind(std::string_view start) {
  for (auto prefix : HTML_STARTS)
    if (starts_with_nocase(start, prefix)) return "html";
  const bool names_html = contains_nocase(start, "<!doctype html") || contains_nocase(start, "<html");
  const bool names_svg = contains_nocase(start, "<svg");
  if (starts_with_nocase(start, "<svg")) return "svg";
  if (starts_with_nocase(start, "<!--") && names_html) return "html";  // a comment first
  if ((starts_with_nocase(start, "<!--") || starts_with_nocase(start, "<!doctype svg")) && names_svg)
    return "svg";
  if (starts_with_nocase(start, "<?xml")) return names_html ? "html" : names_svg ? "svg" : "xml";  // XHTML is HTML
  return {};
}

// The byte after the JSON string that opens at `quote` (and any blanks), or '\0'.
char after_string(std::string_view text, std::size_t quote) {
  for (std::size_t at = quote + 1; at < text.size(); ++at) {
    if (text[at] == '\\') {
      ++at;  // an escaped character
      continue;
    }
    if (text[at] != '"') continue;
    const std::size_t next = text.find_first_not_of(BLANKS, at + 1);
    return next == std::string_view::npos ? '\0' : text[next];
  }
  return '\0';
}

// An object ({"key": ...} or {}) or an array ([{...}], ["a", ...] or []) that also ends like
// one. Shell tests such as [ "$x" = y ] start like an array, hence the look past the string.
bool is_json(ByteView file, std::string_view start) {
  const std::size_t next = start.find_first_not_of(BLANKS, 1);
  if (next == std::string_view::npos) return false;
  const char opener = start[0], second = start[next], closer = last_non_blank(file);
  if (opener == '{' && closer == '}') return second == '}' || (second == '"' && after_string(start, next) == ':');
  if (opener != '[' || closer != ']') return false;
  if (second == '"') return after_string(start, next) == ',' || after_string(start, next) == ']';
  return second == '{' || second == ']';
}

// Whole-file bodies that web servers send instead of the file asked for.
constexpr std::array<std::string_view, 13> HTTP_ERROR_BODIES{
    "404: not found", "404 not found", "not found", "404 page not found", "403 forbidden",
    "forbidden", "401 unauthorized", "unauthorized", "access denied", "502 bad gateway",
    "bad gateway", "503 service unavailable", "service unavailable"};

bool is_http_error_text(std::string_view start) {
  const std::size_t end = start.find_last_not_of(BLANKS);
  if (end == std::string_view::npos || end >= 64) return false;
  const std::string_view body = start.substr(0, end + 1);
  return std::any_of(HTTP_ERROR_BODIES.begin(), HTTP_ERROR_BODIES.end(), [&](std::string_view known) {
    return body.size() == known.size() && starts_with_nocase(body, known);
  });
}

std::string_view text_kind(ByteView file) {
  const std::string_view start = text_start(file);
  if (start.empty()) return {};
  if (auto kind = markup_kind(start); !kind.empty()) return kind;
  if (is_json(file, start)) return "json";
  // Only a short file can be a bare error body: the whole of it is in the window.
  if (file.size() <= TEXT_WINDOW && is_http_error_text(start)) return "http-error-text";
  return {};
}

std::string_view binary_kind(ByteView file) {
  for (const Magic& magic : MAGICS)
    if (has_at(file, magic)) return magic.kind;
  if (is_bzip2(file)) return "bzip2";
  if (is_tar(file)) return "tar";
  if (is_java_class(file)) return "java-class";
  if (is_pcapng(file)) return "pcapng";
  if (is_python_bytecode(file)) return "python-bytecode";
  if (is_utf16_text(file)) return "utf16-text";
  return {};
}

static_assert(std::none_of(MAGICS.begin(), MAGICS.end(), [](const Magic& m) { return m.bytes.empty(); }),
              "an empty signature would match every file");

}  // namespace

std::string classify(ByteView file) {
  if (file.empty()) return "empty";
  if (auto kind = binary_kind(file); !kind.empty()) return std::string(kind);
  if (auto program = foreign_program(file)) return program->kind;
  return std::string(text_kind(file));
}

void inspect(ByteView file, FileReport& report) {
  if (file.empty()) {
    report.kind = "empty";
    return;
  }
  if (auto kind = binary_kind(file); !kind.empty()) {
    report.kind = std::string(kind);
    return;
  }
  if (auto program = foreign_program(file)) {
    report.kind = program->kind;
    report.type = program->type;
    report.machine = program->machine;
    if (program->bits != 0) report.bits = program->bits;
    if (program->bits != 0) report.endian = program->endian;
    report.platform = program->platform;
    return;
  }
  report.kind = std::string(text_kind(file));
}

}  // namespace enoexec::impostor

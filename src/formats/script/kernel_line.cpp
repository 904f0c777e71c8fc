#include "formats/script/kernel_line.hpp"

#include <algorithm>
#include <vector>

namespace enoexec::script {
namespace {

// The first line is read whole only up to this length; longer lines are not scripts anyone wrote.
constexpr std::size_t WHOLE_LINE_LIMIT = 64 * 1024;

constexpr std::size_t npos = static_cast<std::size_t>(-1);

bool spacetab(char c) { return c == ' ' || c == '\t'; }

// The kernel's helpers take an inclusive [first, last] range and return NULL when nothing matches.
std::size_t next_non_spacetab(const std::vector<char>& buf, std::size_t first, std::size_t last) {
  for (; first <= last; ++first)
    if (!spacetab(buf[first])) return first;
  return npos;
}

std::size_t next_terminator(const std::vector<char>& buf, std::size_t first, std::size_t last) {
  for (; first <= last; ++first)
    if (spacetab(buf[first]) || buf[first] == '\0') return first;
  return npos;
}

KernelLine declined(KernelLine line, KernelVerdict verdict) {
  line.verdict = verdict;
  return line;
}

std::string c_string_at(const std::vector<char>& buf, std::size_t start) {
  const auto end = std::find(buf.begin() + static_cast<std::ptrdiff_t>(start), buf.end(), '\0');
  return {buf.begin() + static_cast<std::ptrdiff_t>(start), end};
}

}  // namespace

KernelLine read_kernel_line(ByteView file, std::size_t buffer_size) {
  KernelLine line;
  // bprm->buf: the first bytes of the file, zero-padded when the file is shorter.
  std::vector<char> buf(std::max<std::size_t>(buffer_size, 3), '\0');
  const ByteView head = file.clamp(0, buf.size());
  std::copy(head.bytes().begin(), head.bytes().end(), buf.begin());
  if (buf[0] != '#' || buf[1] != '!') return line;

  const std::size_t buf_end = buf.size() - 1;
  std::size_t i_end = static_cast<std::size_t>(std::find(buf.begin(), buf.end(), '\n') - buf.begin());
  line.newline_in_buffer = i_end < buf.size();
  if (!line.newline_in_buffer) {
    i_end = next_non_spacetab(buf, 2, buf_end);
    if (i_end == npos) return declined(line, KernelVerdict::no_interpreter);  // all blanks
    // No blank or NUL after the path: the path itself must have been cut by the buffer.
    if (next_terminator(buf, i_end, buf_end) == npos)
      return declined(line, KernelVerdict::path_truncated);
    i_end = buf_end;
  }
  while (spacetab(buf[i_end - 1])) --i_end;  // stops at the '!' of "#!" at the latest

  const std::size_t i_name = next_non_spacetab(buf, 2, i_end);
  if (i_name == npos || i_name == i_end) return declined(line, KernelVerdict::no_interpreter);

  std::size_t i_arg = npos;
  const std::size_t i_sep = next_terminator(buf, i_name, i_end);
  if (i_sep != npos && buf[i_sep] != '\0') i_arg = next_non_spacetab(buf, i_sep, i_end);

  // The kernel writes NULs at the line end and after the interpreter, then copies C strings.
  buf[i_end] = '\0';
  if (i_arg != npos) {
    buf[i_sep] = '\0';
    line.argument = c_string_at(buf, i_arg);
  }
  line.interpreter = c_string_at(buf, i_name);
  line.verdict = KernelVerdict::opens_interpreter;
  return line;
}

KernelLine read_whole_line(ByteView file) {
  const ByteView window = file.clamp(0, WHOLE_LINE_LIMIT);
  const auto chars = window.as_chars();
  const std::size_t newline = chars.find('\n');
  // One byte past the newline, or a zero byte past the end: the whole line always fits.
  const std::size_t size = newline == std::string_view::npos ? chars.size() + 1 : newline + 1;
  return read_kernel_line(file, size);
}

}  // namespace enoexec::script

#include "exit_status.hpp"

#include <fmt/format.h>

namespace enoexec::cli {

namespace {
constexpr std::string_view kIndent = "  ";
constexpr std::string_view kGap = "  ";
}  // namespace

void set_exit_statuses(CLI::App& cmd, std::initializer_list<ExitStatus> statuses) {
  std::string footer = cmd.get_footer();
  if (!footer.empty()) footer += "\n\n";
  footer += kExitStatusHeading;
  for (const ExitStatus& status : statuses)
    footer += fmt::format("\n{}{}{}{}", kIndent, status.code, kGap, status.meaning);
  cmd.footer(footer);
}

std::optional<std::pair<int, std::string>> parse_exit_status_line(std::string_view line) {
  if (line.substr(0, kIndent.size()) != kIndent) return std::nullopt;
  line.remove_prefix(kIndent.size());
  int code = 0;
  std::size_t digits = 0;
  while (digits < line.size() && digits < 3 && line[digits] >= '0' && line[digits] <= '9') {
    code = code * 10 + (line[digits] - '0');
    ++digits;
  }
  if (digits == 0 || line.substr(digits, kGap.size()) != kGap) return std::nullopt;
  return std::pair{code, std::string(line.substr(digits + kGap.size()))};
}

}  // namespace enoexec::cli

// Exit statuses live in each App's footer, so `COMMAND --help` shows them and `--generate man`
// reads them back into the man page's EXIT STATUS section: one home for both.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace enoexec::cli {

struct ExitStatus {
  int code = 0;
  std::string_view meaning;
};

// Appends to the footer of `cmd`:
//   Exit status:
//     0  every file runs on the target, natively or emulated
void set_exit_statuses(CLI::App& cmd, std::initializer_list<ExitStatus> statuses);

// The heading set_exit_statuses() writes, and one of its status lines read back: "  0  text".
inline constexpr std::string_view kExitStatusHeading = "Exit status:";
std::optional<std::pair<int, std::string>> parse_exit_status_line(std::string_view line);

}  // namespace enoexec::cli

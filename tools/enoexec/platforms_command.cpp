// `enoexec platforms [QUERY]`: the table of platforms and target profiles, or one of them with
// every name it has and how to build for it.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "command.hpp"
#include "exit_status.hpp"
#include "output/platforms_text.hpp"
#include "support/display_text.hpp"
#include "target_options.hpp"

namespace enoexec::cli {

Command add_platforms_command(CLI::App& app) {
  auto query = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "platforms", "List platforms and target profiles, or show one: every name and how to build for it");
  cmd->add_option("query", *query,
                  "A profile (rpi-zero, apple-m1, alpine) or a platform in any vocabulary "
                  "(armv7l, linux/arm/v6, x86_64-unknown-linux-musl)")
      ->type_name("TARGET");
  set_exit_statuses(*cmd, {{0, "the table or the page was printed"},
                           {2, "the query names no profile or platform, or a usage error"}});
  return {cmd, [query] {
            const auto text = platforms_text(*query);
            if (!text) {
              // What the query is not, with the names close to it; no parser detail (offsets).
              const std::string why = unknown_target_message(*query);
              fmt::print(stderr, "enoexec: {}\n", why.empty() ? escape_for_display(text.error().what) : why);
              return 2;  // QUERY names nothing known
            }
            fmt::print("{}", *text);
            return 0;
          }};
}

}  // namespace enoexec::cli

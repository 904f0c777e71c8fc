// `enoexec host`: what this machine (or a root filesystem) can run.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "command.hpp"
#include "target_options.hpp"
#include "exit_status.hpp"
#include "enoexec/host.hpp"
#include "host/host_json.hpp"
#include "output/host_text.hpp"
#include "output/json.hpp"

namespace enoexec::cli {

Command add_host_command(CLI::App& app) {
  struct HostSettings {
    bool json = false;
    std::string root = "/";
  };
  auto settings = std::make_shared<HostSettings>();
  auto* cmd = app.add_subcommand(
      "host", "Describe this machine: kernel, CPU level, libc, binfmt_misc, noexec mounts");
  cmd->add_flag("--json", settings->json, "One JSON object on one line, the form recorded hosts are kept in");
  cmd->add_option("--root", settings->root,
                  "Read proc/, sys/, etc/, lib/ under this directory instead of /")
      ->type_name("DIR")
      ->check(existing_directory());
  set_exit_statuses(*cmd, {{0, "the machine (or the root file system) was described"}, {2, "a usage error"}});
  return {cmd, [settings] {
            const HostInfo host = probe_host(settings->root);
            // One line, as every --json prints (JSON Lines); --host-file reads it back. File
            // contents are not guaranteed UTF-8: to_json_line() replaces, never throws.
            if (settings->json)
              fmt::print("{}\n", to_json_line(to_json(host)));
            else
              fmt::print("{}", host_text(host));
            return 0;
          }};
}

}  // namespace enoexec::cli

// What `enoexec platforms [QUERY]` prints: the table of platforms and profiles, or one target's
// page with every name it has, its facts and their sources, and how to build for it.
#pragma once

#include <string>
#include <string_view>

#include "enoexec/error.hpp"
#include "enoexec/targets.hpp"

namespace enoexec {

// Common platforms in every vocabulary, then every profile; ends with a newline.
std::string platforms_table();

// One target: names, profile facts with sources, profiles on the same platform, build commands.
std::string platform_page(const Target& target);

// An empty query prints the table; any other is read by parse_target() and prints its page.
Result<std::string> platforms_text(std::string_view query);

}  // namespace enoexec

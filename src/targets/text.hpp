// Small ASCII string helpers for the target tables and text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "platform/text.hpp"

namespace enoexec::targets {

// The platform library's helpers, one definition each (targets builds on platform).
using platform_text::equals_ignore_case;
using platform_text::trim;

// Splits at runs of spaces, dropping empty words.
std::vector<std::string> words_of(std::string_view text);
// Splits notes at " | ".
std::vector<std::string> split_notes(std::string_view text);
std::string upper(std::string_view text);

}  // namespace enoexec::targets

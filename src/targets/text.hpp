// Small ASCII string helpers for the target tables and text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace enoexec::targets {

// Splits at runs of spaces, dropping empty words.
std::vector<std::string> words_of(std::string_view text);
// Splits notes at " | ".
std::vector<std::string> split_notes(std::string_view text);
bool equals_ignore_case(std::string_view a, std::string_view b);
std::string_view trim(std::string_view text);
std::string upper(std::string_view text);

}  // namespace enoexec::targets

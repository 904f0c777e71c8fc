// Small string helpers for the platform parsers (ASCII only: platform names are ASCII).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace enoexec::platform_text {

std::string lower(std::string_view text);
std::string_view trim(std::string_view text);
// Splits at every `separator`, keeping empty fields ("a--b" gives "a", "", "b").
std::vector<std::string_view> split(std::string_view text, char separator);
// Splits at runs of spaces, tabs and any of `extra`, dropping empty fields.
std::vector<std::string_view> words(std::string_view text, std::string_view extra = {});
// "darwin23.1.0" -> "darwin", "freebsd14" -> "freebsd": drops a trailing version number.
std::string_view strip_version(std::string_view word);
bool equals_ignore_case(std::string_view a, std::string_view b);

}  // namespace enoexec::platform_text

// "Did you mean ...?": the names closest to a word the user mistyped (a command, an option, a
// target, a rule code). One measure for every such message, so they agree.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace enoexec {

// The edit distance between `a` and `b`, ASCII letters compared without case: insertions,
// deletions, substitutions and swaps of two neighbours ("inpsect") count one each.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidates closest to `word`, at most `limit`, in the order given: those at the smallest
// edit distance found, when that distance is small for the word's length (1 up to 4
// characters, 2 up to 8, 3 beyond). Empty when none is close, when `word` is empty, or when
// `word` is itself a candidate. A candidate listed twice is returned once.
std::vector<std::string> close_matches(std::string_view word, const std::vector<std::string>& candidates,
                                       std::size_t limit = 3);

// "did you mean inspect?", "did you mean rpi-zero, rpi-1 or pi1?"; "" for no matches.
std::string did_you_mean(const std::vector<std::string>& matches);

}  // namespace enoexec

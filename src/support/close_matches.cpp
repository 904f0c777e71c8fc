#include "support/close_matches.hpp"

#include <algorithm>

namespace enoexec {
namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// How far a suggestion may be from the word: a quarter of its length, rounded up, at most 3.
std::size_t tolerance(std::size_t length) { return std::clamp<std::size_t>((length + 3) / 4, 1, 3); }

}  // namespace

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a
// substring), over three rows.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::vector<std::string> close_matches(std::string_view word, const std::vector<std::string>& candidates,
                                       std::size_t limit) {
  std::vector<std::string> matches;
  if (word.empty() || limit == 0) return matches;
  std::size_t best = tolerance(word.size());  // the smallest distance found so far, or the limit
  for (const std::string& candidate : candidates) {
    // Cheap bound first: the distance is at least the difference in length.
    const std::size_t gap =
        candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (gap > best) continue;
    const std::size_t distance = edit_distance(word, candidate);
    if (distance == 0 && candidate.size() == word.size() && candidate == word) return {};
    if (distance > best) continue;
    if (distance < best) {
      best = distance;
      matches.clear();
    }
    if (matches.size() < limit && std::find(matches.begin(), matches.end(), candidate) == matches.end())
      matches.push_back(candidate);
  }
  return matches;
}

std::string did_you_mean(const std::vector<std::string>& matches) {
  if (matches.empty()) return {};
  std::string text = "did you mean ";
  for (std::size_t i = 0; i < matches.size(); ++i) {
    if (i > 0) text += i + 1 == matches.size() ? " or " : ", ";
    text += matches[i];
  }
  return text + "?";
}

}  // namespace enoexec

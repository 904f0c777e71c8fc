// "Did you mean": the distance, the tolerance by length, ties, exact names and the sentence.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/close_matches.hpp"

namespace enoexec {
namespace {

const std::vector<std::string> kCommands{"inspect", "host", "platforms", "check", "scan", "help"};

TEST(EditDistance, CountsEachEditOnce) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("inspect", "inspect"), 0u);
  EXPECT_EQ(edit_distance("inspek", "inspect"), 2u);    // a substitution and an insertion
  EXPECT_EQ(edit_distance("inpsect", "inspect"), 1u);   // neighbours swapped
  EXPECT_EQ(edit_distance("rpi-zer", "rpi-zero"), 1u);
  EXPECT_EQ(edit_distance("RPI-Zero", "rpi-zero"), 0u);  // letters compared without case
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(CloseMatches, SuggestsTheNearestNames) {
  EXPECT_EQ(close_matches("inspek", kCommands), std::vector<std::string>{"inspect"});
  EXPECT_EQ(close_matches("chekc", kCommands), std::vector<std::string>{"check"});
  EXPECT_EQ(close_matches("platform", kCommands), std::vector<std::string>{"platforms"});
  EXPECT_EQ(close_matches("--targt", {"--target", "--json", "--root", "--limit"}),
            std::vector<std::string>{"--target"});
}

TEST(CloseMatches, OnlyTheClosestAndOnlyWhenClose) {
  // "scna" is one swap from scan and further from everything else.
  EXPECT_EQ(close_matches("scna", kCommands), std::vector<std::string>{"scan"});
  // Ties are kept in the candidates' order, up to the limit.
  EXPECT_EQ(close_matches("hst", {"host", "hist", "hast", "hust"}, 2), (std::vector<std::string>{"host", "hist"}));
  // A short word tolerates one edit: "xy" is not "host".
  EXPECT_TRUE(close_matches("xy", kCommands).empty());
  EXPECT_TRUE(close_matches("--bogus", {"--target", "--json", "--root"}).empty());
  EXPECT_TRUE(close_matches("", kCommands).empty());
  EXPECT_TRUE(close_matches("check", kCommands).empty());  // a name that exists is not mistyped
  EXPECT_EQ(close_matches("CHECK", kCommands), std::vector<std::string>{"check"});
  EXPECT_EQ(close_matches("alpin", {"alpine", "alpine-arm64", "alpine", "arm"}), std::vector<std::string>{"alpine"});
}

TEST(DidYouMean, OneSentence) {
  EXPECT_EQ(did_you_mean({}), "");
  EXPECT_EQ(did_you_mean({"inspect"}), "did you mean inspect?");
  EXPECT_EQ(did_you_mean({"a", "b"}), "did you mean a or b?");
  EXPECT_EQ(did_you_mean({"a", "b", "c"}), "did you mean a, b or c?");
}

}  // namespace
}  // namespace enoexec

// check_json_limits(): the json bytes and json depth limits, checked on the text before parsing.
#include "support/json_limits.hpp"

#include <string>

#include <gtest/gtest.h>

namespace enoexec {
namespace {

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonLimits, WithinTheLimitsPasses) {
  Limits limits;
  limits.json_depth = 3;
  EXPECT_TRUE(check_json_limits(R"({"a": [1, {"b": 2}]})", limits, "doc"));
  EXPECT_TRUE(check_json_limits(nested(3), limits, "doc"));
  EXPECT_TRUE(check_json_limits("", limits, "doc"));  // not JSON: the parser says so, not this
}

TEST(JsonLimits, DeeperThanTheLimitIsRefusedWithWhere) {
  Limits limits;
  limits.json_depth = 3;
  const auto deep = check_json_limits(R"({"a": [[{"b": 1}]]})", limits, "host JSON");
  ASSERT_FALSE(deep);
  EXPECT_EQ(to_string(deep.error()),
            "limit exceeded: json depth: host JSON nests arrays and objects more than 3 deep; it "
            "is not read (raise --limit json-depth=N) (at offset 0x8)");  // the fourth opening
}

// Brackets inside strings, escaped quotes included, do not nest.
TEST(JsonLimits, StringsDoNotNest) {
  Limits limits;
  limits.json_depth = 1;
  EXPECT_TRUE(check_json_limits(R"({"[[[": "{{{\"[[[", "x": "]]]"})", limits, "doc"));
  EXPECT_FALSE(check_json_limits(R"({"a\\": [1]})", limits, "doc"));  // "a\\" ends the string
}

TEST(JsonLimits, LargerThanTheLimitIsRefused) {
  Limits limits;
  limits.json_bytes = 8;
  EXPECT_TRUE(check_json_limits("[1,2,3] ", limits, "doc"));
  const auto big = check_json_limits("[1,2,3,4]", limits, "host JSON");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::limit_exceeded);
  EXPECT_EQ(big.error().what,
            "json bytes: host JSON is more than 8 bytes; it is not read (raise --limit "
            "json-bytes=N)");
}

// The default depth lets any real document through and stops a bracket bomb in one pass.
TEST(JsonLimits, DefaultDepthStopsABracketBomb) {
  const Limits limits;
  EXPECT_TRUE(check_json_limits(nested(64), limits, "doc"));
  EXPECT_FALSE(check_json_limits(nested(65), limits, "doc"));
  EXPECT_FALSE(check_json_limits(std::string(1'000'000, '['), limits, "doc"));
}

}  // namespace
}  // namespace enoexec

// host_from_json() on a host file that may be anyone's: json bytes and json depth are checked
// before the parser sees the text (docs/limits.md).
#include <string>

#include <gtest/gtest.h>

#include "host/host_json.hpp"

namespace enoexec {
namespace {

TEST(HostJsonLimits, TooDeepIsRefusedBeforeParsing) {
  // A million nested arrays under a key: without the check, a million parser frames.
  const std::string bomb = R"({"warnings": )" + std::string(1'000'000, '[');
  const auto host = host_from_json(bomb);
  ASSERT_FALSE(host);
  EXPECT_EQ(host.error().code, ErrorCode::limit_exceeded);
  EXPECT_EQ(host.error().what,
            "json depth: host JSON nests arrays and objects more than 64 deep; it is not read "
            "(raise --limit json-depth=N)");
}

TEST(HostJsonLimits, TooLargeIsRefusedAndTheLimitsAreTheCallers) {
  const std::string text = R"({"record": "host", "page_size": 16384})";
  ASSERT_TRUE(host_from_json(text));
  Limits limits;
  limits.json_bytes = 16;
  const auto big = host_from_json(text, limits);
  ASSERT_FALSE(big);
  EXPECT_EQ(to_string(big.error()),
            "limit exceeded: json bytes: host JSON is more than 16 bytes; it is not read (raise "
            "--limit json-bytes=N) (at offset 0x10)");
  limits.json_bytes = 1024;
  limits.json_depth = 1;
  EXPECT_TRUE(host_from_json(text, limits));  // one level: the top object
  EXPECT_FALSE(host_from_json(R"({"warnings": ["a"]})", limits));
}

}  // namespace
}  // namespace enoexec

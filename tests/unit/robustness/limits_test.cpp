// set_limit: the parser behind `--limit NAME=VALUE`, and the names the messages use.
#include <gtest/gtest.h>

#include "enoexec/limits.hpp"

namespace enoexec {
namespace {

TEST(Limits, DefaultsAreTheDocumentedOnes) {
  const Limits limits;
  EXPECT_EQ(limits.program_headers, 65536u);
  EXPECT_EQ(limits.universal_slices, 64u);
  EXPECT_EQ(limits.shebang_bytes, 256u);
  EXPECT_EQ(limits.symlink_hops, 40u);
  EXPECT_EQ(limits.interpreter_depth, 5u);
  EXPECT_EQ(limits.notes, 4096u);
}

TEST(Limits, SetByOptionOrMessageSpelling) {
  Limits limits;
  ASSERT_TRUE(set_limit(limits, "program-headers=100"));
  EXPECT_EQ(limits.program_headers, 100u);
  ASSERT_TRUE(set_limit(limits, "needed libraries=4K"));
  EXPECT_EQ(limits.needed_libraries, 4096u);
  ASSERT_TRUE(set_limit(limits, "json-bytes=2M"));
  EXPECT_EQ(limits.json_bytes, 2u << 20);
  ASSERT_TRUE(set_limit(limits, "decompressed-bytes=3g"));
  EXPECT_EQ(limits.decompressed_bytes, std::uint64_t{3} << 30);
}

TEST(Limits, EveryNameIsSettable) {
  for (const LimitName& row : kLimitNames) {
    Limits limits;
    ASSERT_TRUE(set_limit(limits, std::string(row.option) + "=7")) << row.option;
    EXPECT_EQ(limits.*(row.field), 7u) << row.option;
  }
}

TEST(Limits, BadInputIsRefusedWithTheReason) {
  Limits limits;
  auto unknown = set_limit(limits, "bogus=1");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().what.rfind("--limit bogus=1: unknown limit \"bogus\"; known limits: "
                                       "identify-bytes, program-headers, sections, ",
                                       0),
            0u);
  auto no_value = set_limit(limits, "sections");
  ASSERT_FALSE(no_value);
  EXPECT_EQ(no_value.error().what, "--limit sections: expected NAME=VALUE");
  for (const char* bad : {"sections=", "sections=0", "sections=-1", "sections=1x", "sections=K",
                          "sections=99999999999999999999", "sections=17179869184G"}) {
    auto result = set_limit(limits, bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().what, std::string("--limit ") + bad +
                                       ": the value must be a positive count, optionally with "
                                       "K, M or G");
  }
  EXPECT_EQ(limits.sections, Limits{}.sections);  // nothing was changed by the failures
}

TEST(Limits, MessagesStartWithTheName) {
  EXPECT_EQ(limit_exceeded("notes", "more than 2 in one segment"),
            "limit exceeded: notes: more than 2 in one segment");
}

}  // namespace
}  // namespace enoexec

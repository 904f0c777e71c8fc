// set_limit: the parser behind `--limit NAME=VALUE`, and the names the messages use.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "enoexec/kernel.hpp"
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
  // The limits that stand for a kernel number default to it (enoexec/kernel.hpp).
  EXPECT_EQ(limits.shebang_bytes, kernel::BINPRM_BUF_SIZE);
  EXPECT_EQ(limits.symlink_hops, static_cast<std::uint64_t>(kernel::MAXSYMLINKS));
  EXPECT_EQ(limits.interpreter_depth, static_cast<std::uint64_t>(kernel::MAX_INTERPRETER_DEPTH));
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
    // The kernel numbers are fixed at their default (KernelNumbersFixTheirLimits).
    const bool fixed = row.field == &Limits::shebang_bytes || row.field == &Limits::interpreter_depth ||
                       row.field == &Limits::symlink_hops;
    const std::uint64_t value = fixed ? Limits{}.*(row.field) : 3;
    ASSERT_TRUE(set_limit(limits, fmt::format("{}={}", row.option, value))) << row.option;
    EXPECT_EQ(limits.*(row.field), value) << row.option;
  }
}

// The limits that stand for a kernel number are fixed at it: a higher one would follow further
// than the kernel does, a lower one would stop before the kernel's answer, and the #! buffer
// cannot differ without reading another line. Such values are refused, not ignored.
TEST(Limits, KernelNumbersFixTheirLimits) {
  Limits limits;
  ASSERT_TRUE(set_limit(limits, "interpreter-depth=5"));
  for (const char* other : {"interpreter-depth=1", "interpreter-depth=6"}) {
    auto result = set_limit(limits, other);
    ASSERT_FALSE(result) << other;
    EXPECT_EQ(result.error().what,
              std::string("--limit ") + other +
                  ": interpreter-depth is fixed at 5: the kernel itself fails a deeper chain of "
                  "interpreters with ELOOP");
  }
  EXPECT_EQ(limits.interpreter_depth, 5u);
  ASSERT_TRUE(set_limit(limits, "symlink hops=40"));
  EXPECT_FALSE(set_limit(limits, "symlink-hops=41"));
  EXPECT_FALSE(set_limit(limits, "symlink-hops=10"));
  EXPECT_EQ(limits.symlink_hops, 40u);
  ASSERT_TRUE(set_limit(limits, "shebang-bytes=256"));
  for (const char* other : {"shebang-bytes=128", "shebang-bytes=1K"}) {
    auto result = set_limit(limits, other);
    ASSERT_FALSE(result) << other;
    EXPECT_EQ(result.error().what,
              std::string("--limit ") + other +
                  ": shebang-bytes is fixed at 256: the #! line is read exactly as the kernel "
                  "reads it, in its BINPRM_BUF_SIZE");
  }
  EXPECT_EQ(limits.shebang_bytes, 256u);
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

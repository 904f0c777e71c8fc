// `enoexec platforms [QUERY]`: the page of one target holds every name all_names() gives and the
// build commands; the table lists platforms and every profile.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "enoexec/targets.hpp"
#include "output/platforms_text.hpp"

namespace enoexec {
namespace {

std::string page_of(std::string_view query) {
  const auto text = platforms_text(query);
  EXPECT_TRUE(text.has_value()) << query;
  return text ? *text : std::string();
}

void expect_contains(const std::string& text, std::string_view piece) {
  EXPECT_NE(text.find(piece), std::string::npos) << "missing: " << piece << "\nin:\n" << text;
}

class OnePlatform : public testing::TestWithParam<const char*> {};

TEST_P(OnePlatform, EveryNameAndEveryBuildCommand) {
  const std::string page = page_of(GetParam());
  const auto target = parse_target(GetParam());
  ASSERT_TRUE(target.has_value());
  for (const auto& name : all_names(target->platform)) expect_contains(page, name);
  for (const auto& name : target_names(*target)) expect_contains(page, name);
  const auto advice = build_advice(*target);
  ASSERT_FALSE(advice.empty());
  for (const auto& a : advice) {
    for (const auto& command : a.commands) expect_contains(page, "    " + command + "\n");
  }
}

INSTANTIATE_TEST_SUITE_P(Queries, OnePlatform,
                         testing::Values("armv7l", "rpi-zero", "x86_64-unknown-linux-musl", "apple-m1", "windows/amd64",
                                         "GOOS=linux GOARCH=arm GOARM=6", "openwrt-mipsel_24kc"));

TEST(PlatformPage, Armv7lExactStart) {
  const std::string page = page_of("armv7l");
  EXPECT_TRUE(page.starts_with("linux/arm/v7\n\nNames:\n"
                               "  OCI          linux/arm/v7\n"
                               "  Go           GOOS=linux GOARCH=arm GOARM=7\n"
                               "  uname        Linux armv7l\n"
                               "  Debian       armhf\n"
                               "  GNU triple   arm-linux-gnueabihf\n"
                               "  Rust         armv7-unknown-linux-gnueabihf\n"))
      << page;
  expect_contains(page, "Profiles on linux/arm/v7: rpi-zero-2w-32, rpi3-32, rpi4-32,");
  expect_contains(page, "How to build for it:\n  Go:\n    GOOS=linux GOARCH=arm GOARM=7 CGO_ENABLED=0 go build\n");
}

TEST(PlatformPage, ProfileShowsFactsWithSources) {
  const std::string page = page_of("rpi-zero");
  EXPECT_TRUE(page.starts_with("linux/arm/v6 (glibc) - Raspberry Pi Zero, Zero W and 1\n\nNames:\n"
                               "  profile      rpi-zero\n"
                               "  aliases      rpi-zero-w, rpi-1, rpi1, pi-zero, pi-zero-w, pi1\n"))
      << page;
  expect_contains(page, "  cpu: Broadcom BCM2835, 1x ARM1176JZF-S\n      source: raspberrypi.com documentation: Processors");
  expect_contains(page, "  libc version: 2.36\n      inferred from: Raspberry Pi OS bookworm is built on Debian 12");
  expect_contains(page, "  page size: 4096 bytes\n");
  expect_contains(page, "    arm-linux-gnueabihf-gcc -march=armv6 -marm -mfpu=vfp -mfloat-abi=hard -o prog prog.c\n");
  const std::string mac = page_of("apple-m1");
  expect_contains(mac, "  emulation: darwin/amd64 via Rosetta 2\n");
  expect_contains(mac, "  32-bit programs: no (arm)\n");
}

TEST(PlatformsTable, ListsPlatformsAndEveryProfile) {
  const std::string table = page_of("");
  EXPECT_TRUE(table.starts_with("Platforms (enoexec platforms <name> shows one; any of these names is accepted):\n"));
  expect_contains(table, "  linux/arm/v6    GOOS=linux GOARCH=arm GOARM=6                  Linux armv6l       armhf     "
                         "arm-linux-gnueabihf      arm-unknown-linux-gnueabihf\n");
  expect_contains(table, "  windows/amd64   GOOS=windows GOARCH=amd64 GOAMD64=v1           -                  -         "
                         "x86_64-w64-mingw32       x86_64-pc-windows-msvc\n");
  for (const Profile& p : profiles()) expect_contains(table, "  " + p.id + " ");
  expect_contains(table, "  rpi-zero                          linux/arm/v6      glibc 2.36  Raspberry Pi Zero, Zero W and 1\n");
}

// Each column starts where its heading does, in every row, at least two spaces after the
// previous one; no line ends in a space. (Long Go and Debian names once pushed rows out of line.)
TEST(PlatformsTable, ColumnsAlign) {
  const std::string table = page_of("");
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = table.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(table.substr(start, end - start));
  std::vector<std::size_t> columns;  // where the current section's headings start
  std::size_t rows = 0;
  for (const std::string& line : lines) {
    ASSERT_TRUE(line.empty() || line.back() != ' ') << "trailing space: " << line;
    if (line.empty() || !line.starts_with("  ")) {
      columns.clear();  // a section title or a blank line: the next line is a heading row
      continue;
    }
    if (columns.empty()) {
      for (std::size_t i = 2; i < line.size(); ++i)
        if (line[i] != ' ' && (i == 2 || (line[i - 1] == ' ' && line[i - 2] == ' '))) columns.push_back(i);
      ASSERT_GE(columns.size(), 4u) << line;
      continue;
    }
    ++rows;
    for (const std::size_t column : columns) {
      ASSERT_LT(column, line.size()) << line;
      EXPECT_NE(line[column], ' ') << "column " << column << " of: " << line;
      if (column > 2) {
        EXPECT_EQ(line.substr(column - 2, 2), "  ") << "column " << column << " of: " << line;
      }
    }
  }
  EXPECT_GT(rows, profiles().size());
}

TEST(PlatformPage, NoLibcIsSaid) {
  const auto target = parse_target("x86_64-unknown-linux-none");
  if (!target || target->platform.libc != Libc::none) GTEST_SKIP() << "no triple parses to libc none";
  EXPECT_TRUE(platform_page(*target).starts_with("linux/amd64 (no libc)\n")) << platform_page(*target);
}

TEST(PlatformsText, UnknownQueryIsAnError) {
  const auto text = platforms_text("pdp-11");
  ASSERT_FALSE(text.has_value());
  EXPECT_TRUE(to_string(text.error()).starts_with("unsupported: unknown target \"pdp-11\""));
}

}  // namespace
}  // namespace enoexec

#include "evidence/go_platform.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace enoexec::go {
namespace {

GoBuildInfo with_settings(std::vector<std::pair<std::string, std::string>> settings) {
  GoBuildInfo info;
  info.version = "go1.19.8";
  info.settings = std::move(settings);
  return info;
}

GoBuildInfo arm6_static() {
  return with_settings({{"-compiler", "gc"}, {"CGO_ENABLED", "0"}, {"GOARCH", "arm"},
                        {"GOOS", "linux"}, {"GOARM", "6"}});
}

// The apply tests need parse_platform to understand Go's vocabulary.
bool platform_parser_ready() { return parse_platform("GOOS=linux GOARCH=arm GOARM=6").has_value(); }

const Evidence* find_evidence(const FileReport& report, std::string_view fact) {
  auto it = std::find_if(report.evidence.begin(), report.evidence.end(),
                         [&](const Evidence& e) { return e.fact == fact; });
  return it == report.evidence.end() ? nullptr : &*it;
}

// What the ELF reader says of a Go linux/arm binary: EABI5, no attributes, no variant.
FileReport elf_arm_report() {
  FileReport report;
  report.platform = Platform{Os::linux, Arch::arm, "", Libc::unknown, 32, Endian::little};
  report.evidence.push_back({"os", "linux", "ELF OSABI SYSV"});
  report.warnings.push_back("ARM architecture version not stated (no .ARM.attributes)");
  report.warnings.push_back("something else");
  return report;
}

TEST(GoPlatform, ArchVariablesAsCmdGoRecordsThem) {
  EXPECT_EQ(arch_variable("arm"), "GOARM");
  EXPECT_EQ(arch_variable("amd64"), "GOAMD64");
  EXPECT_EQ(arch_variable("arm64"), "GOARM64");
  EXPECT_EQ(arch_variable("386"), "GO386");
  EXPECT_EQ(arch_variable("mipsle"), "GOMIPS");
  EXPECT_EQ(arch_variable("mips64le"), "GOMIPS64");
  EXPECT_EQ(arch_variable("ppc64le"), "GOPPC64");
  EXPECT_EQ(arch_variable("riscv64"), "GORISCV64");
  EXPECT_EQ(arch_variable("wasm"), "GOWASM");
  EXPECT_EQ(arch_variable("s390x"), "");
  EXPECT_EQ(arch_variable("loong64"), "");
}

TEST(GoPlatform, TextForParsePlatform) {
  EXPECT_EQ(platform_text(arm6_static()), "GOOS=linux GOARCH=arm GOARM=6");
  EXPECT_EQ(platform_text(with_settings({{"GOARCH", "amd64"}, {"GOOS", "linux"}, {"GOAMD64", "v3"}})),
            "GOOS=linux GOARCH=amd64 GOAMD64=v3");
  // Go 1.19 records no GOARM64: only what is recorded goes in.
  EXPECT_EQ(platform_text(with_settings({{"GOARCH", "arm64"}, {"GOOS", "linux"}})),
            "GOOS=linux GOARCH=arm64");
  // A level variable of another GOARCH is not this build's.
  EXPECT_EQ(platform_text(with_settings({{"GOARCH", "arm64"}, {"GOOS", "linux"}, {"GOARM", "7"}})),
            "GOOS=linux GOARCH=arm64");
  EXPECT_EQ(platform_text(with_settings({{"GOARCH", "arm"}, {"GOOS", "linux"}, {"GOARM", "6,softfloat"}})),
            "GOOS=linux GOARCH=arm GOARM=6,softfloat");
  EXPECT_EQ(platform_text(with_settings({{"GOOS", "linux"}})), std::nullopt);
  EXPECT_EQ(platform_text(with_settings({})), std::nullopt);
  EXPECT_EQ(platform_text(with_settings({{"GOARCH", "arm x"}, {"GOOS", "linux"}})), std::nullopt);
}

TEST(GoPlatform, NoSettingsChangeNothing) {
  FileReport report = elf_arm_report();
  const FileReport before = report;
  apply_platform(with_settings({}), true, report);
  EXPECT_EQ(report.platform, before.platform);
  EXPECT_EQ(report.evidence.size(), before.evidence.size());
  EXPECT_EQ(report.warnings, before.warnings);
}

TEST(GoPlatform, GoarmSettlesTheVariantAndLibc) {
  if (!platform_parser_ready()) GTEST_SKIP() << "parse_platform does not read Go settings yet";
  FileReport report = elf_arm_report();
  apply_platform(arm6_static(), true, report);
  ASSERT_TRUE(report.platform.has_value());
  EXPECT_EQ(report.platform->os, Os::linux);
  EXPECT_EQ(report.platform->arch, Arch::arm);
  EXPECT_EQ(report.platform->variant, "v6");
  EXPECT_EQ(report.platform->libc, Libc::none);
  EXPECT_EQ(report.platform->bits, 32);
  const Evidence* variant = find_evidence(report, "variant");
  ASSERT_NE(variant, nullptr);
  EXPECT_EQ(variant->value, "v6");
  EXPECT_EQ(variant->source, "Go build setting GOARM=6");
  const Evidence* libc = find_evidence(report, "libc");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->source, "Go build setting CGO_ENABLED=0, no PT_INTERP");
  EXPECT_EQ(report.warnings, std::vector<std::string>{"something else"});
  // The reader's agreeing evidence stays beside Go's.
  EXPECT_EQ(std::count_if(report.evidence.begin(), report.evidence.end(),
                          [](const Evidence& e) { return e.fact == "os"; }),
            2);
}

TEST(GoPlatform, DynamicOrCgoBuildsKeepTheReadersLibc) {
  if (!platform_parser_ready()) GTEST_SKIP() << "parse_platform does not read Go settings yet";
  FileReport report = elf_arm_report();
  apply_platform(arm6_static(), false, report);
  EXPECT_EQ(report.platform->libc, Libc::unknown);
  report = elf_arm_report();
  GoBuildInfo cgo = arm6_static();
  cgo.settings[1].second = "1";
  apply_platform(cgo, true, report);
  EXPECT_EQ(report.platform->libc, Libc::unknown);
  EXPECT_EQ(find_evidence(report, "libc"), nullptr);
}

TEST(GoPlatform, GoosOverridesTheReadersGuessAndItsEvidence) {
  if (!platform_parser_ready()) GTEST_SKIP() << "parse_platform does not read Go settings yet";
  FileReport report = elf_arm_report();
  GoBuildInfo info = arm6_static();
  info.settings[3].second = "android";
  apply_platform(info, false, report);
  EXPECT_EQ(report.platform->os, Os::android);
  const Evidence* os = find_evidence(report, "os");
  ASSERT_NE(os, nullptr);
  EXPECT_EQ(os->source, "Go build setting GOOS=android");
}

TEST(GoPlatform, MissingGoarmKeepsTheReadersVariant) {
  if (!platform_parser_ready()) GTEST_SKIP() << "parse_platform does not read Go settings yet";
  FileReport report = elf_arm_report();
  report.platform->variant = "v7";
  apply_platform(with_settings({{"GOARCH", "arm"}, {"GOOS", "linux"}}), false, report);
  EXPECT_EQ(report.platform->variant, "v7");
  EXPECT_EQ(report.warnings.size(), 2u);
}

TEST(GoPlatform, ContradictingGoarchOnlyWarns) {
  if (!platform_parser_ready()) GTEST_SKIP() << "parse_platform does not read Go settings yet";
  FileReport report = elf_arm_report();
  apply_platform(with_settings({{"GOARCH", "amd64"}, {"GOOS", "linux"}, {"GOAMD64", "v1"}}), true,
                 report);
  EXPECT_EQ(report.platform->arch, Arch::arm);
  EXPECT_EQ(report.warnings.back(),
            "Go build setting GOARCH=amd64 disagrees with the file's architecture arm; keeping "
            "the file's");
}

TEST(GoPlatform, CreatesThePlatformWhenTheReaderHadNone) {
  if (!platform_parser_ready()) GTEST_SKIP() << "parse_platform does not read Go settings yet";
  FileReport report;
  apply_platform(arm6_static(), false, report);
  ASSERT_TRUE(report.platform.has_value());
  EXPECT_EQ(report.platform->arch, Arch::arm);
  EXPECT_EQ(report.platform->variant, "v6");
}

}  // namespace
}  // namespace enoexec::go

// inspect_bytes on text without "#!" and on programs of formats not read in full: shell-like text
// is a script without "#!", other text and foreign programs are Format::unknown with a kind.
#include <gtest/gtest.h>

#include <string>

#include "enoexec/inspect.hpp"

namespace enoexec {
namespace {

using namespace std::string_literals;

FileReport inspect_text(const std::string& bytes, const std::string& path = "f") {
  return inspect_bytes({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, path);
}

TEST(TextKinds, ShellLikeTextIsAScriptWithoutShebang) {
  const FileReport report = inspect_text("set -e\necho hi\n");
  EXPECT_EQ(report.format, Format::script);
  EXPECT_EQ(report.kind, "");
  ASSERT_TRUE(report.script);
  ASSERT_FALSE(report.script->findings.empty());
  EXPECT_EQ(report.script->findings.front().code, "no-shebang");
}

TEST(TextKinds, OtherTextIsNamed) {
  struct Case {
    std::string text, kind;
  };
  for (const Case& c : {Case{"# Title\n\nSome prose.\n", "markdown"},
                        Case{"#include <stdio.h>\nint main(void) { return 0; }\n", "c-source"},
                        Case{"import os\n", "python-source"},
                        Case{"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n", "svg"},
                        Case{"<!DOCTYPE html><html></html>\n", "html"},
                        Case{"Hello world\n", "text"}}) {
    const FileReport report = inspect_text(c.text);
    EXPECT_EQ(report.format, Format::unknown) << c.text;
    EXPECT_EQ(report.kind, c.kind) << c.text;
    EXPECT_FALSE(report.script) << c.text;
  }
}

TEST(TextKinds, BinaryWithATextLikeStartIsNotText) {
  const FileReport report = inspect_text("set -e\necho hi\n\0\0\0\x01\x02\x03\xff\xfe"s);
  EXPECT_EQ(report.format, Format::unknown);
  EXPECT_EQ(report.kind, "");
  EXPECT_FALSE(report.script);
}

TEST(TextKinds, PcapngIsNotPythonBytecode) {
  std::string pcapng = "\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a\x01\x00\x00\x00"s;
  pcapng.resize(28, '\xff');
  EXPECT_EQ(inspect_text(pcapng).kind, "pcapng");
}

TEST(TextKinds, ForeignProgramsHaveKindAndPlatform) {
  std::string xcoff(4096, '\0');
  xcoff[0] = '\x01';
  xcoff[1] = '\xf7';
  xcoff[3] = 4;             // f_nscns
  xcoff[17] = 120;          // f_opthdr
  xcoff[19] = 0x02;         // F_EXEC
  const FileReport report = inspect_text(xcoff);
  EXPECT_EQ(report.format, Format::unknown);
  EXPECT_EQ(report.kind, "xcoff");
  EXPECT_EQ(report.type, "executable");
  ASSERT_TRUE(report.platform);
  EXPECT_EQ(to_oci(*report.platform), "aix/ppc64");
}

}  // namespace
}  // namespace enoexec

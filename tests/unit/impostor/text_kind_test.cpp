// impostor::plain_text_kind: C/C++ and Python source, Markdown and plain text, each rule and its
// near misses; and real files of this machine (Debian packages) where they exist.
#include "formats/impostor/text_kind.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "formats/impostor/impostor.hpp"

namespace enoexec::impostor {
namespace {

std::string kind_of(const std::string& text) {
  return plain_text_kind(ByteView({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}));
}

TEST(TextKind, CSource) {
  EXPECT_EQ(kind_of("#include <stdio.h>\n\nint main(void) { return 0; }\n"), "c-source");
  EXPECT_EQ(kind_of("/* header */\n#ifndef FOO_H\n#define FOO_H\nint foo(void);\n#endif\n"), "c-source");
  EXPECT_EQ(kind_of("// x.cpp\n#include \"x.hpp\"\nnamespace x {}\n"), "c-source");
  EXPECT_EQ(kind_of("#pragma once\nstruct A;\n"), "c-source");
  // Not C: a heading, a comment that says "include", a directive word run into prose.
  EXPECT_EQ(kind_of("# include files\n\nThese are the files.\n"), "markdown");
  EXPECT_EQ(kind_of("#include the world\nhello\n"), "text");
  EXPECT_EQ(kind_of("#defined behaviour\n"), "text");
}

TEST(TextKind, PythonSource) {
  EXPECT_EQ(kind_of("\"\"\"Tool.\"\"\"\nimport os, sys\n\nprint(os.name)\n"), "python-source");
  EXPECT_EQ(kind_of("from pathlib import Path\n"), "python-source");
  EXPECT_EQ(kind_of("import numpy as np\n"), "python-source");
  EXPECT_EQ(kind_of("# a tool\ndef main(argv):\n    pass\n"), "python-source");
  EXPECT_EQ(kind_of("class Thing(Base):\n    pass\n"), "python-source");
  EXPECT_EQ(kind_of("if __name__ == \"__main__\":\n    main()\n"), "python-source");
  // Near misses: prose that starts with the same words.
  EXPECT_EQ(kind_of("import the data first, then run it.\n"), "text");
  EXPECT_EQ(kind_of("from here on we go\n"), "text");
  EXPECT_EQ(kind_of("def is short for define\n"), "text");
  EXPECT_EQ(kind_of("class notes\n"), "text");
}

TEST(TextKind, Markdown) {
  EXPECT_EQ(kind_of("# enoexec\n\nPredicts whether a file runs.\n"), "markdown");
  EXPECT_EQ(kind_of("Title\n=====\n\nText.\n"), "markdown");
  EXPECT_EQ(kind_of("Some text\n\n```sh\nmake\n```\n"), "markdown");
  EXPECT_EQ(kind_of("See [the docs](docs/json.md).\n"), "markdown");
  EXPECT_EQ(kind_of("###### six\n"), "markdown");
  // Not Markdown: seven hashes, no blank after '#', '=' without a line of text above it.
  EXPECT_EQ(kind_of("####### seven\n"), "text");
  EXPECT_EQ(kind_of("#hashtag\n"), "text");
  EXPECT_EQ(kind_of("\n=====\n"), "text");
  EXPECT_EQ(kind_of("a [b] (c)\n"), "text");
}

TEST(TextKind, PlainText) {
  EXPECT_EQ(kind_of("hello world\n"), "text");
  EXPECT_EQ(kind_of(""), "text");
  EXPECT_EQ(kind_of("\xef\xbb\xbf# Title\n"), "markdown");  // a BOM is skipped
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The first file of `paths` that exists, or "".
std::filesystem::path first_existing(std::initializer_list<const char*> paths) {
  std::error_code error;
  for (const char* path : paths)
    if (std::filesystem::is_regular_file(path, error)) return path;
  return {};
}

TEST(TextKindOnThisMachine, CHeader) {
  const auto path = first_existing({"/usr/include/stdio.h", "/usr/include/stdlib.h", "/usr/include/aio.h"});
  if (path.empty()) GTEST_SKIP() << "no C headers in /usr/include";
  EXPECT_EQ(kind_of(read(path)), "c-source") << path;
}

TEST(TextKindOnThisMachine, MarkdownDocs) {
  const auto path = first_existing({"/usr/share/doc/zstd/TESTING.md", "/usr/share/doc/procps/bugs.md",
                                    "/usr/share/doc/zstd/CODE_OF_CONDUCT.md"});
  if (path.empty()) GTEST_SKIP() << "no uncompressed Markdown in /usr/share/doc";
  EXPECT_EQ(kind_of(read(path)), "markdown") << path;
}

TEST(TextKindOnThisMachine, PythonModule) {
  const auto path = first_existing({"/usr/lib/python3.11/os.py", "/usr/lib/python3/dist-packages/blinker/base.py"});
  if (path.empty()) GTEST_SKIP() << "no Python sources";
  EXPECT_EQ(kind_of(read(path)), "python-source") << path;
}

TEST(TextKindOnThisMachine, SvgIcon) {
  const auto path = first_existing({"/usr/share/icons/Adwaita/scalable/places/folder-symbolic.svg",
                                    "/usr/share/icons/hicolor/scalable/apps/debian-logo.svg"});
  if (path.empty()) GTEST_SKIP() << "no SVG icons";
  const std::string bytes = read(path);
  EXPECT_EQ(classify(ByteView({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()})), "svg") << path;
}

TEST(TextKindOnThisMachine, GzippedReadme) {
  const auto path = first_existing({"/usr/share/doc/apt/README.md.gz", "/usr/share/doc/adduser/README.gz"});
  if (path.empty()) GTEST_SKIP() << "no gzipped README";
  const std::string bytes = read(path);
  EXPECT_EQ(classify(ByteView({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()})), "gzip") << path;
}

}  // namespace
}  // namespace enoexec::impostor

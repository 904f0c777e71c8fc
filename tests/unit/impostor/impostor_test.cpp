// impostor::classify: each signature, its near misses, and the text kinds.
#include "formats/impostor/impostor.hpp"

#include <gtest/gtest.h>

#include <string>

namespace enoexec::impostor {
namespace {

using namespace std::string_literals;

std::string kind_of(const std::string& bytes) {
  return classify(ByteView({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}));
}

// `head` followed by enough filler to look like a real file.
std::string file_with(const std::string& head, std::size_t size = 64) {
  std::string bytes = head;
  if (bytes.size() < size) bytes.resize(size, '\x5a');
  return bytes;
}

TEST(Impostor, Empty) { EXPECT_EQ(kind_of(""), "empty"); }

TEST(Impostor, Compressors) {
  EXPECT_EQ(kind_of(file_with("\x1f\x8b\x08\x00"s)), "gzip");
  EXPECT_EQ(kind_of(file_with("BZh91AY&SY")), "bzip2");
  EXPECT_EQ(kind_of(file_with("\xfd" "7zXZ\0\0\x04"s)), "xz");
  EXPECT_EQ(kind_of(file_with("\x28\xb5\x2f\xfd")), "zstd");
  EXPECT_EQ(kind_of(file_with("\x04\x22\x4d\x18")), "lz4");
}

TEST(Impostor, TruncatedMagicIsNotClassified) {
  EXPECT_EQ(kind_of("\x1f"), "");
  EXPECT_EQ(kind_of("\x1f\x8b"), "");
  EXPECT_EQ(kind_of("BZh"), "");
  EXPECT_EQ(kind_of("\xfd" "7zX"), "");
  EXPECT_EQ(kind_of("PK\x03"), "");
  EXPECT_EQ(kind_of("\0asm"s), "");
  EXPECT_EQ(kind_of("\xca\xfe\xba\xbe\0\0\0"s), "");
}

TEST(Impostor, NearMissesAreNotClassified) {
  EXPECT_EQ(kind_of(file_with("\x1f\x8b\x07")), "");  // gzip knows only method 8
  EXPECT_EQ(kind_of(file_with("BZh0")), "");
  EXPECT_EQ(kind_of(file_with("!<arch>")), "");
}

TEST(Impostor, Archives) {
  EXPECT_EQ(kind_of(file_with("PK\x03\x04\x14\0"s)), "zip");
  EXPECT_EQ(kind_of(file_with("PK\x05\x06"s, 22)), "zip");
  EXPECT_EQ(kind_of(file_with("PK\x07\x08PK\x03\x04"s)), "zip");
  EXPECT_EQ(kind_of(file_with("7z\xbc\xaf\x27\x1c\0\x04"s)), "7z");
  EXPECT_EQ(kind_of(file_with("Rar!\x1a\x07\x00"s)), "rar");
  EXPECT_EQ(kind_of(file_with("Rar!\x1a\x07\x01\x00"s)), "rar");
  EXPECT_EQ(kind_of(file_with("!<arch>\ndebian-binary   1700000000  0     0     100644  4         `\n")), "deb");
  EXPECT_EQ(kind_of(file_with("!<arch>\n/               0           0     0     0       4         `\n")), "ar-archive");
  EXPECT_EQ(kind_of(file_with("!<thin>\n")), "ar-archive");
  EXPECT_EQ(kind_of(file_with("\xed\xab\xee\xdb\x03\x00")), "rpm");
}

std::string tar_header(const std::string& magic) {
  std::string block(512, '\0');
  block.replace(0, 9, "hello.txt");
  block.replace(257, magic.size(), magic);
  return block;
}

TEST(Impostor, TarMagicAtOffset257) {
  EXPECT_EQ(kind_of(tar_header("ustar\0" "00"s)), "tar");
  EXPECT_EQ(kind_of(tar_header("ustar  \0"s)), "tar");
  EXPECT_EQ(kind_of(tar_header("ustar\0" "00"s).substr(0, 263)), "tar");
  EXPECT_EQ(kind_of(tar_header("ustar\0" "00"s).substr(0, 262)), "");
  EXPECT_EQ(kind_of(tar_header("ustarX"s)), "");
}

TEST(Impostor, JavaClassAgainstUniversalMachO) {
  EXPECT_EQ(kind_of(file_with("\xca\xfe\xba\xbe\x00\x00\x00\x34"s)), "java-class");  // Java 8
  EXPECT_EQ(kind_of(file_with("\xca\xfe\xba\xbe\x00\x00\x00\x2d"s)), "java-class");  // 45: JDK 1.0.2
  EXPECT_EQ(kind_of(file_with("\xca\xfe\xba\xbe\xff\xff\x00\x41"s)), "java-class");  // preview minor
  EXPECT_EQ(kind_of(file_with("\xca\xfe\xba\xbe\x00\x00\x00\x02"s)), "");  // 2 Mach-O slices
  EXPECT_EQ(kind_of(file_with("\xca\xfe\xba\xbe\x00\x00\x00\x2c"s)), "");
}

TEST(Impostor, WebAssembly) {
  EXPECT_EQ(kind_of("\0asm\x01\0\0\0"s), "wasm");
  EXPECT_EQ(kind_of("\0asm\x01\0\0"s), "");
}

TEST(Impostor, PacketCaptures) {
  EXPECT_EQ(kind_of(file_with("\xd4\xc3\xb2\xa1\x02\x00\x04\x00"s)), "pcap");  // little-endian
  EXPECT_EQ(kind_of(file_with("\xa1\xb2\xc3\xd4\x00\x02\x00\x04"s)), "pcap");  // big-endian
  EXPECT_EQ(kind_of(file_with("\x4d\x3c\xb2\xa1"s)), "pcap");                      // nanoseconds
  // pcapng: block type 0A0D0D0A, length, byte-order magic; "\n\r" + "\r\n" once read as Python 3338.
  EXPECT_EQ(kind_of(file_with("\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a"s)), "pcapng");
  EXPECT_EQ(kind_of(file_with("\x0a\x0d\x0d\x0a\x00\x00\x00\x1c\x1a\x2b\x3c\x4d"s)), "pcapng");
  EXPECT_EQ(kind_of(file_with("\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x00\x00\x00\x00"s)), "");
}

TEST(Impostor, PythonBytecode) {
  EXPECT_EQ(kind_of(file_with("\xa7\x0d\x0d\x0a\0\0\0\0"s, 16)), "python-bytecode");  // 3.11: 3495
  EXPECT_EQ(kind_of(file_with("\x03\xf3\x0d\x0a"s, 8)), "python-bytecode");          // 2.7: 62211
  EXPECT_EQ(kind_of(file_with("\x00\x10\x0d\x0a"s, 16)), "");                        // 4096
  EXPECT_EQ(kind_of("\xa7\x0d\x0d\x0a\0\0\0"s), "");                                 // 7 bytes
  EXPECT_EQ(kind_of(file_with("\x6f\x0d\x0d\x0a\x01\0\0\0"s, 16)), "python-bytecode");  // 3439, hash-based
  EXPECT_EQ(kind_of(file_with("\xa7\x0d\x0d\x0a\x07\0\0\0"s, 16)), "");  // 3.7+: flags 7 undefined
  EXPECT_EQ(kind_of(file_with("\xa7\x0d\x0d\x00"s, 16)), "");  // byte 3 not "\n"
  EXPECT_EQ(kind_of(file_with("\x0a\x0d\x0d\x0a\0\0\0\0"s, 16)), "");  // 3338: no Python's
}

TEST(Impostor, DocumentsAndImages) {
  EXPECT_EQ(kind_of(file_with("%PDF-1.7\n")), "pdf");
  EXPECT_EQ(kind_of(file_with("\x89PNG\r\n\x1a\n")), "png");
  EXPECT_EQ(kind_of(file_with("\xff\xd8\xff\xe0")), "jpeg");
  EXPECT_EQ(kind_of(file_with("\x4c\0\0\0\x01\x14\x02\0\0\0\0\0\xc0\0\0\0\0\0\0\x46"s)), "windows-shortcut");
}

TEST(Impostor, MoreDocumentsAndImages) {
  EXPECT_EQ(kind_of(file_with("GIF89a")), "gif");
  EXPECT_EQ(kind_of(file_with("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")), "ole2-document");
  EXPECT_EQ(kind_of("%!PS-Adobe-3.0\n"), "postscript");
  EXPECT_EQ(kind_of("{\\rtf1\\ansi hello}"), "rtf");
}

TEST(Impostor, Svg) {
  EXPECT_EQ(kind_of("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "svg");
  EXPECT_EQ(kind_of("<?xml version=\"1.0\"?>\n<svg width=\"16\"></svg>\n"), "svg");
  EXPECT_EQ(kind_of("<!-- Created with Inkscape -->\n<svg></svg>"), "svg");
  EXPECT_EQ(kind_of("<?xml version=\"1.0\"?>\n<feed></feed>"), "xml");
  EXPECT_EQ(kind_of("<!-- a comment -->\n<p>no svg</p>"), "");
}

TEST(Impostor, Utf16Text) {
  EXPECT_EQ(kind_of("\xff\xfe#\0!\0/\0"s), "utf16-text");
  EXPECT_EQ(kind_of("\xfe\xff\0#\0!"s), "utf16-text");
  EXPECT_EQ(kind_of("\xff\xfe"s), "");
}

TEST(Impostor, GitLfsPointer) {
  const std::string pointer =
      "version https://git-lfs.github.com/spec/v1\n"
      "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
      "size 12345\n";
  EXPECT_EQ(kind_of(pointer), "git-lfs-pointer");
  EXPECT_EQ(kind_of(" " + pointer), "");
  EXPECT_EQ(kind_of("version https://git-lfs.github.com/spec/v2\n"), "");
}

TEST(Impostor, Html) {
  EXPECT_EQ(kind_of("<!DOCTYPE html>\n<html><body>404</body></html>\n"), "html");
  EXPECT_EQ(kind_of("<!doctype HTML><title>x</title>"), "html");
  EXPECT_EQ(kind_of("\n\n   \t<html>\n"), "html");
  EXPECT_EQ(kind_of("\xef\xbb\xbf<!DocType Html>"), "html");
  EXPECT_EQ(kind_of("<HEAD><TITLE>Not Found</TITLE></HEAD>"), "html");
  EXPECT_EQ(kind_of("<!-- served by nginx -->\n<html>"), "html");
  EXPECT_EQ(kind_of("<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">"), "html");
  EXPECT_EQ(kind_of("<!-- a comment -->\necho hi\n"), "");
}

TEST(Impostor, Xml) {
  EXPECT_EQ(kind_of("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code></Error>"), "xml");
}

TEST(Impostor, Json) {
  EXPECT_EQ(kind_of("{\"message\": \"Not Found\", \"documentation_url\": \"...\"}\n"), "json");
  EXPECT_EQ(kind_of("  [{\"a\": 1}]  \n"), "json");
  EXPECT_EQ(kind_of("{}"), "json");
  EXPECT_EQ(kind_of("[ -x /usr/bin/foo ] && exec foo\n"), "");
  EXPECT_EQ(kind_of("[ \"$x\" = y ] && echo ]\n"), "");
  EXPECT_EQ(kind_of("{ echo a; echo b; }\n"), "");
  EXPECT_EQ(kind_of("{\"unterminated\": 1\n"), "");
}

TEST(Impostor, HttpErrorBodies) {
  EXPECT_EQ(kind_of("404: Not Found"), "http-error-text");
  EXPECT_EQ(kind_of("Not Found\n"), "http-error-text");
  EXPECT_EQ(kind_of("404 page not found\n"), "http-error-text");
  EXPECT_EQ(kind_of("  Forbidden  \r\n"), "http-error-text");
  EXPECT_EQ(kind_of("Not Found in this file\n"), "");
  EXPECT_EQ(kind_of("echo Not Found\n"), "");
}

TEST(Impostor, ProgramsAndScriptsAreNotImpostors) {
  EXPECT_EQ(kind_of("echo hello\n"), "");
  EXPECT_EQ(kind_of("#!/bin/sh\n"), "");
  EXPECT_EQ(kind_of(file_with("\x7f" "ELF\x02\x01\x01")), "");
}

}  // namespace
}  // namespace enoexec::impostor

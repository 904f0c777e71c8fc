// impostor::foreign_program and impostor::inspect: XCOFF, Plan 9 a.out, COFF objects and
// WebAssembly named from synthesized headers, with their near misses.
#include "formats/impostor/foreign.hpp"

#include <gtest/gtest.h>

#include <string>

#include "formats/impostor/impostor.hpp"
#include "formats/impostor/kind_names.hpp"

namespace enoexec::impostor {
namespace {

using namespace std::string_literals;

ByteView view(const std::string& bytes) {
  return ByteView({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

void put_be16(std::string& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<char>(v >> 8);
  b[at + 1] = static_cast<char>(v);
}
void put_le16(std::string& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<char>(v);
  b[at + 1] = static_cast<char>(v >> 8);
}
void put_be32(std::string& b, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (24 - 8 * i));
}
void put_le32(std::string& b, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (8 * i));
}

// An XCOFF header: magic, sections, aux header size, flags; room for what it promises.
std::string xcoff(std::uint16_t magic, std::uint16_t sections, std::uint16_t opthdr, std::uint16_t flags,
                  std::size_t size = 4096) {
  std::string b(size, '\0');
  put_be16(b, 0, magic);
  put_be16(b, 2, sections);
  put_be16(b, 16, opthdr);
  put_be16(b, 18, flags);
  return b;
}

TEST(Foreign, Xcoff64Executable) {
  const auto program = foreign_program(view(xcoff(0x01f7, 4, 120, 0x0002)));
  ASSERT_TRUE(program);
  EXPECT_EQ(program->kind, "xcoff");
  EXPECT_EQ(program->type, "executable");
  EXPECT_EQ(program->machine, "U64_TOCMAGIC");
  EXPECT_EQ(program->bits, 64);
  ASSERT_TRUE(program->platform);
  EXPECT_EQ(to_oci(*program->platform), "aix/ppc64");
}

TEST(Foreign, Xcoff32SharedAndObject) {
  auto shared = foreign_program(view(xcoff(0x01df, 3, 72, 0x2002)));
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->type, "shared-library");
  EXPECT_EQ(to_oci(*shared->platform), "aix/ppc");
  auto object = foreign_program(view(xcoff(0x01df, 2, 0, 0)));
  ASSERT_TRUE(object);
  EXPECT_EQ(object->type, "relocatable");
}

TEST(Foreign, XcoffNearMisses) {
  EXPECT_FALSE(foreign_program(view(xcoff(0x01df, 3, 50, 0x0002))));      // no such aux header size
  EXPECT_FALSE(foreign_program(view(xcoff(0x01f7, 3, 72, 0x0002))));      // 72 is XCOFF32's
  EXPECT_FALSE(foreign_program(view(xcoff(0x01df, 200, 72, 2, 1024))));   // sections past the end
  EXPECT_FALSE(foreign_program(view(xcoff(0x01df, 1, 0, 2).substr(0, 19))));  // short header
}

std::string plan9(std::uint32_t magic, std::uint32_t text, std::uint32_t data, std::size_t size = 8192) {
  std::string b(size, '\0');
  put_be32(b, 0, magic);
  put_be32(b, 4, text);
  put_be32(b, 8, data);
  return b;
}

TEST(Foreign, Plan9PerArchitecture) {
  struct Case {
    std::uint32_t magic;
    const char* platform;
    const char* machine;
  };
  // _MAGIC(f, b) = f | ((4*b)*b + 7); HDR_MAGIC = 0x8000.
  for (const Case& c : {Case{0x01eb, "plan9/386", "I_MAGIC"}, Case{0x8a97, "plan9/amd64", "S_MAGIC"},
                        Case{0x0647, "plan9/arm", "E_MAGIC"}, Case{0x8c47, "plan9/arm64", "R_MAGIC"},
                        Case{0x0407, "plan9/mips", "V_MAGIC"}, Case{0x06eb, "plan9/ppc", "Q_MAGIC"}}) {
    const auto program = foreign_program(view(plan9(c.magic, 4096, 1024)));
    ASSERT_TRUE(program) << c.platform;
    EXPECT_EQ(program->kind, "plan9-aout");
    EXPECT_EQ(program->machine, c.machine);
    EXPECT_EQ(to_oci(*program->platform), c.platform);
  }
}

TEST(Foreign, Plan9NearMisses) {
  EXPECT_FALSE(foreign_program(view(plan9(0x01eb, 1 << 20, 0))));  // text larger than the file
  EXPECT_FALSE(foreign_program(view(plan9(0x01eb, 0, 0))));        // no text at all
  EXPECT_FALSE(foreign_program(view(plan9(0x01ec, 4096, 0))));     // no architecture's magic
  EXPECT_FALSE(foreign_program(view(plan9(0x8a97, 8, 0).substr(0, 36))));  // S_MAGIC needs 40 bytes
}

std::string coff(std::uint16_t machine, std::uint16_t sections = 2, std::uint16_t optional = 0,
                 std::uint16_t characteristics = 0) {
  std::string b(1024, '\0');
  put_le16(b, 0, machine);
  put_le16(b, 2, sections);
  put_le32(b, 8, 200);  // symbol table
  put_le32(b, 12, 10);
  put_le16(b, 16, optional);
  put_le16(b, 18, characteristics);
  b.replace(20, 5, ".text");
  return b;
}

TEST(Foreign, CoffObjects) {
  const auto amd64 = foreign_program(view(coff(0x8664)));
  ASSERT_TRUE(amd64);
  EXPECT_EQ(amd64->kind, "coff-object");
  EXPECT_EQ(amd64->type, "relocatable");
  EXPECT_EQ(amd64->machine, "IMAGE_FILE_MACHINE_AMD64");
  EXPECT_EQ(to_oci(*amd64->platform), "windows/amd64");
  EXPECT_EQ(to_oci(*foreign_program(view(coff(0x014c)))->platform), "windows/386");
  EXPECT_EQ(to_oci(*foreign_program(view(coff(0xaa64)))->platform), "windows/arm64");
}

TEST(Foreign, CoffNearMisses) {
  EXPECT_FALSE(foreign_program(view(coff(0x8664, 2, 240))));     // an optional header: an image
  EXPECT_FALSE(foreign_program(view(coff(0x8664, 2, 0, 0x2))));  // IMAGE_FILE_EXECUTABLE_IMAGE
  EXPECT_FALSE(foreign_program(view(coff(0x8664, 0))));          // no sections
  EXPECT_FALSE(foreign_program(view(coff(0x8664, 60))));         // section table past the end
  EXPECT_FALSE(foreign_program(view(coff(0x1234))));             // no machine we name
  std::string unnamed = coff(0x8664);
  unnamed[20] = '\0';
  EXPECT_FALSE(foreign_program(view(unnamed)));
}

// A module with a type section, then an import section whose first import is from `module`.
std::string wasm_importing(const std::string& module) {
  std::string imports = "\x01"s + static_cast<char>(module.size()) + module + "\x08" "fd_write" "\x00\x00"s;
  return "\0asm\x01\0\0\0"s + "\x01\x04\x01\x60\x00\x00"s + "\x02"s + static_cast<char>(imports.size()) + imports;
}

TEST(Foreign, WebAssemblyPlatformFromImports) {
  const auto wasi = foreign_program(view(wasm_importing("wasi_snapshot_preview1")));
  ASSERT_TRUE(wasi);
  EXPECT_EQ(wasi->kind, "wasm");
  EXPECT_EQ(wasi->type, "module");
  EXPECT_EQ(to_oci(*wasi->platform), "wasip1/wasm");
  EXPECT_EQ(to_oci(*foreign_program(view(wasm_importing("gojs")))->platform), "js/wasm");
  EXPECT_EQ(to_oci(*foreign_program(view(wasm_importing("go")))->platform), "js/wasm");  // Go < 1.21
  EXPECT_FALSE(foreign_program(view(wasm_importing("env")))->platform);
  EXPECT_FALSE(foreign_program(view("\0asm\x01\0\0\0"s))->platform);
  EXPECT_EQ(foreign_program(view("\0asm\x0d\0\x01\0"s))->type, "component");
  // A section size past the end: named, but no platform.
  EXPECT_FALSE(foreign_program(view("\0asm\x01\0\0\0\x02\x7f\x01"s))->platform);
}

TEST(Foreign, InspectFillsTheReport) {
  FileReport report;
  inspect(view(xcoff(0x01f7, 4, 120, 0x0002)), report);
  EXPECT_EQ(report.format, Format::unknown);
  EXPECT_EQ(report.kind, "xcoff");
  EXPECT_EQ(report.type, "executable");
  EXPECT_EQ(report.bits, 64);
  EXPECT_EQ(report.endian, Endian::big);
  EXPECT_EQ(describe_kind(report), "an AIX XCOFF program for aix/ppc64");
  EXPECT_EQ(not_a_program(report, "Linux"), "an AIX XCOFF program for aix/ppc64, which Linux does not load");
  FileReport module;
  inspect(view(wasm_importing("wasi_snapshot_preview1")), module);
  EXPECT_EQ(not_a_program(module, "Linux"),
            "a WebAssembly module for wasip1/wasm: it needs a runtime (wasmtime, wasmer, node or a browser)");
}

TEST(KindNames, EveryKindClassifyNamesHasWords) {
  for (const char* kind : {"empty", "gzip", "bzip2", "xz", "zstd", "lz4", "7z", "rar", "zip", "deb",
                           "ar-archive", "rpm", "pdf", "png", "jpeg", "gif", "ole2-document", "postscript",
                           "rtf", "pcap", "pcapng", "windows-shortcut", "git-lfs-pointer", "tar", "java-class",
                           "wasm", "python-bytecode", "utf16-text", "html", "xml", "svg", "json",
                           "http-error-text", "markdown", "c-source", "python-source", "text", "xcoff",
                           "plan9-aout", "coff-object", "dos-executable", "ne-executable", "le-executable",
                           "lx-executable"})
    EXPECT_NE(find_kind(kind), nullptr) << kind;
  FileReport report;
  report.kind = "markdown";
  EXPECT_EQ(not_a_program(report, "Linux"), "Markdown text, not a program");
  report.kind = "something-new";
  EXPECT_EQ(describe_kind(report), "a something-new file");
}

}  // namespace
}  // namespace enoexec::impostor

#include "formats/impostor/kind_names.hpp"

#include <array>

#include <fmt/format.h>

namespace enoexec::impostor {
namespace {

constexpr std::array<KindName, 46> KIND_NAMES{{
    {"empty", "an empty file", false, ""},
    // text (formats/impostor/text_kind.hpp, impostor.cpp markup_kind)
    {"text", "text", false, ""},
    {"markdown", "Markdown text", false, ""},
    {"c-source", "C or C++ source code", false, "compile it"},
    {"python-source", "Python source code", false, "run it with python3, or add a \"#!/usr/bin/env python3\" line"},
    {"html", "an HTML page", false, ""},
    {"xml", "an XML document", false, ""},
    {"svg", "an SVG image", false, ""},
    {"json", "JSON data", false, ""},
    {"http-error-text", "an HTTP error message", false, ""},
    {"git-lfs-pointer", "a Git LFS pointer (the real file was never fetched: git lfs pull)", false, ""},
    {"utf16-text", "UTF-16 text", false, ""},
    {"postscript", "a PostScript document", false, ""},
    {"rtf", "an RTF document", false, ""},
    // documents, images, captures
    {"pdf", "a PDF document", false, ""},
    {"ole2-document", "an OLE2 compound document (old Microsoft Office, MSI)", false, ""},
    {"png", "a PNG image", false, ""},
    {"jpeg", "a JPEG image", false, ""},
    {"gif", "a GIF image", false, ""},
    {"pcap", "a pcap packet capture", false, ""},
    {"pcapng", "a pcapng packet capture", false, ""},
    {"windows-shortcut", "a Windows shortcut (.lnk)", false, ""},
    // archives and compressed files
    {"gzip", "a gzip-compressed file", false, ""},
    {"bzip2", "a bzip2-compressed file", false, ""},
    {"xz", "an xz-compressed file", false, ""},
    {"zstd", "a zstd-compressed file", false, ""},
    {"lz4", "an LZ4-compressed file", false, ""},
    {"zip", "a zip archive", false, ""},
    {"7z", "a 7z archive", false, ""},
    {"rar", "a RAR archive", false, ""},
    {"tar", "a tar archive", false, ""},
    {"deb", "a Debian package", false, ""},
    {"rpm", "an RPM package", false, ""},
    {"ar-archive", "an ar archive (a static library?)", false, ""},
    // programs for other systems or runtimes
    {"java-class", "a Java class file", true, "it needs a Java runtime (java)"},
    {"python-bytecode", "Python bytecode", true, "it needs the Python version that compiled it (python3)"},
    {"wasm", "a WebAssembly module", true, "it needs a runtime (wasmtime, wasmer, node or a browser)"},
    {"xcoff", "an AIX XCOFF program", true, ""},
    {"plan9-aout", "a Plan 9 a.out program", true, ""},
    {"coff-object", "a COFF object file", true, "link it into a program first"},
    {"dos-executable", "a DOS program (MZ, no PE header)", true, "it needs DOS or an emulator such as DOSBox"},
    {"ne-executable", "a 16-bit Windows or OS/2 1.x program (NE)", true, ""},
    {"le-executable", "a DOS-extender or Windows VxD program (LE)", true, ""},
    {"lx-executable", "an OS/2 2.x program (LX)", true, ""},
    // the readers' own kinds (ELF, PE) when a verdict still reaches a kind
    {"relocatable-object", "a relocatable object file", true, "link it into a program first"},
    {"core-dump", "a core dump", false, ""},
}};

}  // namespace

const KindName* find_kind(std::string_view kind) {
  for (const KindName& row : KIND_NAMES)
    if (row.kind == kind) return &row;
  return nullptr;
}

std::string describe_kind(const FileReport& report) {
  if (report.kind.empty()) return "data in no format enoexec knows";
  const KindName* row = find_kind(report.kind);
  std::string words = row ? std::string(row->words) : fmt::format("a {} file", report.kind);
  if (row && row->program && report.platform) words += " for " + to_oci(*report.platform);
  return words;
}

std::string not_a_program(const FileReport& report, std::string_view loader) {
  const KindName* row = find_kind(report.kind);
  const std::string words = describe_kind(report);
  if (row == nullptr || !row->program) return words + ", not a program";
  if (!row->note.empty()) return fmt::format("{}: {}", words, row->note);
  return fmt::format("{}, which {} does not load", words, loader);
}

}  // namespace enoexec::impostor

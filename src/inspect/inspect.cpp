#include "enoexec/inspect.hpp"

#include "formats/elf/elf_file.hpp"
#include "formats/identify.hpp"
#include "formats/impostor/impostor.hpp"
#include "formats/macho/macho_file.hpp"
#include "formats/pe/pe_file.hpp"
#include "formats/script/shebang.hpp"
#include "inspect/go_evidence.hpp"
#include "inspect/script_host.hpp"
#include "support/mapped_file.hpp"

namespace enoexec {
namespace {

void inspect_elf(ByteView file, FileReport& report) {
  auto elf = elf::parse(file);
  if (!elf) {
    report.format = Format::elf;
    report.error = to_string(elf.error());
    return;
  }
  elf::describe(*elf, report);
  apply_go_buildinfo(file, *elf, report);
}

void inspect_view(ByteView file, FileReport& report) {
  const Format format = identify(file);
  switch (format) {
    case Format::elf: return inspect_elf(file, report);
    case Format::macho:
    case Format::macho_fat: return macho::inspect(file, report);
    case Format::pe: return pe::inspect(file, report);
    case Format::script: return script::inspect(file, report);
    case Format::unknown: break;
  }
  report.kind = impostor::classify(file);
  if (report.kind.empty() && script::looks_like_text(file)) return script::inspect(file, report);
}

}  // namespace

FileReport inspect_bytes(std::span<const std::uint8_t> bytes, std::string path) {
  FileReport report;
  report.path = std::move(path);
  inspect_view(ByteView(bytes), report);
  return report;
}

FileReport inspect_file(const std::string& path) {
  FileReport report;
  report.path = path;
  auto mapped = MappedFile::open(path);
  if (!mapped) {
    report.error = to_string(mapped.error());
    return report;
  }
  inspect_view(mapped->view(), report);
  // Only a file on this host has a host to look its interpreter up on.
  check_script_interpreter_on_host(report);
  return report;
}

}  // namespace enoexec

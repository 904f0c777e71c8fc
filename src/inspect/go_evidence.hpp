// Go build info is the strongest evidence of platform, OS and ARM variant: when a file has it,
// the report's `go` is filled and `platform` follows its GOOS/GOARCH/GOARM/GOAMD64.
#pragma once

#include "enoexec/report.hpp"
#include "formats/elf/elf_file.hpp"
#include "support/byte_view.hpp"

namespace enoexec {

void apply_go_buildinfo(ByteView file, const elf::ElfFile& elf, FileReport& report);

}  // namespace enoexec

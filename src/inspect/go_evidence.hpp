// Go build info is the strongest evidence of platform, OS and ARM variant: when a file has it,
// the report's `go` is filled and `platform` follows its GOOS/GOARCH/GOARM/GOAMD64.
#pragma once

#include "enoexec/report.hpp"
#include "formats/elf/elf_file.hpp"
#include "support/byte_view.hpp"
#include "toolchain/go_buildinfo.hpp"

namespace enoexec {

// The ELF view Go's debug/buildinfo takes (elfExe): search the section named .go.buildinfo
// (the bytes at its address, within the PT_LOAD that maps it, clipped to its size), else the
// first PT_LOAD whose flags have PF_W without PF_X; memory is every PT_LOAD's file-backed bytes.
// `warnings` receives what could not be mapped.
go::Image go_image(ByteView file, const elf::ElfFile& elf, std::vector<std::string>& warnings);

// Reads the build info of an ELF file already described into `report`, then lets its settings
// settle the platform (go::apply_platform). Damaged build info becomes a warning, never an error.
void apply_go_buildinfo(ByteView file, const elf::ElfFile& elf, FileReport& report);

}  // namespace enoexec

// The few ELF facts the host probe needs from a file of the host (/bin/sh, a loader, libc):
// class, byte order, e_machine, e_flags and PT_INTERP. The header comes from the ELF reader's
// one header reader (formats/elf/elf_header.hpp); only PT_INTERP is looked up here, without
// the whole reader's sections and tables.
#pragma once

#include <cstdint>
#include <string>

#include "enoexec/error.hpp"
#include "enoexec/host.hpp"
#include "support/byte_view.hpp"

namespace enoexec::host {

// e_ident, e_machine and e_flags (the whole file header must be readable); with
// `want_interpreter`, also PT_INTERP from the program headers (an unreadable program header
// table is then an error).
Result<HostElf> read_elf_head(ByteView bytes, bool want_interpreter);

// The gABI name of an e_machine value ("EM_AARCH64"), or "EM_<number>".
std::string elf_machine_name(std::uint16_t machine);

}  // namespace enoexec::host

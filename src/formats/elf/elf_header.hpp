// The ELF file header on its own: the one reader of e_ident and the Elf32_Ehdr/Elf64_Ehdr fields
// for every library that looks at an ELF file (the ELF reader itself, the host probe's look at
// /bin/sh and the loaders, the execve model's look at a file's and an interpreter's first bytes).
#pragma once

#include "enoexec/error.hpp"
#include "enoexec/platform.hpp"
#include "formats/elf/elf_types.hpp"
#include "support/byte_view.hpp"

namespace enoexec::elf {

// What read_elf_header insists on beyond the magic, EI_CLASS (without which no field has a place)
// and a whole header of that class.
struct HeaderChecks {
  // EI_DATA must be ELFDATA2LSB or ELFDATA2MSB. The kernel never looks at it (load_elf_binary
  // reads e_machine in its own order, so a file of the other order fails elf_check_arch), and
  // the execve model turns this off to see the file as the kernel does: anything but
  // ELFDATA2MSB is then read little-endian.
  bool byte_order = true;
};

// Reads the file header at the start of `bytes`. Fails with bad_magic without "\x7fELF", with
// malformed for a bad EI_CLASS (or EI_DATA, see HeaderChecks), with truncated when the bytes end
// before the header does (52 bytes for ELFCLASS32, 64 for ELFCLASS64). Nothing else is judged:
// e_type, e_machine, e_version and the table fields are returned as the file states them.
Result<FileHeader> read_elf_header(ByteView bytes, HeaderChecks checks = {});

// The header as a kernel's ELF loader reads it (fs/binfmt_elf.c, fs/compat_binfmt_elf.c): the
// struct of the loader's class `bits`, in the kernel's byte order `endian`, whatever e_ident
// says; only the magic is required. `bytes` is the kernel's buffer (bprm->buf): a file shorter
// than the header reads as if zero-padded, as that buffer is. ei_* keep the file's bytes.
Result<FileHeader> read_elf_header_as(ByteView bytes, int bits, Endian endian);

// 32 or 64, from EI_CLASS; the byte order from EI_DATA (ELFDATA2MSB: big, anything else: little).
inline int header_bits(const FileHeader& header) { return header.ei_class == ELFCLASS64 ? 64 : 32; }
inline Endian header_endian(const FileHeader& header) {
  return header.ei_data == ELFDATA2MSB ? Endian::big : Endian::little;
}

}  // namespace enoexec::elf

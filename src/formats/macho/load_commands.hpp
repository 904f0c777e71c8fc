// Load commands (load_commands.cpp) and the embedded code signature (codesign.cpp).
#pragma once

#include <string>
#include <vector>

#include "formats/macho/macho_file.hpp"

namespace enoexec::macho {

// Walks the ncmds load commands after the mach_header (file.bits and file.details' header
// fields must be set) and fills file.details, file.sections, file.truncated and file.warnings.
// A lying ncmds, sizeofcmds or cmdsize ends the walk with a warning; what was read is kept.
void read_load_commands(ByteView slice, MachoFile& file);

// Reads the SuperBlob at [signature.dataoff, + datasize) of `slice` and its CodeDirectories
// into file.details.code_signature, then verifies it (codesign_verify.cpp). Lying counts and
// offsets become warnings and, where the kernel would reject the signature for them, entries of
// `invalid`; is_signed stays false unless a CodeDirectory was read.
void read_code_signature(ByteView slice, MachoFile& file);

}  // namespace enoexec::macho

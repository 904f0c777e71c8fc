// binfmt_script's reading of a "#!" line (fs/binfmt_script.c, Linux >= 5.0), step for step, on
// the same zero-padded buffer the kernel fills, so every boundary falls where the kernel's does.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "enoexec/kernel.hpp"
#include "support/byte_view.hpp"

namespace enoexec::script {

// The kernel's buffer sizes (256 since Linux 5.1, 128 before), from their one home.
using kernel::BINPRM_BUF_SIZE;
using kernel::OLD_BINPRM_BUF_SIZE;

enum class KernelVerdict {
  not_script,          // bytes 0-1 are not "#!": -ENOEXEC, the next handler is tried
  no_interpreter,      // only blanks after "#!" (or nothing before the newline): -ENOEXEC
  path_truncated,      // no newline in the buffer and no blank/NUL after the path: -ENOEXEC
  opens_interpreter,   // the kernel opens `interpreter` (which may still be absent: ENOENT)
};

struct KernelLine {
  KernelVerdict verdict = KernelVerdict::not_script;
  std::string interpreter;              // as opened: a C string, "\r" and all
  std::optional<std::string> argument;  // the one argument, internal blanks kept
  bool newline_in_buffer = false;       // a '\n' was found inside the buffer
};

// Reads `file` as the kernel does with a buffer of `buffer_size` bytes (>= 3).
KernelLine read_kernel_line(ByteView file, std::size_t buffer_size = BINPRM_BUF_SIZE);

// The same reading with a buffer that always holds the whole first line (up to 64 KiB): what
// the line asks for, against which truncation by the real buffer is measured.
KernelLine read_whole_line(ByteView file);

}  // namespace enoexec::script

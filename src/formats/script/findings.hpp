// The named defects of a script's first line. Each message says what the kernel does with the
// line and, where they have their own words for it, what env and the shells print
// (docs: /work/shared/reference/linux-exec.md sections 2 and 7, measured on Linux 6.18).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "enoexec/details/script.hpp"
#include "formats/script/env_command.hpp"
#include "formats/script/kernel_line.hpp"

namespace enoexec::script::finding {

// `late_shebang`: where "#!" appears after leading blank space, if it does.
ScriptFinding no_shebang(std::optional<std::uint64_t> late_shebang);
// `first_word`: the line after the BOM up to its first blank ("#!/bin/sh").
ScriptFinding bom(std::string_view first_word);
ScriptFinding nul_in_line(std::uint64_t offset, const KernelLine& kernel);
// `opens_empty_path`: the kernel found an empty interpreter string and opens "" (EACCES).
ScriptFinding empty_interpreter(bool opens_empty_path);
ScriptFinding interpreter_path_truncated(const KernelLine& whole, std::size_t buffer_size);
ScriptFinding crlf(const KernelLine& kernel, const std::optional<EnvRun>& env);
ScriptFinding relative_interpreter(std::string_view interpreter);
ScriptFinding argument_truncated(const KernelLine& kernel, const KernelLine& whole,
                                 std::size_t buffer_size);
// The line works with today's buffer but not with the 128 bytes of kernels before 5.1.
ScriptFinding old_kernel_buffer(const KernelLine& old, std::size_t line_length);
// A finding for every env outcome but a clean run.
std::optional<ScriptFinding> env(std::string_view env_path,
                                 const std::optional<std::string>& argument, const EnvRun& run);

}  // namespace enoexec::script::finding

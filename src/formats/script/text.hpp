// The text test for files without a recognised magic number.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "support/byte_view.hpp"
#include "support/display_text.hpp"  // escape_for_display, quoted: the one escaper

namespace enoexec::script {

// How much of a file is looked at to decide "text": 4 KiB, one page.
inline constexpr std::size_t TEXT_WINDOW = 4096;

// Text, by this rule over the first TEXT_WINDOW bytes:
//  - not empty, and no NUL byte (UTF-16/32 text and binaries all have one early);
//  - valid UTF-8 (ASCII included; no overlong forms, surrogates or values above U+10FFFF),
//    except that a multi-byte sequence may be cut by the end of the window or file;
//  - at most 1 byte in 100 is a control byte other than TAB, LF, VT, FF, CR and ESC (ANSI
//    colour codes are common in text), DEL counting as control. Rounded down, so a short file
//    with any such byte is not text.
bool is_text(ByteView file);

// Shell commands, by this rule over the lines of the first TEXT_WINDOW bytes: blank lines and
// comment lines (first non-blank byte '#') are skipped, but a line that is "#!" after blank
// space (a misplaced "#!" line) counts as shell at once; the first other line is shell when
//  - its first word is an assignment NAME=... (NAME: letters, digits, '_', not starting with a
//    digit), or a function definition NAME() / "NAME ()";
//  - its first word is a shell reserved word, a POSIX special or regular built-in, or one of a
//    short list of commands scripts start with (mkdir, cp, curl, docker, make, ...: SHELL_WORDS);
//  - its first word is a command path: "/" then a name byte, "./" or "../";
//  - or its first word is a lower-case command name and the next word is an option ("-x",
//    "--long") or the line holds a pipe, "&&", "||", a redirection or a "$(" / "${" expansion.
// Anything else (prose, source code, Markdown, a file of comments only) is not shell-like.
bool is_shell_like(ByteView file);

}  // namespace enoexec::script

// Text tests and display escaping for script lines.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "support/byte_view.hpp"

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

// Bytes for display: printable ASCII and valid UTF-8 as they are; "\\" for a backslash; "\t",
// "\r", "\n", "\0" and "\xNN" for other control bytes, DEL and bytes that are not UTF-8;
// "\ufeff" for a byte-order mark, which is invisible.
std::string escape_for_display(std::string_view bytes);

// Quotes `bytes` for a message: "..." around escape_for_display(bytes), with \" for a quote.
std::string quoted(std::string_view bytes);

}  // namespace enoexec::script

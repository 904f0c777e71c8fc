// What a text file without "#!" is, when it is not shell commands: source code, Markdown or
// plain text. Called only for files that pass the text test (formats/script/text.hpp).
#pragma once

#include <string>

#include "support/byte_view.hpp"

namespace enoexec::impostor {

// The rules, over the lines of the first 4 KiB, in this order (the first that holds wins):
//  - "c-source": a line starts with a C preprocessor directive written with no blank after
//    '#': #include followed by '<' or '"', #define, #ifndef, #ifdef, #pragma, #if, #endif
//    (a Markdown heading needs a blank after '#', a shell comment rarely names a directive);
//  - "python-source": a line is "from NAME import ...", "import NAME[, NAME...]" (dotted names,
//    optionally "as NAME"), "def NAME(" or "class NAME" ending in ':', or "if __name__ ==";
//  - "markdown": a line is an ATX heading ('#' to '######', a blank, then text), a fence
//    ("```" or "~~~"), or a run of three or more '=' under a line of text (a setext heading),
//    or holds a link or image "[text](target)";
//  - "text" otherwise: the plain answer when unsure.
std::string plain_text_kind(ByteView file);

}  // namespace enoexec::impostor

// Facts read from a script's first line, as Linux's binfmt_script reads it. Filled in by formats/script.
#pragma once

namespace enoexec {
struct ScriptDetails {};
}  // namespace enoexec

// formats/impostor: names files that people try to run but that are not programs.
#pragma once

#include <string>

#include "support/byte_view.hpp"

namespace enoexec::impostor {

// "html", "git-lfs-pointer", "gzip", ... or "" when the bytes are none of the known impostors.
std::string classify(ByteView file);

}  // namespace enoexec::impostor

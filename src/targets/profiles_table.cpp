// profiles.def as an array. Kept apart from the code that reads it.
#include <string_view>

#include "targets/profiles.hpp"

namespace enoexec::targets {
namespace {

#include "targets/profiles.def"

}  // namespace

std::span<const ProfileRow> profile_rows() { return PROFILE_ROWS; }

}  // namespace enoexec::targets

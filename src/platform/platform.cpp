// Placeholder until the names table lands.
#include "enoexec/platform.hpp"

namespace enoexec {

std::string_view to_string(Os) { return "unknown"; }
std::string_view to_string(Arch) { return "unknown"; }
std::string_view to_string(Libc) { return "unknown"; }
std::string_view to_string(Endian endian) { return endian == Endian::little ? "little" : "big"; }
std::string to_oci(const Platform& p) { return std::string(to_string(p.os)) + "/" + std::string(to_string(p.arch)); }
PlatformNames names_of(const Platform&) { return {}; }
std::optional<Platform> parse_platform(std::string_view) { return std::nullopt; }
int bits_of(Arch) { return 0; }
Endian endian_of(Arch) { return Endian::little; }

}  // namespace enoexec

// Enum names, OCI form and the per-architecture facts, all read from the tables.
#include "enoexec/platform.hpp"

#include <algorithm>

#include "tables.hpp"

namespace enoexec {

using namespace platform_table;

std::string_view to_string(Os os) { return row_of(os).goos; }
std::string_view display_name(Os os) { return row_of(os).display; }
bool linux_kernel(Os os) { return os == Os::linux || os == Os::android; }
std::string_view to_string(Arch arch) { return row_of(arch).name; }
std::string_view to_string(Libc libc) { return row_of(libc).name; }
std::string_view to_string(Endian endian) { return endian == Endian::little ? "little" : "big"; }

std::string to_oci(const Platform& platform) {
  std::string out(to_string(platform.os));
  out += '/';
  out += to_string(platform.arch);
  if (!platform.variant.empty()) {
    out += '/';
    out += platform.variant;
  }
  return out;
}

int bits_of(Arch arch) { return row_of(arch).bits; }
Endian endian_of(Arch arch) { return row_of(arch).endian; }

Platform make_platform(Os os, Arch arch, std::string variant, Libc libc) {
  return Platform{os, arch, std::move(variant), libc, bits_of(arch), endian_of(arch)};
}

bool go_supports(Os os, Arch arch) {
  const auto ports = go_port_rows();
  return std::any_of(ports.begin(), ports.end(),
                     [&](const GoPortRow& port) { return port.os == os && port.arch == arch; });
}

}  // namespace enoexec

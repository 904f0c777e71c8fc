#include "toolchain/go_buildinfo.hpp"

namespace enoexec::go {

Result<std::optional<GoBuildInfo>> read_buildinfo(const Image& image) {
  (void)image;
  return std::optional<GoBuildInfo>{};
}

}  // namespace enoexec::go

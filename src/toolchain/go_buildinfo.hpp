// Go build information, found and decoded exactly as Go's debug/buildinfo does.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "enoexec/details/go.hpp"
#include "support/byte_view.hpp"

namespace enoexec::go {

// A file-backed range of the program's address space.
struct Region {
  std::uint64_t vaddr = 0;
  ByteView bytes;
};

// What the reader needs from an executable, whatever its format.
struct Image {
  std::vector<Region> search;  // where to look for the build-info header, in order of preference
  std::vector<Region> memory;  // every loaded range, to follow pre-1.18 pointers
};

// nullopt when the image holds no build info (not Go, or stripped of it).
Result<std::optional<GoBuildInfo>> read_buildinfo(const Image& image);

}  // namespace enoexec::go

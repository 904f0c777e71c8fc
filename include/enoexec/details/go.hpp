// Go build information, as `go version -m` prints it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace enoexec {

struct GoDependency {
  std::string path, version, sum;
  std::optional<std::string> replace_path, replace_version, replace_sum;
};

struct GoBuildInfo {
  std::string version;                                     // "go1.19.8"
  std::string path;                                        // main package path
  std::optional<GoDependency> main;                        // main module
  std::vector<GoDependency> deps;
  std::vector<std::pair<std::string, std::string>> settings;  // in file order: GOOS, GOARCH, ...
  int pointer_size = 0;                                    // 4 or 8
  bool big_endian = false;
  bool inline_format = false;                              // Go 1.18+ layout
  std::uint64_t offset = 0;                                // file offset of the "\xff Go buildinf:" header
  // False for a Go program recognised without build info (too old, or the blob damaged or
  // removed): then only `version` may be set ("" when not found); every other field is empty.
  bool has_buildinfo = true;

  // The value of build setting `key`, if recorded.
  std::optional<std::string> setting(const std::string& key) const {
    for (const auto& [k, v] : settings)
      if (k == key) return v;
    return std::nullopt;
  }
};

}  // namespace enoexec

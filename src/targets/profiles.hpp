// The profile table (profiles.def) as rows of text, and their conversion to Profile values.
#pragma once

#include <span>
#include <string_view>

#include "enoexec/targets.hpp"

namespace enoexec::targets {

// One fact as the table writes it, with its source. An empty value is an unknown fact.
struct Cell {
  std::string_view value{};
  std::string_view source{};
  bool inferred = false;
};

// A fact the source states.
constexpr Cell S(std::string_view value, std::string_view source) { return Cell{value, source, false}; }
// A fact inferred from cited facts; the source says from which.
constexpr Cell I(std::string_view value, std::string_view source) { return Cell{value, source, true}; }

// One row of profiles.def. Text formats of the cells:
//   platform      any parse_platform() text: "linux/arm/v6"
//   libc          a to_string(Libc) name: "glibc", "musl", "bionic", "libsystem", "ucrt"
//   cpu_features  space-separated
//   page_size     bytes, decimal
//   compat32      "<support> <arch>": "yes arm", "no arm", "likely 386"
//   loader        space-separated paths
//   emulation     space-separated guest platforms, run by `emulator`
//   notes         separated by " | "
struct ProfileRow {
  std::string_view id{};
  std::string_view aliases{};  // space-separated
  std::string_view name{};
  Cell system{};
  Cell os_version{};  // "13.0" (macOS), "6.1" / "10.0.22000" (Windows NT)
  Cell platform{};
  Cell libc{};
  Cell libc_version{};
  Cell cpu{};
  Cell cpu_level{};
  Cell cpu_features{};
  Cell float_abi{};
  Cell page_size{};
  Cell compat32{};
  Cell kernel{};
  Cell kernel_machine{};
  Cell loader{};
  Cell emulation{};
  std::string_view emulator{};
  std::string_view notes{};
};

std::span<const ProfileRow> profile_rows();

// The row as a Profile; an error names the row and the cell that does not parse.
Result<Profile> profile_from_row(const ProfileRow& row);

}  // namespace enoexec::targets

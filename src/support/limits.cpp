#include "enoexec/limits.hpp"

#include <charconv>
#include <string>

#include <fmt/format.h>

namespace enoexec {
namespace {

const LimitName* find_limit(std::string_view name) {
  for (const LimitName& row : kLimitNames)
    if (name == row.name || name == row.option) return &row;
  return nullptr;
}

std::string known_names() {
  std::string list;
  for (const LimitName& row : kLimitNames) {
    if (!list.empty()) list += ", ";
    list += row.option;
  }
  return list;
}

// "4096", "64K", "16M", "1G": a positive count, the suffix a binary multiple.
Result<std::uint64_t> parse_count(std::string_view text) {
  unsigned shift = 0;
  if (!text.empty()) {
    switch (text.back()) {
      case 'K': case 'k': shift = 10; break;
      case 'M': case 'm': shift = 20; break;
      case 'G': case 'g': shift = 30; break;
      default: break;
    }
    if (shift != 0) text.remove_suffix(1);
  }
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0 ||
      value > (~std::uint64_t{0} >> shift))
    return make_error(ErrorCode::malformed, 0, "");
  return value << shift;
}

// Limits that stand for a kernel number (enoexec/kernel.hpp): the kernel decides the verdict at
// its own value, so enoexec never follows further than it, and the #! buffer cannot differ from
// the kernel's at all without reading another line than the kernel reads.
struct KernelBound {
  std::uint64_t Limits::*field;
  std::uint64_t min, max;
  std::string_view why;
};
constexpr KernelBound KERNEL_BOUNDS[] = {
    {&Limits::shebang_bytes, kernel::BINPRM_BUF_SIZE, kernel::BINPRM_BUF_SIZE,
     "the #! line is read exactly as the kernel reads it, in its BINPRM_BUF_SIZE"},
    {&Limits::interpreter_depth, kernel::MAX_INTERPRETER_DEPTH, kernel::MAX_INTERPRETER_DEPTH,
     "the kernel itself fails a deeper chain of interpreters with ELOOP"},
    {&Limits::symlink_hops, kernel::MAXSYMLINKS, kernel::MAXSYMLINKS,
     "the kernel itself fails a longer chain of symbolic links with ELOOP (MAXSYMLINKS)"},
};

Result<void> check_kernel_bound(const LimitName& row, std::uint64_t value,
                                std::string_view name_eq_value) {
  for (const KernelBound& bound : KERNEL_BOUNDS) {
    if (bound.field != row.field || (value >= bound.min && value <= bound.max)) continue;
    const std::string range = bound.min == bound.max ? fmt::format("is fixed at {}", bound.max)
                                                     : fmt::format("is at most {}", bound.max);
    return make_error(ErrorCode::malformed, 0,
                      fmt::format("--limit {}: {} {}: {}", name_eq_value, row.option, range,
                                  bound.why));
  }
  return {};
}

}  // namespace

Result<void> set_limit(Limits& limits, std::string_view name_eq_value) {
  const std::size_t eq = name_eq_value.find('=');
  const std::string_view name = name_eq_value.substr(0, eq);
  const LimitName* row = find_limit(name);
  if (row == nullptr)
    return make_error(ErrorCode::malformed, 0,
                      fmt::format("--limit {}: unknown limit \"{}\"; known limits: {}",
                                  name_eq_value, name, known_names()));
  if (eq == std::string_view::npos)
    return make_error(ErrorCode::malformed, 0,
                      fmt::format("--limit {}: expected NAME=VALUE", name_eq_value));
  auto value = parse_count(name_eq_value.substr(eq + 1));
  if (!value)
    return make_error(ErrorCode::malformed, 0,
                      fmt::format("--limit {}: the value must be a positive count, optionally "
                                  "with K, M or G",
                                  name_eq_value));
  if (auto bounded = check_kernel_bound(*row, *value, name_eq_value); !bounded)
    return tl::unexpected(bounded.error());
  limits.*(row->field) = *value;
  return {};
}

std::string limit_exceeded(std::string_view name, std::string_view details) {
  return fmt::format("limit exceeded: {}: {}", name, details);
}

}  // namespace enoexec

#include "output/platforms_text.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace enoexec {
namespace {

// The platforms listed without a query: the Linux levels people build for most, then the other
// operating systems' main ports.
constexpr std::array<std::string_view, 24> COMMON_PLATFORMS = {
    "linux/386", "linux/amd64", "linux/amd64/v2", "linux/amd64/v3", "linux/arm/v5", "linux/arm/v6",
    "linux/arm/v7", "linux/arm64", "linux/loong64", "linux/mips", "linux/mipsle", "linux/mips64le",
    "linux/ppc64le", "linux/riscv64", "linux/s390x", "android/arm64", "darwin/amd64", "darwin/arm64",
    "windows/386", "windows/amd64", "windows/arm64", "freebsd/amd64", "freebsd/arm64", "openbsd/amd64",
};

std::string dash_if_empty(std::string_view text) { return text.empty() ? "-" : std::string(text); }

std::string go_name(const PlatformNames& n) {
  if (n.goos.empty()) return {};
  if (n.go_variant_value.empty()) return fmt::format("GOOS={} GOARCH={}", n.goos, n.goarch);
  return fmt::format("GOOS={} GOARCH={} {}={}", n.goos, n.goarch, n.go_variant_var, n.go_variant_value);
}

std::string uname_name(const PlatformNames& n) {
  return n.uname_s.empty() || n.uname_m.empty() ? std::string() : fmt::format("{} {}", n.uname_s, n.uname_m);
}

std::string libc_text(const Platform& platform, std::string_view version) {
  if (platform.libc == Libc::unknown) return "-";
  if (platform.libc == Libc::none) return "no libc";
  return version.empty() ? std::string(to_string(platform.libc)) : fmt::format("{} {}", to_string(platform.libc), version);
}

// Rows of cells, each column as wide as its widest cell, two spaces between columns, indented
// by two; the last column is not padded. Widths count bytes: every cell here is ASCII.
template <std::size_t N>
void aligned_rows(const std::vector<std::array<std::string, N>>& rows, std::string& out) {
  std::array<std::size_t, N> width{};
  for (const auto& row : rows)
    for (std::size_t i = 0; i < N; ++i) width[i] = std::max(width[i], row[i].size());
  for (const auto& row : rows) {
    out += " ";
    for (std::size_t i = 0; i + 1 < N; ++i) out += fmt::format(" {:<{}} ", row[i], width[i]);
    out += fmt::format(" {}\n", row[N - 1]);
  }
}

void platform_rows(std::string& out) {
  out += "Platforms (enoexec platforms <name> shows one; any of these names is accepted):\n";
  std::vector<std::array<std::string, 6>> rows{{"OCI", "Go", "uname", "Debian", "GNU triple", "Rust"}};
  for (std::string_view text : COMMON_PLATFORMS) {
    const auto platform = parse_platform(text);
    if (!platform) continue;
    const PlatformNames n = names_of(*platform);
    rows.push_back({n.oci, dash_if_empty(go_name(n)), dash_if_empty(uname_name(n)), dash_if_empty(n.debian),
                    dash_if_empty(n.gnu_triple), dash_if_empty(n.rust_triple)});
  }
  aligned_rows(rows, out);
}

void profile_rows(std::string& out) {
  out += "\nProfiles (enoexec platforms <profile> shows its facts and sources):\n";
  std::vector<std::array<std::string, 4>> rows{{"Profile", "Platform", "libc", "Machine"}};
  for (const Profile& p : profiles())
    rows.push_back({p.id, to_oci(p.platform), libc_text(p.platform, p.libc_version), p.name});
  aligned_rows(rows, out);
}

void name_lines(const Target& target, std::string& out) {
  const PlatformNames n = names_of(target.platform);
  out += "Names:\n";
  if (target.profile) {
    out += fmt::format("  {:<12} {}\n", "profile", target.profile->id);
    if (!target.profile->aliases.empty()) {
      out += fmt::format("  {:<12} {}\n", "aliases", fmt::join(target.profile->aliases, ", "));
    }
  }
  const std::array<std::pair<std::string_view, std::string>, 6> rows = {{
      {"OCI", n.oci}, {"Go", go_name(n)}, {"uname", uname_name(n)},
      {"Debian", n.debian}, {"GNU triple", n.gnu_triple}, {"Rust", n.rust_triple},
  }};
  for (const auto& [label, name] : rows) {
    if (!name.empty()) out += fmt::format("  {:<12} {}\n", label, name);
  }
}

// A fact as the page shows it: units and arch spelled out where the table is terse.
std::string fact_value(const Profile& p, const FactSource& fact) {
  switch (fact.fact) {
    case ProfileFact::platform: return to_oci(p.platform);
    case ProfileFact::page_size: return fmt::format("{} bytes", fact.value);
    case ProfileFact::compat32: return fmt::format("{} ({})", to_string(p.compat32), to_string(p.compat32_arch));
    case ProfileFact::emulation: {
      std::vector<std::string> guests;
      for (const auto& e : p.emulation) guests.push_back(to_oci(e.guest));
      return fmt::format("{} via {}", fmt::join(guests, ", "), p.emulation.empty() ? "" : p.emulation.front().via);
    }
    default: return fact.value;
  }
}

void fact_lines(const Profile& p, std::string& out) {
  out += fmt::format("\nProfile {}: {}\n", p.id, p.name);
  for (const FactSource& fact : p.sources) {
    out += fmt::format("  {}: {}\n", to_string(fact.fact), fact_value(p, fact));
    out += fmt::format("      {}: {}\n", fact.inferred ? "inferred from" : "source", fact.source);
  }
  for (const auto& note : p.notes) out += fmt::format("  note: {}\n", note);
}

void related_profiles(const Target& target, std::string& out) {
  std::vector<std::string> ids;
  for (const Profile* p : profiles_on(target.platform)) {
    if (!target.profile || p->id != target.profile->id) ids.push_back(p->id);
  }
  if (ids.empty()) return;
  out += fmt::format("\n{} {}: {}\n", target.profile ? "Other profiles on" : "Profiles on", to_oci(target.platform),
                     fmt::join(ids, ", "));
}

void advice_lines(const Target& target, std::string& out) {
  const auto advice = build_advice(target);
  out += "\nHow to build for it:\n";
  if (advice.empty()) out += "  no toolchain enoexec knows builds for this platform\n";
  for (const BuildAdvice& a : advice) {
    out += fmt::format("  {}:\n", a.toolchain);
    for (const auto& command : a.commands) out += fmt::format("    {}\n", command);
    for (const auto& note : a.notes) out += fmt::format("    note: {}\n", note);
  }
}

}  // namespace

std::string platforms_table() {
  std::string out;
  platform_rows(out);
  profile_rows(out);
  return out;
}

std::string platform_page(const Target& target) {
  std::string out = fmt::format("{}", to_oci(target.platform));
  if (target.platform.libc == Libc::none) out += " (no libc)";
  else if (target.platform.libc != Libc::unknown) out += fmt::format(" ({})", to_string(target.platform.libc));
  if (target.profile) out += fmt::format(" - {}", target.profile->name);
  out += "\n\n";
  name_lines(target, out);
  if (target.profile) fact_lines(*target.profile, out);
  related_profiles(target, out);
  advice_lines(target, out);
  return out;
}

Result<std::string> platforms_text(std::string_view query) {
  if (query.find_first_not_of(" \t") == std::string_view::npos) return platforms_table();
  return parse_target(query).map(platform_page);
}

}  // namespace enoexec

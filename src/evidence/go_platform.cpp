#include "evidence/go_platform.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

namespace enoexec::go {
namespace {

// cmd/go/internal/cfg GetArchEnv: the one level variable recorded for each GOARCH.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kArchVariables{{
    {"arm", "GOARM"},
    {"arm64", "GOARM64"},
    {"386", "GO386"},
    {"amd64", "GOAMD64"},
    {"mips", "GOMIPS"},
    {"mipsle", "GOMIPS"},
    {"mips64", "GOMIPS64"},
    {"mips64le", "GOMIPS64"},
    {"ppc64", "GOPPC64"},
    {"ppc64le", "GOPPC64"},
    {"riscv64", "GORISCV64"},
    {"wasm", "GOWASM"},
}};

constexpr std::string_view kArmVersionWarning = "ARM architecture version not stated";

bool has_space(std::string_view text) {
  return text.empty() || text.find_first_of(" \t\r\n\f\v") != std::string_view::npos;
}

std::string source(std::string_view key, std::string_view value) {
  return fmt::format("Go build setting {}={}", key, value);
}

// Records `fact` = `value` from `why`, dropping evidence that argued for another value.
void settle(FileReport& report, std::string_view fact, std::string_view value, std::string why) {
  std::erase_if(report.evidence,
                [&](const Evidence& e) { return e.fact == fact && e.value != value; });
  report.evidence.push_back(Evidence{std::string(fact), std::string(value), std::move(why)});
}

void apply_variant(const GoBuildInfo& info, const Platform& go, Platform& platform,
                   FileReport& report) {
  const std::string goarch = info.setting("GOARCH").value_or("");
  const std::string_view variable = arch_variable(goarch);
  if (variable.empty()) return;
  const auto level = info.setting(std::string(variable));
  // Not recorded (before Go 1.18, or a Go too old for this GOARCH's variable): keep the reader's.
  if (!level) return;
  platform.variant = go.variant;
  if (go.variant.empty()) {
    std::erase_if(report.evidence, [](const Evidence& e) { return e.fact == "variant"; });
    return;
  }
  settle(report, "variant", go.variant, source(variable, *level));
  if (goarch == "arm")
    std::erase_if(report.warnings,
                  [](const std::string& w) { return w.starts_with(kArmVersionWarning); });
}

}  // namespace

std::string_view arch_variable(std::string_view goarch) {
  for (const auto& [arch, variable] : kArchVariables)
    if (arch == goarch) return variable;
  return {};
}

std::optional<std::string> platform_text(const GoBuildInfo& info) {
  const auto goos = info.setting("GOOS");
  const auto goarch = info.setting("GOARCH");
  if (!goos || !goarch || has_space(*goos) || has_space(*goarch)) return std::nullopt;
  std::string text = fmt::format("GOOS={} GOARCH={}", *goos, *goarch);
  const std::string_view variable = arch_variable(*goarch);
  if (variable.empty()) return text;
  const auto level = info.setting(std::string(variable));
  if (level && !has_space(*level)) text += fmt::format(" {}={}", variable, *level);
  return text;
}

void apply_platform(const GoBuildInfo& info, bool links_nothing, FileReport& report) {
  const auto text = platform_text(info);
  if (!text) return;
  const auto go = parse_platform(*text);
  if (!go) return;
  const Arch file_arch = report.platform ? report.platform->arch : Arch::unknown;
  if (file_arch != Arch::unknown && file_arch != go->arch) {
    report.warnings.push_back(
        fmt::format("Go build setting GOARCH={} disagrees with the file's architecture {}; "
                    "keeping the file's",
                    info.setting("GOARCH").value_or(""), to_string(file_arch)));
    return;
  }
  Platform& platform = report.platform ? *report.platform : report.platform.emplace(*go);
  platform.os = go->os;
  platform.arch = go->arch;
  settle(report, "os", to_string(go->os), source("GOOS", *info.setting("GOOS")));
  settle(report, "arch", to_string(go->arch), source("GOARCH", *info.setting("GOARCH")));
  apply_variant(info, *go, platform, report);
  if (links_nothing && info.setting("CGO_ENABLED") == "0") {
    platform.libc = Libc::none;
    settle(report, "libc", to_string(Libc::none), "Go build setting CGO_ENABLED=0, no PT_INTERP");
  }
}

}  // namespace enoexec::go

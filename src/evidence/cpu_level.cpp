// CPU level rules (see cpu_level.hpp for the sources and their vocabularies).
#include "evidence/cpu_level.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace enoexec::toolchain {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct Statement {
  CpuLevelSource source;
  std::vector<std::string> features;
};

// The number `text` starts with at `at` (digits only), advancing `at`.
int number_at(std::string_view text, std::size_t& at) {
  int value = 0;
  while (at < text.size() && is_digit(text[at]) && value < 100000)
    value = value * 10 + (text[at++] - '0');
  return value;
}

// An order for levels of one vocabulary; 0 when the level has none.
//   "v7", "v5TE", "v8.2", "v8.1-A": major * 100 + minor; "rva22u64": 22; "power9": 9.
int rank(std::string_view level) {
  std::size_t at = 0;
  if (level.starts_with("v") && level.size() > 1 && is_digit(level[1])) {
    at = 1;
    const int major = number_at(level, at);
    int minor = 0;
    if (at + 1 < level.size() && level[at] == '.' && is_digit(level[at + 1])) {
      ++at;
      minor = number_at(level, at);
    }
    return major * 100 + std::min(minor, 99);
  }
  if (level.starts_with("rva") || level.starts_with("power")) {
    at = level.starts_with("rva") ? 3 : 5;
    return number_at(level, at);
  }
  return 0;
}

void state(std::vector<Statement>& out, std::string level, std::string source,
           std::vector<std::string> features = {}, bool by_scan = false) {
  out.push_back({CpuLevelSource{std::move(level), std::move(source), by_scan},
                 std::move(features)});
}

std::string go_setting_source(const std::string& key, const std::string& value) {
  return fmt::format("Go build setting {}={}", key, value);
}

// "7", "6,softfloat", "5,hardfloat" (GOARM); Go's defaults: 5 is soft-float, 6 and 7 hard-float.
void goarm(const std::string& value, std::vector<Statement>& out) {
  const std::string version = value.substr(0, value.find(','));
  if (version != "5" && version != "6" && version != "7") return;
  const bool soft = value.ends_with(",softfloat") || (version == "5" && !value.ends_with(",hardfloat"));
  std::vector<std::string> features;
  if (soft) features.emplace_back("softfloat");
  else features.emplace_back(version == "7" ? "VFPv3" : version == "6" ? "VFP" : "VFPv2");
  state(out, "v" + version, go_setting_source("GOARM", value), std::move(features));
}

// "v8.0", "v8.2,lse", "v9.0,crypto,lse" (GOARM64).
void goarm64(const std::string& value, std::vector<Statement>& out) {
  const std::size_t comma = value.find(',');
  const std::string level = value.substr(0, comma);
  if (rank(level) == 0) return;
  std::vector<std::string> features;
  if (value.find(",lse") != std::string::npos) features.emplace_back("LSE");
  if (value.find(",crypto") != std::string::npos) features.emplace_back("crypto");
  state(out, level, go_setting_source("GOARM64", value), std::move(features));
}

void go_settings(const GoBuildInfo& go, std::vector<Statement>& out) {
  if (auto v = go.setting("GOAMD64"); v && rank(*v) > 0)
    state(out, *v, go_setting_source("GOAMD64", *v));
  if (auto v = go.setting("GO386"); v && *v == "sse2")
    state(out, "sse2", go_setting_source("GO386", *v), {"SSE2"});
  if (auto v = go.setting("GOARM")) goarm(*v, out);
  if (auto v = go.setting("GOARM64")) goarm64(*v, out);
  if (auto v = go.setting("GORISCV64"); v && v->starts_with("rva"))
    state(out, *v, go_setting_source("GORISCV64", *v));
  if (auto v = go.setting("GOPPC64"); v && v->starts_with("power"))
    state(out, *v, go_setting_source("GOPPC64", *v));
}

void macho_subtype(const std::string& arch, std::vector<Statement>& out) {
  const std::string source = fmt::format("Mach-O CPU subtype {}", arch);
  if (arch == "x86_64h") state(out, "v3", source);  // Haswell: AVX2, BMI1/2, FMA, MOVBE
  else if (arch == "arm64e") state(out, "v8.3", source, {"PAC"});
  else if (arch == "armv7s") state(out, "v7", source, {"VFPv4"});
  else if (arch == "armv7" || arch == "armv7k" || arch == "armv7m" || arch == "armv7em")
    state(out, "v7", source);
  else if (arch == "armv6" || arch == "armv6m") state(out, "v6", source);
}

void arm_attributes(const CpuClues& clues, std::vector<Statement>& out) {
  if (clues.arm_cpu_arch.empty()) return;
  std::vector<std::string> features;
  if (!clues.arm_fp_arch.empty()) features.push_back(clues.arm_fp_arch);
  if (!clues.arm_simd.empty()) features.push_back(clues.arm_simd);
  state(out, clues.arm_cpu_arch, ".ARM.attributes Tag_CPU_arch", std::move(features));
}

void scan(const CpuClues& clues, std::vector<Statement>& out) {
  if (!clues.scan) return;
  const x86::IsaScan& s = *clues.scan;
  std::string source = fmt::format("scan of {} ({} bytes)", clues.scan_where, s.bytes_scanned);
  if (!s.first_feature.empty())
    source += fmt::format(": {} at offset {:#x}", s.first_feature, s.first_offset);
  if (s.budget_exhausted) source += "; stopped at the byte budget, a lower bound";
  std::vector<std::string> features;
  if (!s.first_feature.empty()) features.push_back(s.first_feature);
  state(out, fmt::format("v{}", s.level), std::move(source), std::move(features), true);
}

std::vector<Statement> statements(const CpuClues& clues) {
  std::vector<Statement> out;
  if (clues.x86_isa_needed && *clues.x86_isa_needed >= 1)
    state(out, fmt::format("v{}", *clues.x86_isa_needed), "GNU property X86_ISA_1_NEEDED");
  arm_attributes(clues, out);
  if (!clues.mips_isa.empty()) state(out, clues.mips_isa, clues.mips_isa_source);
  if (auto riscv = parse_riscv_arch(clues.riscv_arch))
    state(out, riscv->base, ".riscv.attributes Tag_RISCV_arch", riscv->extensions);
  if (clues.go != nullptr) go_settings(*clues.go, out);
  if (!clues.macho_arch_name.empty()) macho_subtype(clues.macho_arch_name, out);
  scan(clues, out);
  return out;
}

// Strips a trailing "<major>p<minor>" or "<major>" version from one extension.
std::string_view without_version(std::string_view extension) {
  std::size_t end = extension.size();
  while (end > 0 && is_digit(extension[end - 1])) --end;
  if (end > 1 && extension[end - 1] == 'p' && is_digit(extension[end - 2])) {
    --end;
    while (end > 0 && is_digit(extension[end - 1])) --end;
  }
  return extension.substr(0, end);
}

}  // namespace

std::optional<RiscvArch> parse_riscv_arch(std::string_view arch) {
  if (!arch.starts_with("rv32") && !arch.starts_with("rv64")) return std::nullopt;
  RiscvArch out;
  out.base = std::string(arch.substr(0, 4));
  std::size_t at = 4;
  while (at < arch.size()) {
    const std::size_t end = std::min(arch.find('_', at), arch.size());
    const std::string_view part = arch.substr(at, end - at);
    at = end + 1;
    if (part.empty()) continue;
    const char first = part.front();
    if (first == 'z' || first == 's' || first == 'x') {
      out.extensions.emplace_back(without_version(part));
      continue;
    }
    // single-letter extensions, each optionally followed by its version: "i2p1", "imafdc", "gc"
    for (std::size_t i = 0; i < part.size(); ++i)
      if (part[i] >= 'a' && part[i] <= 'z' && part[i] != 'p') out.base += part[i];
      else if (part[i] == 'p' && (i == 0 || !is_digit(part[i - 1]))) out.base += part[i];
  }
  return out;
}

bool x86_level_stated_above_baseline(const CpuClues& clues) {
  if (clues.x86_isa_needed && *clues.x86_isa_needed > 1) return true;
  if (clues.go != nullptr)
    if (auto v = clues.go->setting("GOAMD64"); v && rank(*v) > 100) return true;
  return clues.macho_arch_name == "x86_64h";
}

std::optional<CpuLevel> cpu_level(const CpuClues& clues) {
  const std::vector<Statement> found = statements(clues);
  if (found.empty()) return std::nullopt;
  const Statement* best = &found.front();
  for (const auto& statement : found)
    if (rank(statement.source.level) > rank(best->source.level)) best = &statement;
  CpuLevel out;
  out.isa = clues.isa;
  out.level = best->source.level;
  out.source = best->source.source;
  out.found_by_scan = best->source.found_by_scan;
  for (const auto& statement : found) {
    out.sources.push_back(statement.source);
    for (const auto& feature : statement.features)
      if (std::find(out.features.begin(), out.features.end(), feature) == out.features.end())
        out.features.push_back(feature);
  }
  return out;
}

}  // namespace enoexec::toolchain

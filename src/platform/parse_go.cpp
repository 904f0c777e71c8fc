// Go's environment form: "GOOS=linux GOARCH=arm GOARM=6", in any order, separated by spaces or
// commas. GOARM and GOARM64 values may carry comma suffixes ("6,softfloat", "v8.2,lse,crypto"),
// so a word without '=' continues the previous value. Rules: Go internal/buildcfg cfg.go.
#include <map>

#include "lookup.hpp"
#include "tables.hpp"
#include "text.hpp"

namespace enoexec {
namespace {

using namespace platform_table;
using namespace platform_lookup;

// The comma options each variable accepts after its level (buildcfg goarm, goarm64).
std::string_view go_options(std::string_view go_var) {
  if (go_var == "GOARM") return "softfloat hardfloat";
  if (go_var == "GOARM64") return "lse crypto";
  return {};
}

bool options_valid(std::string_view go_var, std::string_view options) {
  const auto allowed = go_options(go_var);
  std::size_t count = 0;
  for (const auto option : platform_text::split(options, ',')) {
    if (!list_has(allowed, option)) return false;
    ++count;
  }
  return go_var != "GOARM" || count == 1;  // GOARM takes one float mode; GOARM64 any of lse/crypto
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

std::optional<Arch> goarch_named(std::string_view word) {
  for (const ArchRow& row : arch_rows()) {
    if (row.is_goarch && row.name == word) return row.arch;
  }
  return std::nullopt;
}

std::optional<Os> goos_named(std::string_view word) {
  for (const OsRow& row : os_rows()) {
    if (row.is_goos && row.goos == word) return row.os;
  }
  return std::nullopt;
}

// Reads "KEY=value" words into a map keyed by upper-case KEY; nullopt on a repeated key or a
// stray word that does not continue a GOARM/GOARM64 value.
std::optional<std::map<std::string, std::string>> read_assignments(std::string_view text) {
  std::map<std::string, std::string> values;
  std::string last_key;
  for (const auto word : platform_text::words(text, ",")) {
    const auto eq = word.find('=');
    if (eq == std::string_view::npos) {
      if (go_options(last_key).empty()) return std::nullopt;
      values[last_key] += ',';
      values[last_key] += word;
      continue;
    }
    last_key = upper(word.substr(0, eq));
    if (!values.emplace(last_key, std::string(word.substr(eq + 1))).second) return std::nullopt;
  }
  return values;
}

// Every variable must be GOOS, GOARCH or a sub-architecture variable with a value Go accepts
// for some GOARCH (Go validates them all, and ignores those for another GOARCH).
bool variable_valid(const std::string& key, const std::string& value) {
  if (key == "GOOS" || key == "GOARCH") return true;
  for (const ArchRow& row : arch_rows()) {
    if (row.go_var == key) return variant_from_go(row.arch, value).has_value();
  }
  return false;
}

}  // namespace

std::optional<std::string> variant_from_go(Arch arch, std::string_view value) {
  const auto& arch_row = row_of(arch);
  if (arch_row.go_var.empty()) return std::nullopt;
  if (value.empty()) return std::string(arch_row.oci_default);  // unset: the toolchain default
  const auto comma = value.find(',');
  const auto level = value.substr(0, comma);
  if (comma != std::string_view::npos && !options_valid(arch_row.go_var, value.substr(comma + 1))) return std::nullopt;
  for (const VariantRow& row : variant_rows()) {
    if (row.arch == arch && row.go_value == level) return std::string(row.oci);
  }
  return std::nullopt;
}

namespace platform_lookup {

std::optional<Platform> parse_go(std::string_view text) {
  const auto values = read_assignments(text);
  if (!values) return std::nullopt;
  for (const auto& [key, value] : *values) {
    if (!variable_valid(key, value)) return std::nullopt;
  }
  const auto goarch = values->find("GOARCH");
  if (goarch == values->end()) return std::nullopt;
  const auto arch = goarch_named(goarch->second);
  const auto goos = values->find("GOOS");
  const auto os = goos == values->end() ? std::optional(Os::linux) : goos_named(goos->second);
  if (!arch || !os) return std::nullopt;
  const auto level = values->find(std::string(row_of(*arch).go_var));
  const auto variant = variant_from_go(*arch, level == values->end() ? std::string_view() : level->second);
  return make_platform(*os, *arch, variant.value_or(std::string()));
}

}  // namespace platform_lookup
}  // namespace enoexec

// The rules table (rules.def) as an array, and the look-ups over it: by exact code for the
// verdict, by closeness (support/close_matches.hpp) for `enoexec explain`'s did-you-mean.
#include "enoexec/rules.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "support/close_matches.hpp"

namespace enoexec {
namespace {

// docs/rules.md's sections, as GitHub spells their anchors (tests/unit/rules/ checks each is a
// heading of docs/rules.md).
constexpr std::string_view KERNEL = "rules-decided-by-the-kernel-execve-fails-or-the-process-is-killed-during-execve";
constexpr std::string_view AFTER = "rules-decided-after-a-successful-execve-execve--ok-verdict-fails";
constexpr std::string_view MACOS = "macos-targets";
constexpr std::string_view UNIVERSAL = "universal-binaries";
constexpr std::string_view WINDOWS = "windows-targets";
constexpr std::string_view NAMES = "names-that-promise-another-platform-srcverdictartifact_namecpp";
constexpr std::string_view IMAGES = "container-images-srcimage";
constexpr std::string_view UNMODELLED = "targets-that-are-not-modelled-verdict-unknown";

// Fix texts several rows share. {c_build} is a complete C or C++ command line.
constexpr std::string_view GO_BUILD = "GOOS=linux GOARCH={goarch}{govar} CGO_ENABLED=0 go build";
// {or_docker}: " # or: docker buildx build --platform {oci} ." where Docker can build for it.
constexpr std::string_view C_BUILD = "{c_build}{or_docker}";
constexpr std::string_view RUST_BUILD =
    "rustup target add {rust} && cargo build --release --target {rust}";
// {other_build}: Docker where it can build for the target, and qemu-user where QEMU emulates the
// file's architecture; else the rebuild the target's own toolchain makes (src/verdict/fixes.cpp).
constexpr std::string_view OTHER_BUILD = "{other_build}";
constexpr std::string_view SCRIPT_CRLF = "sed -i 's/\\r$//' {file} # or: dos2unix {file}";

constexpr std::array RULES{
#define RULE(code, severity, anchor, summary, outcome, explanation, source, example, fix, go, c, \
             rust, elsewhere)                                                                   \
  RuleInfo{#code, RuleSeverity::severity, summary, outcome, explanation, source, example,       \
           fix, go, c, rust, elsewhere, anchor},
#include "rules.def"
#undef RULE
};

}  // namespace

std::string_view to_string(RuleSeverity severity) {
  switch (severity) {
    case RuleSeverity::error:
      return "error";
    case RuleSeverity::warning:
      return "warning";
    case RuleSeverity::info:
      break;
  }
  return "info";
}

std::span<const RuleInfo> all_rules() { return RULES; }

const RuleInfo* find_rule(std::string_view code) {
  const auto row = std::find_if(RULES.begin(), RULES.end(),
                                [code](const RuleInfo& rule) { return rule.code == code; });
  return row == RULES.end() ? nullptr : &*row;
}

std::vector<std::string_view> close_rule_codes(std::string_view wrong) {
  std::vector<std::string> codes;
  for (const RuleInfo& rule : RULES) codes.emplace_back(rule.code);
  std::vector<std::string_view> close;
  for (const std::string& code : close_matches(wrong, codes)) close.push_back(find_rule(code)->code);
  return close;
}

}  // namespace enoexec

// Which Mach-O architectures a Mac runs and how (natively, under Rosetta 2), and which slice of a
// universal binary its kernel picks: the best graded slice, as xnu's fatfile_getbestarch() does
// (macho-pe.md A.2, A.7). Also the small helpers the macOS and Windows models share.
#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

bool is_arch(const FileReport& report, std::string_view name) {
  return report.macho && report.macho->arch_name == name;
}

// Apple's own (platform) binaries are the only arm64e programs macOS runs without boot arguments.
// A CodeDirectory's platform field is not read; an identifier in Apple's namespace with a
// certificate signature stands in for it (inferred).
bool apple_platform_binary(const FileReport& report) {
  if (!report.macho) return false;
  const MachoCodeSignature& sig = report.macho->code_signature;
  return sig.has_cms && sig.identifier && sig.identifier->starts_with("com.apple.");
}

// The kernel's grade for one slice: higher runs in preference, 0 does not run.
int grade(MachoFit fit, const FileReport& slice) {
  switch (fit) {
    case MachoFit::native:
      if (is_arch(slice, "arm64e")) return 5;
      return is_arch(slice, "x86_64h") ? 4 : 3;
    case MachoFit::rosetta:
      return is_arch(slice, "x86_64h") ? 1 : 2;  // Rosetta translates the x86_64 baseline (I)
    default:
      return 0;
  }
}

// When no slice runs, the slice whose failure explains most: an arm64e or x86_64 build on Apple
// silicon, an i386 build, then any other.
int failure_rank(MachoFit fit) {
  switch (fit) {
    case MachoFit::arm64e: return 4;
    case MachoFit::no_rosetta: return 3;
    case MachoFit::i386: return 2;
    default: return 1;
  }
}

}  // namespace

bool version_less(std::string_view a, std::string_view b) {
  // Dotted numbers compared part by part; a missing part is 0 ("11" == "11.0").
  while (!a.empty() || !b.empty()) {
    unsigned x = 0, y = 0;
    const auto next = [](std::string_view& text, unsigned& value) {
      const auto dot = text.find('.');
      const std::string_view part = text.substr(0, dot);
      std::from_chars(part.data(), part.data() + part.size(), value);
      text = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    };
    next(a, x);
    next(b, y);
    if (x != y) return x < y;
  }
  return false;
}

const HostEmulation* emulation_for(const HostInfo& host, Os os, Arch arch) {
  for (const HostEmulation& e : host.emulation)
    if (e.guest.os == os && e.guest.arch == arch) return &e;
  return nullptr;
}

bool built_with_go(const FileReport& report) {
  return report.go.has_value() || (report.toolchain && report.toolchain->language == "go");
}

bool built_with_rust(const FileReport& report) {
  return report.toolchain && report.toolchain->language == "rust";
}

MachoFit macho_fit(const FileReport& slice, const HostInfo& host) {
  const Arch target = host_arch(host);
  const Arch arch = slice.platform ? slice.platform->arch : Arch::unknown;
  if (arch == Arch::i386) return MachoFit::i386;  // no 32-bit programs since macOS 10.15
  if (target == Arch::arm64 && arch == Arch::arm64) {
    if (is_arch(slice, "arm64e") && !apple_platform_binary(slice)) return MachoFit::arm64e;
    return MachoFit::native;
  }
  if (target == Arch::amd64 && arch == Arch::amd64) {
    // x86_64h needs a Haswell-level CPU (x86-64-v3); no variant is the baseline, as in OCI.
    const std::string& level = host.cpu.variant;
    const bool haswell = level == "v3" || level == "v4";
    return !is_arch(slice, "x86_64h") || haswell ? MachoFit::native : MachoFit::wrong;
  }
  if (arch == Arch::amd64 && target == Arch::arm64)
    return emulation_for(host, Os::darwin, Arch::amd64) ? MachoFit::rosetta : MachoFit::no_rosetta;
  return MachoFit::wrong;
}

SliceChoice choose_slice(const FileReport& fat, const HostInfo& host) {
  SliceChoice choice;
  int best = 0, worst = 0;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < fat.slices.size(); ++i) {
    const FileReport& slice = fat.slices[i];
    names.push_back(slice.macho && !slice.macho->arch_name.empty() ? slice.macho->arch_name
                                                                   : slice.machine);
    const MachoFit fit = macho_fit(slice, host);
    if (const int g = grade(fit, slice); g > best) {
      best = g;
      choice.index = i;
      choice.fit = fit;
    }
    if (const int rank = failure_rank(fit); rank > worst) {
      worst = rank;
      choice.closest = i;
    }
  }
  choice.names = fmt::format("{}", fmt::join(names, ", "));
  return choice;
}

}  // namespace enoexec::verdict

// /proc/cpuinfo: the CPU's identity and feature list, and the instruction-set level they reach.
#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "host/cpu_levels.hpp"
#include "host/host_parse.hpp"
#include "platform/text.hpp"

namespace enoexec::host {
namespace {

using platform_text::split;
using platform_text::trim;

// The first value of every "key : value" line (later processors repeat the same keys), and how
// many processors were listed.
struct CpuinfoFields {
  std::map<std::string, std::string, std::less<>> first;
  int processors = 0;

  std::string get(std::initializer_list<std::string_view> keys) const {
    for (std::string_view key : keys) {
      const auto found = first.find(key);
      if (found != first.end() && !found->second.empty()) return found->second;
    }
    return {};
  }
};

CpuinfoFields read_fields(std::string_view text) {
  CpuinfoFields fields;
  for (std::string_view line : split(text, '\n')) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, colon));
    if (key.empty()) continue;
    if (key == "processor") ++fields.processors;
    fields.first.emplace(std::string(key), std::string(trim(line.substr(colon + 1))));
  }
  return fields;
}

bool has(const std::vector<std::string>& features, std::string_view name) {
  return std::find(features.begin(), features.end(), name) != features.end();
}

std::vector<std::string> lacking(const std::vector<std::string>& features,
                                 std::span<const std::string_view> needed) {
  std::vector<std::string> out;
  for (std::string_view name : needed)
    if (!has(features, name)) out.emplace_back(name);
  return out;
}

void x86_level(HostCpu& cpu) {
  const int level = x86_64_level(cpu.features, &cpu.missing);
  if (level == 0) {
    cpu.notes.push_back(fmt::format("flags lack x86-64-v1 ({})", fmt::join(cpu.missing, " ")));
    return;
  }
  const FeatureLevel& reached = X86_64_LEVELS[static_cast<std::size_t>(level - 1)];
  cpu.level = std::string(reached.name);
  cpu.variant = level == 1 ? "" : std::string(reached.variant);
  cpu.go_env = fmt::format("GOAMD64={}", reached.variant);
}

// The ARM architecture version: the leading number of "CPU architecture" ("7", "6TEJ", "5TEJ"),
// except that ARM1176 (Raspberry Pi 1/Zero) reports the ARMv7 CPUID scheme and so prints 7:
// its model name "ARMv6-compatible" wins, as containerd's getCPUVariant decides.
int arm_architecture(HostCpu& cpu) {
  if (cpu.model_name.find("ARMv6-compatible") != std::string::npos) {
    if (!cpu.architecture.starts_with('6'))
      cpu.notes.push_back(fmt::format("CPU architecture says {} but the model name says "
                                      "ARMv6-compatible: ARMv6 (ARM1176 reports the ARMv7 "
                                      "CPUID scheme)", cpu.architecture));
    return 6;
  }
  int version = 0;
  const char* begin = cpu.architecture.data();
  const auto [end, error] = std::from_chars(begin, begin + cpu.architecture.size(), version);
  return error == std::errc() && end != begin ? version : 0;
}

// The VFP version from the 32-bit hwcap names (arch/arm/kernel/setup.c hwcap_str): "vfp" alone
// is VFPv2 (VFPv1 predates every core Linux still runs on); "vfpd32" marks 32 double registers,
// its absence (or the old "vfpv3d16") the D16 variant.
std::string arm_fpu(const std::vector<std::string>& features) {
  const bool d16 = has(features, "vfpv3d16") || !has(features, "vfpd32");
  if (has(features, "vfpv4")) return d16 ? "vfpv4-d16" : "vfpv4";
  if (has(features, "vfpv3") || has(features, "vfpv3d16")) return d16 ? "vfpv3-d16" : "vfpv3";
  if (has(features, "vfp")) return "vfpv2";
  return "none";
}

// GOARM per Go's checkgoarm (runtime/os_linux_arm.go): 6 and up need VFP, 7 needs VFPv3; GOARM=6
// and 7 also need the ARMv6/ARMv7 instruction sets.
void arm32_level(HostCpu& cpu) {
  const int arch = arm_architecture(cpu);
  cpu.fpu = arm_fpu(cpu.features);
  if (arch < 5) {
    cpu.notes.push_back(arch == 0 ? "no CPU architecture line: ARM level unknown"
                                  : "older than ARMv5: no Go or OCI level");
    return;
  }
  const bool vfp = cpu.fpu != "none";
  const bool vfpv3 = cpu.fpu.starts_with("vfpv3") || cpu.fpu.starts_with("vfpv4");
  const int goarm = arch >= 7 && vfpv3 ? 7 : (arch >= 6 && vfp ? 6 : 5);
  cpu.level = arch >= 8 ? "ARMv8 (AArch32)" : fmt::format("ARMv{}", arch);
  cpu.variant = fmt::format("v{}", std::min(arch, 8));
  cpu.go_env = fmt::format("GOARM={}", goarm);
  if (goarm < 7) {
    if (arch < 7) cpu.missing.emplace_back("ARMv7");
    if (!vfpv3) cpu.missing.emplace_back("vfpv3");
  }
}

void arm64_level(HostCpu& cpu) {
  std::string_view name = "ARMv8.0-A";
  std::string_view variant;
  for (const FeatureLevel& row : ARM64_LEVELS) {
    cpu.missing = lacking(cpu.features, row.features);
    if (!cpu.missing.empty()) break;
    name = row.name;
    variant = row.variant;
  }
  cpu.level = std::string(name);
  cpu.variant = std::string(variant);
  std::string go = variant.empty() ? "v8.0" : std::string(variant);
  if (variant.empty() && has(cpu.features, "atomics")) go += ",lse";
  if (lacking(cpu.features, ARM64_CRYPTO).empty()) go += ",crypto";
  cpu.go_env = "GOARM64=" + go;
  cpu.notes.emplace_back("ARMv8.x level is a lower bound: the highest version whose mandatory "
                         "user-visible features all appear in Features");
}

// 64-bit arm64 hwcap names ("fp asimd ...") versus 32-bit ones ("half thumb vfp ..."): an arm64
// kernel shows the 32-bit list to 32-bit readers.
bool arm64_style(const std::vector<std::string>& features) {
  return has(features, "asimd") || has(features, "fp");
}
bool arm32_style(const std::vector<std::string>& features) {
  return has(features, "thumb") || has(features, "half") || has(features, "vfp") ||
         has(features, "swp");
}

void derive_level(HostCpu& cpu, Arch kernel_arch) {
  if (cpu.features.empty()) {
    cpu.notes.emplace_back("no feature list: level unknown");
    return;
  }
  const bool x86 = kernel_arch == Arch::amd64 || kernel_arch == Arch::i386 || kernel_arch == Arch::x32 ||
                   (kernel_arch == Arch::unknown && has(cpu.features, "sse2"));
  if (x86) {
    if (!has(cpu.features, "lm")) {
      cpu.notes.emplace_back("no lm flag: a 32-bit-only x86 CPU");
      return;
    }
    x86_level(cpu);
  } else if ((kernel_arch == Arch::arm64 || kernel_arch == Arch::unknown) && arm64_style(cpu.features)) {
    arm64_level(cpu);
  } else if ((kernel_arch == Arch::arm || kernel_arch == Arch::arm64 || kernel_arch == Arch::unknown) &&
             arm32_style(cpu.features)) {
    arm32_level(cpu);
  } else {
    cpu.notes.push_back(fmt::format("no level table for {}", to_string(kernel_arch)));
  }
}

}  // namespace

int x86_64_level(const std::vector<std::string>& flags, std::vector<std::string>* missing) {
  int level = 0;
  for (const FeatureLevel& row : X86_64_LEVELS) {
    auto lacks = lacking(flags, row.features);
    if (!lacks.empty()) {
      if (missing) *missing = std::move(lacks);
      return level;
    }
    ++level;
  }
  if (missing) missing->clear();
  return level;
}

HostCpu parse_cpuinfo(std::string_view text, Arch kernel_arch) {
  const CpuinfoFields fields = read_fields(text);
  HostCpu cpu;
  cpu.vendor = fields.get({"vendor_id", "CPU implementer"});
  // Old ARM kernels name the model "Processor" (capital P; "processor" is the index).
  cpu.model_name = fields.get({"model name", "Processor", "cpu model", "cpu"});
  cpu.architecture = fields.get({"CPU architecture"});
  cpu.part = fields.get({"CPU part"});
  cpu.hardware = fields.get({"Hardware"});
  cpu.model = fields.get({"Model"});
  cpu.processors = fields.processors;
  const std::string feature_list = fields.get({"flags", "Features"});
  for (std::string_view word : platform_text::words(feature_list)) cpu.features.emplace_back(word);
  derive_level(cpu, kernel_arch);
  return cpu;
}

}  // namespace enoexec::host

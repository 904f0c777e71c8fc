#include "host/compat.hpp"

#include <charconv>

#include <fmt/format.h>

#include "host/host_parse.hpp"

namespace enoexec::host {
namespace {

// kstrtobool(): y/Y/1/on true, n/N/0/off false.
std::optional<bool> kernel_bool(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text[0] == 'y' || text[0] == 'Y' || text[0] == '1' || text == "on") return true;
  if (text[0] == 'n' || text[0] == 'N' || text[0] == '0' || text == "off") return false;
  return std::nullopt;
}

// (major, minor) of "6.18.44-fc-v595"; (0, 0) when unreadable.
std::pair<int, int> kernel_version(std::string_view release) {
  int major = 0;
  int minor = 0;
  const char* end = release.data() + release.size();
  auto [p, e] = std::from_chars(release.data(), end, major);
  if (e != std::errc() || p == end || *p != '.') return {0, 0};
  std::from_chars(p + 1, end, minor);
  return {major, minor};
}

class Decision {
 public:
  explicit Decision(HostCompat32& out) : out_(out) {}
  void note(std::string fact) { out_.evidence.push_back(std::move(fact)); }
  HostCompat32& decide(Support support, std::string fact) {
    note(std::move(fact));
    out_.support = support;
    return out_;
  }

 private:
  HostCompat32& out_;
};

std::string config_file(const CompatFacts& facts) { return fmt::format("boot/config-{}", facts.kernel.release); }

HostCompat32 x86_64(const CompatFacts& facts) {
  HostCompat32 out{Arch::i386, Support::unknown, {}};
  Decision d(out);
  const auto config = facts.config ? kernel_config_value(*facts.config, "CONFIG_IA32_EMULATION") : std::nullopt;
  const auto default_off = facts.config ? kernel_config_value(*facts.config, "CONFIG_IA32_EMULATION_DEFAULT_DISABLED")
                                        : std::nullopt;
  const auto option = facts.cmdline ? cmdline_option(*facts.cmdline, "ia32_emulation") : std::nullopt;
  // ia32_emulation= on the command line: 1 on, 0 off, -1 absent or unreadable. A plain int, not
  // optional<bool>: GCC 12 at -O3 takes the latter's payload for uninitialised.
  const auto said = option ? kernel_bool(*option) : std::nullopt;
  const int enabled = said.has_value() ? static_cast<int>(said.value_or(false)) : -1;
  const std::string option_text = option ? fmt::format("proc/cmdline: ia32_emulation={}", *option) : "";
  const auto [major, minor] = kernel_version(facts.kernel.release);
  const bool switchable = major > 6 || (major == 6 && minor >= 7);  // ia32_emulation= since 6.7

  if (config == "n") return d.decide(Support::no, config_file(facts) + ": CONFIG_IA32_EMULATION is not set");
  if (config == "y") {
    d.note(config_file(facts) + ": CONFIG_IA32_EMULATION=y");
    if (enabled >= 0) return d.decide(enabled == 1 ? Support::yes : Support::no, option_text);
    if (default_off == "y")
      return d.decide(Support::no, "CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y and no ia32_emulation=1 on the command line");
    return d.decide(Support::yes, "not disabled by default, nor on the command line");
  }
  if (facts.vsyscall32 == false)
    return d.decide(Support::no, "proc/sys is readable but has no abi/vsyscall32: the kernel has no IA32 emulation");
  if (enabled == 0) return d.decide(Support::no, option_text);
  if (facts.vsyscall32 != true) return d.decide(Support::unknown, "neither boot/config-<release> nor proc/sys/abi readable");
  d.note("proc/sys/abi/vsyscall32 exists: the kernel has IA32 emulation built in");
  if (enabled == 1) return d.decide(Support::yes, option_text);
  if (!switchable && major > 0)
    return d.decide(Support::yes, fmt::format("kernel {} predates the ia32_emulation= switch (6.7)", facts.kernel.release));
  return d.decide(Support::likely, fmt::format("not disabled on the command line; whether the kernel disables it by "
                                              "default (CONFIG_IA32_EMULATION_DEFAULT_DISABLED) needs {}",
                                              config_file(facts)));
}

HostCompat32 arm64(const CompatFacts& facts) {
  HostCompat32 out{Arch::arm, Support::unknown, {}};
  Decision d(out);
  if (facts.personality_linux32)
    return d.decide(*facts.personality_linux32 ? Support::yes : Support::no,
                    *facts.personality_linux32
                        ? "personality(PER_LINUX32) accepted: the kernel has COMPAT and the CPU runs AArch32 at EL0"
                        : "personality(PER_LINUX32) refused (EINVAL): no AArch32 at EL0 or no CONFIG_COMPAT");
  const auto config = facts.config ? kernel_config_value(*facts.config, "CONFIG_COMPAT") : std::nullopt;
  if (config == "n") return d.decide(Support::no, config_file(facts) + ": CONFIG_COMPAT is not set");
  if (facts.aarch32_el0) {
    const auto cpus = std::string(facts.aarch32_el0->substr(0, facts.aarch32_el0->find('\n')));
    if (cpus.empty()) return d.decide(Support::no, "sys/devices/system/cpu/aarch32_el0 lists no CPU");
    return d.decide(Support::yes, fmt::format("sys/devices/system/cpu/aarch32_el0: only CPUs {} run 32-bit tasks", cpus));
  }
  if (facts.cpu_vendor == "0x61") return d.decide(Support::no, "CPU implementer 0x61 (Apple): no AArch32 at any level");
  if (facts.page_size && *facts.page_size != 4096 && config != "y")
    return d.decide(Support::no, fmt::format("{} KiB pages: arm64 kernels offer CONFIG_COMPAT only with 4 KiB pages "
                                             "unless built with CONFIG_EXPERT", *facts.page_size / 1024));
  if (config == "y")
    return d.decide(Support::likely, config_file(facts) + ": CONFIG_COMPAT=y; AArch32 at EL0 is a CPU property "
                                                          "cpuinfo does not show");
  return d.decide(Support::unknown, "CONFIG_COMPAT and AArch32 at EL0 not visible from the files read");
}

}  // namespace

HostCompat32 decide_compat32(const CompatFacts& facts) {
  const Arch arch = facts.kernel.arch;
  if (facts.kernel.bits == 32)
    return {arch, Support::yes, {fmt::format("the kernel ({}) is 32-bit: 32-bit programs are native", facts.kernel.machine)}};
  if (facts.probe_is_32bit && facts.kernel.bits == 64)
    return {arch == Arch::amd64 ? Arch::i386 : (arch == Arch::arm64 ? Arch::arm : Arch::unknown), Support::yes,
            {"this probe is itself a 32-bit process on the 64-bit kernel"}};
  if (arch == Arch::amd64) return x86_64(facts);
  if (arch == Arch::arm64) return arm64(facts);
  return {Arch::unknown, Support::unknown,
          {fmt::format("no 32-bit compatibility check for {}", facts.kernel.machine.empty() ? "an unknown kernel" : facts.kernel.machine)}};
}

}  // namespace enoexec::host

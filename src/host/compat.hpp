// Whether a 64-bit kernel runs 32-bit programs, from the facts user space can see (compat.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "enoexec/host.hpp"

namespace enoexec::host {

struct CompatFacts {
  HostKernel kernel;
  bool probe_is_32bit = false;               // live: this process itself is 32-bit
  std::optional<bool> personality_linux32;   // live arm64: personality(PER_LINUX32) accepted
  std::optional<std::string> cmdline;        // proc/cmdline
  std::optional<std::string> config;         // boot/config-<release>
  std::optional<bool> vsyscall32;            // proc/sys/abi/vsyscall32 exists (nullopt: no proc/sys)
  std::optional<std::string> aarch32_el0;    // sys/devices/system/cpu/aarch32_el0 (asymmetric arm64)
  std::string cpu_vendor;                    // cpuinfo vendor / CPU implementer
  std::optional<std::uint64_t> page_size;
};

// x86-64: CONFIG_IA32_EMULATION (boot/config-<release>, or proc/sys/abi/vsyscall32, which only an
// IA32-emulating kernel registers) and, from 6.7 on, the ia32_emulation= boot option with its
// CONFIG_IA32_EMULATION_DEFAULT_DISABLED default. arm64: CONFIG_COMPAT and a CPU with AArch32
// at EL0 — proven live by personality(PER_LINUX32), which arm64 refuses with EINVAL unless
// system_supports_32bit_el0() (arch/arm64/kernel/sys.c); otherwise inferred, e.g. from the page
// size: arm64's COMPAT "depends on ARM64_4K_PAGES || EXPERT" (arch/arm64/Kconfig).
HostCompat32 decide_compat32(const CompatFacts& facts);

}  // namespace enoexec::host

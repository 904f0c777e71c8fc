// parse_target(): a profile id or alias first, then any platform vocabulary. host_of(): a
// profile or bare target described as a host probe would describe the machine.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "enoexec/targets.hpp"
#include "targets/text.hpp"

namespace enoexec {
namespace {

bool runs_elf(Os os) { return os == Os::linux || os == Os::android || os == Os::freebsd || os == Os::netbsd ||
                              os == Os::openbsd || os == Os::dragonfly || os == Os::illumos || os == Os::solaris; }

std::string cite(const Profile& profile, ProfileFact fact) {
  const FactSource* source = profile.source_of(fact);
  if (source == nullptr) return fmt::format("profile {}", profile.id);
  return fmt::format("profile {}: {}{}", profile.id, source->inferred ? "inferred from " : "", source->source);
}

// The kernel as `uname` would print it; a 64-bit kernel under a 32-bit userland keeps its own arch.
HostKernel kernel_of(const Platform& platform, std::string_view machine, std::string release, std::string source) {
  const PlatformNames names = names_of(platform);
  HostKernel kernel;
  kernel.os = platform.os == Os::windows && names.uname_s.empty() ? std::string(WINDOWS_SYSNAME) : names.uname_s;
  kernel.system = platform.os;
  kernel.release = std::move(release);
  kernel.machine = machine.empty() ? names.uname_m : std::string(machine);
  kernel.arch = platform.arch;
  if (!machine.empty()) {
    if (const auto parsed = parse_platform(fmt::format("{} {}", names.uname_s, machine))) kernel.arch = parsed->arch;
  }
  kernel.bits = bits_of(kernel.arch);
  if (kernel.arch != Arch::unknown) kernel.endian = endian_of(kernel.arch);
  kernel.source = std::move(source);
  return kernel;
}

// The ELF userland (what /bin/sh would be): its arch and the loader it names.
std::optional<HostElf> userland_of(const Platform& platform, const std::vector<std::string>& loaders) {
  if (!runs_elf(platform.os) || platform.arch == Arch::unknown) return std::nullopt;
  HostElf elf;
  elf.arch = platform.arch;
  elf.bits = platform.bits;
  elf.endian = platform.endian;
  if (!loaders.empty()) elf.interpreter = loaders.front();
  return elf;
}

// The FPU a 32-bit ARM profile names, in HostCpu::fpu's spelling.
std::string arm_fpu(const Profile& profile) {
  if (profile.platform.arch != Arch::arm) return {};
  const auto has = [&](std::string_view f) {
    return std::find(profile.cpu_features.begin(), profile.cpu_features.end(), f) != profile.cpu_features.end();
  };
  if (has("vfpv4")) return "vfpv4";
  if (has("vfpv3")) return "vfpv3";
  if (has("vfpv2")) return "vfpv2";
  return {};
}

std::string go_env_of(const Platform& platform) {
  const PlatformNames names = names_of(platform);
  if (names.go_variant_var.empty() || names.go_variant_value.empty()) return {};
  return fmt::format("{}={}", names.go_variant_var, names.go_variant_value);
}

HostCpu cpu_of(const Profile& profile) {
  HostCpu cpu;
  cpu.model_name = profile.cpu;
  cpu.level = profile.cpu_level;
  cpu.variant = profile.platform.variant;
  cpu.go_env = go_env_of(profile.platform);
  cpu.fpu = arm_fpu(profile);
  // Only x86 profiles spell features as /proc/cpuinfo flags; the others use architecture names.
  const bool cpuinfo_spelling = profile.platform.arch == Arch::amd64 || profile.platform.arch == Arch::i386;
  if (cpuinfo_spelling) {
    cpu.features = profile.cpu_features;
  } else if (!profile.cpu_features.empty()) {
    cpu.notes.push_back(fmt::format("features (architecture names): {}", fmt::join(profile.cpu_features, " ")));
  }
  if (!cpu.level.empty()) cpu.notes.push_back(cite(profile, ProfileFact::cpu_level));
  return cpu;
}

HostLibc libc_of(const Profile& profile) {
  HostLibc libc;
  libc.flavour = profile.platform.libc;
  libc.version = profile.libc_version;
  if (libc.flavour != Libc::unknown) libc.source = cite(profile, ProfileFact::libc);
  for (const auto& path : profile.loaders) {
    libc.loaders.push_back(HostLoader{path, libc.flavour, profile.platform.arch, profile.platform.bits,
                                      cite(profile, ProfileFact::loader)});
  }
  return libc;
}

}  // namespace

Result<Target> parse_target(std::string_view text) {
  const std::string_view name = targets::trim(text);
  if (name.empty()) return make_error(ErrorCode::malformed, 0, "empty target: name a profile or a platform");
  if (const Profile* profile = find_profile(name)) return Target{std::string(text), profile->platform, *profile};
  if (auto platform = parse_platform(name)) return Target{std::string(text), *platform, std::nullopt};
  return make_error(ErrorCode::unsupported, 0,
                    fmt::format("unknown target \"{}\": neither a profile (enoexec platforms lists them) nor a platform "
                                "such as linux/arm/v7, armv7l, armhf, aarch64-unknown-linux-musl or "
                                "GOOS=linux GOARCH=arm GOARM=6",
                                name));
}

std::vector<std::string> target_names(const Target& target) {
  std::vector<std::string> out;
  if (target.profile) {
    out.push_back(target.profile->id);
    out.insert(out.end(), target.profile->aliases.begin(), target.profile->aliases.end());
  }
  for (auto& name : all_names(target.platform)) out.push_back(std::move(name));
  return out;
}

HostInfo host_of(const Profile& profile) {
  HostInfo host;
  host.root = fmt::format("profile {}", profile.id);
  host.kernel = kernel_of(profile.platform, profile.kernel_machine, profile.kernel, cite(profile, ProfileFact::platform));
  host.userland = userland_of(profile.platform, profile.loaders);
  host.page_size = profile.page_size;
  if (profile.page_size) host.page_size_source = cite(profile, ProfileFact::page_size);
  host.compat32.arch = profile.compat32_arch;
  host.compat32.support = profile.compat32;
  if (profile.compat32 != Support::unknown) host.compat32.evidence.push_back(cite(profile, ProfileFact::compat32));
  host.cpu = cpu_of(profile);
  host.os_release.pretty_name = profile.system;
  host.libc = libc_of(profile);
  host.os_version = profile.os_version;
  if (!profile.os_version.empty()) host.os_version_source = cite(profile, ProfileFact::os_version);
  for (const Emulation& e : profile.emulation)
    host.emulation.push_back(HostEmulation{e.guest, e.via, cite(profile, ProfileFact::emulation)});
  return host;
}

HostInfo host_of(const Target& target) {
  if (target.profile) return host_of(*target.profile);
  HostInfo host;
  host.root = fmt::format("target {}", targets::trim(target.text));
  host.kernel = kernel_of(target.platform, {}, {}, host.root);
  host.userland = userland_of(target.platform, {});
  host.cpu.variant = target.platform.variant;
  host.cpu.go_env = go_env_of(target.platform);
  host.libc.flavour = target.platform.libc;
  if (target.platform.libc != Libc::unknown) host.libc.source = host.root;
  return host;
}

HostInfo host_of(const Target& target, HostInfo root_probe) {
  const HostInfo described = host_of(target);
  HostInfo& host = root_probe;
  if (host.kernel.arch == Arch::unknown) host.kernel = described.kernel;
  if (host.kernel.system == Os::unknown) host.kernel.system = described.kernel.system;
  if (!host.userland) host.userland = described.userland;
  if (!host.page_size) {
    host.page_size = described.page_size;
    host.page_size_source = described.page_size_source;
  }
  if (host.compat32.support == Support::unknown) host.compat32 = described.compat32;
  if (host.cpu.level.empty() && host.cpu.variant.empty()) host.cpu = described.cpu;
  if (host.libc.flavour == Libc::unknown) host.libc.flavour = described.libc.flavour;
  if (host.libc.version.empty()) host.libc.version = described.libc.version;
  if (host.libc.source.empty()) host.libc.source = described.libc.source;
  return host;
}

}  // namespace enoexec

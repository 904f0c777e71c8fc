// probe_host() and probe_root(): read the host's files (and, for the live system, uname(2),
// sysconf() and personality(2)) into a HostInfo. Each fact has its own small function; none of
// them fails the probe — a missing file leaves its facts unknown.
#include <sys/personality.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <charconv>

#include <fmt/format.h>

#include "enoexec/host.hpp"
#include "host/compat.hpp"
#include "host/elf_head.hpp"
#include "host/host_files.hpp"
#include "host/host_parse.hpp"
#include "host/libc_probe.hpp"
#include "host/probe_root.hpp"
#include "platform/text.hpp"

namespace enoexec {
namespace {

using host::HostFiles;
using platform_text::trim;

constexpr std::string_view BINFMT_DIR = "/proc/sys/fs/binfmt_misc";
constexpr std::uint64_t AT_NULL_TYPE = 0;
constexpr std::uint64_t AT_PAGESZ_TYPE = 6;

std::string first_line(const std::optional<std::string>& text) {
  if (!text) return {};
  return std::string(trim(std::string_view(*text).substr(0, text->find('\n'))));
}

void set_arch(HostKernel& kernel) {
  const auto platform = parse_platform(fmt::format("Linux {}", kernel.machine));
  kernel.arch = platform ? platform->arch : Arch::unknown;
  if (kernel.arch == Arch::unknown) return;
  kernel.bits = bits_of(kernel.arch);
  kernel.endian = endian_of(kernel.arch);
}

HostKernel probe_kernel(HostFiles& files) {
  HostKernel kernel;
  struct utsname names {};
  if (files.live() && ::uname(&names) == 0) {
    kernel = {names.sysname, names.release, names.version, names.machine, Arch::unknown, 0, {}, "uname(2)"};
  } else {
    kernel.os = first_line(files.read("/proc/sys/kernel/ostype", host::TEXT_CAP));
    kernel.release = first_line(files.read("/proc/sys/kernel/osrelease", host::TEXT_CAP));
    kernel.version = first_line(files.read("/proc/sys/kernel/version", host::TEXT_CAP));
    kernel.machine = first_line(files.read("/proc/sys/kernel/arch", host::TEXT_CAP));  // Linux >= 6.1
    kernel.source = "proc/sys/kernel";
    if (kernel.machine.empty()) files.warn("proc/sys/kernel/arch: absent; the kernel's uname -m is unknown");
  }
  set_arch(kernel);
  return kernel;
}

// The userland's architecture is that of /bin/sh, which differs from the kernel's on e.g.
// Raspberry Pi OS 32-bit (armhf userland, aarch64 kernel).
std::optional<HostElf> probe_userland(HostFiles& files) {
  constexpr std::string_view shell = "/bin/sh";
  const auto head = files.head(shell, host::ELF_HEAD_CAP);
  if (!head) return std::nullopt;
  auto elf = host::read_elf_head(ByteView(*head), true);
  if (!elf) {
    files.warn(fmt::format("{}: {}", shell, to_string(elf.error())));
    return std::nullopt;
  }
  elf->path = std::string(shell);
  return *elf;
}

// auxv holds (type, value) pairs of native words, as written by the kernel for the reader.
std::optional<std::uint64_t> auxv_page_size(std::string_view auxv) {
  const ByteView bytes({reinterpret_cast<const std::uint8_t*>(auxv.data()), auxv.size()});
  const Endian native = std::endian::native == std::endian::little ? Endian::little : Endian::big;
  constexpr std::uint64_t word = sizeof(unsigned long);
  for (std::uint64_t at = 0; bytes.contains(at, 2 * word); at += 2 * word) {
    const auto type = word == 8 ? bytes.read<std::uint64_t>(at, native, "a_type")
                                : bytes.read<std::uint32_t>(at, native, "a_type").map([](std::uint32_t v) { return std::uint64_t{v}; });
    const auto value = word == 8 ? bytes.read<std::uint64_t>(at + word, native, "a_val")
                                 : bytes.read<std::uint32_t>(at + word, native, "a_val").map([](std::uint32_t v) { return std::uint64_t{v}; });
    if (!type || !value || *type == AT_NULL_TYPE) break;
    if (*type == AT_PAGESZ_TYPE) return *value;
  }
  return std::nullopt;
}

// smaps: "KernelPageSize:        4 kB" for each mapping; the first is an ordinary one.
std::optional<std::uint64_t> smaps_page_size(std::string_view smaps) {
  constexpr std::string_view key = "KernelPageSize:";
  const auto at = smaps.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view rest = trim(smaps.substr(at + key.size(), 32));
  std::uint64_t kib = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), kib);
  if (error != std::errc() || !trim(std::string_view(end, static_cast<std::size_t>(rest.data() + rest.size() - end))).starts_with("kB"))
    return std::nullopt;
  return kib * 1024;
}

void probe_page_size(HostFiles& files, HostInfo& info) {
  if (files.live()) {
    const long size = ::sysconf(_SC_PAGESIZE);
    if (size > 0) {
      info.page_size = static_cast<std::uint64_t>(size);
      info.page_size_source = "sysconf(_SC_PAGESIZE)";
      return;
    }
  }
  if (auto auxv = files.read("/proc/self/auxv", host::TEXT_CAP)) {
    if ((info.page_size = auxv_page_size(*auxv))) {
      info.page_size_source = "proc/self/auxv AT_PAGESZ";
      return;
    }
  }
  if (auto smaps = files.read("/proc/self/smaps", host::TEXT_CAP)) {
    if ((info.page_size = smaps_page_size(*smaps))) {
      info.page_size_source = "proc/self/smaps KernelPageSize";
      return;
    }
  }
  files.warn("page size unknown: no proc/self/auxv AT_PAGESZ nor proc/self/smaps KernelPageSize");
}

#if defined(__aarch64__)
// arm64 refuses PER_LINUX32 with EINVAL unless the system runs AArch32 at EL0; the old
// personality is restored at once.
std::optional<bool> try_personality_linux32() {
  const int current = ::personality(0xffffffff);
  if (current == -1) return std::nullopt;
  if (::personality(PER_LINUX32) == -1) return errno == EINVAL ? std::optional(false) : std::nullopt;
  ::personality(static_cast<unsigned long>(current));
  return true;
}
#endif

HostCompat32 probe_compat32(HostFiles& files, const HostInfo& info) {
  const HostKernel& kernel = info.kernel;
  host::CompatFacts facts;
  facts.kernel = kernel;
  facts.cpu_vendor = info.cpu.vendor;
  facts.page_size = info.page_size;
  if (files.live()) {
    facts.probe_is_32bit = sizeof(void*) == 4;
#if defined(__aarch64__)
    if (kernel.arch == Arch::arm64) facts.personality_linux32 = try_personality_linux32();
#endif
  }
  facts.cmdline = files.read("/proc/cmdline", host::TEXT_CAP);
  if (!kernel.release.empty())
    facts.config = files.read(fmt::format("/boot/config-{}", kernel.release), host::KERNEL_CONFIG_CAP);
  if (files.exists("/proc/sys/abi/vsyscall32")) facts.vsyscall32 = true;
  else if (files.exists("/proc/sys/kernel")) facts.vsyscall32 = false;
  facts.aarch32_el0 = files.read("/sys/devices/system/cpu/aarch32_el0", host::TEXT_CAP);
  return host::decide_compat32(facts);
}

HostOsRelease probe_os_release(HostFiles& files) {
  auto text = files.read("/etc/os-release", host::TEXT_CAP);
  if (!text) text = files.read("/usr/lib/os-release", host::TEXT_CAP);
  HostOsRelease out;
  if (text) {
    auto values = host::parse_os_release(*text);
    out = {values["ID"], values["ID_LIKE"], values["VERSION_ID"], values["PRETTY_NAME"], {}, {}};
  }
  out.alpine_release = first_line(files.read("/etc/alpine-release", host::TEXT_CAP));
  out.debian_version = first_line(files.read("/etc/debian_version", host::TEXT_CAP));
  return out;
}

HostBinfmt probe_binfmt(HostFiles& files, std::vector<std::string>& warnings) {
  HostBinfmt binfmt;
  const std::string dir(BINFMT_DIR);
  binfmt.mounted = files.exists(dir + "/register");
  if (auto status = files.read(dir + "/status", host::TEXT_CAP)) binfmt.enabled = host::parse_binfmt_status(*status);
  for (const std::string& name : files.list(dir)) {
    if (name == "register" || name == "status") continue;
    const auto text = files.read(fmt::format("{}/{}", dir, name), host::TEXT_CAP);
    if (!text) continue;
    auto entry = host::parse_binfmt_entry(name, *text, warnings);
    if (!entry) continue;
    if (!entry->interpreter.empty()) entry->interpreter_exists = files.exists(entry->interpreter);
    binfmt.entries.push_back(std::move(*entry));
  }
  return binfmt;
}

// A root read from files without a kernel's name (no /proc/sys/kernel/ostype): the system its
// os-release ID names, else Linux when /bin/sh is an ELF or a Linux C library's loader is there
// (an unbranded ELF userland is Linux's, the default a file's own evidence takes too), else
// unknown.
Os root_system(const HostInfo& info) {
  const std::string_view id = info.os_release.id;
  if (id == "freebsd") return Os::freebsd;
  if (id == "dragonfly") return Os::dragonfly;
  if (id == "solaris") return Os::solaris;
  if (id == "omnios" || id == "openindiana" || id == "smartos" || id == "illumos") return Os::illumos;
  if (info.libc.flavour == Libc::bionic) return Os::android;
  const bool linux_libc = info.libc.flavour == Libc::glibc || info.libc.flavour == Libc::musl ||
                          info.libc.flavour == Libc::uclibc;
  return info.userland || linux_libc ? Os::linux : Os::unknown;
}

HostInfo probe(HostFiles& files) {
  HostInfo info;
  std::vector<std::string> warnings;
  info.root = files.root();
  info.kernel = probe_kernel(files);
  info.userland = probe_userland(files);
  probe_page_size(files, info);
  if (auto cpuinfo = files.read("/proc/cpuinfo", host::CPUINFO_CAP))
    info.cpu = host::parse_cpuinfo(*cpuinfo, info.kernel.arch);
  else
    files.warn("proc/cpuinfo: absent; CPU features and level unknown");
  info.compat32 = probe_compat32(files, info);
  info.os_release = probe_os_release(files);
  info.libc = host::probe_libc(files, info.userland, info.kernel.arch);
  info.kernel.system = kernel_system(info.kernel.os, info.libc.flavour);
  if (info.kernel.system == Os::unknown) info.kernel.system = root_system(info);
  info.binfmt = probe_binfmt(files, warnings);
  if (auto mountinfo = files.read("/proc/self/mountinfo", host::MOUNTINFO_CAP))
    info.noexec_mounts = host::parse_noexec_mounts(*mountinfo, warnings);
  info.warnings = files.take_warnings();
  info.warnings.insert(info.warnings.end(), warnings.begin(), warnings.end());
  return info;
}

}  // namespace

Os kernel_system(std::string_view sysname, Libc libc) {
  const Os os = os_from_uname(sysname).value_or(Os::unknown);
  return os == Os::linux && libc == Libc::bionic ? Os::android : os;
}

HostInfo probe_host(const std::string& root) {
  HostFiles files(root);
  return probe(files);
}

HostInfo probe_root(std::shared_ptr<const RootFileSystem> root, std::string display_root) {
  HostFiles files(std::move(root), std::move(display_root));
  return probe(files);
}

}  // namespace enoexec

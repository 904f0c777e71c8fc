// The machine a verdict is computed for: what its kernel, CPU, C library, binfmt_misc
// registrations and mounts let it run. Plain values: probe_host() fills them from a live system
// (or from a directory tree that looks like one), and host/host_json.cpp writes and reads them
// back, so a recorded host is as good as a probed one.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/platform.hpp"

namespace enoexec {

// An answer that may not be provable from user space. `likely` = every piece of evidence found
// says yes, but one fact that could still say no was not readable (the evidence names it).
enum class Support { unknown, no, likely, yes };
std::string_view to_string(Support support);  // "unknown", "no", "likely", "yes"

// The kernel, as `uname -s -r -v -m` reports it.
struct HostKernel {
  std::string os;       // "Linux"
  std::string release;  // "6.1.0-18-amd64"
  std::string version;  // "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"
  std::string machine;  // "aarch64", "armv6l", "x86_64"
  Arch arch = Arch::unknown;
  int bits = 0;
  std::optional<Endian> endian;
  std::string source;  // "uname(2)", "proc/sys/kernel"
  // The system `os` names, typed: what the verdict's rules branch on. android is a Linux kernel
  // under bionic; unknown when nothing said (the verdict then says unknown, never Linux).
  Os system = Os::unknown;

  friend bool operator==(const HostKernel&, const HostKernel&) = default;
};

// The system a kernel name stands for on a machine whose C library is `libc`: os_from_uname(),
// except that a Linux kernel under bionic is android.
Os kernel_system(std::string_view sysname, Libc libc);

// The identity of one ELF file of the host, read from its first bytes.
struct HostElf {
  std::string path;     // as the host sees it: "/bin/sh"
  std::string machine;  // "EM_ARM"
  Arch arch = Arch::unknown;
  int bits = 0;
  std::optional<Endian> endian;
  std::uint32_t flags = 0;                 // e_flags (arm: EABI version, hard-float ABI)
  std::optional<std::string> interpreter;  // PT_INTERP: "/lib/ld-linux-armhf.so.3"

  friend bool operator==(const HostElf&, const HostElf&) = default;
};

// Whether 32-bit programs run on a 64-bit kernel (ia32 emulation, AArch32 at EL0, compat).
struct HostCompat32 {
  Arch arch = Arch::unknown;  // the 32-bit architecture in question: i386 for amd64, arm for arm64
  Support support = Support::unknown;
  std::vector<std::string> evidence;  // each fact that decided it, with the file it came from

  friend bool operator==(const HostCompat32&, const HostCompat32&) = default;
};

// The CPU, from /proc/cpuinfo, and the instruction-set level it reaches.
struct HostCpu {
  std::string vendor;        // vendor_id "GenuineIntel", or CPU implementer "0x41"
  std::string model_name;    // "ARMv6-compatible processor rev 7 (v6l)"
  std::string architecture;  // "CPU architecture" as printed: "7", "6TEJ", "8"
  std::string part;          // "CPU part": "0xb76"
  std::string hardware;      // "BCM2835"
  std::string model;         // "Raspberry Pi Zero W Rev 1.1"
  int processors = 0;        // "processor" entries listed
  std::vector<std::string> features;  // "flags" (x86) or "Features" (arm), in the kernel's order
  std::string level;     // "x86-64-v3", "ARMv6", "ARMv8.2-A"; "" when not derivable
  std::string variant;   // the OCI variant of that level: "v3", "v6", "v8.2"; "" = baseline
  std::string go_env;    // "GOAMD64=v3", "GOARM=6", "GOARM64=v8.2,crypto"
  std::string fpu;       // 32-bit arm: "none", "vfpv2", "vfpv3-d16", "vfpv3", "vfpv4"
  std::vector<std::string> missing;  // features the next level needs that this CPU lacks
  std::vector<std::string> notes;    // how the level was derived, caveats

  friend bool operator==(const HostCpu&, const HostCpu&) = default;
};

// /etc/os-release and the distribution's own release files.
struct HostOsRelease {
  std::string id;           // "debian", "alpine", "raspbian"
  std::string id_like;      // "debian"
  std::string version_id;   // "12", "3.19.1"
  std::string pretty_name;  // "Debian GNU/Linux 12 (bookworm)"
  std::string alpine_release;  // /etc/alpine-release
  std::string debian_version;  // /etc/debian_version

  friend bool operator==(const HostOsRelease&, const HostOsRelease&) = default;
};

// A dynamic loader present on the host (what PT_INTERP names).
struct HostLoader {
  std::string path;  // "/lib/ld-musl-x86_64.so.1"
  Libc libc = Libc::unknown;
  Arch arch = Arch::unknown;
  int bits = 0;
  std::string arch_source;  // "ELF header", or "file name" when the header was not readable

  friend bool operator==(const HostLoader&, const HostLoader&) = default;
};

// A C library file and the version read from it.
struct HostLibcFile {
  std::string path;  // "/lib/x86_64-linux-gnu/libc.so.6"
  Libc libc = Libc::unknown;
  Arch arch = Arch::unknown;
  std::string version;  // "2.36"; "" when not found
  std::string build;    // "Debian GLIBC 2.36-9+deb12u14"
  std::string source;   // where the version came from: "banner", "lib/apk/db/installed"

  friend bool operator==(const HostLibcFile&, const HostLibcFile&) = default;
};

struct HostLibc {
  Libc flavour = Libc::unknown;  // the userland's C library
  std::string version;           // of that flavour for the userland's architecture
  std::string source;            // why this flavour: "PT_INTERP of /bin/sh", "loaders present"
  std::vector<HostLoader> loaders;
  std::vector<HostLibcFile> libraries;

  friend bool operator==(const HostLibc&, const HostLibc&) = default;
};

// One /proc/sys/fs/binfmt_misc entry, as the kernel prints it.
struct BinfmtEntry {
  std::string name;  // the file name: "qemu-aarch64"
  bool enabled = false;
  std::string interpreter;
  std::string flags;  // as printed, in the kernel's order: "POF"
  bool by_extension = false;  // type E: matched by file-name extension
  std::string extension;      // without the dot (type E)
  std::uint32_t offset = 0;   // type M
  std::vector<std::uint8_t> magic;
  std::vector<std::uint8_t> mask;  // empty: all 0xff
  // Whether the interpreter path resolves under the probed root. With flag F the kernel opened
  // it at registration, so the entry works even where the path is missing (containers).
  std::optional<bool> interpreter_exists;

  bool preserve_argv0() const { return flags.find('P') != std::string::npos; }
  bool open_binary() const { return flags.find('O') != std::string::npos; }
  bool credentials() const { return flags.find('C') != std::string::npos; }
  bool fix_binary() const { return flags.find('F') != std::string::npos; }

  friend bool operator==(const BinfmtEntry&, const BinfmtEntry&) = default;
};

struct HostBinfmt {
  bool mounted = false;             // the binfmt_misc file system is there (has `register`)
  std::optional<bool> enabled;      // `status`: binfmt_misc as a whole
  std::vector<BinfmtEntry> entries;  // sorted by name (the kernel tries later registrations first)

  friend bool operator==(const HostBinfmt&, const HostBinfmt&) = default;
};

// A mount whose options include noexec: nothing on it can be exec'd directly (EACCES).
struct MountInfo {
  std::string mount_point;
  std::string fs_type;
  std::string source;
  std::string options;  // per-mount options: "rw,nosuid,nodev,noexec,relatime"

  friend bool operator==(const MountInfo&, const MountInfo&) = default;
};

// A foreign platform whose programs the system runs by translation or emulation (not binfmt_misc,
// which HostBinfmt describes): Rosetta 2 on Apple silicon, WoW64 and Prism on Windows.
struct HostEmulation {
  Platform guest;      // darwin/amd64, windows/386
  std::string via;     // "Rosetta 2", "WoW64", "Prism"
  std::string source;  // where the fact comes from

  friend bool operator==(const HostEmulation&, const HostEmulation&) = default;
};

struct HostInfo {
  std::string root = "/";  // the tree that was read; "/" = the live system
  HostKernel kernel;
  std::optional<HostElf> userland;  // the ELF header of /bin/sh: the userland's real arch
  std::optional<std::uint64_t> page_size;
  std::string page_size_source;  // "sysconf(_SC_PAGESIZE)", "proc/self/auxv AT_PAGESZ", ...
  HostCompat32 compat32;
  HostCpu cpu;
  HostOsRelease os_release;
  HostLibc libc;
  HostBinfmt binfmt;
  std::vector<MountInfo> noexec_mounts;
  std::vector<std::string> warnings;  // files that could not be read as expected
  // The system's own version where programs state the least one they need: "11.0" for macOS
  // (LC_BUILD_VERSION minos), "6.1" or "10.0.22000" for Windows (PE subsystem version). "" = unknown.
  std::string os_version;
  std::string os_version_source;
  std::vector<HostEmulation> emulation;

  friend bool operator==(const HostInfo&, const HostInfo&) = default;
};

// Describes the host whose /proc, /sys, /etc and /lib are under `root`. For "/" the kernel
// facts come from uname(2) and sysconf(); for any other root from files a test tree can hold
// (proc/sys/kernel/{ostype,osrelease,version,arch}, proc/self/auxv or proc/self/smaps). Every
// read is bounded; a missing file leaves its facts unknown and never stops the probe.
// Nothing is executed.
HostInfo probe_host(const std::string& root = "/");

// Whether binfmt_misc `entry` claims a file with these first bytes (at least the first 128) and
// this base name: the kernel's check_file() rule. Disabled entries never match.
bool binfmt_matches(const BinfmtEntry& entry, std::span<const std::uint8_t> head,
                    std::string_view file_name);

}  // namespace enoexec

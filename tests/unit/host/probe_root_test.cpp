// probe_root(): the host probe over a root file system that is no directory of this machine (an
// image's layers). Every file, links and aliases included, is read through the root.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "enoexec/host.hpp"
#include "builders/memory_root.hpp"
#include "host/probe_root.hpp"

namespace enoexec {
namespace {

using test::MemoryRoot;

std::shared_ptr<MemoryRoot> alpine_root() {
  auto root = std::make_shared<MemoryRoot>();
  root->file("/etc/os-release",
             "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n");
  root->file("/etc/alpine-release", "3.19.1\n");
  root->file("/proc/sys/kernel/arch", "x86_64\n");
  using namespace std::string_literals;
  root->file("/lib/ld-musl-x86_64.so.1", "\x7f" "ELF?\0musl libc (x86_64)\0Version %s\0"s + "1.2.4\0"s);
  root->link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1");
  root->link("/lib64", "/lib");  // absolute: an alias inside the root, counted once
  return root;
}

TEST(ProbeRoot, ReadsAnAlpineRootThroughItsFileSystem) {
  const HostInfo host = probe_root(alpine_root(), "alpine:3.19");
  EXPECT_EQ(host.root, "alpine:3.19");
  EXPECT_EQ(host.os_release,
            (HostOsRelease{"alpine", "", "3.19.1", "Alpine Linux v3.19", "3.19.1", ""}));
  EXPECT_EQ(host.kernel.arch, Arch::amd64);
  EXPECT_EQ(host.kernel.source, "proc/sys/kernel");
  EXPECT_EQ(host.kernel.system, Os::linux);  // no kernel name: musl's loader says Linux
  EXPECT_EQ(host.libc.flavour, Libc::musl);
  EXPECT_EQ(host.libc.version, "1.2.4");
  EXPECT_EQ(host.libc.source, "loaders present");
  ASSERT_EQ(host.libc.loaders.size(), 1u);
  EXPECT_EQ(host.libc.loaders[0],
            (HostLoader{"/lib/ld-musl-x86_64.so.1", Libc::musl, Arch::amd64, 64, "file name"}));
  ASSERT_EQ(host.libc.libraries.size(), 1u);
  EXPECT_EQ(host.libc.libraries[0].version, "1.2.4");
  EXPECT_EQ(host.libc.libraries[0].source, "version string");
}

// Named "/", it is still not this machine: nothing comes from uname(2) or sysconf().
TEST(ProbeRoot, IsNeverTheLiveSystem) {
  const HostInfo host = probe_root(std::make_shared<MemoryRoot>(), "/");
  EXPECT_EQ(host.root, "/");
  EXPECT_EQ(host.kernel.source, "proc/sys/kernel");
  EXPECT_EQ(host.kernel.arch, Arch::unknown);
  EXPECT_FALSE(host.page_size);
  EXPECT_EQ(host.libc.flavour, Libc::none);
  EXPECT_EQ(host.kernel.system, Os::unknown);  // nothing says which system: not Linux by default
}

// The system of a root without a kernel name: its os-release ID before any Linux default.
TEST(ProbeRoot, TheSystemComesFromTheKernelNameElseTheOsRelease) {
  auto freebsd = std::make_shared<MemoryRoot>();
  freebsd->file("/etc/os-release", "NAME=FreeBSD\nID=freebsd\nVERSION_ID=14.1\n");
  EXPECT_EQ(probe_root(freebsd, "freebsd").kernel.system, Os::freebsd);
  auto omnios = std::make_shared<MemoryRoot>();
  omnios->file("/etc/os-release", "NAME=\"OmniOS\"\nID=omnios\n");
  EXPECT_EQ(probe_root(omnios, "omnios").kernel.system, Os::illumos);
  auto named = std::make_shared<MemoryRoot>();
  named->file("/proc/sys/kernel/ostype", "Linux\n");
  named->file("/etc/os-release", "ID=freebsd\n");
  EXPECT_EQ(probe_root(named, "named").kernel.system, Os::linux);
}

}  // namespace
}  // namespace enoexec

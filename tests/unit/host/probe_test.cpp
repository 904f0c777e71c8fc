#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "builders/elf_builder.hpp"
#include "enoexec/host.hpp"
#include "host/host_json.hpp"

namespace enoexec {
namespace test {

inline std::filesystem::path host_fixtures() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "fixtures" / "hosts";
}

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(host_fixtures() / name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A scratch directory removed when the test ends.
class TempTree {
 public:
  TempTree() {
    std::string pattern = (std::filesystem::temp_directory_path() / "enoexec-host-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data()) ? pattern : std::string();
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  ~TempTree() {
    std::error_code ignored;
    if (!root_.empty()) std::filesystem::remove_all(root_, ignored);
  }
  const std::string& root() const { return root_; }

  void file(const std::string& path, const std::string& text) const { file(path, std::vector<std::uint8_t>(text.begin(), text.end())); }
  void file(const std::string& path, const std::vector<std::uint8_t>& bytes) const {
    const auto full = std::filesystem::path(root_ + path);
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                static_cast<std::streamsize>(bytes.size()));
  }
  void link(const std::string& path, const std::string& target) const {
    const auto full = std::filesystem::path(root_ + path);
    std::filesystem::create_directories(full.parent_path());
    std::filesystem::create_symlink(target, full);
  }
  void dir(const std::string& path) const { std::filesystem::create_directories(root_ + path); }

 private:
  std::string root_;
};

}  // namespace test

namespace {

bool has_warning(const HostInfo& host, const std::string& text) {
  return std::find(host.warnings.begin(), host.warnings.end(), text) != host.warnings.end();
}

TEST(ProbeHost, AlpineTreeMatchesItsRecord) {
  HostInfo probed = probe_host((test::host_fixtures() / "root-alpine").string());
  probed.root = "tests/fixtures/hosts/root-alpine";
  const auto recorded = host_from_json(test::read_fixture("alpine-3.19-x86_64.json"));
  ASSERT_TRUE(recorded) << to_string(recorded.error());
  EXPECT_EQ(probed, *recorded);

  EXPECT_EQ(probed.kernel.arch, Arch::amd64);
  EXPECT_EQ(probed.kernel.source, "proc/sys/kernel");
  EXPECT_EQ(probed.page_size, 4096u);
  EXPECT_EQ(probed.page_size_source, "proc/self/smaps KernelPageSize");
  EXPECT_EQ(probed.os_release.id, "alpine");
  EXPECT_EQ(probed.os_release.alpine_release, "3.19.1");
  EXPECT_EQ(probed.libc.flavour, Libc::musl);
  EXPECT_EQ(probed.libc.version, "1.2.4");
  ASSERT_EQ(probed.libc.loaders.size(), 1u);  // libc.musl-x86_64.so.1 is not a loader name
  EXPECT_EQ(probed.libc.loaders[0], (HostLoader{"/lib/ld-musl-x86_64.so.1", Libc::musl, Arch::amd64, 64, "file name"}));
  EXPECT_EQ(probed.cpu.level, "x86-64-v3");
  EXPECT_EQ(probed.compat32.support, Support::yes);
  ASSERT_EQ(probed.binfmt.entries.size(), 2u);
  EXPECT_TRUE(probed.binfmt.mounted);
  EXPECT_EQ(probed.binfmt.enabled, true);
  EXPECT_TRUE(probed.binfmt.entries[0].fix_binary());
  EXPECT_EQ(probed.binfmt.entries[0].interpreter_exists, false);
  EXPECT_TRUE(probed.binfmt.entries[1].by_extension);
  ASSERT_EQ(probed.noexec_mounts.size(), 5u);
  EXPECT_EQ(probed.noexec_mounts[3].mount_point, "/mnt/usb stick");
  EXPECT_TRUE(probed.warnings.empty());
}

// Raspberry Pi OS 32-bit on a 64-bit kernel: uname -m says aarch64, /bin/sh is armhf.
class PiTree : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tree.root().empty());
    tree.file("/proc/sys/kernel/ostype", "Linux\n");
    tree.file("/proc/sys/kernel/osrelease", "6.6.51+rpt-rpi-2712\n");
    tree.file("/proc/sys/kernel/arch", "aarch64\n");
    tree.file("/boot/config-6.6.51+rpt-rpi-2712", "CONFIG_ARM64_16K_PAGES=y\nCONFIG_COMPAT=y\n");
    tree.file("/proc/self/auxv", auxv({{33, 0x7fff0000}, {6, 16384}, {0, 0}}));
    tree.link("/bin", "usr/bin");
    tree.link("/usr/bin/sh", "/usr/bin/dash");  // absolute: must resolve inside the tree
    tree.file("/usr/bin/dash", arm_elf("/lib/ld-linux-armhf.so.3", ""));
    tree.file("/lib/ld-linux-armhf.so.3", arm_elf("", ""));
    tree.link("/lib64", "/lib");  // an alias: the loader counts once
    tree.file("/lib/arm-linux-gnueabihf/libc.so.6",
              arm_elf("", "GNU C Library (Raspbian GLIBC 2.36-9+rpt2+deb12u4) stable release version 2.36.\n"));
    tree.link("/etc/os-release", "os-release");  // a loop: read as absent
  }

  static std::vector<std::uint8_t> auxv(std::vector<std::pair<unsigned long, unsigned long>> pairs) {
    std::vector<std::uint8_t> out;
    for (const auto& [type, value] : pairs) {
      for (unsigned long word : {type, value}) {
        std::uint8_t bytes[sizeof word];
        std::memcpy(bytes, &word, sizeof word);
        out.insert(out.end(), bytes, bytes + sizeof word);
      }
    }
    return out;
  }

  static std::vector<std::uint8_t> arm_elf(const std::string& interpreter, const std::string& rodata) {
    test::ElfBuilder builder(32, Endian::little);
    builder.e_machine = 40;
    builder.e_flags = 0x05000400;
    if (!interpreter.empty()) builder.interp(interpreter);
    if (!rodata.empty()) builder.blob(".rodata", std::vector<std::uint8_t>(rodata.begin(), rodata.end()));
    return builder.build().bytes;
  }

  test::TempTree tree;
};

TEST_F(PiTree, UserlandComesFromBinShNotFromUname) {
  const HostInfo host = probe_host(tree.root());
  EXPECT_EQ(host.kernel.machine, "aarch64");
  EXPECT_EQ(host.kernel.arch, Arch::arm64);
  ASSERT_TRUE(host.userland);
  EXPECT_EQ(host.userland->arch, Arch::arm);
  EXPECT_EQ(host.userland->bits, 32);
  EXPECT_EQ(host.userland->flags, 0x05000400u);
  EXPECT_EQ(host.userland->interpreter, "/lib/ld-linux-armhf.so.3");
  EXPECT_EQ(host.page_size, 16384u);
  EXPECT_EQ(host.page_size_source, "proc/self/auxv AT_PAGESZ");
  EXPECT_EQ(host.libc.flavour, Libc::glibc);
  EXPECT_EQ(host.libc.version, "2.36");
  EXPECT_EQ(host.libc.source, "PT_INTERP /lib/ld-linux-armhf.so.3 of /bin/sh");
  ASSERT_EQ(host.libc.loaders.size(), 1u);
  EXPECT_EQ(host.libc.loaders[0], (HostLoader{"/lib/ld-linux-armhf.so.3", Libc::glibc, Arch::arm, 32, "ELF header"}));
  ASSERT_EQ(host.libc.libraries.size(), 1u);
  EXPECT_EQ(host.libc.libraries[0].build, "Raspbian GLIBC 2.36-9+rpt2+deb12u4");
  EXPECT_EQ(host.compat32.support, Support::likely);  // config says COMPAT=y; the CPU is not known
  EXPECT_EQ(host.os_release, HostOsRelease{});
}

TEST_F(PiTree, NonRegularFilesAreRefusedNotRead) {
  ASSERT_EQ(::mkfifo((tree.root() + "/proc/cpuinfo").c_str(), 0600), 0);
  const HostInfo host = probe_host(tree.root());  // would block forever if the FIFO were opened blocking
  EXPECT_TRUE(has_warning(host, "/proc/cpuinfo: not a regular file (FIFO)"));
  EXPECT_TRUE(has_warning(host, "proc/cpuinfo: absent; CPU features and level unknown"));
}

TEST_F(PiTree, OversizedFilesAreCut) {
  tree.file("/proc/sys/kernel/version", std::string(70000, 'v'));
  const HostInfo host = probe_host(tree.root());
  EXPECT_EQ(host.kernel.version.size(), 65536u);
  EXPECT_TRUE(has_warning(host, "/proc/sys/kernel/version: longer than 65536 bytes; read only those"));
}

TEST(ProbeHost, MissingRootLeavesEverythingUnknown) {
  const HostInfo host = probe_host("/nonexistent/enoexec-host-root");
  EXPECT_EQ(host.kernel.arch, Arch::unknown);
  EXPECT_FALSE(host.userland);
  EXPECT_FALSE(host.page_size);
  EXPECT_EQ(host.libc.flavour, Libc::none);
  EXPECT_FALSE(host.binfmt.mounted);
  EXPECT_TRUE(has_warning(host, "proc/sys/kernel/arch: absent; the kernel's uname -m is unknown"));
  EXPECT_TRUE(has_warning(host, "proc/cpuinfo: absent; CPU features and level unknown"));
}

// The live system: only facts the test can learn independently are asserted.
TEST(ProbeHost, LiveSystemAgreesWithUnameAndSysconf) {
  struct utsname names {};
  ASSERT_EQ(::uname(&names), 0);
  const HostInfo host = probe_host();
  EXPECT_EQ(host.root, "/");
  EXPECT_EQ(host.kernel.os, names.sysname);
  EXPECT_EQ(host.kernel.release, names.release);
  EXPECT_EQ(host.kernel.machine, names.machine);
  EXPECT_EQ(host.kernel.source, "uname(2)");
  EXPECT_EQ(host.page_size, static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)));
  const auto expected = parse_platform(std::string("Linux ") + names.machine);
  if (expected) {
    EXPECT_EQ(host.kernel.arch, expected->arch);
  }
  struct stat st {};
  if (::stat("/bin/sh", &st) == 0) {
    ASSERT_TRUE(host.userland);
    EXPECT_NE(host.userland->bits, 0);
  }
  const auto again = host_from_json(to_json(host).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  ASSERT_TRUE(again) << to_string(again.error());
  EXPECT_EQ(*again, host);
}

}  // namespace
}  // namespace enoexec

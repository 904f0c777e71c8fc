#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "enoexec/host.hpp"
#include "host/host_json.hpp"
#include "output/host_text.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

std::filesystem::path fixtures() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "fixtures" / "hosts";
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

HostInfo fixture(const std::string& name) {
  auto host = host_from_json(read(fixtures() / name));
  EXPECT_TRUE(host) << name << ": " << to_string(host.error());
  return host ? *host : HostInfo{};
}

std::string error_of(const std::string& json) {
  const auto host = host_from_json(json);
  return host ? "no error" : to_string(host.error());
}

// Every recorded host is complete and canonical: reading it and writing it back gives the same
// JSON (less the "_source" comment, and with `record` first: the fixtures were recorded before
// it), and reading that again gives the same HostInfo.
TEST(JsonHost, EveryFixtureRoundTrips) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures())) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    const std::string text = read(entry.path());
    Json recorded = Json::parse(text);
    EXPECT_TRUE(recorded.contains("_source")) << entry.path();
    recorded.erase("_source");
    const auto host = host_from_json(text);
    ASSERT_TRUE(host) << entry.path() << ": " << to_string(host.error());
    Json written = to_json(*host);
    EXPECT_EQ(written.begin().key(), "record") << entry.path();
    EXPECT_EQ(written["record"], "host") << entry.path();
    if (!recorded.contains("record")) written.erase("record");
    EXPECT_EQ(written, recorded) << entry.path();
    const auto again = host_from_json(to_json(*host).dump());
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *host) << entry.path();
  }
  EXPECT_GE(count, 6);
}

TEST(JsonHost, RecordedFactsReadBack) {
  const HostInfo pi5 = fixture("rpi5-arm64-16k.json");
  EXPECT_EQ(pi5.page_size, 16384u);
  EXPECT_EQ(pi5.kernel.arch, Arch::arm64);
  EXPECT_EQ(pi5.cpu.variant, "v8.2");
  EXPECT_EQ(pi5.compat32.support, Support::no);

  const HostInfo zero = fixture("pizero-armv6.json");
  EXPECT_EQ(zero.kernel.machine, "armv6l");
  EXPECT_EQ(zero.cpu.go_env, "GOARM=6");
  EXPECT_EQ(zero.cpu.fpu, "vfpv2");

  const HostInfo v2 = fixture("x86-64-v2-ubuntu2004.json");
  EXPECT_EQ(v2.cpu.level, "x86-64-v2");
  EXPECT_EQ(v2.libc.version, "2.31");

  const HostInfo qemu = fixture("qemu-binfmt-x86_64.json");
  ASSERT_EQ(qemu.binfmt.entries.size(), 6u);
  const BinfmtEntry& aarch64 = qemu.binfmt.entries[0];
  EXPECT_EQ(aarch64.name, "qemu-aarch64");
  EXPECT_TRUE(aarch64.fix_binary());
  std::vector<std::uint8_t> head = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0xb7, 0};
  EXPECT_TRUE(binfmt_matches(aarch64, head, "app"));
  EXPECT_FALSE(binfmt_matches(qemu.binfmt.entries[1], head, "app"));  // qemu-arm
  EXPECT_TRUE(qemu.binfmt.entries[5].mask.empty());                    // python3.11: no mask
}

TEST(JsonHost, APartialRecordKeepsDefaults) {
  const auto host = host_from_json(R"({"_note": "x", "kernel": {"arch": "arm64"}, "page_size": 65536, "extra": 1})");
  ASSERT_TRUE(host) << to_string(host.error());
  EXPECT_EQ(host->kernel.arch, Arch::arm64);
  EXPECT_EQ(host->kernel.bits, 0);
  EXPECT_EQ(host->page_size, 65536u);
  EXPECT_FALSE(host->userland);
  EXPECT_EQ(host->compat32.support, Support::unknown);
  EXPECT_EQ(host->root, "/");
}

TEST(JsonHost, ErrorsNameThePath) {
  EXPECT_EQ(error_of("{"), "malformed: host JSON: not valid JSON (at offset 0x0)");
  EXPECT_EQ(error_of("[1]"), "malformed: host JSON: expected an object (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"kernel": {"bits": "64"}})"),
            "malformed: host JSON: kernel.bits: expected a small non-negative integer (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"kernel": {"arch": "amd65"}})"),
            "malformed: host JSON: kernel.arch: expected an architecture name (\"amd64\", \"arm64\", ...) (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"kernel": 5})"), "malformed: host JSON: kernel: expected an object (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"compat32": {"support": "perhaps"}})"),
            "malformed: host JSON: compat32.support: expected \"yes\", \"no\", \"likely\" or \"unknown\" (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"libc": {"loaders": [{"libc": "glibcx"}]}})"),
            "malformed: host JSON: libc.loaders[0].libc: expected a C library name (\"glibc\", \"musl\", ...) (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"binfmt_misc": {"entries": [{"magic": "7f4"}]}})"),
            "malformed: host JSON: binfmt_misc.entries[0].magic: expected hex digits (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"binfmt_misc": {"entries": [3]}})"),
            "malformed: host JSON: binfmt_misc.entries[0]: expected an object (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"page_size": -4096})"), "malformed: host JSON: page_size: expected an unsigned integer (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"userland": {"flags": 4294967296}})"),
            "malformed: host JSON: userland.flags: expected an unsigned 32-bit integer (at offset 0x0)");
  EXPECT_EQ(error_of(R"({"warnings": ["a", 2]})"), "malformed: host JSON: warnings: expected an array of strings (at offset 0x0)");
}

TEST(HostText, SummarisesARecordedHost) {
  const std::string zero = host_text(fixture("pizero-armv6.json"));
  EXPECT_NE(zero.find("kernel: Linux 6.6.51+rpt-rpi-v6 armv6l (arm, 32-bit, little-endian; from proc/sys/kernel)\n"),
            std::string::npos) << zero;
  EXPECT_NE(zero.find("cpu: ARMv6-compatible processor rev 7 (v6l) (Raspberry Pi Zero W Rev 1.1), 1 processor\n"
                      "  level: ARMv6, GOARM=6, OCI variant v6\n  fpu: vfpv2\n  next level needs: ARMv7 vfpv3\n"),
            std::string::npos) << zero;
  EXPECT_NE(zero.find("32-bit programs: yes (arm)\n"), std::string::npos) << zero;

  const std::string qemu = host_text(fixture("qemu-binfmt-x86_64.json"));
  EXPECT_NE(qemu.find("binfmt_misc: enabled, 6 entries\n"
                      "  qemu-aarch64: enabled, magic 7f454c460201010000000000000000000200b700 at 0 mask "
                      "ffffffffffffff00fffffffffffffffffeffffff -> /usr/libexec/qemu-binfmt/aarch64-binfmt-P (exists), "
                      "flags POF (F: interpreter opened at registration, works in containers)\n"),
            std::string::npos) << qemu;
  EXPECT_NE(qemu.find("noexec mounts:\n  /proc (proc, proc)\n"), std::string::npos) << qemu;

  EXPECT_NE(host_text(HostInfo{}).find("binfmt_misc: not mounted\nnoexec mounts: none\n"), std::string::npos);
}

}  // namespace
}  // namespace enoexec

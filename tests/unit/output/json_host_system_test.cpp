// The macOS / Windows facts of a host (OS version, emulation): written when known, read back,
// printed; a Linux host's JSON keeps its old keys only.
#include <gtest/gtest.h>

#include "enoexec/host.hpp"
#include "host/host_json.hpp"
#include "output/host_text.hpp"

namespace enoexec {
namespace {

HostInfo mac_host() {
  HostInfo host;
  host.root = "profile macos-11-arm64";
  host.kernel.os = "Darwin";
  host.kernel.system = Os::darwin;  // what host_from_json reads back from "Darwin"
  host.os_version = "11.0";
  host.os_version_source = "profile macos-11-arm64: Apple";
  host.emulation.push_back(HostEmulation{make_platform(Os::darwin, Arch::amd64), "Rosetta 2", "profile macos-11-arm64: Rosetta"});
  return host;
}

TEST(JsonHostSystem, OsVersionAndEmulationRoundTrip) {
  const HostInfo host = mac_host();
  const auto json = to_json(host);
  EXPECT_EQ(json["os_version"], "11.0");
  EXPECT_EQ(json["emulation"][0]["guest"], "darwin/amd64");
  EXPECT_EQ(json["emulation"][0]["via"], "Rosetta 2");
  const auto back = host_from_json(json.dump());
  ASSERT_TRUE(back) << to_string(back.error());
  EXPECT_EQ(*back, host);
}

TEST(JsonHostSystem, ALinuxHostHasNoSystemKeys) {
  const auto json = to_json(HostInfo{});
  EXPECT_FALSE(json.contains("os_version"));
  EXPECT_FALSE(json.contains("emulation"));
}

TEST(JsonHostSystem, ABadGuestNamesItsPath) {
  const auto host = host_from_json(R"({"emulation": [{"guest": "not a platform", "via": "x"}]})");
  ASSERT_FALSE(host);
  EXPECT_EQ(host.error().what,
            "host JSON: emulation[0].guest: expected a platform (\"darwin/amd64\", \"windows/386\", ...)");
}

TEST(JsonHostSystem, TextNamesVersionAndEmulation) {
  const std::string text = host_text(mac_host());
  EXPECT_NE(text.find("os version: 11.0 (profile macos-11-arm64: Apple)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("runs darwin/amd64 programs via Rosetta 2 (profile macos-11-arm64: Rosetta)\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace enoexec

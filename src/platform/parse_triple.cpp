// GNU/LLVM and Rust triples: cpu-[vendor-]os[-environment].
// The CPU field "arm" means different things: Rust's arm-unknown-linux-gnueabihf is ARMv6, while
// a GNU triple without the "unknown" vendor names the distribution's default (dpkg: Debian
// armhf = arm-linux-gnueabihf = ARMv7, armel = arm-linux-gnueabi = ARMv5). So the vendor
// "unknown" selects Rust's reading of the CPU field, anything else the GNU/Debian one.
#include <algorithm>

#include "lookup.hpp"
#include "tables.hpp"
#include "text.hpp"

namespace enoexec::platform_lookup {
namespace {

using namespace platform_table;

std::optional<Os> os_named(std::string_view word) {
  for (const OsRow& row : os_rows()) {
    if (row.os == Os::unknown) continue;
    if ((!row.gnu_os.empty() && row.gnu_os == word) || (!row.rust_os.empty() && row.rust_os == word)) return row.os;
  }
  for (const OsAliasRow& row : os_alias_rows()) {
    if (row.text == word) return row.os;
  }
  return std::nullopt;
}

std::optional<Os> os_from_triple_word(std::string_view word) {
  if (auto os = os_named(word)) return os;
  const auto unversioned = platform_text::strip_version(word);
  return unversioned != word && !unversioned.empty() ? os_named(unversioned) : std::nullopt;
}

bool is_apple(Os os) {
  return os == Os::darwin || os == Os::ios || os == Os::tvos || os == Os::watchos || os == Os::visionos;
}

struct Environment {
  Os os;
  Libc libc = Libc::unknown;
  std::string_view abi = {};  // "eabihf", "abi64", "x32", ...
};

std::optional<Environment> linux_environment(std::string_view env) {
  if (env.empty()) return Environment{Os::linux};
  if (env == "none") return Environment{Os::linux, Libc::none};
  const auto unversioned = platform_text::strip_version(env);  // android21 = API level 21
  if (unversioned.starts_with("android")) {
    const auto abi = unversioned.substr(7);
    if (!abi.empty() && abi != "eabi") return std::nullopt;
    return Environment{Os::android, Libc::bionic, abi};
  }
  for (const LibcRow& row : libc_rows()) {
    if (row.libc == Libc::unknown || row.libc == Libc::none || row.linux_env.empty()) continue;
    if (env.starts_with(row.linux_env)) return Environment{Os::linux, row.libc, env.substr(row.linux_env.size())};
  }
  return std::nullopt;
}

std::optional<Environment> windows_environment(std::string_view os_word, std::string_view env) {
  if (os_word == "mingw32") {
    // MinGW-w64's classic CRT; its UCRT flavour (MSYS2 UCRT64) uses the same triple.
    return env.empty() ? std::optional(Environment{Os::windows, Libc::msvcrt}) : std::nullopt;
  }
  if (env.empty() || env == "gnullvm") return Environment{Os::windows};
  for (const LibcRow& row : libc_rows()) {
    const bool named = row.libc != Libc::unknown && row.libc != Libc::none;
    if (named && row.windows_env == env) return Environment{Os::windows, row.libc};
  }
  return std::nullopt;
}

std::optional<Environment> environment(Os os, std::string_view os_word, std::string_view env) {
  if (os == Os::linux) return linux_environment(env);
  if (os == Os::windows) return windows_environment(os_word, env);
  if (os == Os::hurd) return env.empty() || env == "gnu" ? std::optional(Environment{os, Libc::glibc}) : std::nullopt;
  if (is_apple(os) && (env.empty() || env == "sim")) return Environment{os};
  if (os == Os::netbsd && (env == "eabi" || env == "eabihf")) return Environment{os, Libc::unknown, env};
  return env.empty() ? std::optional(Environment{os}) : std::nullopt;
}

// Checks the ABI suffix against the CPU and applies what it says about the architecture.
bool apply_abi(const Environment& env, bool plain_arm, ArchMatch& match) {
  const auto abi = env.abi;
  const bool arm = match.arch == Arch::arm || match.arch == Arch::armbe;
  if (abi == "x32") {
    if (match.arch != Arch::amd64) return false;
    match.arch = Arch::x32;
  } else if (abi.starts_with("eabi")) {
    if (!arm || (abi != "eabi" && abi != "eabihf")) return false;
    if (plain_arm) match.variant = env.os == Os::android ? "v7" : abi == "eabihf" ? "v7" : "v5";
    return true;
  } else if (abi == "abi64") {
    return match.arch == Arch::mips64 || match.arch == Arch::mips64le;
  } else if (abi == "abiv2" || abi == "abiv2hf") {
    return match.arch == Arch::csky;
  } else if (!abi.empty()) {
    return false;
  }
  return !(plain_arm && env.os == Os::linux);  // "arm-linux-gnu": no float ABI, no ARM level
}

}  // namespace

std::optional<Platform> parse_triple(std::string_view text) {
  const auto parts = platform_text::split(text, '-');
  if (parts.size() < 2 || parts.size() > 4) return std::nullopt;
  if (std::any_of(parts.begin(), parts.end(), [](std::string_view p) { return p.empty(); })) return std::nullopt;
  // The OS is the second field (no vendor: "aarch64-linux-gnu") or the third ("x86_64-pc-linux-gnu").
  std::size_t os_at = 1;
  auto os = os_from_triple_word(parts[1]);
  if (!os && parts.size() >= 3) {
    os_at = 2;
    os = os_from_triple_word(parts[2]);
  }
  if (!os || parts.size() > os_at + 2) return std::nullopt;
  const std::string_view vendor = os_at == 2 ? parts[1] : std::string_view();
  const std::string_view env_word = parts.size() > os_at + 1 ? parts[os_at + 1] : std::string_view();
  const auto env = environment(*os, parts[os_at], env_word);
  if (!env) return std::nullopt;

  const bool rust_reading = vendor == "unknown";
  const auto cpu = parts[0];
  auto match = rust_reading
                   ? find_arch(cpu, {Column::rust_cpu, Column::gnu_cpu, Column::uname_m, Column::triple_alias})
                   : find_arch(cpu, {Column::gnu_cpu, Column::rust_cpu, Column::uname_m, Column::triple_alias});
  const bool plain_arm = !rust_reading && cpu == row_of(Arch::arm).gnu_cpu;
  if (!match || !apply_abi(*env, plain_arm, *match)) return std::nullopt;
  return finish(env->os, *match, env->libc);
}

}  // namespace enoexec::platform_lookup

// The artifact-name gate: a file, or the folder it sits in, that names a platform its contents
// are not for. A mislabelled release asset ("myapp-linux-arm64" holding an amd64 build) execs
// fine where it was tested and fails with "exec format error" where its name sent it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/report.hpp"
#include "enoexec/verdict.hpp"

namespace enoexec {

// What one name says about a platform; each part unknown when the name does not say it.
struct NamedPlatform {
  Os os = Os::unknown;
  Arch arch = Arch::unknown;
  Libc libc = Libc::unknown;  // glibc ("gnu", "glibc", "gnueabihf") or musl ("musl", "musleabihf")
  std::string variant;        // of arch, when its word says one: "v6" (armv6), "v7" (armhf)

  bool empty() const { return os == Os::unknown && arch == Arch::unknown && libc == Libc::unknown; }
  friend bool operator==(const NamedPlatform&, const NamedPlatform&) = default;
};

// What `name` (one path component, no '/') says. Tokens are split on '-', '_' and '.', and only
// whole tokens count ("alarm" says nothing about arm; "2.36" nothing at all). Architecture words
// come from the platform tables (any vocabulary parse_platform() reads as a bare word, and
// x86_64-style words spelled across two tokens), plus the release-asset words those tables lack
// (x64, x86, ia32, armv6, armv7, win32, win64, osx). Words that are also everyday words or file
// types (sh, alpha, arc, js) never count. A bare number ("386") counts only next to an OS word
// ("myapp_linux_386"), "win32"/"win64" only next to an architecture word (GCC's "12-win32" is
// a thread model), and a C library only next to an OS or architecture ("glibc-2.36" says
// nothing). A name that says two different architectures (or OSes) says none. A name in the
// GNU cross-tool form "<target>-<tool>" (aarch64-linux-gnu-gcc, arm-none-eabi-ld) says nothing:
// it names the platform the tool builds for. With `is_file`, a final ".exe" says windows.
NamedPlatform platform_in_name(std::string_view name, bool is_file);

// What a file's own name says, for the gate: only a name with both an OS and an architecture
// ("myapp-linux-arm64"), or one ending in ".exe" (windows). A single word names what a tool is
// for as often as what it is built for (qemu-aarch64, llvm-libtool-darwin, libbfd-arm64.so).
NamedPlatform file_claim(std::string_view file);

// The platform a release asset's file name promises, for `scan --assets`: file_claim()'s OS,
// architecture, variant and C library, with a ".exe" that names no architecture taken as
// windows/amd64. nullopt when the name promises no platform.
std::optional<Platform> promised_platform(std::string_view file);

// W_ARTIFACT_NAME (warning, docs/rules.md): the file name (file_claim), or else its parent
// folder's name (platform_in_name, for what the file name leaves unsaid), says an OS,
// architecture or C library that the contents contradict. Nothing when the contents
// do not say (scripts, unknown machines) or the name says nothing; .NET assemblies are skipped
// (their machine field does not bind them to one platform).
std::vector<Problem> artifact_name_problems(const FileReport& report);

}  // namespace enoexec

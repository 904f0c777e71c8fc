// An in-memory file system for judge(): paths map to bytes and a kind; everything else is missing.
#pragma once

#include <cerrno>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "builders/elf_builder.hpp"
#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"

namespace enoexec::test {

struct FakeFile {
  std::vector<std::uint8_t> bytes;
  PathInfo::Kind kind = PathInfo::Kind::regular;
  bool executable = true;
};

class FakeContext final : public JudgeContext {
 public:
  std::map<std::string, FakeFile> files;

  void add(const std::string& path, std::vector<std::uint8_t> bytes, bool executable = true) {
    files[path] = FakeFile{std::move(bytes), PathInfo::Kind::regular, executable};
  }
  void add_text(const std::string& path, const std::string& text, bool executable = true) {
    add(path, std::vector<std::uint8_t>(text.begin(), text.end()), executable);
  }
  void add_dir(const std::string& path) {
    files[path] = FakeFile{{}, PathInfo::Kind::directory, true};
  }

  PathInfo subject(const std::string& path) const override { return target(path); }
  std::vector<std::uint8_t> subject_head(const std::string& path, std::size_t max) const override {
    return target_head(path, max);
  }
  // Paths are normalised lexically ("/app/../lib" -> "/lib"), as a lookup would resolve them.
  static std::string normal(const std::string& path) {
    std::string out = std::filesystem::path(path).lexically_normal().string();
    if (out.size() > 1 && out.ends_with('/')) out.pop_back();
    return out;
  }
  PathInfo target(const std::string& path) const override {
    PathInfo info;
    const auto it = files.find(normal(path));
    if (it == files.end()) {
      info.kind = PathInfo::Kind::missing;
      info.error = ENOENT;
      return info;
    }
    info.kind = it->second.kind;
    info.may_exec = it->second.executable;
    info.noexec = false;
    info.size = it->second.bytes.size();
    info.resolved = path;
    return info;
  }
  std::vector<std::uint8_t> target_head(const std::string& path, std::size_t max) const override {
    const auto it = files.find(normal(path));
    if (it == files.end()) return {};
    const auto& bytes = it->second.bytes;
    return {bytes.begin(),
            bytes.begin() + static_cast<std::ptrdiff_t>(std::min(max, bytes.size()))};
  }
  std::shared_ptr<const FileReport> target_report(const std::string& path) const override {
    const auto it = files.find(normal(path));
    if (it == files.end() || it->second.kind != PathInfo::Kind::regular) return nullptr;
    return std::make_shared<const FileReport>(inspect_bytes(it->second.bytes, path));
  }
  std::vector<std::string> target_list(const std::string& directory) const override {
    std::vector<std::string> names;
    for (const auto& [path, file] : files)
      if (path.starts_with(directory + "/") &&
          path.find('/', directory.size() + 1) == std::string::npos)
        names.push_back(path.substr(directory.size() + 1));
    return names;
  }

  // The report of a file in the fake, as `check` would inspect it.
  FileReport report(const std::string& path) const { return *target_report(path); }
};

// An x86-64 Debian-like host: 4 KiB pages, ia32 emulation, glibc 2.36, an x86-64-v2 CPU.
inline HostInfo amd64_host() {
  HostInfo host;
  host.kernel.os = "Linux";
  host.kernel.machine = "x86_64";
  host.kernel.arch = Arch::amd64;
  host.kernel.bits = 64;
  host.kernel.endian = Endian::little;
  host.userland = HostElf{
      "/bin/sh", "EM_X86_64", Arch::amd64, 64, Endian::little, 0, "/lib64/ld-linux-x86-64.so.2"};
  host.page_size = 4096;
  host.compat32.arch = Arch::i386;
  host.compat32.support = Support::likely;
  host.cpu.level = "x86-64-v2";
  host.cpu.variant = "v2";
  host.libc.flavour = Libc::glibc;
  host.libc.version = "2.36";
  return host;
}

inline HostInfo arm64_host(std::uint64_t page_size = 4096) {
  HostInfo host = amd64_host();
  host.kernel.machine = "aarch64";
  host.kernel.arch = Arch::arm64;
  host.userland = HostElf{
      "/bin/sh", "EM_AARCH64", Arch::arm64, 64, Endian::little, 0, "/lib/ld-linux-aarch64.so.1"};
  host.page_size = page_size;
  host.compat32.arch = Arch::arm;
  host.cpu.level = "ARMv8.0-A";
  host.cpu.variant = "";
  return host;
}

constexpr std::uint16_t EM_386 = 3, EM_ARM = 40, EM_X86_64 = 62, EM_AARCH64 = 183;

inline std::vector<std::uint8_t> elf(std::uint16_t machine, int bits = 64,
                                     const std::string& interpreter = "", std::uint32_t flags = 0) {
  ElfBuilder b(bits, Endian::little);
  b.e_machine = machine;
  b.e_flags = flags;
  if (!interpreter.empty()) b.interp(interpreter);
  return b.build().bytes;
}

}  // namespace enoexec::test

// Which dynamic loaders and C libraries a host has, and their versions. Versions are read from
// the files, never by running them: glibc's libc.so.6 carries its banner ("GNU C Library (...)
// stable release version 2.36.") in .rodata — simpler and as reliable as walking its
// .gnu.version_d; musl's libc (which is also its loader) carries its version as a lone string,
// and Alpine records it in lib/apk/db/installed.
#include "host/libc_probe.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "host/elf_head.hpp"
#include "host/host_parse.hpp"

namespace enoexec::host {
namespace {

// Directories that hold the loaders PT_INTERP names (/lib/ld-linux.so.2, /lib64/ld64.so.2, ...).
constexpr std::string_view LOADER_DIRS[] = {"/lib", "/lib32", "/lib64", "/libx32"};
constexpr std::string_view BIONIC_LINKERS[] = {"/system/bin/linker", "/system/bin/linker64"};

Arch arch_of_word(std::string_view word) {
  if (auto platform = parse_platform(fmt::format("Linux {}", word))) return platform->arch;
  if (auto platform = parse_platform(word)) return platform->arch;
  return Arch::unknown;
}

bool is_loader_name(std::string_view name) {
  return name.starts_with("ld-linux") || name.starts_with("ld-musl-") || name == "ld64.so.1" ||
         name == "ld64.so.2" || name == "ld.so.1";
}

std::string base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// The ELF header of a host file, when it has one.
std::optional<HostElf> elf_of(HostFiles& files, std::string_view host_path) {
  const auto head = files.head(host_path, ELF_HEAD_CAP);
  if (!head) return std::nullopt;
  auto elf = read_elf_head(ByteView(*head), false);
  return elf ? std::optional(*elf) : std::nullopt;
}

HostLoader describe_loader(HostFiles& files, std::string path) {
  HostLoader loader;
  const auto named = loader_from_name(base_name(path));
  if (named) loader.libc = named->libc;
  if (auto elf = elf_of(files, path)) {
    loader.arch = elf->arch;
    loader.bits = elf->bits;
    loader.arch_source = "ELF header";
  } else if (named && named->arch != Arch::unknown) {
    loader.arch = named->arch;
    loader.bits = bits_of(named->arch);
    loader.arch_source = "file name";
  }
  loader.path = std::move(path);
  return loader;
}

// Bytes of a host file for a string search, at most LIBC_SEARCH_CAP of them.
template <class Search>
auto search_file(HostFiles& files, std::string_view host_path, Search search) -> decltype(search(std::string_view())) {
  const auto mapped = files.contents(host_path);
  if (!mapped) return std::nullopt;
  if (!*mapped) {
    files.warn(fmt::format("{}: {}", host_path, to_string(mapped->error())));
    return std::nullopt;
  }
  return search((*mapped)->view().clamp(0, LIBC_SEARCH_CAP).as_chars());
}

HostLibcFile glibc_file(HostFiles& files, std::string path) {
  HostLibcFile file;
  file.libc = Libc::glibc;
  if (auto elf = elf_of(files, path)) file.arch = elf->arch;
  if (auto banner = search_file(files, path, find_glibc_banner)) {
    file.version = banner->version;
    file.build = banner->build;
    file.source = "banner";
  } else {
    files.warn(fmt::format("{}: no \"GNU C Library\" banner in the first {} MiB", path, LIBC_SEARCH_CAP >> 20));
  }
  file.path = std::move(path);
  return file;
}

HostLibcFile musl_file(HostFiles& files, const HostLoader& loader, const std::optional<std::string>& apk_musl) {
  HostLibcFile file;
  file.path = loader.path;
  file.libc = Libc::musl;
  file.arch = loader.arch;
  if (auto version = search_file(files, loader.path, find_musl_version)) {
    file.version = *version;
    file.source = "version string";
  } else if (apk_musl) {
    // "1.2.4_git20230717-r4": the upstream version is the leading digits and dots.
    file.version = apk_musl->substr(0, apk_musl->find_first_not_of("0123456789."));
    file.build = *apk_musl;
    file.source = "lib/apk/db/installed";
  }
  return file;
}

// libc.so.6 in /lib*/ and in multiarch directories /lib*/<triplet>/.
std::vector<std::string> glibc_paths(HostFiles& files) {
  std::vector<std::string> paths;
  for (std::string_view dir : LOADER_DIRS) {
    const std::string base(dir);
    if (files.exists(base + "/libc.so.6")) paths.push_back(base + "/libc.so.6");
    for (const std::string& sub : files.list(base)) {
      const std::string candidate = fmt::format("{}/{}/libc.so.6", base, sub);
      if (sub.find('-') != std::string::npos && files.exists(candidate)) paths.push_back(candidate);
    }
  }
  return paths;
}

// The same file reached through two names (/lib -> usr/lib, /lib64 -> /lib/...) counts once.
template <class T>
void drop_aliases(HostFiles& files, std::vector<T>& items) {
  std::vector<std::string> seen;
  std::erase_if(items, [&](const T& item) {
    const auto real = files.resolve(item.path).value_or(item.path);
    if (std::find(seen.begin(), seen.end(), real) != seen.end()) return true;
    seen.push_back(real);
    return false;
  });
}

}  // namespace

std::optional<LoaderName> loader_from_name(std::string_view name) {
  if (name == "linker") return LoaderName{Libc::bionic, Arch::unknown};
  if (name == "linker64") return LoaderName{Libc::bionic, Arch::unknown};
  if (name.starts_with("ld-musl-")) {
    const std::string_view rest = name.substr(8);
    return LoaderName{Libc::musl, arch_of_word(rest.substr(0, rest.find(".so")))};
  }
  if (name == "ld-linux.so.2") return LoaderName{Libc::glibc, Arch::i386};  // also sparc32, m68k
  if (name == "ld-linux.so.3") return LoaderName{Libc::glibc, Arch::arm};   // armel
  if (name.starts_with("ld-linux-")) {
    const std::string_view rest = name.substr(9);
    const std::string_view word = rest.substr(0, rest.find(".so"));
    Arch arch = arch_of_word(word);  // "x86-64", "aarch64", "armhf"
    if (arch == Arch::unknown) arch = arch_of_word(word.substr(0, word.find('-')));  // "riscv64-lp64d"
    return LoaderName{Libc::glibc, arch};
  }
  if (name == "ld64.so.1" || name == "ld64.so.2" || name == "ld.so.1") return LoaderName{Libc::glibc, Arch::unknown};
  return std::nullopt;
}

HostLibc probe_libc(HostFiles& files, const std::optional<HostElf>& userland, Arch kernel_arch) {
  HostLibc libc;
  for (std::string_view dir : LOADER_DIRS)
    for (const std::string& name : files.list(dir))
      if (is_loader_name(name)) libc.loaders.push_back(describe_loader(files, fmt::format("{}/{}", dir, name)));
  for (std::string_view linker : BIONIC_LINKERS)
    if (files.exists(linker)) libc.loaders.push_back(describe_loader(files, std::string(linker)));
  drop_aliases(files, libc.loaders);

  for (std::string& path : glibc_paths(files)) libc.libraries.push_back(glibc_file(files, std::move(path)));
  std::optional<std::string> apk_musl;
  if (auto db = files.read("/lib/apk/db/installed", APK_DB_CAP)) apk_musl = apk_package_version(*db, "musl");
  for (const HostLoader& loader : libc.loaders)
    if (loader.libc == Libc::musl) libc.libraries.push_back(musl_file(files, loader, apk_musl));
  drop_aliases(files, libc.libraries);

  const Arch arch = userland ? userland->arch : kernel_arch;
  decide_flavour(libc, userland, arch);
  return libc;
}

void decide_flavour(HostLibc& libc, const std::optional<HostElf>& userland, Arch arch) {
  if (userland && userland->interpreter) {
    const auto named = loader_from_name(base_name(*userland->interpreter));
    libc.flavour = named ? named->libc : Libc::unknown;
    libc.source = fmt::format("PT_INTERP {} of {}", *userland->interpreter, userland->path);
  } else {
    std::vector<Libc> present;
    for (const HostLoader& loader : libc.loaders)
      if (loader.arch == arch || loader.arch == Arch::unknown) present.push_back(loader.libc);
    for (Libc candidate : {Libc::glibc, Libc::musl, Libc::bionic}) {
      if (std::find(present.begin(), present.end(), candidate) == present.end()) continue;
      libc.flavour = candidate;
      break;
    }
    if (libc.loaders.empty()) libc.flavour = Libc::none;
    libc.source = libc.loaders.empty() ? "no dynamic loader in /lib*" : "loaders present";
  }
  for (const HostLibcFile& file : libc.libraries) {
    if (file.libc != libc.flavour || file.version.empty()) continue;
    if (file.arch != arch && file.arch != Arch::unknown) continue;
    libc.version = file.version;
    break;
  }
}

}  // namespace enoexec::host

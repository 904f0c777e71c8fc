// describe(): an ElfFile in the format-neutral vocabulary of FileReport. Every derived platform
// fact (os, libc, variant, ...) is recorded with the evidence it came from, strongest first, and
// nothing is guessed: without evidence a fact stays unknown.
#include <fmt/format.h>

#include "formats/elf/elf_file.hpp"
#include "formats/elf/elf_names.hpp"
#include "formats/elf/elf_types.hpp"

namespace enoexec::elf {
namespace {

struct Finding {
  Os os = Os::unknown;
  std::string source;
};

struct LibcFinding {
  Libc libc = Libc::unknown;
  std::string source;
};

std::string_view basename_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view dirname_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

bool is_pie(const ElfFile& elf) {
  return elf.details.e_type == ET_DYN && (elf.interpreter || elf.details.df_1_pie);
}

bool is_android_linker(std::string_view path) {
  const std::string_view name = basename_of(path);
  return (name == "linker" || name == "linker64") &&
         (path.starts_with("/system/") || path.starts_with("/apex/"));
}

// /lib, /lib32, /lib64 (not /usr/lib, where Solaris keeps its ld.so.1).
bool in_root_lib(std::string_view path) {
  const std::string_view dir = dirname_of(path);
  return dir == "/lib" || dir == "/lib32" || dir == "/lib64";
}

bool is_glibc_loader(std::string_view path) {
  const std::string_view name = basename_of(path);
  if (name.starts_with("ld-linux") && name.find(".so.") != std::string_view::npos) return true;
  return in_root_lib(path) && (name.starts_with("ld64.so.") || name == "ld.so.1");
}

// The C library whose dynamic loader `path` (a PT_INTERP path, or a loader's own name) is.
std::optional<LibcFinding> loader_libc(std::string_view path, std::string source) {
  const std::string_view name = basename_of(path);
  if (is_glibc_loader(path)) return LibcFinding{Libc::glibc, std::move(source)};
  if (name.starts_with("ld-musl-")) return LibcFinding{Libc::musl, std::move(source)};
  if (is_android_linker(path)) return LibcFinding{Libc::bionic, std::move(source)};
  if (name.starts_with("ld-uClibc")) return LibcFinding{Libc::uclibc, std::move(source)};
  return std::nullopt;
}

// A dynamic loader run as a program (`/lib64/ld-linux-x86-64.so.2 ./prog`, or alone for its
// usage): an ET_DYN without PT_INTERP or DT_NEEDED (nothing loads a loader's libraries) whose
// entry relocates the loader itself. Named by its DT_SONAME (glibc's and uClibc's carry one) or
// else by its file name (musl's and Android's carry none); returns the C library it belongs to.
std::optional<LibcFinding> self_loader(const ElfFile& elf, std::string_view path) {
  if (elf.interpreter || elf.details.e_type != ET_DYN || elf.details.entry == 0 ||
      !elf.needed_known || !elf.needed.empty())
    return std::nullopt;
  if (const auto& soname = elf.details.soname) {
    // A DT_SONAME has no directory: glibc's ld64.so.N and ld.so.1 are loaders in /lib*.
    if (auto found = loader_libc("/lib/" + *soname, "DT_SONAME " + *soname)) return found;
  }
  if (!path.empty()) return loader_libc(path, "file name " + std::string(basename_of(path)));
  return std::nullopt;
}

std::string type_of(const ElfFile& elf, bool loader) {
  switch (elf.details.e_type) {
    case ET_EXEC: return "executable";
    case ET_DYN: return is_pie(elf) ? "pie-executable" : loader ? "dynamic-linker" : "shared-library";
    case ET_REL: return "relocatable";
    case ET_CORE: return "core";
    default: return "other";
  }
}

std::string kind_of(const ElfFile& elf, bool loader) {
  if (elf.truncated) return "truncated";
  switch (elf.details.e_type) {
    case ET_REL: return "relocatable-object";
    case ET_CORE: return "core-dump";
    case ET_DYN: return is_pie(elf) || loader ? "" : "shared-library";
    default: return "";
  }
}

std::optional<Linkage> linkage_of(const ElfFile& elf, bool loader) {
  if (elf.interpreter) return Linkage::dynamic;
  switch (elf.details.e_type) {
    case ET_EXEC: return Linkage::static_exe;
    case ET_DYN:
      if (elf.details.df_1_pie || loader) return Linkage::static_pie;
      if (!elf.needed.empty()) return Linkage::dynamic;
      return std::nullopt;
    default: return std::nullopt;
  }
}

// ---- operating system ----

std::optional<Finding> os_from_osabi(const ElfDetails& details) {
  Os os = Os::unknown;
  switch (details.osabi) {
    case ELFOSABI_NETBSD: os = Os::netbsd; break;
    case ELFOSABI_GNU: os = Os::linux; break;
    case ELFOSABI_HURD: os = Os::hurd; break;
    case ELFOSABI_SOLARIS: os = Os::solaris; break;
    case ELFOSABI_AIX: os = Os::aix; break;
    case ELFOSABI_FREEBSD: os = Os::freebsd; break;
    case ELFOSABI_OPENBSD: os = Os::openbsd; break;
    default: return std::nullopt;
  }
  return Finding{os, "EI_OSABI=" + details.osabi_name};
}

std::optional<Os> os_of_abi_tag(std::string_view os) {
  if (os == "Linux") return Os::linux;
  if (os == "GNU/Hurd" || os == "Hurd") return Os::hurd;
  if (os == "Solaris") return Os::solaris;
  if (os == "FreeBSD") return Os::freebsd;
  return std::nullopt;
}

std::optional<Finding> os_from_notes(const ElfNotes& notes) {
  if (notes.android_api)
    return Finding{Os::android, fmt::format("Android note (API level {})", *notes.android_api)};
  if (notes.freebsd_version)
    return Finding{Os::freebsd, "NT_FREEBSD_ABI_TAG " + *notes.freebsd_version};
  if (notes.netbsd_version) return Finding{Os::netbsd, "NetBSD ident note " + *notes.netbsd_version};
  if (notes.openbsd) return Finding{Os::openbsd, "OpenBSD ident note"};
  if (notes.abi_tag_os)
    if (auto os = os_of_abi_tag(*notes.abi_tag_os))
      return Finding{*os, fmt::format("NT_GNU_ABI_TAG {}{}", *notes.abi_tag_os,
                                      notes.abi_tag_kernel ? " " + *notes.abi_tag_kernel : "")};
  for (const std::string& other : notes.other)
    if (other.starts_with("DragonFly/")) return Finding{Os::dragonfly, "DragonFly note"};
  return std::nullopt;
}

std::optional<Finding> os_from_interpreter(const std::optional<std::string>& interpreter) {
  if (!interpreter) return std::nullopt;
  const std::string_view path = *interpreter;
  const std::string source = "PT_INTERP " + *interpreter;
  const std::string_view name = basename_of(path);
  if (is_android_linker(path)) return Finding{Os::android, source};
  if (path == "/libexec/ld-elf.so.1" || path == "/libexec/ld-elf32.so.1")
    return Finding{Os::freebsd, source};
  if (path == "/usr/libexec/ld.elf_so") return Finding{Os::netbsd, source};
  if (path == "/usr/libexec/ld.so") return Finding{Os::openbsd, source};
  if (path == "/usr/libexec/ld-elf.so.2") return Finding{Os::dragonfly, source};
  if (is_glibc_loader(path) || name.starts_with("ld-musl-") || name.starts_with("ld-uClibc"))
    return Finding{Os::linux, source};
  // Solaris and illumos: /usr/lib/ld.so.1 and its 64-bit directories, also under /lib (Go's
  // illumos and solaris programs name /lib/amd64/ld.so.1); glibc's /lib/ld.so.1 (MIPS, PowerPC)
  // is not one of them.
  if (name == "ld.so.1" && (path.starts_with("/usr/lib/") || path == "/lib/amd64/ld.so.1" ||
                            path == "/lib/64/ld.so.1" || path == "/lib/sparcv9/ld.so.1"))
    return Finding{Os::solaris, source};
  return std::nullopt;
}

// The C libraries only one system ships under that soname: FreeBSD's libc.so.7 (FreeBSD 7 and
// later) and libthr.so.3, NetBSD's libc.so.12, DragonFly's libc.so.8, Solaris' and illumos'
// libc.so.1 (their man pages and /usr/lib).
std::optional<Finding> os_from_needed(const std::vector<std::string>& needed) {
  for (const std::string& library : needed) {
    const std::string source = "DT_NEEDED " + library;
    if (library == "libc.so.7" || library == "libthr.so.3") return Finding{Os::freebsd, source};
    if (library == "libc.so.12") return Finding{Os::netbsd, source};
    if (library == "libc.so.8") return Finding{Os::dragonfly, source};
    if (library == "libc.so.1") return Finding{Os::solaris, source};
  }
  return std::nullopt;
}

// Symbol versions a system's own libc defines: FreeBSD's FBSD_1.x, Solaris' SUNW_x.y.
std::optional<Finding> os_from_versions(const std::vector<ElfVersionNeed>& needs) {
  for (const ElfVersionNeed& need : needs) {
    const std::string source = fmt::format("needs symbol version {} of {}", need.version, need.library);
    if (need.version.starts_with("FBSD_")) return Finding{Os::freebsd, source};
    if (need.version.starts_with("SUNW_") || need.version.starts_with("SUNWprivate")) return Finding{Os::solaris, source};
  }
  return std::nullopt;
}

// The strongest evidence decides: EI_OSABI, a brand note, PT_INTERP, DT_NEEDED, symbol
// versions; then, for a program, "only Linux runs unbranded ELF". Weaker evidence naming
// another system is reported in `warnings`, not silently dropped.
Finding derive_os(const ElfFile& elf, std::vector<std::string>& warnings) {
  const ElfDetails& details = elf.details;
  const auto by_osabi = os_from_osabi(details);
  const auto by_note = os_from_notes(details.notes);
  std::vector<Finding> found;
  // ELFOSABI_GNU means "uses GNU extensions", which Android and the Hurd share with Linux.
  const bool gnu_refined = by_osabi && details.osabi == ELFOSABI_GNU && by_note &&
                           (by_note->os == Os::android || by_note->os == Os::hurd);
  if (by_osabi && !gnu_refined) found.push_back(*by_osabi);
  if (by_note) found.push_back(*by_note);
  if (auto f = os_from_interpreter(elf.interpreter)) found.push_back(*f);
  if (auto f = os_from_needed(elf.needed)) found.push_back(*f);
  if (auto f = os_from_versions(details.version_needs)) found.push_back(*f);
  if (!found.empty()) {
    for (std::size_t i = 1; i < found.size(); ++i) {
      // Solaris and illumos share their loader, libc and versions: one family.
      const bool same = found[i].os == found[0].os ||
                        (found[0].os == Os::illumos && found[i].os == Os::solaris);
      if (!same)
        warnings.push_back(fmt::format("the evidence disagrees on the system: {} says {}, but {} says {}",
                                       found[0].source, to_string(found[0].os), found[i].source,
                                       to_string(found[i].os)));
    }
    return found.front();
  }
  const bool program = details.e_type == ET_EXEC || details.e_type == ET_DYN;
  if (program && details.osabi == ELFOSABI_SYSV)
    return Finding{Os::linux, "EI_OSABI=SYSV and no OS brand note (only Linux runs unbranded ELF)"};
  return {};
}

// ---- C library ----

std::optional<LibcFinding> libc_from_interpreter(const std::optional<std::string>& interpreter) {
  if (!interpreter) return std::nullopt;
  return loader_libc(*interpreter, "PT_INTERP " + *interpreter);
}

std::optional<LibcFinding> libc_from_needed(const std::vector<std::string>& needed, Os os) {
  for (const std::string& library : needed) {
    const std::string source = "DT_NEEDED " + library;
    // libc.so.6 is glibc's on Linux and the Hurd; FreeBSD 6 had a libc.so.6 of its own.
    const bool gnu = os == Os::linux || os == Os::hurd || os == Os::unknown;
    if (library == "libc.so.6" && gnu) return LibcFinding{Libc::glibc, source};
    // musl's own soname (musl-gcc links it so outside Alpine, whose name is libc.musl-*).
    if (library == "libc.so" && os == Os::linux) return LibcFinding{Libc::musl, source + " (musl's soname)"};
    if (library.starts_with("libc.musl-") && library.ends_with(".so.1"))
      return LibcFinding{Libc::musl, source};
    if (library == "libc.so.0") return LibcFinding{Libc::uclibc, source};
    if (library == "libc.so" && os == Os::android) return LibcFinding{Libc::bionic, source};
  }
  return std::nullopt;
}

LibcFinding derive_libc(const ElfFile& elf, Os os, std::optional<Linkage> linkage,
                        const std::optional<LibcFinding>& loader) {
  if (loader) return {loader->libc, "the dynamic loader itself (" + loader->source + ")"};
  if (auto found = libc_from_interpreter(elf.interpreter)) return *found;
  if (auto found = libc_from_needed(elf.needed, os)) return *found;
  const ElfDetails& details = elf.details;
  if (details.glibc_min)
    return {Libc::glibc, "needs symbol version GLIBC_" + details.glibc_min->version};
  const bool is_static = linkage == Linkage::static_exe || linkage == Linkage::static_pie;
  if (is_static && details.notes.abi_tag_os)
    return {Libc::glibc, "static, with glibc's NT_GNU_ABI_TAG note"};
  if (is_static && details.notes.go_build_id && elf.needed_known && elf.needed.empty())
    return {Libc::none, "static Go program (Go build ID note, no DT_NEEDED)"};
  return {};
}

// ---- variant ----

// Tag_CPU_arch -> OCI arm variant. Microcontroller (M) and v8-R cores run no Linux userland,
// so they have none.
std::string arm_variant(const ElfArm& arm) {
  const std::string_view arch = arm.cpu_arch;
  if (arm.cpu_profile == "M" || arch.find("-M") != std::string_view::npos ||
      arch.find("-R") != std::string_view::npos)
    return "";
  if (arch.starts_with("v4") || arch.starts_with("v5")) return "v5";
  if (arch.starts_with("v6")) return "v6";
  if (arch.starts_with("v7")) return "v7";
  if (arch.starts_with("v8") || arch.starts_with("v9")) return "v8";
  return "";
}

constexpr std::string_view kArmVariantUnknown =
    "ARM architecture version not stated (no .ARM.attributes); platform variant unknown";

void derive_variant(const ElfFile& elf, Platform& platform, FileReport& report) {
  const ElfDetails& details = elf.details;
  if (platform.arch == Arch::arm || platform.arch == Arch::armbe) {
    if (!details.arm || details.arm->cpu_arch.empty()) {
      report.warnings.emplace_back(kArmVariantUnknown);
      return;
    }
    platform.variant = arm_variant(*details.arm);
    if (!platform.variant.empty())
      report.evidence.push_back({"variant", platform.variant, "Tag_CPU_arch " + details.arm->cpu_arch});
    return;
  }
  if (platform.arch == Arch::amd64 && details.notes.x86_isa_needed &&
      *details.notes.x86_isa_needed >= 2) {
    platform.variant = fmt::format("v{}", *details.notes.x86_isa_needed);
    report.evidence.push_back({"variant", platform.variant,
                               "GNU_PROPERTY_X86_ISA_1_NEEDED x86-64-" + platform.variant});
  }
}

Platform derive_platform(const ElfFile& elf, std::optional<Linkage> linkage,
                         const std::optional<LibcFinding>& loader, FileReport& report) {
  Platform platform;
  const ElfDetails& details = elf.details;
  platform.bits = elf.bits;
  platform.endian = elf.endian;
  report.evidence.push_back({"bits", std::to_string(elf.bits),
                             elf.bits == 64 ? "EI_CLASS=ELFCLASS64" : "EI_CLASS=ELFCLASS32"});
  report.evidence.push_back({"endian", std::string(to_string(elf.endian)),
                             elf.endian == Endian::big ? "EI_DATA=ELFDATA2MSB" : "EI_DATA=ELFDATA2LSB"});
  platform.arch = machine_arch(details.e_machine, elf.bits, elf.endian);
  if (platform.arch != Arch::unknown)
    report.evidence.push_back(
        {"arch", std::string(to_string(platform.arch)),
         fmt::format("e_machine={}, ELFCLASS{}, {}", machine_label(details.e_machine), elf.bits,
                     elf.endian == Endian::big ? "ELFDATA2MSB" : "ELFDATA2LSB")});

  const Finding os = derive_os(elf, report.warnings);
  platform.os = os.os;
  if (os.os != Os::unknown) report.evidence.push_back({"os", std::string(to_string(os.os)), os.source});

  const LibcFinding libc = derive_libc(elf, os.os, linkage, loader);
  platform.libc = libc.libc;
  if (libc.libc != Libc::unknown)
    report.evidence.push_back({"libc", std::string(to_string(libc.libc)), libc.source});

  derive_variant(elf, platform, report);
  return platform;
}

}  // namespace

void describe(const ElfFile& elf, FileReport& report) {
  describe_facts(elf, report);
  report.elf = elf.details;
}

void describe_facts(const ElfFile& elf, FileReport& report) {
  report.format = Format::elf;
  report.bits = elf.bits;
  report.endian = elf.endian;
  const std::optional<LibcFinding> loader = self_loader(elf, report.path);
  report.type = type_of(elf, loader.has_value());
  report.kind = kind_of(elf, loader.has_value());
  report.machine = machine_label(elf.details.e_machine);
  report.interpreter = elf.interpreter;
  report.linkage = linkage_of(elf, loader.has_value());
  if (loader)
    report.evidence.push_back({"linkage", "static-pie", "a dynamic loader (" + loader->source + ") relocates itself"});
  if (elf.needed_known) report.needed = elf.needed;
  else report.needed.reset();
  if (elf.details.glibc_min) report.glibc_min = elf.details.glibc_min->version;
  report.warnings.insert(report.warnings.end(), elf.warnings.begin(), elf.warnings.end());
  report.platform = derive_platform(elf, report.linkage, loader, report);
}

}  // namespace enoexec::elf

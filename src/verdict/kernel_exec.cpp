// The execve model: which handler takes the file and what errno it returns, in the kernel's
// order (linux-exec.md §1-§6): open_exec's checks, binfmt_misc (registered at the head of the
// handler list), binfmt_script, binfmt_elf; an interpreter goes through the same search again,
// at most 5 rewrites deep (exec_binprm), else ELOOP.
#include <fmt/format.h>

#include <cerrno>
#include <string_view>

#include "enoexec/kernel.hpp"
#include "formats/elf/elf_header.hpp"
#include "formats/impostor/kind_names.hpp"
#include "support/byte_view.hpp"
#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

using kernel::BINPRM_BUF_SIZE;
constexpr std::uint64_t KERNEL_PATH_MAX = 4096;  // PATH_MAX in the kernel
constexpr std::uint64_t MAX_PHDRS_SIZE = 65536;  // load_elf_phdrs


std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool starts_with(const std::vector<std::uint8_t>& head, std::string_view magic) {
  if (head.size() < magic.size()) return false;
  for (std::size_t i = 0; i < magic.size(); ++i)
    if (head[i] != static_cast<std::uint8_t>(magic[i])) return false;
  return true;
}

// The header as `loader` reads the kernel's buffer (bprm->buf, zero-padded): its own struct, in
// the kernel's byte order; EI_CLASS and EI_DATA are not what places the fields
// (fs/binfmt_elf.c load_elf_binary checks the magic, e_type, elf_check_arch, the phdrs).
std::optional<elf::FileHeader> read_as(const std::vector<std::uint8_t>& head, ElfLoader loader) {
  auto header = elf::read_elf_header_as(ByteView(head), loader.bits, loader.endian);
  if (!header) return std::nullopt;
  return *header;
}

// EI_CLASS as bits: 32, 64, or 0 for neither.
int class_bits(std::uint8_t ei_class) { return ei_class == 1 ? 32 : ei_class == 2 ? 64 : 0; }
int stated_bits(const std::vector<std::uint8_t>& head) { return head.size() > 4 ? class_bits(head[4]) : 0; }

ElfIdentity identity(const elf::FileHeader& header, ElfLoader loader) {
  return {header.machine, loader.bits, loader.endian, header.flags, class_bits(header.ei_class)};
}

bool under_mount(const std::string& path, const std::string& mount_point) {
  if (mount_point == "/") return true;
  return path.starts_with(mount_point) &&
         (path.size() == mount_point.size() || path[mount_point.size()] == '/');
}

bool on_noexec_mount(const PathInfo& info, const HostInfo& host) {
  if (info.noexec) return *info.noexec;
  if (info.resolved.empty() || !info.resolved.starts_with('/')) return false;
  for (const auto& mount : host.noexec_mounts)
    if (under_mount(info.resolved, mount.mount_point)) return true;
  return false;
}

// A file the kernel has opened, about to go through the handler search.
struct Opened {
  std::string path;
  const FileReport* report = nullptr;  // nullptr: not readable here (unknown target)
  std::vector<std::uint8_t> head;
  PathInfo info;
};

class KernelExec {
 public:
  KernelExec(const FileReport& subject, const HostInfo& host, const JudgeContext& context)
      : subject_(subject), host_(host), context_(context) {}

  ExecResult run() {
    const PathInfo info = context_.subject(subject_.path);
    if (open_exec(info, subject_.path, "")) {
      search(
          {subject_.path, &subject_, context_.subject_head(subject_.path, BINPRM_BUF_SIZE), info},
          0);
    }
    if (result_.ok() && !result_.execve_if_ok.empty()) {
      result_.execve = result_.execve_if_ok;
      result_.judge_after_exec = true;
    }
    return std::move(result_);
  }

 private:
  void fail(const std::string& code, std::string message, const std::string& error) {
    result_.execve = error;
    const std::string outcome = error == "SIGSEGV" ? "killed by SIGSEGV" : "execve: " + error;
    result_.problems.push_back(make_problem(code, std::move(message), outcome, subject_, host_));
  }

  // do_open_execat(): lookup, regular file, x bit, noexec mount. `role` names what the path
  // is to the file being exec'd ("" for the file itself). True when the open succeeds.
  bool open_exec(const PathInfo& info, const std::string& path, const std::string& role) {
    const std::string what =
        role.empty() ? path : fmt::format("{} {} (named by {})", role, path, subject_.path);
    switch (info.kind) {
      case PathInfo::Kind::unknown:
        return true;
      case PathInfo::Kind::missing:
        open_missing(info, path, role, what);
        return false;
      case PathInfo::Kind::directory:
      case PathInfo::Kind::other:
        fail(role.empty() ? "E_NOT_REGULAR" : "E_INTERP_NOT_REGULAR",
             fmt::format("{}: Permission denied: not a regular file", what), "EACCES");
        return false;
      case PathInfo::Kind::regular:
        break;
    }
    if (!info.may_exec) {
      if (role.empty() && loaded_not_executed(subject_))
        return loaded_anyway("I_LIBRARY_NOT_EXECUTABLE", "no execute permission");
      fail(role.empty() ? "E_NOT_EXECUTABLE" : "E_INTERP_NOT_EXECUTABLE",
           fmt::format("{}: Permission denied: no execute permission", what), "EACCES");
      return false;
    }
    if (on_noexec_mount(info, host_)) {
      if (role.empty() && loaded_not_executed(subject_))
        return loaded_anyway("I_LIBRARY_NOT_EXECUTABLE", "on a file system mounted noexec");
      fail("E_NOEXEC_MOUNT",
           fmt::format("{}: Permission denied: on a file system mounted noexec", what), "EACCES");
      return false;
    }
    return true;
  }

  // A shared library is mapped by ld.so (or dlopen), not exec'd: execve would answer EACCES, but
  // that is not why it would fail to load, so the judging goes on as if it had been opened (arch,
  // loader, libraries, C library version) and execve keeps the kernel's answer.
  static bool loaded_not_executed(const FileReport& report) {
    return report.format == Format::elf && report.type == "shared-library";
  }

  bool loaded_anyway(const std::string& code, const std::string& why) {
    result_.execve_if_ok = "EACCES";
    result_.problems.push_back(make_info(
        code,
        fmt::format("{}: a shared library, {}: execve answers EACCES, but ld.so maps libraries "
                    "without executing them",
                    subject_.path, why),
        "execve: EACCES", subject_, host_));
    return true;
  }

  void open_missing(const PathInfo& info, const std::string& path, const std::string& role,
                    const std::string& what) {
    const std::string error = errno_name(info.error);
    if (role.empty()) {
      fail("E_FILE_MISSING", fmt::format("{}: No such file or directory", what), error);
    } else if (info.error == ENOENT && path.ends_with('\r')) {
      fail("E_SCRIPT_CRLF",
           fmt::format("{}: bad interpreter: No such file or directory: the #! line ends in \\r "
                       "(Windows line endings), so the kernel looks for \"{}\\r\"",
                       subject_.path, path.substr(0, path.size() - 1)),
           error);
    } else if (role == "loader") {
      fail("E_LOADER_MISSING",
           fmt::format("{}: cannot execute: required file not found: its ELF interpreter {} does "
                       "not exist on the target",
                       subject_.path, path),
           error);
    } else if (role == "binfmt_misc interpreter") {
      fail("E_BINFMT_INTERP_MISSING",
           fmt::format("{}: No such file or directory: the binfmt_misc entry that claims it names "
                       "{}, which is missing (and the entry lacks the F flag)",
                       subject_.path, path),
           error);
    } else {
      fail("E_INTERP_MISSING",
           fmt::format("{}: bad interpreter: {}: No such file or directory", subject_.path, path),
           error);
    }
  }

  void search(const Opened& file, int depth) {
    if (depth > kernel::MAX_INTERPRETER_DEPTH) {
      fail("E_INTERP_LOOP",
           fmt::format("{}: Too many levels of symbolic links: more than {} interpreters in a row "
                       "(each a script naming the next)",
                       subject_.path, kernel::MAX_INTERPRETER_DEPTH),
           "ELOOP");
      return;
    }
    if (binfmt_misc(file, depth)) return;
    if (starts_with(file.head, "#!")) return script(file, depth);
    if (starts_with(file.head,
                    "\x7f"
                    "ELF"))
      return elf(file);
    no_handler(file);
  }

  // binfmt_misc: later registrations first. HostBinfmt lists entries by name, so reverse order is
  // the best available guess when two entries match the same file.
  bool binfmt_misc(const Opened& file, int depth) {
    if (host_.binfmt.enabled == false) return false;
    std::vector<std::uint8_t> head = file.head;
    head.resize(BINPRM_BUF_SIZE, 0);  // bprm->buf is zero-padded
    for (auto it = host_.binfmt.entries.rbegin(); it != host_.binfmt.entries.rend(); ++it) {
      if (!binfmt_matches(*it, head, base_name(file.path))) continue;
      if (result_.emulator.empty()) result_.emulator = it->interpreter;
      if (it->fix_binary()) return true;  // opened at registration time
      PathInfo info = context_.target(it->interpreter);
      if (it->interpreter_exists == false)
        info = PathInfo{PathInfo::Kind::missing, ENOENT, false, {}, 0, {}};
      if (info.kind == PathInfo::Kind::unknown && it->interpreter_exists == true) return true;
      if (!open_exec(info, it->interpreter, "binfmt_misc interpreter")) return true;
      exec_interpreter(it->interpreter, info, depth);
      return true;
    }
    return false;
  }

  void exec_interpreter(const std::string& path, const PathInfo& info, int depth) {
    const std::shared_ptr<const FileReport> report = context_.target_report(path);
    if (!report) return;  // not readable here: assume it loads
    search({path, &*report, context_.target_head(path, BINPRM_BUF_SIZE), info}, depth + 1);
  }

  void script(const Opened& file, int depth) {
    const ScriptDetails* script =
        file.report && file.report->script ? &*file.report->script : nullptr;
    if (script == nullptr) return;
    if (script->kernel_error || !script->interpreter) {
      const std::string error = script->kernel_error.value_or("ENOEXEC");
      const std::string why =
          script->findings.empty() ? "" : ": " + script->findings.front().message;
      fail(script_rule(*script),
           fmt::format("{}: {}{}", file.path,
                       error == "EACCES" ? "Permission denied" : "Exec format error", why),
           error);
      return;
    }
    const std::string& interpreter = *script->interpreter;
    const PathInfo info = context_.target(interpreter);
    if (!open_exec(info, interpreter, "interpreter")) return;
    exec_interpreter(interpreter, info, depth);
  }

  static std::string script_rule(const ScriptDetails& script) {
    const std::string first = script.findings.empty() ? "" : script.findings.front().code;
    if (first == "bom") return "E_SCRIPT_BOM";
    if (first == "interpreter-path-truncated") return "E_SCRIPT_PATH_TRUNCATED";
    if (first == "empty-interpreter") return "E_SCRIPT_EMPTY_INTERP";
    if (first == "no-shebang") return "E_NO_SHEBANG";
    return "E_SCRIPT_DECLINED";
  }

  // How one loader answers, before anything is reported.
  struct Reading {
    ElfLoader loader{};
    elf::FileHeader header;
    ArchMatch match = ArchMatch::wrong;
    bool takes = false;  // e_type, elf_check_arch and the program headers pass (kernel_option too)
  };

  Reading read_with(ElfLoader loader, const Opened& file) const {
    Reading r{loader, {}, ArchMatch::wrong, false};
    const auto header = read_as(file.head, loader);
    if (!header) return r;
    r.header = *header;
    r.match = check_arch(identity(r.header, loader), host_);
    const bool type = r.header.type == 2 || r.header.type == 3;
    const bool arch = r.match == ArchMatch::native || r.match == ArchMatch::compat || r.match == ArchMatch::kernel_option;
    r.takes = type && arch && phdrs_fit(r.header, loader, file);
    return r;
  }

  // search_binary_handler tries binfmt_elf, then compat_binfmt_elf: the first that takes the
  // file decides (one that needs a kernel option only when none takes it for sure). When none
  // does, the answer is ENOEXEC, explained by the loader of the file's own EI_CLASS.
  std::optional<Reading> choose_loader(const Opened& file) const {
    std::vector<ElfLoader> loaders = elf_loaders(host_);
    if (loaders.empty()) {
      // The kernel's architecture is unknown: read the file as it says it is.
      const auto stated = elf::read_elf_header(ByteView(file.head), elf::HeaderChecks{.byte_order = false});
      if (!stated) return std::nullopt;
      loaders.push_back({elf::header_bits(*stated), elf::header_endian(*stated)});
    }
    std::vector<Reading> readings;
    for (const ElfLoader& loader : loaders) readings.push_back(read_with(loader, file));
    for (const Reading& r : readings)
      if (r.takes && r.match != ArchMatch::kernel_option) return r;
    for (const Reading& r : readings)
      if (r.takes) return r;
    for (const Reading& r : readings)
      if (r.loader.bits == stated_bits(file.head)) return r;
    return readings.front();
  }

  void elf(const Opened& file) {
    const std::optional<Reading> chosen = choose_loader(file);
    const bool cut = file.head.size() < elf::header_size(stated_bits(file.head) == 64 ? 64 : 32);
    if (!chosen || (!chosen->takes && cut))
      return fail("E_ELF_HEADER",
                  fmt::format("{}: Exec format error: truncated ELF header", file.path), "ENOEXEC");
    // No loader takes it, so the answer is ENOEXEC; the reason is given as the file states its
    // header (EI_CLASS, EI_DATA): a big-endian MIPS file on a little-endian kernel is the wrong
    // architecture to the user, though the kernel reads its e_type as garbage first.
    Reading reading = *chosen;
    if (!reading.takes) {
      if (const auto stated = elf::read_elf_header(ByteView(file.head), elf::HeaderChecks{.byte_order = false})) {
        reading.loader = {elf::header_bits(*stated), elf::header_endian(*stated)};
        reading.header = *stated;
        reading.match = check_arch(identity(*stated, reading.loader), host_);
      }
    }
    const elf::FileHeader* header = &reading.header;
    if (header->type != 2 && header->type != 3) {
      return fail(
          "E_ELF_TYPE",
          fmt::format("{}: Exec format error: ELF type {} is not an executable (ET_EXEC) or "
                      "shared object (ET_DYN)",
                      file.path, file.report ? file.report->type : std::to_string(header->type)),
          "ENOEXEC");
    }
    const ElfIdentity elf = identity(*header, reading.loader);
    const ArchMatch match = reading.match;
    if (!arch_ok(match, elf, file)) return;
    if (!program_headers(*header, reading.loader, file)) return;
    if (!reading.takes) {
      return fail("E_WRONG_ARCH",
                  fmt::format("{}: Exec format error: no ELF loader of the target's kernel takes its header", file.path),
                  "ENOEXEC");
    }
    if (file.report == nullptr || !file.report->elf) return;
    if (!elf_interpreter(reading.loader, match, file)) return;
    page_size(file);
  }

  bool arch_ok(ArchMatch match, const ElfIdentity& elf, const Opened& file) {
    const std::string what = file.report ? describe_elf(*file.report) : "ELF file";
    const std::string target(to_string(host_arch(host_)));
    switch (match) {
      case ArchMatch::native:
      case ArchMatch::compat:
        return true;
      case ArchMatch::wrong:
        fail("E_WRONG_ARCH",
             fmt::format("{}: Exec format error: {} cannot run on the target's {} kernel",
                         file.path, what, target),
             "ENOEXEC");
        return false;
      case ArchMatch::no_compat:
        fail("E_NO_COMPAT32",
             fmt::format("{}: Exec format error: {} needs 32-bit support, which the target's {} "
                         "kernel lacks "
                         "(IA32 emulation / AArch32 at EL0 / CONFIG_COMPAT)",
                         file.path, what, target),
             "ENOEXEC");
        return false;
      case ArchMatch::kernel_option:
        // Neither answer can be given: the verdict is unknown, and nothing after execve is judged.
        result_.execve = "unknown";
        result_.problems.push_back(make_warning(
            "W_KERNEL_OPTION",
            fmt::format("{}: {} runs on the target's {} kernel only with {}, which the target does not state: "
                        "without it, Exec format error",
                        file.path, what, target, kernel_option_needed(elf, host_)),
            "execve: ENOEXEC unless the kernel has it", subject_, host_));
        return false;
      case ArchMatch::oabi:
        fail("E_ARM_OABI",
             fmt::format("{}: Exec format error: an old-ABI (OABI) ARM binary; a 64-bit arm kernel "
                         "runs EABI binaries only",
                         file.path),
             "ENOEXEC");
        return false;
    }
    return false;
  }

  static std::string describe_elf(const FileReport& report) {
    std::string text = report.bits ? fmt::format("a {}-bit ", *report.bits) : std::string("an ");
    text += report.machine.empty() ? "ELF file" : report.machine + " ELF file";
    if (report.endian) text += fmt::format(" ({}-endian)", to_string(*report.endian));
    return text;
  }

  // load_elf_phdrs(): e_phentsize of the loader's struct, 1 to 64 KiB of entries, in the file.
  static bool phdrs_fit(const elf::FileHeader& header, ElfLoader loader, const Opened& file) {
    const std::uint64_t size = std::uint64_t{header.phnum} * header.phentsize;
    if (header.phentsize != elf::phdr_size(loader.bits) || size == 0 || size > MAX_PHDRS_SIZE) return false;
    return file.info.kind != PathInfo::Kind::regular || header.phoff + size <= file.info.size;
  }

  bool program_headers(const elf::FileHeader& header, ElfLoader loader, const Opened& file) {
    const std::uint64_t entry_size = elf::phdr_size(loader.bits);
    const std::uint64_t size = std::uint64_t{header.phnum} * header.phentsize;
    if (header.phentsize != entry_size || size == 0 || size > MAX_PHDRS_SIZE) {
      fail("E_ELF_PHDRS",
           fmt::format("{}: Exec format error: program header table of {} entries of {} bytes "
                       "(the kernel needs 1 or more entries of {} bytes, 64 KiB at most)",
                       file.path, header.phnum, header.phentsize, entry_size),
           "ENOEXEC");
      return false;
    }
    if (file.info.kind == PathInfo::Kind::regular && header.phoff + size > file.info.size) {
      fail("E_ELF_PHDRS",
           // elf_read() fails with EIO, but load_elf_binary() only sees load_elf_phdrs() return
           // NULL and answers its preset ENOEXEC (measured on 6.18 by the truth test).
           fmt::format("{}: Exec format error: the program header table ends past the end of "
                       "the file (a truncated copy?)",
                       file.path),
           "ENOEXEC");
      return false;
    }
    return true;
  }

  bool elf_interpreter(ElfLoader loader, ArchMatch match, const Opened& file) {
    const ElfDetails& elf = *file.report->elf;
    const ElfSegment* interp = nullptr;
    for (const auto& segment : elf.segments)
      if (segment.type == "PT_INTERP") {
        interp = &segment;
        break;
      }
    if (interp == nullptr) return true;
    if (interp->filesz < 2 || interp->filesz > KERNEL_PATH_MAX) {
      fail("E_ELF_INTERP_BAD",
           fmt::format("{}: Exec format error: PT_INTERP of {} bytes", file.path, interp->filesz),
           "ENOEXEC");
      return false;
    }
    if (file.info.kind == PathInfo::Kind::regular &&
        interp->offset + interp->filesz > file.info.size) {
      fail(
          "E_ELF_INTERP_BAD",
          fmt::format("{}: Input/output error: PT_INTERP lies past the end of the file", file.path),
          "EIO");
      return false;
    }
    if (!file.report->interpreter) return true;
    return interpreter_checks(*file.report->interpreter, loader, match, file);
  }

  // load_elf_binary's checks of the ELF interpreter, up to the point of no return.
  bool interpreter_checks(const std::string& path, ElfLoader elf_loader, ArchMatch match, const Opened& file) {
    PathInfo info = context_.target(path);
    if (info.kind == PathInfo::Kind::unknown && !host_.libc.loaders.empty()) {
      bool listed = false;
      for (const auto& known : host_.libc.loaders) listed = listed || known.path == path;
      if (!listed) info = PathInfo{PathInfo::Kind::missing, ENOENT, false, {}, 0, path};
    }
    if (!open_exec(info, path, "loader")) return false;
    if (info.kind == PathInfo::Kind::unknown) return true;
    const std::uint64_t header_size = elf::header_size(elf_loader.bits);
    if (info.size < header_size) {
      fail("E_LOADER_SHORT",
           fmt::format("{}: Input/output error: its ELF interpreter {} is {} bytes, shorter than "
                       "an ELF header",
                       file.path, path, info.size),
           "EIO");
      return false;
    }
    // load_elf_binary reads the interpreter's header with the program's loader and checks only
    // its magic and elf_check_arch.
    const std::vector<std::uint8_t> head = context_.target_head(path, 64);
    const std::optional<elf::FileHeader> loader_header = read_as(head, elf_loader);
    if (!loader_header || check_arch(identity(*loader_header, elf_loader), host_) != match) {
      fail("E_LOADER_BAD",
           fmt::format("{}: Accessing a corrupted shared library: its ELF interpreter {} is {}",
                       file.path, path,
                       loader_header ? "for another architecture" : "not an ELF file"),
           "ELIBBAD");
      return false;
    }
    return true;
  }

  // After begin_new_exec(): a PT_LOAD that cannot be mmapped at the target's page size kills the
  // process with SIGSEGV (linux-exec.md §3.3).
  void page_size(const Opened& file) {
    const ElfDetails& elf = *file.report->elf;
    if (!host_.page_size) return;
    bool loads = false;
    for (const auto& segment : elf.segments)
      loads = loads || (segment.type == "PT_LOAD" && segment.filesz > 0);
    if (!loads || elf.max_page_size >= *host_.page_size) return;
    fail("E_PAGE_SIZE",
         fmt::format(
             "{}: Segmentation fault: its PT_LOAD segments are laid out for pages of at most {} "
             "bytes (p_offset and p_vaddr congruent modulo {}), the target's pages are {} bytes",
             file.path, elf.max_page_size, elf.max_page_size, *host_.page_size),
         "SIGSEGV");
  }

  void no_handler(const Opened& file) {
    const FileReport* r = file.report;
    std::string why = "no handler recognises it";
    std::string code = "E_UNKNOWN_FORMAT";
    if (file.info.kind == PathInfo::Kind::regular && file.info.size == 0) {
      code = "E_EMPTY_FILE";
      why = "the file is empty";
    } else if (r != nullptr && r->format == Format::pe) {
      code = "E_WINDOWS_PE";
      why =
          "a Windows PE program (\"MZ\"); Linux has no PE handler unless binfmt_misc registers one";
    } else if (r != nullptr && (r->format == Format::macho || r->format == Format::macho_fat)) {
      code = "E_MACHO";
      why = "a Mach-O program for Apple systems; Linux has no Mach-O handler";
    } else if (r != nullptr && r->script && !r->script->findings.empty()) {
      code = r->script->findings.front().code == "bom" ? "E_SCRIPT_BOM" : "E_NO_SHEBANG";
      why = r->script->findings.front().message;
    } else if (r != nullptr && !r->kind.empty()) {
      why = impostor::not_a_program(*r, "Linux");
    }
    fail(code, fmt::format("{}: Exec format error: {}", file.path, why), "ENOEXEC");
  }

  const FileReport& subject_;
  const HostInfo& host_;
  const JudgeContext& context_;
  ExecResult result_;
};

}  // namespace

ExecResult kernel_exec(const FileReport& report, const HostInfo& host,
                       const JudgeContext& context) {
  return KernelExec(report, host, context).run();
}

// The errno the kernel gives, by its name: "ENOENT", "ELOOP"; "errno 95" for others.
std::string errno_name(int error) {
  switch (error) {
    case ENOENT:
      return "ENOENT";
    case ENOTDIR:
      return "ENOTDIR";
    case ELOOP:
      return "ELOOP";
    case EACCES:
      return "EACCES";
    case ENAMETOOLONG:
      return "ENAMETOOLONG";
    case EPERM:
      return "EPERM";
    case EIO:
      return "EIO";
    default:
      return fmt::format("errno {}", error);
  }
}

}  // namespace enoexec::verdict

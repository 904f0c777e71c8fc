// The toolchain rules (see fingerprint.hpp for their order and why).
#include "evidence/fingerprint.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

namespace enoexec::toolchain {
namespace {

// Every .comment line naming one compiler or linker, with the distinct versions they state.
struct Named {
  std::vector<std::string> versions;  // distinct, in file order
  std::vector<std::string> lines;     // one line per distinct version
  bool found() const { return !lines.empty(); }
  // The version when all lines agree; "" when they disagree or state none.
  std::string version() const { return versions.size() == 1 ? versions.front() : std::string(); }
};

struct CommentSummary {
  Named rustc, clang, gcc, lld, mold;
};

void note_fact(Named& named, const CommentFact& fact, const std::string& line) {
  if (std::find(named.versions.begin(), named.versions.end(), fact.version) !=
      named.versions.end())
    return;
  named.versions.push_back(fact.version);
  named.lines.push_back(line);
}

CommentSummary summarize(const std::vector<std::string>& comments) {
  CommentSummary out;
  for (const auto& line : comments) {
    auto fact = parse_comment(line);
    if (!fact) continue;
    if (fact->name == "rustc") note_fact(out.rustc, *fact, line);
    else if (fact->name == "clang") note_fact(out.clang, *fact, line);
    else if (fact->name == "gcc") note_fact(out.gcc, *fact, line);
    else if (fact->name == "lld") note_fact(out.lld, *fact, line);
    else if (fact->name == "mold") note_fact(out.mold, *fact, line);
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

struct LibraryRule {
  bool exact;
  std::string_view pattern, language, compiler, what;
};
constexpr bool exact = true, prefix = false;
constexpr LibraryRule kLibraries[] = {
#define LIBRARY(match, pattern, language, compiler, what) {match, pattern, language, compiler, what},
#include "evidence/fingerprint_libraries.def"
#undef LIBRARY
};

// Rust's standard library as a dylib: "libstd-<hex hash>.so".
bool is_rust_std_dylib(std::string_view name) {
  if (!name.starts_with("libstd-") || !name.ends_with(".so")) return false;
  const std::string_view hash = name.substr(7, name.size() - 7 - 3);
  return !hash.empty() && std::all_of(hash.begin(), hash.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

struct LibraryFinding {
  std::string language, compiler, evidence;
};

std::vector<LibraryFinding> library_findings(const std::vector<std::string>& needed) {
  std::vector<LibraryFinding> out;
  for (const auto& library : needed) {
    const std::string name = lower(base_name(library));
    if (is_rust_std_dylib(name)) {
      out.push_back({"rust", "rustc",
                     fmt::format("needs {} (Rust's standard library as a dylib)", library)});
      continue;
    }
    for (const auto& rule : kLibraries)
      if (rule.exact ? name == rule.pattern : name.starts_with(rule.pattern)) {
        out.push_back({std::string(rule.language), std::string(rule.compiler),
                       fmt::format("needs {} ({})", library, rule.what)});
        break;
      }
  }
  return out;
}

const LibraryFinding* finding_for(const std::vector<LibraryFinding>& findings,
                                  std::string_view language) {
  for (const auto& finding : findings)
    if (finding.language == language) return &finding;
  return nullptr;
}

bool has_section(const Clues& clues, std::string_view name) {
  return std::find(clues.sections.begin(), clues.sections.end(), name) != clues.sections.end();
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Collects the result; `add` keeps each evidence line once.
struct Result {
  Toolchain toolchain;
  std::string comments_from;
  void add(std::string line) {
    auto& lines = toolchain.evidence;
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(std::move(line));
  }
  void add_comments(const Named& named) {
    for (const auto& line : named.lines) add(comments_from + ": " + line);
  }
};

// ---- language and compiler ----

bool go_from_buildinfo(const Clues& clues, Result& out) {
  if (clues.go == nullptr) return false;
  const GoBuildInfo& go = *clues.go;
  auto& t = out.toolchain;
  t.language = "go";
  t.version = go.version.starts_with("go") ? go.version.substr(2) : go.version;
  if (!go.has_buildinfo) {  // recognised from Go's marks; only the runtime version is known
    t.compiler = "gc";
    out.add(go.version.empty() ? std::string("Go program without build info")
                               : fmt::format("Go runtime version string {}", go.version));
    return true;
  }
  out.add(fmt::format("Go build info: {}", go.version));
  if (auto compiler = go.setting("-compiler")) {
    t.compiler = *compiler;
    out.add(fmt::format("Go build setting -compiler={}", *compiler));
  } else {
    t.compiler = "gc";  // only the gc toolchain's linker writes the build info blob
  }
  return true;
}

bool go_without_buildinfo(const Clues& clues, const std::vector<LibraryFinding>& libraries,
                          Result& out) {
  auto& t = out.toolchain;
  if (const auto* gccgo = finding_for(libraries, "go")) {
    t.language = "go";
    t.compiler = gccgo->compiler;
    out.add(gccgo->evidence);
    return true;
  }
  bool gc = false;
  for (std::string_view section : {".gopclntab", "__gopclntab", ".go.buildinfo", ".note.go.buildid"})
    if (has_section(clues, section)) {
      out.add(fmt::format("section {}", section));
      gc = true;
    }
  if (clues.go_build_id_note) {
    out.add("Go build ID note");
    gc = true;
  }
  if (!clues.symbols.go.empty()) {
    out.add(fmt::format("symbols {}", join(clues.symbols.go)));
    gc = true;
  }
  if (!gc) return false;
  t.language = "go";
  t.compiler = "gc";  // each of these is written by the gc toolchain's compiler or linker
  return true;
}

bool rust(const Clues& clues, const CommentSummary& comments,
          const std::vector<LibraryFinding>& libraries, Result& out) {
  const auto* dylib = finding_for(libraries, "rust");
  const bool symbols = !clues.symbols.rust.empty();
  const bool section = has_section(clues, ".rustc");
  if (!comments.rustc.found() && !symbols && !section && dylib == nullptr) return false;
  auto& t = out.toolchain;
  t.language = "rust";
  if (comments.rustc.found()) {
    t.compiler = "rustc";
    t.version = comments.rustc.version();
    out.add_comments(comments.rustc);
  }
  if (symbols) out.add(fmt::format("symbols {}", join(clues.symbols.rust)));
  if (section) out.add("section .rustc (Rust crate metadata)");
  if (dylib != nullptr) {
    t.compiler = dylib->compiler;
    out.add(dylib->evidence);
  }
  return true;
}

bool zig(const Clues& clues, Result& out) {
  if (clues.symbols.zig.empty()) return false;
  out.toolchain.language = "zig";
  out.toolchain.compiler = "zig";  // these names come from Zig's own start code and compiler_rt
  out.add(fmt::format("symbols {}", join(clues.symbols.zig)));
  return true;
}

bool cxx(const Clues& clues, const std::vector<LibraryFinding>& libraries, Result& out) {
  bool found = false;
  if (const auto* runtime = finding_for(libraries, "c++")) {
    out.add(runtime->evidence);
    found = true;
  }
  for (const auto& version : clues.version_needs)
    if (version.starts_with("GLIBCXX_") || version.starts_with("CXXABI_")) {
      out.add(fmt::format("needs symbol version {}", version));
      found = true;
      break;
    }
  if (!clues.symbols.cxx.empty()) {
    out.add(fmt::format("C++ symbols {}", join(clues.symbols.cxx)));
    found = true;
  }
  if (found) out.toolchain.language = "c++";
  return found;
}

bool other_runtime(const Clues& clues, const std::vector<LibraryFinding>& libraries,
                   Result& out) {
  auto& t = out.toolchain;
  if (clues.clr) {
    t.language = "dotnet";
    out.add(clues.clr_runtime ? fmt::format("CLR header (.NET runtime {})", *clues.clr_runtime)
                              : std::string("CLR header"));
    return true;
  }
  for (std::string_view language : {"dotnet", "swift", "fortran"})
    if (const auto* runtime = finding_for(libraries, language)) {
      t.language = language;
      if (!runtime->compiler.empty()) t.compiler = runtime->compiler;
      out.add(runtime->evidence);
      return true;
    }
  return false;
}

// The C-family compiler the .comment lines name: clang over GCC (see fingerprint.hpp).
void c_compiler(const Clues& clues, const CommentSummary& comments, Result& out) {
  auto& t = out.toolchain;
  const Named* named = comments.clang.found() ? &comments.clang
                       : comments.gcc.found() ? &comments.gcc
                                              : nullptr;
  if (named == nullptr) return;
  if (t.compiler.empty()) {
    t.compiler = named == &comments.clang ? "clang" : clues.format == "pe" ? "mingw-gcc" : "gcc";
    t.version = named->version();
  }
  out.add_comments(*named);
}

// C: a C compiler is named, and a complete symbol table shows no other language.
void c_language(const Clues& clues, Result& out) {
  auto& t = out.toolchain;
  if (t.compiler != "gcc" && t.compiler != "clang" && t.compiler != "mingw-gcc") return;
  const SymbolClues& symbols = clues.symbols;
  if (!symbols.has_symtab || !symbols.complete) return;
  t.language = "c";
  out.add(fmt::format("symbol table read whole ({} names) without C++, Rust or Zig names",
                      symbols.names_read));
}

void language_and_compiler(const Clues& clues, const CommentSummary& comments, Result& out) {
  const auto libraries = library_findings(clues.needed);
  if (go_from_buildinfo(clues, out) || go_without_buildinfo(clues, libraries, out)) return;
  if (rust(clues, comments, libraries, out) || zig(clues, out)) return;
  const bool is_cxx = cxx(clues, libraries, out);
  const bool other = !is_cxx && other_runtime(clues, libraries, out);
  c_compiler(clues, comments, out);
  if (!is_cxx && !other) c_language(clues, out);
}

// ---- linker ----

std::optional<std::string> ldflags_linkmode(const GoBuildInfo& go) {
  auto flags = go.setting("-ldflags");
  if (!flags) return std::nullopt;
  for (std::string_view form : {"-linkmode=", "-linkmode "}) {
    const std::size_t at = flags->find(form);
    if (at == std::string::npos) continue;
    const std::size_t from = at + form.size();
    const std::size_t end = flags->find_first_of(" \"'", from);
    return flags->substr(from, end == std::string::npos ? std::string::npos : end - from);
  }
  return std::nullopt;
}

// Go's internal linker writes no .comment; an external link adds the C start files' lines.
bool go_linker(const Clues& clues, Result& out) {
  if (clues.go == nullptr || !clues.go->has_buildinfo) return false;
  const auto linkmode = ldflags_linkmode(*clues.go);
  if (linkmode) out.add(fmt::format("Go build setting -ldflags with -linkmode={}", *linkmode));
  if (linkmode == "external" || !clues.comments.empty()) return false;
  out.toolchain.linker = "go";
  out.add("no .comment section (Go's internal linker writes none)");
  return true;
}

void set_linker(Result& out, std::string name, std::string version) {
  out.toolchain.linker = std::move(name);
  out.toolchain.linker_version = std::move(version);
}

void linker(const Clues& clues, const CommentSummary& comments, Result& out) {
  if (go_linker(clues, out)) return;
  if (comments.lld.found()) {
    set_linker(out, "lld", comments.lld.version());
    out.add_comments(comments.lld);
  } else if (comments.mold.found()) {
    set_linker(out, "mold", comments.mold.version());
    out.add_comments(comments.mold);
  } else if (clues.gold_version) {
    const std::string& text = *clues.gold_version;
    set_linker(out, "gold", text.starts_with("gold ") ? text.substr(5) : std::string());
    out.add(fmt::format("NT_GNU_GOLD_VERSION note: {}", text));
  } else if (has_section(clues, ".note.gnu.gold-version")) {
    set_linker(out, "gold", "");
    out.add("section .note.gnu.gold-version");
  } else if (clues.pe_linker_version && clues.pe_linker_version->starts_with("2.") &&
             !clues.clr) {  // .NET compilers write their own numbers there
    set_linker(out, "bfd", *clues.pe_linker_version);
    out.add(fmt::format("PE linker version {} (GNU ld writes its binutils version)",
                        *clues.pe_linker_version));
  }
}

// Mach-O LC_BUILD_VERSION tools: "ld 907.0" names Apple's linker, "clang"/"swift" the compiler.
void build_tools(const Clues& clues, Result& out) {
  auto& t = out.toolchain;
  for (const auto& tool : clues.build_tools) {
    const std::size_t space = tool.find(' ');
    const std::string name = tool.substr(0, space);
    const std::string version = space == std::string::npos ? "" : tool.substr(space + 1);
    // ld64.lld records itself as TOOL_LD with LLVM's version (14.0.6); Apple's ld64 and ld-prime
    // number their releases from the hundreds up (609, 907, 1053.12).
    if ((name == "ld" || name == "lld") && t.linker.empty())
      set_linker(out, name == "lld" || std::atoi(version.c_str()) < 100 ? "lld" : "apple-ld", version);
    else if (name == "swift" && (t.language.empty() || t.language == "c")) {
      t.language = "swift";
      t.compiler = "swiftc";
      t.version = version;
    } else if (name == "clang" && t.compiler.empty()) {
      t.compiler = "clang";
      t.version = version;
    } else {
      continue;
    }
    out.add(fmt::format("build tool {}", tool));
  }
}

std::optional<LibcClue> libc_clue(const SymbolClues& symbols) {
  if (!symbols.musl.empty() && symbols.glibc.empty())
    return LibcClue{Libc::musl,
                    fmt::format("symbols {} (musl's static start-up)", join(symbols.musl))};
  if (!symbols.glibc.empty() && symbols.musl.empty())
    return LibcClue{Libc::glibc,
                    fmt::format("symbols {} (glibc's static start-up)", join(symbols.glibc))};
  return std::nullopt;
}

}  // namespace

Fingerprint fingerprint(const Clues& clues) {
  const CommentSummary comments = summarize(clues.comments);
  Result out;
  out.comments_from = clues.comments_from;
  language_and_compiler(clues, comments, out);
  linker(clues, comments, out);
  build_tools(clues, out);
  Fingerprint result;
  result.libc = libc_clue(clues.symbols);
  const Toolchain& t = out.toolchain;
  if (!t.language.empty() || !t.compiler.empty() || !t.linker.empty() || !t.evidence.empty())
    result.toolchain = std::move(out.toolchain);
  return result;
}

}  // namespace enoexec::toolchain

#include "evidence/fingerprint.hpp"

#include <gtest/gtest.h>

namespace enoexec::toolchain {
namespace {

using Strings = std::vector<std::string>;

const std::string kGcc = "GCC: (Debian 12.2.0-14+deb12u1) 12.2.0";
const std::string kClang = "Debian clang version 14.0.6";
const std::string kRustc = "rustc version 1.95.0 (59807616e 2026-04-14)";
const std::string kRustLld = "Linker: LLD 22.1.2 (/checkout/src/llvm-project/llvm 1cb4e3833c19)";

// A complete symbol table of `names` names, none of them a clue.
SymbolClues plain_symtab(std::uint64_t names) {
  SymbolClues symbols;
  symbols.has_symtab = true;
  symbols.complete = true;
  symbols.names_read = names;
  return symbols;
}

Toolchain toolchain_of(const Clues& clues) {
  auto found = fingerprint(clues).toolchain;
  EXPECT_TRUE(found.has_value());
  return found.value_or(Toolchain{});
}

// ---- single clues ----

TEST(ParseComment, NamesCompilersAndLinkersWithTheirVersions) {
  struct Case {
    std::string line, name, version;
    CommentFact::Role role;
  };
  const Case cases[] = {
      {kGcc, "gcc", "12.2.0", CommentFact::Role::compiler},
      {"GCC: (GNU) 4.8.5 20150623 (Red Hat 4.8.5-44)", "gcc", "4.8.5", CommentFact::Role::compiler},
      {"GCC: (GNU) 12-win32", "gcc", "12", CommentFact::Role::compiler},
      {kClang, "clang", "14.0.6", CommentFact::Role::compiler},
      {"clang version 17.0.6 (https://github.com/llvm/llvm-project 6009708b4367)", "clang",
       "17.0.6", CommentFact::Role::compiler},
      {"Ubuntu clang version 14.0.0-1ubuntu1.1", "clang", "14.0.0", CommentFact::Role::compiler},
      {kRustc, "rustc", "1.95.0", CommentFact::Role::compiler},
      {"Linker: LLD 14.0.6", "lld", "14.0.6", CommentFact::Role::linker},
      {"Linker: Debian LLD 14.0.6", "lld", "14.0.6", CommentFact::Role::linker},
      {kRustLld, "lld", "22.1.2", CommentFact::Role::linker},
      {"mold 2.4.0 (compatible with GNU ld)", "mold", "2.4.0", CommentFact::Role::linker},
  };
  for (const auto& c : cases) {
    auto fact = parse_comment(c.line);
    ASSERT_TRUE(fact) << c.line;
    EXPECT_EQ(fact->name, c.name) << c.line;
    EXPECT_EQ(fact->version, c.version) << c.line;
    EXPECT_EQ(fact->role, c.role) << c.line;
  }
}

TEST(ParseComment, IgnoresLinesThatNameNoToolchain) {
  for (const char* line : {"", "GCC", "Linker: something else", "$FreeBSD$", "clang"})
    EXPECT_FALSE(parse_comment(line)) << line;
}

TEST(ClassifySymbol, TellsRustCxxZigLibcAndGoNamesApart) {
  EXPECT_EQ(classify_symbol("rust_begin_unwind"), SymbolKind::rust);
  EXPECT_EQ(classify_symbol("__rust_alloc"), SymbolKind::rust);
  EXPECT_EQ(classify_symbol("_ZN3std2rt10lang_start17he9b1bd0085d1beacE"), SymbolKind::rust);
  EXPECT_EQ(classify_symbol("_RNvCs1234_7mycrate4main"), SymbolKind::rust);
  EXPECT_EQ(classify_symbol("_ZN3foo3barEv"), SymbolKind::cxx);
  EXPECT_EQ(classify_symbol("_ZSt4cout@GLIBCXX_3.4"), SymbolKind::cxx);
  EXPECT_EQ(classify_symbol("_ZTV9Something"), SymbolKind::cxx);
  // 17h + 15 hex digits is not Rust's hash: plain C++.
  EXPECT_EQ(classify_symbol("_ZN3foo17h0123456789abcdeE"), SymbolKind::cxx);
  EXPECT_EQ(classify_symbol("start.posixCallMainAndExit"), SymbolKind::zig);
  EXPECT_EQ(classify_symbol("std.start.posixCallMainAndExit"), SymbolKind::zig);
  EXPECT_EQ(classify_symbol("__zig_probe_stack"), SymbolKind::zig);
  EXPECT_EQ(classify_symbol("__init_libc"), SymbolKind::musl);
  EXPECT_EQ(classify_symbol("_dl_relocate_static_pie"), SymbolKind::glibc);
  EXPECT_EQ(classify_symbol("runtime.buildVersion"), SymbolKind::go);
  for (const char* name : {"main", "_Z", "_Rb", "__libc_start_main", "_start", "printf"})
    EXPECT_EQ(classify_symbol(name), SymbolKind::none) << name;
  // Each rule's name with another first character means nothing (the quick reject's edge).
  for (const char* name : {"xrust_begin_unwind", "X_ZN3foo3barEv", "xruntime.main",
                           "r_init_libc", "rstart.posixCallMainAnd", ""})
    EXPECT_EQ(classify_symbol(name), SymbolKind::none) << name;
}

TEST(SymbolClues, KeepsAFewNamesPerKindAndCountsAll) {
  SymbolClues symbols;
  for (const char* name : {"_ZN1a1bEv", "_ZN1a1cEv", "_ZN1a1bEv", "_ZN1a1dEv", "_ZN1a1eEv", "x"})
    symbols.add(name);
  EXPECT_EQ(symbols.cxx, (Strings{"_ZN1a1bEv", "_ZN1a1cEv", "_ZN1a1dEv"}));
  EXPECT_EQ(symbols.names_read, 6u);
  EXPECT_FALSE(symbols.empty());
}

// ---- C and C++ ----

TEST(Fingerprint, GccAloneWithAWholeSymbolTableIsC) {
  Clues clues;
  clues.comments = {kGcc};
  clues.symbols = plain_symtab(40);
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.language, "c");
  EXPECT_EQ(t.compiler, "gcc");
  EXPECT_EQ(t.version, "12.2.0");
  EXPECT_EQ(t.linker, "");  // GNU ld (bfd) leaves no mark
  EXPECT_EQ(t.evidence, (Strings{".comment: " + kGcc,
                                 "symbol table read whole (40 names) without C++, Rust or Zig "
                                 "names"}));
}

TEST(Fingerprint, StrippedOrPartlyReadSymbolsLeaveTheLanguageUnknown) {
  Clues clues;
  clues.comments = {kGcc};
  EXPECT_EQ(toolchain_of(clues).language, "");  // stripped: a C++ program may look the same
  clues.symbols = plain_symtab(100);
  clues.symbols.complete = false;
  EXPECT_EQ(toolchain_of(clues).language, "");
}

TEST(Fingerprint, ClangWinsOverTheStartFilesGccLine) {
  Clues clues;
  clues.comments = {kGcc, "Linker: Debian LLD 14.0.6", kClang};
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.compiler, "clang");
  EXPECT_EQ(t.version, "14.0.6");
  EXPECT_EQ(t.linker, "lld");
  EXPECT_EQ(t.linker_version, "14.0.6");
  EXPECT_EQ(t.evidence, (Strings{".comment: " + kClang, ".comment: Linker: Debian LLD 14.0.6"}));
}

TEST(Fingerprint, DisagreeingGccVersionsGiveNoVersion) {
  Clues clues;
  clues.comments = {"GCC: (Debian 11.2.0-19) 11.2.0", kGcc, kGcc};
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.compiler, "gcc");
  EXPECT_EQ(t.version, "");
  EXPECT_EQ(t.evidence, (Strings{".comment: GCC: (Debian 11.2.0-19) 11.2.0", ".comment: " + kGcc}));
}

TEST(Fingerprint, CxxFromItsRuntimeItsVersionsOrItsSymbols) {
  Clues runtime;
  runtime.comments = {kGcc};
  runtime.needed = {"libstdc++.so.6", "libc.so.6"};
  runtime.symbols = plain_symtab(10);
  Toolchain t = toolchain_of(runtime);
  EXPECT_EQ(t.language, "c++");
  EXPECT_EQ(t.compiler, "gcc");
  EXPECT_EQ(t.evidence,
            (Strings{"needs libstdc++.so.6 (the GNU C++ runtime)", ".comment: " + kGcc}));

  Clues versions;
  versions.version_needs = {"GLIBC_2.34", "CXXABI_1.3"};
  t = toolchain_of(versions);
  EXPECT_EQ(t.language, "c++");
  EXPECT_EQ(t.compiler, "");
  EXPECT_EQ(t.evidence, (Strings{"needs symbol version CXXABI_1.3"}));

  Clues symbols;
  symbols.symbols = plain_symtab(10);
  symbols.symbols.add("_ZN3foo3barEv");
  t = toolchain_of(symbols);
  EXPECT_EQ(t.language, "c++");
  EXPECT_EQ(t.evidence, (Strings{"C++ symbols _ZN3foo3barEv"}));

  Clues libcxx;
  libcxx.needed = {"/usr/lib/libc++.1.dylib"};
  EXPECT_EQ(toolchain_of(libcxx).evidence,
            (Strings{"needs /usr/lib/libc++.1.dylib (the LLVM C++ runtime)"}));
}

// ---- Rust, Zig, Go ----

TEST(Fingerprint, RustcOutranksTheGccAndClangLines) {
  Clues clues;
  clues.comments = {kRustc, kRustLld, kGcc};
  clues.needed = {"libgcc_s.so.1", "libc.so.6"};
  clues.symbols = plain_symtab(1000);
  clues.symbols.add("_ZN3std2rt10lang_start17he9b1bd0085d1beacE");
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.language, "rust");
  EXPECT_EQ(t.compiler, "rustc");
  EXPECT_EQ(t.version, "1.95.0");
  EXPECT_EQ(t.linker, "lld");
  EXPECT_EQ(t.linker_version, "22.1.2");
  EXPECT_EQ(t.evidence, (Strings{".comment: " + kRustc,
                                 "symbols _ZN3std2rt10lang_start17he9b1bd0085d1beacE",
                                 ".comment: " + kRustLld}));
}

TEST(Fingerprint, RustSymbolsAloneNameTheLanguageNotTheCompiler) {
  Clues clues;
  clues.symbols.add("rust_begin_unwind");
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.language, "rust");
  EXPECT_EQ(t.compiler, "");
  EXPECT_EQ(t.version, "");

  Clues dylib;
  dylib.needed = {"libstd-8f2e6a2c1d0b9e3a.so"};
  EXPECT_EQ(toolchain_of(dylib).language, "rust");
  dylib.needed = {"libstd-notahash.so"};
  EXPECT_FALSE(fingerprint(dylib).toolchain);
}

TEST(Fingerprint, ZigFromItsStartCode) {
  Clues clues;
  clues.comments = {"Linker: LLD 17.0.6"};
  clues.symbols.add("start.posixCallMainAndExit");
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.language, "zig");
  EXPECT_EQ(t.compiler, "zig");
  EXPECT_EQ(t.linker, "lld");
}

GoBuildInfo go_info(std::vector<std::pair<std::string, std::string>> settings) {
  GoBuildInfo go;
  go.version = "go1.19.8";
  go.settings = std::move(settings);
  return go;
}

TEST(Fingerprint, GoBuildInfoIsTheStrongestEvidence) {
  const GoBuildInfo go = go_info({{"-compiler", "gc"}, {"GOARCH", "amd64"}});
  Clues clues;
  clues.go = &go;
  clues.symbols.add("_ZN3foo3barEv");  // a C++ library linked through cgo changes nothing
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.language, "go");
  EXPECT_EQ(t.compiler, "gc");
  EXPECT_EQ(t.version, "1.19.8");
  EXPECT_EQ(t.linker, "go");
  EXPECT_EQ(t.evidence, (Strings{"Go build info: go1.19.8", "Go build setting -compiler=gc",
                                 "no .comment section (Go's internal linker writes none)"}));
}

TEST(Fingerprint, GoLinkedExternallyHasNoGoLinker) {
  const GoBuildInfo external = go_info({{"-ldflags", "\"-linkmode=external -s\""}});
  Clues clues;
  clues.go = &external;
  Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.compiler, "gc");
  EXPECT_EQ(t.linker, "");
  EXPECT_EQ(t.evidence, (Strings{"Go build info: go1.19.8",
                                 "Go build setting -ldflags with -linkmode=external"}));

  const GoBuildInfo cgo = go_info({});
  clues.go = &cgo;
  clues.comments = {kGcc, "Linker: LLD 14.0.6"};  // the C start files' lines: an external link
  t = toolchain_of(clues);
  EXPECT_EQ(t.language, "go");
  EXPECT_EQ(t.linker, "lld");
}

TEST(Fingerprint, GoRecognisedWithoutBuildInfoKeepsOnlyItsVersion) {
  GoBuildInfo go;
  go.version = "go1.16.15";
  go.has_buildinfo = false;
  Clues clues;
  clues.go = &go;
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.language, "go");
  EXPECT_EQ(t.compiler, "gc");
  EXPECT_EQ(t.version, "1.16.15");
  EXPECT_EQ(t.linker, "");  // no build settings: the link mode is not known
  EXPECT_EQ(t.evidence, (Strings{"Go runtime version string go1.16.15"}));
}

TEST(Fingerprint, GoWithoutBuildInfoFromItsSectionsAndNote) {
  Clues clues;
  clues.sections = {".text", ".gopclntab", ".note.go.buildid"};
  clues.go_build_id_note = true;
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.language, "go");
  EXPECT_EQ(t.compiler, "gc");
  EXPECT_EQ(t.version, "");
  EXPECT_EQ(t.evidence,
            (Strings{"section .gopclntab", "section .note.go.buildid", "Go build ID note"}));

  Clues gccgo;
  gccgo.needed = {"libgo.so.21"};
  EXPECT_EQ(toolchain_of(gccgo).compiler, "gccgo");
}

// ---- linkers ----

TEST(Fingerprint, GoldFromItsNoteMoldFromItsComment) {
  Clues gold;
  gold.gold_version = "gold 1.16";
  Toolchain t = toolchain_of(gold);
  EXPECT_EQ(t.linker, "gold");
  EXPECT_EQ(t.linker_version, "1.16");
  EXPECT_EQ(t.evidence, (Strings{"NT_GNU_GOLD_VERSION note: gold 1.16"}));

  Clues section_only;
  section_only.sections = {".note.gnu.gold-version"};
  EXPECT_EQ(toolchain_of(section_only).linker, "gold");
  EXPECT_EQ(toolchain_of(section_only).linker_version, "");

  Clues mold;
  mold.comments = {kGcc, "mold 2.4.0 (compatible with GNU ld)"};
  t = toolchain_of(mold);
  EXPECT_EQ(t.linker, "mold");
  EXPECT_EQ(t.linker_version, "2.4.0");
}

// ---- PE and Mach-O clues ----

TEST(Fingerprint, PeMingwDotnetAndGnuLd) {
  Clues mingw;
  mingw.format = "pe";
  mingw.comments = {"GCC: (GNU) 12-win32"};
  mingw.pe_linker_version = "2.40";
  Toolchain t = toolchain_of(mingw);
  EXPECT_EQ(t.compiler, "mingw-gcc");
  EXPECT_EQ(t.version, "12");
  EXPECT_EQ(t.linker, "bfd");
  EXPECT_EQ(t.linker_version, "2.40");
  EXPECT_EQ(t.evidence, (Strings{".comment: GCC: (GNU) 12-win32",
                                 "PE linker version 2.40 (GNU ld writes its binutils version)"}));

  Clues msvc;
  msvc.format = "pe";
  msvc.pe_linker_version = "14.36";  // link.exe or lld-link: not told apart
  EXPECT_FALSE(fingerprint(msvc).toolchain);

  Clues dotnet;
  dotnet.format = "pe";
  dotnet.clr = true;
  dotnet.clr_runtime = "v4.0.30319";
  dotnet.needed = {"mscoree.dll"};
  dotnet.pe_linker_version = "2.14";  // what some .NET compilers write: not GNU ld
  t = toolchain_of(dotnet);
  EXPECT_EQ(t.language, "dotnet");
  EXPECT_EQ(t.evidence, (Strings{"CLR header (.NET runtime v4.0.30319)"}));
}

TEST(Fingerprint, MachoBuildTools) {
  Clues clues;
  clues.format = "macho";
  clues.build_tools = {"clang 1500.0.40", "ld 907.0"};
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.compiler, "clang");
  EXPECT_EQ(t.version, "1500.0.40");
  EXPECT_EQ(t.linker, "apple-ld");
  EXPECT_EQ(t.linker_version, "907.0");
  EXPECT_EQ(t.evidence, (Strings{"build tool clang 1500.0.40", "build tool ld 907.0"}));
}

TEST(Fingerprint, MachoLldWritesTheLdToolWithTheLlvmVersion) {
  Clues clues;
  clues.format = "macho";
  clues.build_tools = {"ld 14.0.6"};
  const Toolchain t = toolchain_of(clues);
  EXPECT_EQ(t.linker, "lld");
  EXPECT_EQ(t.linker_version, "14.0.6");
  EXPECT_EQ(t.evidence, (Strings{"build tool ld 14.0.6"}));
}

// ---- absence and libc ----

TEST(Fingerprint, NoClueNoToolchain) {
  Clues clues;
  clues.sections = {".text", ".data"};
  clues.symbols = plain_symtab(5);  // names, but none that names a toolchain
  const Fingerprint found = fingerprint(clues);
  EXPECT_FALSE(found.toolchain);
  EXPECT_FALSE(found.libc);
}

TEST(Fingerprint, LibcFromStaticStartUpSymbols) {
  Clues musl;
  musl.symbols.add("__init_libc");
  musl.symbols.add("__libc_start_init");
  auto libc = fingerprint(musl).libc;
  ASSERT_TRUE(libc);
  EXPECT_EQ(libc->libc, Libc::musl);
  EXPECT_EQ(libc->source, "symbols __init_libc, __libc_start_init (musl's static start-up)");

  Clues glibc;
  glibc.symbols.add("_dl_relocate_static_pie");
  libc = fingerprint(glibc).libc;
  ASSERT_TRUE(libc);
  EXPECT_EQ(libc->libc, Libc::glibc);

  Clues both = musl;
  both.symbols.add("__libc_setup_tls");
  EXPECT_FALSE(fingerprint(both).libc);  // contradicting clues: no claim
}

}  // namespace
}  // namespace enoexec::toolchain

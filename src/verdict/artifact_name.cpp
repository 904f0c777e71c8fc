#include "verdict/artifact_name.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

namespace enoexec {
namespace {

constexpr std::string_view FIX = "rename it, or rebuild for the platform the name promises";

// Release-asset words the platform vocabularies (src/platform/*.def) do not have: Node's and
// Electron's (win32, x64, ia32), Rust's and Debian's arm levels without the `l`, Apple's older name.
struct AssetWord {
  std::string_view word;
  Os os;
  Arch arch;
  std::string_view variant = {};  // OCI variant: "v6" of armv6
};
constexpr std::array ASSET_WORDS{
    AssetWord{"x64", Os::unknown, Arch::amd64},  AssetWord{"ia32", Os::unknown, Arch::i386},
    AssetWord{"armv5", Os::unknown, Arch::arm, "v5"},  AssetWord{"armv6", Os::unknown, Arch::arm, "v6"},
    AssetWord{"armv7", Os::unknown, Arch::arm, "v7"},  AssetWord{"win32", Os::windows, Arch::unknown},
    AssetWord{"win64", Os::windows, Arch::unknown}, AssetWord{"osx", Os::darwin, Arch::unknown},
    AssetWord{"macos", Os::darwin, Arch::unknown},  AssetWord{"macosx", Os::darwin, Arch::unknown},
    AssetWord{"mingw32", Os::windows, Arch::unknown}, AssetWord{"mingw64", Os::windows, Arch::unknown},
};

// Table words that are also everyday words or file types: a folder "alpha", a script "x.sh",
// "app.js" say nothing about SuperH, DEC Alpha or GOOS=js. x32 means the x32 ABI to Debian but
// 32-bit x86 to many Windows release pages.
constexpr std::array<std::string_view, 6> NOT_PLATFORM_WORDS{"sh", "alpha", "arc", "hexagon", "x32", "js"};

// Words that name an architecture only next to an OS word: numbers ("386" in
// "myapp_linux_386" but not in "1.386.0"), "arm" (also a limb) and "x86" (also the family).
bool needs_os_word(std::string_view word) {
  return word == "arm" || word == "x86" ||
         std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Token {
  std::string text;  // lower case
  char before = 0;   // the separator in front of it, 0 for the first
};

std::vector<Token> tokenize(std::string_view name) {
  std::vector<Token> tokens;
  Token current;
  for (const char c : name) {
    if (c == '-' || c == '_' || c == '.' || c == ' ' || c == '+') {
      if (!current.text.empty()) tokens.push_back(current);
      current = Token{{}, c};
    } else {
      current.text += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  if (!current.text.empty()) tokens.push_back(current);
  return tokens;
}

bool plain_word(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

bool denied(std::string_view word) {
  return std::find(NOT_PLATFORM_WORDS.begin(), NOT_PLATFORM_WORDS.end(), word) != NOT_PLATFORM_WORDS.end();
}

const AssetWord* asset_word(std::string_view word) {
  const auto* found = std::find_if(ASSET_WORDS.begin(), ASSET_WORDS.end(),
                                   [&](const AssetWord& row) { return row.word == word; });
  return found == ASSET_WORDS.end() ? nullptr : found;
}

// Every file a scan judges has its name and its folder's split into words and each word looked
// up, so the lookups are tables built once rather than walks over the enums.
template <class Enum>
std::unordered_map<std::string_view, Enum> names_of(Enum first, Enum last) {
  std::unordered_map<std::string_view, Enum> names;
  for (int i = static_cast<int>(first); i <= static_cast<int>(last); ++i)
    names.emplace(to_string(static_cast<Enum>(i)), static_cast<Enum>(i));  // the first wins
  return names;
}

// GOOS names (os.def) and the asset words above.
Os os_word(std::string_view word) {
  static const auto os_names = names_of(Os::linux, Os::wasip1);
  if (denied(word)) return Os::unknown;
  if (const AssetWord* row = asset_word(word)) return row->os;
  const auto found = os_names.find(word);
  return found == os_names.end() ? Os::unknown : found->second;
}

Libc libc_word(std::string_view word) {
  if (word == "glibc" || word == "gnu" || word.starts_with("gnueabi")) return Libc::glibc;
  if (word.starts_with("musl")) return Libc::musl;
  return Libc::unknown;
}

// An architecture and the variant its word names ("armhf": arm, v7; "arm64": arm64, none).
struct ArchWord {
  Arch arch = Arch::unknown;
  std::string variant;
};

// An architecture's own name (arch.def: "arm64_32", "loong64"), else a bare word in any
// vocabulary parse_platform() reads (Debian "armhf", `uname -m` "x86_64", "x86-64").
// parse_platform()'s answers are remembered per thread (the same few hundred words, "lib", "so",
// version numbers, come back file after file); the memo starts over when it is full.
ArchWord table_arch(const std::string& word) {
  static const auto arch_names = names_of(Arch::i386, Arch::ebc);
  if (const auto found = arch_names.find(word); found != arch_names.end()) return {found->second, {}};
  constexpr std::size_t kMemoWords = 4096;
  thread_local std::unordered_map<std::string, ArchWord> parsed;
  if (const auto found = parsed.find(word); found != parsed.end()) return found->second;
  if (parsed.size() >= kMemoWords) parsed.clear();
  const auto platform = parse_platform(word);
  return parsed.emplace(word, platform ? ArchWord{platform->arch, platform->variant} : ArchWord{}).first->second;
}

ArchWord arch_word(const std::string& word) {
  if (denied(word) || !plain_word(word)) return {};
  if (const AssetWord* row = asset_word(word)) return {row->arch, std::string(row->variant)};
  if (word == "x86") return {Arch::i386, {}};
  return table_arch(word);
}

// "x86_64", "x86-64", "arm64_32", "aarch64_be": an architecture word that contains a separator.
ArchWord arch_word_joined(const std::string& joined) { return table_arch(joined); }

// One token (or two: "x86_64") and what it names.
struct Word {
  std::string text;
  char before = 0;
  Os os = Os::unknown;
  Arch arch = Arch::unknown;
  std::string variant;  // of arch: "v6" of armv6
  Libc libc = Libc::unknown;
  bool weak = false;  // counts only beside the other dimension: "386", "arm", "x86" need an OS
                      // word, "win32"/"win64" (also GCC's thread model) an architecture word
  bool platform() const { return os != Os::unknown || arch != Arch::unknown || libc != Libc::unknown; }
};

// Triple vendors and ABI words: part of a platform's spelling, naming nothing themselves.
bool vendor_word(std::string_view word) {
  return word == "unknown" || word == "pc" || word == "apple" || word == "w64" || word == "none" ||
         word == "eabi" || word == "eabihf" || word == "elf";
}

std::vector<Word> classify(const std::vector<Token>& tokens) {
  std::vector<Word> words;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    Word word;
    word.text = tokens[i].text;
    word.before = tokens[i].before;
    // "x86_64", "x86-64": one architecture spelled across two tokens.
    if (i + 1 < tokens.size() && (tokens[i + 1].before == '_' || tokens[i + 1].before == '-') &&
        os_word(word.text) == Os::unknown && os_word(tokens[i + 1].text) == Os::unknown) {
      const std::string joined = word.text + tokens[i + 1].before + tokens[i + 1].text;
      if (ArchWord arch = arch_word_joined(joined); arch.arch != Arch::unknown) {
        word.text = joined;
        word.arch = arch.arch;
        word.variant = std::move(arch.variant);
        words.push_back(std::move(word));
        ++i;
        continue;
      }
    }
    word.os = os_word(word.text);
    ArchWord arch = arch_word(word.text);
    word.arch = arch.arch;
    word.variant = std::move(arch.variant);
    word.libc = libc_word(word.text);
    word.weak = needs_os_word(word.text) || word.text == "win32" || word.text == "win64";
    words.push_back(std::move(word));
  }
  return words;
}

// The GNU naming of cross tools, "<target>-<tool>": aarch64-linux-gnu-gcc, x86_64-w64-mingw32-ld,
// arm-none-eabi-objcopy. Built for the machine they run on, named for the one they build for.
bool names_a_tool(const std::vector<Word>& words) {
  if (words.empty() || !words.front().platform()) return false;
  return std::any_of(words.begin() + 1, words.end(), [](const Word& word) {
    const bool has_letter = std::any_of(word.text.begin(), word.text.end(),
                                        [](char c) { return c >= 'a' && c <= 'z'; });
    return has_letter && word.before != '.' && !word.platform() && !vendor_word(word.text);
  });
}

// Collects what a name says; a dimension said twice differently is dropped.
template <typename T>
class Claim {
 public:
  void add(T value) {
    if (value == T{}) return;
    if (value_ != T{} && value_ != value) conflict_ = true;
    value_ = value;
  }
  T get() const { return conflict_ ? T{} : value_; }

 private:
  T value_{};
  bool conflict_ = false;
};

// The contents' platforms: the file's own, else its slices' (universal Mach-O).
std::vector<Platform> contents_of(const FileReport& report) {
  std::vector<Platform> out;
  if (report.platform && report.platform->arch != Arch::unknown) out.push_back(*report.platform);
  if (out.empty())
    for (const FileReport& slice : report.slices)
      if (slice.platform && slice.platform->arch != Arch::unknown) out.push_back(*slice.platform);
  return out;
}

bool known_libc(Libc libc) { return libc == Libc::glibc || libc == Libc::musl; }

struct Mismatch {
  bool machine = false;  // OS or architecture: exec format error
  bool libc = false;     // the C library: the loader is not there
};

// A static program needs no loader, so the C library in its name cannot be wrong for it.
Mismatch compare(const NamedPlatform& name, const std::vector<Platform>& contents, bool dynamic) {
  const auto any = [&](auto predicate) { return std::any_of(contents.begin(), contents.end(), predicate); };
  Mismatch out;
  if (name.arch != Arch::unknown && !any([&](const Platform& p) { return p.arch == name.arch; }))
    out.machine = true;
  if (name.os != Os::unknown && any([](const Platform& p) { return p.os != Os::unknown; }) &&
      !any([&](const Platform& p) { return p.os == name.os; }))
    out.machine = true;
  if (dynamic && known_libc(name.libc) && any([](const Platform& p) { return known_libc(p.libc); }) &&
      !any([&](const Platform& p) { return p.libc == name.libc; }))
    out.libc = true;
  return out;
}

std::string describe(const NamedPlatform& name) {
  // fmt::format, not `"/" + std::string(...)`: GCC 12 -O3 misreads the latter (-Wrestrict).
  std::string text;
  if (name.os != Os::unknown) text = to_string(name.os);
  if (name.arch != Arch::unknown) text += fmt::format("{}{}", text.empty() ? "" : "/", to_string(name.arch));
  if (name.libc != Libc::unknown) text += fmt::format("{}{}", text.empty() ? "" : " with ", to_string(name.libc));
  return text;
}

std::string describe(const std::vector<Platform>& contents, bool with_libc) {
  std::string text;
  for (const Platform& platform : contents) {
    text += fmt::format("{}{}", text.empty() ? "" : "+", to_oci(platform));
    if (with_libc && known_libc(platform.libc)) text += fmt::format(" with {}", to_string(platform.libc));
  }
  return text;
}

std::optional<Problem> check_name(const FileReport& report, std::string_view said_by,
                                  const NamedPlatform& name, const std::vector<Platform>& contents) {
  const bool dynamic = report.interpreter && !report.interpreter->empty();
  const Mismatch mismatch = compare(name, contents, dynamic);
  if (!mismatch.machine && !mismatch.libc) return std::nullopt;
  const std::string claimed = describe(name);
  const std::string outcome = mismatch.machine
                                  ? fmt::format("exec format error on {}", claimed)
                                  : fmt::format("execve: ENOENT on {} (its loader is not there)", claimed);
  return Problem{"W_ARTIFACT_NAME", "warning",
                 fmt::format("{}: {} says {}, the contents are {}", report.path, said_by, claimed,
                             describe(contents, name.libc != Libc::unknown)),
                 outcome, std::string(FIX)};
}

// A file name counts when it names an OS and an architecture ("myapp-linux-arm64"), or ends in
// ".exe" (`said`: what platform_in_name(file, true) read). One word alone names what a tool is
// for as often as what it is built for: qemu-aarch64, llvm-libtool-darwin, libbfd-2.40-arm64.so.
NamedPlatform claim_of_file(std::string_view file, const NamedPlatform& said) {
  const bool exe = said.os == Os::windows && platform_in_name(file, false).os == Os::unknown;
  if (exe || (said.os != Os::unknown && said.arch != Arch::unknown)) return said;
  return {};
}

}  // namespace

NamedPlatform file_claim(std::string_view file) { return claim_of_file(file, platform_in_name(file, true)); }

std::optional<Platform> promised_platform(std::string_view file) {
  const NamedPlatform claim = file_claim(file);
  if (claim.os == Os::unknown) return std::nullopt;
  // "setup.exe": Windows, and Windows on PCs is amd64 unless the name says otherwise.
  const Arch arch = claim.arch == Arch::unknown && claim.os == Os::windows ? Arch::amd64 : claim.arch;
  if (arch == Arch::unknown) return std::nullopt;
  return make_platform(claim.os, arch, claim.variant, claim.libc);
}

NamedPlatform platform_in_name(std::string_view name, bool is_file) {
  const std::vector<Word> words = classify(tokenize(name));
  if (names_a_tool(words)) return {};
  const auto any = [&](auto predicate) { return std::any_of(words.begin(), words.end(), predicate); };
  const bool os_said = any([](const Word& w) { return w.os != Os::unknown; });
  const bool arch_said = any([](const Word& w) { return w.arch != Arch::unknown; });
  Claim<Os> os;
  Claim<Arch> arch;
  Claim<std::string> variant;
  Claim<Libc> libc;
  for (const Word& word : words) {
    if (!word.weak || arch_said) os.add(word.os);
    if (!word.weak || os_said) {
      arch.add(word.arch);
      if (word.arch != Arch::unknown) variant.add(word.variant);
    }
    libc.add(word.libc);
  }
  if (is_file && words.size() > 1 && words.back().before == '.' && words.back().text == "exe")
    os.add(Os::windows);
  // "glibc-2.36" and "musl" are projects, not release assets: a C library counts only beside an
  // OS or an architecture ("linux-arm64-musl").
  const bool platform_named = os.get() != Os::unknown || arch.get() != Arch::unknown;
  return NamedPlatform{os.get(), arch.get(), platform_named ? libc.get() : Libc::unknown,
                       arch.get() != Arch::unknown ? variant.get() : std::string()};
}

namespace {

// What a folder's name says, remembered for the last folder per thread: a scan judges a
// folder's files one after another.
NamedPlatform folder_claim(std::string_view folder) {
  thread_local std::string last_folder;
  thread_local NamedPlatform last_claim;
  thread_local bool remembered = false;
  if (!remembered || folder != last_folder) {
    last_claim = platform_in_name(folder, false);
    last_folder = folder;
    remembered = true;
  }
  return last_claim;
}

}  // namespace

std::vector<Problem> artifact_name_problems(const FileReport& report) {
  // A .NET assembly's machine field does not bind it: an AnyCPU "app.dll" in "linux-x64/" is right.
  if (report.pe && report.pe->clr) return {};
  const std::vector<Platform> contents = contents_of(report);
  if (contents.empty()) return {};
  const std::string_view path = report.path;
  const auto slash = path.rfind('/');
  const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const NamedPlatform words = platform_in_name(file, true);
  const NamedPlatform own = claim_of_file(file, words);
  if (auto problem = check_name(report, "the name", own, contents)) return {std::move(*problem)};
  if (slash == std::string_view::npos || slash == 0) return {};
  const std::string_view parent_path = path.substr(0, slash);
  const auto parent_slash = parent_path.rfind('/');
  const std::string_view folder =
      parent_slash == std::string_view::npos ? parent_path : parent_path.substr(parent_slash + 1);
  // The folder speaks only for what the file's own name leaves unsaid, even in words too few
  // to count on their own ("linux-arm64/myapp-armv7" is an arm build).
  NamedPlatform from_folder = folder_claim(folder);
  if (words.os != Os::unknown) from_folder.os = Os::unknown;
  if (words.arch != Arch::unknown) from_folder.arch = Arch::unknown;
  if (words.libc != Libc::unknown) from_folder.libc = Libc::unknown;
  if (auto problem = check_name(report, fmt::format("the folder name {}", folder), from_folder, contents))
    return {std::move(*problem)};
  return {};
}

}  // namespace enoexec

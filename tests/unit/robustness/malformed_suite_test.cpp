// The generated suite of malformed inputs (issue "Hostile input"): valid small files from the
// builders, then every prefix of their headers, every header word set to hostile values (huge
// counts, lying offsets and sizes), overlapping tables, cyclic and zero-size load commands. Each
// variant goes through the whole pipeline the CLI runs (inspect_bytes, JSON, text) and must come
// back with a one-line error or warnings, within 50 ms of CPU time and without the suite's
// memory growing by 64 MiB. The ASan+UBSan build runs the same suite for memory errors.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "builders/elf_builder.hpp"
#include "builders/go_buildinfo_builder.hpp"
#include "builders/macho_builder.hpp"
#include "builders/pe_builder.hpp"
#include "enoexec/inspect.hpp"
#include "output/human.hpp"
#include "output/json.hpp"

namespace enoexec {
namespace {

using Bytes = std::vector<std::uint8_t>;

// CPU time, not wall time: the bound is about the work a file causes, whatever else the machine
// is doing.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// AddressSanitizer keeps freed memory in quarantine (256 MiB) and slows code two- to threefold:
// under it the time bound gets a factor of 4 and the memory bound is left to ASan itself.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr double kMaxMillisecondsPerFile = kSanitized ? 200.0 : 50.0;
constexpr long kMaxGrowthKib = 64 * 1024;

// The slowest file of the current test, for the figures in docs/robustness.md.
double slowest_ms = 0;
std::size_t files_run = 0;

struct Outcome {
  FileReport report;
  double cpu_ms = 0;
};

// The whole CLI path for one variant; fails the test on a multi-line error or warning.
Outcome run(const Bytes& bytes, const std::string& name, const InspectOptions& options = {}) {
  const double start = thread_cpu_ms();
  Outcome out{inspect_bytes(bytes, name, options), 0};
  const std::string json = to_json(out.report).dump(
      -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);  // as the CLI prints
  const std::string text = summary_line(out.report) + detail_lines(out.report);
  out.cpu_ms = thread_cpu_ms() - start;
  slowest_ms = std::max(slowest_ms, out.cpu_ms);
  ++files_run;
  EXPECT_FALSE(json.empty()) << name;
  EXPECT_FALSE(text.empty()) << name;
  if (out.report.error) {
    EXPECT_EQ(out.report.error->find('\n'), std::string::npos) << name;
  }
  for (const auto& warning : out.report.warnings)
    EXPECT_EQ(warning.find('\n'), std::string::npos) << name << ": " << warning;
  EXPECT_LT(out.cpu_ms, kMaxMillisecondsPerFile) << name;
  return out;
}

bool said_something(const FileReport& r) { return r.error || !r.warnings.empty(); }

bool mentions(const FileReport& r, std::string_view text) {
  if (r.error && r.error->find(text) != std::string::npos) return true;
  for (const auto& w : r.warnings)
    if (w.find(text) != std::string::npos) return true;
  for (const auto& slice : r.slices)
    if (mentions(slice, text)) return true;
  return false;
}

// ---- valid small files, one per reader ----

Bytes small_elf(int bits, Endian endian) {
  test::ElfBuilder b(bits, endian);
  b.interp(bits == 64 ? "/lib64/ld-linux-x86-64.so.2" : "/lib/ld-linux.so.2");
  b.needed("libc.so.6").needed("libm.so.6").version_need("libc.so.6", "GLIBC_2.34");
  b.note("GNU", 1, {0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0});
  return b.build().bytes;
}

Bytes go_elf() {
  test::ElfBuilder b;
  const Bytes blob = testing::go_inline_blob("go1.22.1", testing::framed("path\texample.com/x\n"));
  const std::uint64_t at = b.blob(".go.buildinfo", blob, 16);
  b.section({".go.buildinfo", 1, 3, b.vaddr_of(at), at, blob.size(), "", 0, 16, 0});
  return b.build().bytes;
}

Bytes small_macho(bool is64) {
  test::MachoBuilder b(is64 ? 64 : 32, Endian::little, is64 ? 0x0100000cu : 7u, 0);
  b.segment("__PAGEZERO", 0, 0x100000000, 0, 0);
  b.segment("__TEXT", 0x100000000, 0x4000, 0, 0x1000,
            {{"__text", "__TEXT", 0x100000400, 0x100, 0x400}});
  b.build_version(1, 0x000d0000, 0x000e0000);
  b.dylinker("/usr/lib/dyld").dylib(0xc, "/usr/lib/libSystem.B.dylib").main(0x400);
  b.tail(0x1000);
  return b.build();
}

Bytes small_fat() {
  return test::fat(false, {{0x0100000cu, 0, small_macho(true)}, {7u, 3, small_macho(false)}});
}

Bytes small_pe() {
  testing::PeBuilder b;
  b.imports = {{"KERNEL32.dll", 3}, {"msvcrt.dll", 2}};
  return b.build();
}

Bytes script() {
  const std::string text = "#!/usr/bin/env -S python3 -u\nprint('hello')\n";
  return {text.begin(), text.end()};
}

struct Region {
  std::uint64_t begin, end;
};

struct Base {
  std::string name;
  Bytes bytes;
  std::uint64_t header_end;     // every prefix up to here is a truncation variant
  std::vector<Region> headers;  // the headers and tables whose words are made to lie
};

std::uint64_t get_le(const Bytes& bytes, std::size_t at, std::size_t size) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size && at + i < bytes.size(); ++i)
    value |= std::uint64_t{bytes[at + i]} << (8 * i);
  return value;
}

// The ELF header with the program headers after it, and the section header table.
std::vector<Region> elf_headers(const Bytes& bytes, int bits, Endian endian) {
  if (endian == Endian::big) return {{0, bits == 64 ? 0x200u : 0x140u}};
  const std::uint64_t shoff = get_le(bytes, bits == 64 ? 40 : 32, bits == 64 ? 8 : 4);
  return {{0, bits == 64 ? 0x200u : 0x140u}, {shoff, bytes.size()}};
}

std::vector<Region> macho_headers(const Bytes& bytes, bool is64) {
  return {{0, (is64 ? 32 : 28) + get_le(bytes, 20, 4)}};  // mach_header + sizeofcmds
}

std::vector<Base> bases() {
  const Bytes elf64 = small_elf(64, Endian::little), elf32 = small_elf(32, Endian::big);
  const Bytes go = go_elf(), macho64 = small_macho(true), macho32 = small_macho(false);
  const Bytes pe = small_pe();
  return {{"elf64le", elf64, 0x400, elf_headers(elf64, 64, Endian::little)},
          {"elf32be", elf32, 0x400, elf_headers(elf32, 32, Endian::big)},
          {"elf-go", go, 0x400, elf_headers(go, 64, Endian::little)},
          {"macho64", macho64, 0x400, macho_headers(macho64, true)},
          {"macho32", macho32, 0x400, macho_headers(macho32, false)},
          {"fat", small_fat(), 0x1400, {{0, 48}, {4096, 4096 + 32 + get_le(macho64, 20, 4)}}},
          {"pe", pe, 0x400, {{0, 0x40}, {0x80, 0x1d0}, {0x600, 0x700}}},  // DOS, PE, imports
          {"script", script(), 64, {{0, 64}}}};
}

void put_le(Bytes& bytes, std::size_t at, std::uint64_t value, std::size_t size) {
  for (std::size_t i = 0; i < size && at + i < bytes.size(); ++i)
    bytes[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

// Tracks the suite's memory: what ASan-free builds allocate must not grow without bound.
class MalformedSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    rss_before_ = max_rss_kib();
    slowest_ms = 0;
    files_run = 0;
  }
  void TearDown() override {
    std::printf("%zu files, slowest %.2f ms of CPU, peak RSS grew by %ld KiB\n", files_run,
                slowest_ms, max_rss_kib() - rss_before_);
    if (!kSanitized) {
      EXPECT_LT(max_rss_kib() - rss_before_, kMaxGrowthKib) << "memory grew by more than 64 MiB";
    }
  }
  long rss_before_ = 0;
};

TEST_F(MalformedSuite, TheValidBasesReadCleanly) {
  for (const Base& base : bases()) {
    const Outcome out = run(base.bytes, base.name);
    EXPECT_FALSE(out.report.error) << base.name << ": " << *out.report.error;
    EXPECT_NE(out.report.format, Format::unknown) << base.name;
  }
}

// Every prefix up to the end of the headers, then every 64th byte to the end of the file.
TEST_F(MalformedSuite, TruncationAtEveryHeaderBoundary) {
  std::size_t variants = 0;
  for (const Base& base : bases()) {
    for (std::uint64_t length = 0; length < base.bytes.size();
         length += length < base.header_end ? 1 : 64) {
      const Bytes cut(base.bytes.begin(), base.bytes.begin() + static_cast<std::ptrdiff_t>(length));
      const Outcome out = run(cut, base.name + " cut at " + std::to_string(length));
      // A file cut inside its first header cannot be read: the report says why.
      if (length >= 8 && length < 24 && base.name != "script") {
        EXPECT_TRUE(said_something(out.report)) << base.name << " cut at " << length;
      }
      ++variants;
    }
  }
  EXPECT_GT(variants, 3000u);
}

// Each 16-, 32- and 64-bit word of the headers set to values that make counts huge and offsets
// and sizes lie: all ones, the top bit, zero, and the file's own size (one past the end).
TEST_F(MalformedSuite, EveryHeaderWordLies) {
  std::size_t variants = 0, reported = 0;
  for (const Base& base : bases()) {
    for (const Region& region : base.headers) {
    const std::uint64_t end = std::min<std::uint64_t>(region.end, base.bytes.size());
    for (std::size_t size : {2u, 4u, 8u}) {
      for (std::uint64_t at = region.begin; at + size <= end; at += size) {
        for (std::uint64_t value : {~std::uint64_t{0}, std::uint64_t{1} << (8 * size - 1),
                                    std::uint64_t{0}, std::uint64_t{base.bytes.size()}}) {
          Bytes bytes = base.bytes;
          put_le(bytes, at, value, size);
          if (bytes == base.bytes) continue;
          const Outcome out = run(bytes, base.name + " word@" + std::to_string(at));
          if (said_something(out.report)) ++reported;
          ++variants;
        }
      }
    }
    }
  }
  EXPECT_GT(variants, 3000u);
  // Many words may hold anything without a reader noticing (addresses, timestamps, versions,
  // flags, reserved fields); the lies that matter are pinned by the targeted tests below.
  EXPECT_GT(reported, variants / 8);
}

// ---- targeted shapes ----

TEST_F(MalformedSuite, ElfOverlappingAndSelfReferencingTables) {
  test::ElfImage image = test::ElfBuilder().needed("libc.so.6").build();
  const std::uint64_t phoff = image.bits == 64 ? 64 : 52;
  // Section headers on top of the program headers, and both on top of the ELF header.
  test::ElfImage overlap = image;
  overlap.put_word(overlap.e_shoff_at(), phoff);
  EXPECT_TRUE(said_something(run(overlap.bytes, "shdrs over phdrs").report));
  test::ElfImage self = image;
  self.put_word(self.e_phoff_at(), 8);
  self.put16(self.e_phnum_at(), 0xfffe);  // (0xffff is PN_XNUM: the count is elsewhere)
  EXPECT_TRUE(said_something(run(self.bytes, "phdrs over the ELF header").report));
  test::ElfImage huge = image;
  huge.put16(huge.e_shnum_at(), 0xffff);
  huge.put16(huge.e_phnum_at(), 0xffff);
  huge.put16(huge.e_shstrndx_at(), 0xfffe);
  EXPECT_TRUE(said_something(run(huge.bytes, "65535 of everything").report));
}

TEST_F(MalformedSuite, MachoZeroSizeAndCyclicLoadCommands) {
  const auto thin = [](std::uint32_t cmdsize, std::uint32_t ncmds) {
    test::MachoBuilder b(64, Endian::little, 0x0100000cu, 0);
    b.command(0x19, Bytes(64, 0), cmdsize);
    b.ncmds(ncmds);
    return b.build();
  };
  EXPECT_TRUE(mentions(run(thin(0, 1), "cmdsize 0").report, "cmdsize 0 is smaller"));
  // cmdsize 8 and a huge ncmds: the same 8 bytes over and over would be a cycle.
  EXPECT_TRUE(said_something(run(thin(8, 0xffffffff), "ncmds 2^32-1").report));
  EXPECT_TRUE(said_something(run(thin(0xffffffff, 3), "cmdsize 2^32-1").report));
}

TEST_F(MalformedSuite, UniversalSlicesThatLie) {
  const Bytes slice = small_macho(true);
  // A slice pointing at the fat header itself: universal binaries do not nest.
  const Bytes nested = test::fat(false, {{0x0100000cu, 0, slice, 0, 4096}});
  EXPECT_TRUE(mentions(run(nested, "slice at 0").report, "do not nest"));
  // Two slices over the same bytes, and one far past the end.
  const Bytes overlapping =
      test::fat(false, {{0x0100000cu, 0, slice, 4096}, {0x0100000cu, 0, slice, 4096}});
  EXPECT_TRUE(said_something(run(overlapping, "overlapping slices").report));
  const Bytes past = test::fat(false, {{0x0100000cu, 0, slice, 0xfffff000u, 0x1000}});
  EXPECT_TRUE(said_something(run(past, "slice past the end").report));
  const Bytes many = test::fat(false, {{0x0100000cu, 0, slice}}, 44);
  EXPECT_TRUE(said_something(run(many, "nfat_arch 44, one present").report));
}

TEST_F(MalformedSuite, PeCountsThatLie) {
  testing::PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}};
  b.number_of_sections = 0xffff;
  EXPECT_TRUE(said_something(run(b.build(), "NumberOfSections 65535").report));
  Bytes far = small_pe();
  put_le(far, 0x3c, 0x7ffffff0, 4);  // e_lfanew
  EXPECT_TRUE(said_something(run(far, "e_lfanew past the end").report));
  testing::PeBuilder open_ended;
  open_ended.imports = {{"KERNEL32.dll", 1}};
  open_ended.import_terminator = false;
  EXPECT_TRUE(said_something(run(open_ended.build(), "no import terminator").report));
}

// 1,024 DT_NEEDED entries that all name one 40,000-byte string: a 56 KiB file that once made
// inspect spend 2 s and 245 MiB printing 40 MB of library names.
Bytes shared_needed_strings() {
  constexpr std::uint64_t kBase = 0x400000, kDynamic = 0x100, kEntries = 1024 + 3;
  constexpr std::uint64_t kStrings = kDynamic + kEntries * 16, kLength = 40000;
  const std::uint64_t size = kStrings + 1 + kLength + 1;
  Bytes b(size, 0);
  const std::uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  std::copy(std::begin(ident), std::end(ident), b.begin());
  put_le(b, 16, 2, 2);       // ET_EXEC
  put_le(b, 18, 62, 2);      // EM_X86_64
  put_le(b, 20, 1, 4);
  put_le(b, 32, 64, 8);      // e_phoff
  put_le(b, 52, 64, 2);      // e_ehsize
  put_le(b, 54, 56, 2);      // e_phentsize
  put_le(b, 56, 2, 2);       // e_phnum
  const auto phdr = [&](std::uint64_t at, std::uint32_t type, std::uint64_t offset,
                        std::uint64_t length) {
    put_le(b, at, type, 4);
    put_le(b, at + 8, offset, 8);
    put_le(b, at + 16, kBase + offset, 8);
    put_le(b, at + 24, kBase + offset, 8);
    put_le(b, at + 32, length, 8);
    put_le(b, at + 40, length, 8);
  };
  phdr(64, 1, 0, size);                           // PT_LOAD over the whole file
  phdr(120, 2, kDynamic, kEntries * 16);          // PT_DYNAMIC
  for (std::uint64_t i = 0; i < 1024; ++i) {
    put_le(b, kDynamic + 16 * i, 1, 8);           // DT_NEEDED
    put_le(b, kDynamic + 16 * i + 8, 1, 8);       // ... all at DT_STRTAB+1
  }
  put_le(b, kDynamic + 16 * 1024, 5, 8);          // DT_STRTAB
  put_le(b, kDynamic + 16 * 1024 + 8, kBase + kStrings, 8);
  put_le(b, kDynamic + 16 * 1025, 10, 8);         // DT_STRSZ
  put_le(b, kDynamic + 16 * 1025 + 8, kLength + 2, 8);
  std::fill_n(b.begin() + static_cast<std::ptrdiff_t>(kStrings + 1), kLength, 'A');
  return b;
}

TEST_F(MalformedSuite, SharedNeededStringsStopAtTheStringBytesLimit) {
  const Outcome out = run(shared_needed_strings(), "shared DT_NEEDED strings");
  EXPECT_TRUE(mentions(out.report, "limit exceeded: string bytes: the dynamic names read so far "
                                   "fill 1040000 bytes; DT_NEEDED and the names after it are not "
                                   "read (limit 1048576)"));
}

// ---- the named limits, each hit reported as "limit exceeded: NAME" ----

InspectOptions with(std::uint64_t Limits::*field, std::uint64_t value) {
  InspectOptions options;
  options.limits.*field = value;
  return options;
}

TEST_F(MalformedSuite, ElfLimitsAreNamed) {
  const Bytes elf = small_elf(64, Endian::little);
  EXPECT_TRUE(mentions(run(elf, "ph", with(&Limits::program_headers, 1)).report,
                       "limit exceeded: program headers: program header table has "));
  EXPECT_TRUE(mentions(run(elf, "sh", with(&Limits::sections, 2)).report,
                       "limit exceeded: sections: section header table has "));
  EXPECT_TRUE(mentions(run(elf, "dyn", with(&Limits::dynamic_entries, 2)).report,
                       "limit exceeded: dynamic entries: PT_DYNAMIC has room for "));
  const Outcome needed = run(elf, "needed", with(&Limits::needed_libraries, 1));
  EXPECT_TRUE(mentions(needed.report, "limit exceeded: needed libraries: 2 DT_NEEDED entries, "
                                      "more than 1; the rest are not read"));

  EXPECT_TRUE(mentions(run(elf, "strings", with(&Limits::string_bytes, 12)).report,
                       "limit exceeded: string bytes: the dynamic names read so far fill 9 bytes; "
                       "DT_NEEDED and the names after it are not read (limit 12)"));

  // Three GNU build-id notes in one PT_NOTE segment.
  Bytes three;
  for (int i = 0; i < 3; ++i)
    for (int byte : {4, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 0x47, 0x4e, 0x55, 0, 1, 2, 3, 4})
      three.push_back(static_cast<std::uint8_t>(byte));
  test::ElfBuilder notes;
  const std::uint64_t at = notes.blob(".note.three", three, 4);
  notes.segment_over(4, ".note.three", 4);
  notes.section({".note.three", 7, 2, notes.vaddr_of(at), at, three.size(), "", 0, 4, 0});
  const Bytes with_notes = notes.build().bytes;
  EXPECT_FALSE(mentions(run(with_notes, "notes").report, "limit exceeded"));
  EXPECT_TRUE(mentions(run(with_notes, "notes", with(&Limits::notes, 2)).report,
                       "limit exceeded: notes: more than 2 in one segment"));
}

TEST_F(MalformedSuite, MachoLimitsAreNamed) {
  const Bytes thin = small_macho(true);
  EXPECT_TRUE(mentions(run(thin, "lc", with(&Limits::load_commands, 2)).report,
                       "limit exceeded: load commands: ncmds 6 is more than 2; the rest are "
                       "not read"));
  EXPECT_TRUE(mentions(run(thin, "dylibs", with(&Limits::needed_libraries, 0)).report,
                       "limit exceeded: needed libraries: "));
  EXPECT_TRUE(mentions(run(thin, "sections", with(&Limits::sections, 0)).report,
                       "limit exceeded: sections: "));
  const Outcome fat = run(small_fat(), "fat", with(&Limits::universal_slices, 1));
  ASSERT_TRUE(fat.report.error);
  EXPECT_EQ(fat.report.error->rfind("limit exceeded: universal slices: nfat_arch 2 exceeds the "
                                    "limit of 1",
                                    0),
            0u);
}

TEST_F(MalformedSuite, PeLimitsAreNamed) {
  EXPECT_TRUE(mentions(run(small_pe(), "dlls", with(&Limits::needed_libraries, 1)).report,
                       "limit exceeded: needed libraries: import directory lists more than 1 "
                       "DLLs; the rest are not read"));
}

}  // namespace
}  // namespace enoexec

#include "formats/elf/elf_notes.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace enoexec::elf {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Strings = std::vector<std::string>;

constexpr std::uint16_t kX86_64 = 62, kI386 = 3, kAarch64 = 183, kRiscv = 243;

Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(
        static_cast<std::uint8_t>(std::stoul(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

void put_u32(Bytes& out, std::uint32_t value, Endian endian) {
  for (int i = 0; i < 4; ++i) {
    const int shift = endian == Endian::little ? 8 * i : 8 * (3 - i);
    out.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

void pad(Bytes& out, std::size_t alignment) {
  while (out.size() % alignment != 0) out.push_back(0);
}

// One note: header, name (with its NUL), description, each padded to `alignment`.
Bytes note(std::string_view owner, std::uint32_t type, const Bytes& desc,
           std::size_t alignment = 4, Endian endian = Endian::little) {
  Bytes out;
  put_u32(out, static_cast<std::uint32_t>(owner.size() + 1), endian);
  put_u32(out, static_cast<std::uint32_t>(desc.size()), endian);
  put_u32(out, type, endian);
  out.insert(out.end(), owner.begin(), owner.end());
  out.push_back(0);
  pad(out, alignment);
  out.insert(out.end(), desc.begin(), desc.end());
  pad(out, alignment);
  return out;
}

Bytes words(std::initializer_list<std::uint32_t> values, Endian endian = Endian::little) {
  Bytes out;
  for (const auto value : values) put_u32(out, value, endian);
  return out;
}

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A GNU property: type, datasz, data padded to `padding`.
Bytes property(std::uint32_t type, const Bytes& data, std::size_t padding = 8) {
  Bytes out;
  put_u32(out, type, Endian::little);
  put_u32(out, static_cast<std::uint32_t>(data.size()), Endian::little);
  out.insert(out.end(), data.begin(), data.end());
  pad(out, padding);
  return out;
}

constexpr std::uint64_t kOffset = 0x200;

struct Parsed {
  ElfNotes notes;
  Strings warnings;
};

Parsed parse(const Bytes& bytes, std::uint64_t alignment = 4, int bits = 64,
             std::uint16_t machine = kX86_64, Endian endian = Endian::little) {
  Parsed result;
  parse_notes(ByteView(bytes, kOffset), endian, alignment, bits, machine, result.notes,
              result.warnings);
  return result;
}

// --- Real notes, cut from files built on Debian 12 (GCC 12.2, binutils 2.40) and compared to
// `readelf -n`. Executables: `dd` of the PT_NOTE segment; objects: objcopy --dump-section.

// gcc -O2 -march=x86-64-v3 -Wl,-z,x86-64-v3 t.c: PT_NOTE at 0x338, p_align 8.
// readelf: "x86 ISA needed: x86-64-baseline, x86-64-v3".
constexpr std::string_view kX86IsaV3Segment =
    "040000001000000005000000474e5500028000c0040000000500000000000000";
// The same executable's second PT_NOTE (p_align 4): build id and ABI tag.
// readelf: "Build ID: 962a041a6da1e4c72318cf57ec6d7805ffb49fc3", "OS: Linux, ABI: 3.2.0".
constexpr std::string_view kBuildIdAndAbiTagSegment =
    "040000001400000003000000474e5500962a041a6da1e4c72318cf57ec6d7805ffb49fc30400000010000000"
    "01000000474e550000000000030000000200000000000000";
// gcc -c -fcf-protection: .note.gnu.property (8-aligned). readelf: "x86 feature: IBT, SHSTK".
constexpr std::string_view kCet64 =
    "040000001000000005000000474e5500020000c0040000000300000000000000";
// i686-linux-gnu-gcc -c -fcf-protection: 4-aligned, ELFCLASS32 property padding.
constexpr std::string_view kCet32 = "040000000c00000005000000474e5500020000c00400000003000000";
// aarch64-linux-gnu-gcc -c -mbranch-protection=standard. readelf: "AArch64 feature: BTI, PAC".
constexpr std::string_view kAarch64BtiPac =
    "040000001000000005000000474e5500000000c0040000000300000000000000";

TEST(Notes, X86IsaLevelFromARealExecutable) {
  const auto r = parse(from_hex(kX86IsaV3Segment), 8);
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.notes.x86_isa_needed, 3);
  EXPECT_EQ(r.notes.other, Strings{});
}

TEST(Notes, BuildIdAndAbiTagFromARealExecutable) {
  const auto r = parse(from_hex(kBuildIdAndAbiTagSegment), 4);
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.notes.build_id, "962a041a6da1e4c72318cf57ec6d7805ffb49fc3");
  EXPECT_EQ(r.notes.abi_tag_os, "Linux");
  EXPECT_EQ(r.notes.abi_tag_kernel, "3.2.0");
}

TEST(Notes, CetFeaturesIn64And32BitObjects) {
  const auto r64 = parse(from_hex(kCet64), 8, 64, kX86_64);
  EXPECT_EQ(r64.warnings, Strings{});
  EXPECT_EQ(r64.notes.x86_features, (Strings{"IBT", "SHSTK"}));
  const auto r32 = parse(from_hex(kCet32), 4, 32, kI386);
  EXPECT_EQ(r32.warnings, Strings{});
  EXPECT_EQ(r32.notes.x86_features, (Strings{"IBT", "SHSTK"}));
}

TEST(Notes, Aarch64FeaturesNeedTheMachine) {
  const auto arm64 = parse(from_hex(kAarch64BtiPac), 8, 64, kAarch64);
  EXPECT_EQ(arm64.warnings, Strings{});
  EXPECT_EQ(arm64.notes.aarch64_features, (Strings{"BTI", "PAC"}));
  // 0xc0000000 is the old x86 ISA "used" mask on x86, a CFI mask on RISC-V: not BTI/PAC there.
  EXPECT_EQ(parse(from_hex(kAarch64BtiPac), 8, 64, kX86_64).notes.aarch64_features, Strings{});
  EXPECT_EQ(parse(from_hex(kAarch64BtiPac), 8, 64, kRiscv).notes.aarch64_features, Strings{});
}

TEST(Notes, OverloadWithoutMachineReadsOnlyUnambiguousX86Properties) {
  ElfNotes notes;
  Strings warnings;
  const Bytes isa = from_hex(kX86IsaV3Segment);
  parse_notes(ByteView(isa), Endian::little, 8, 64, notes, warnings);
  const Bytes bti = from_hex(kAarch64BtiPac);
  parse_notes(ByteView(bti), Endian::little, 8, 64, notes, warnings);
  EXPECT_EQ(warnings, Strings{});
  EXPECT_EQ(notes.x86_isa_needed, 3);
  EXPECT_EQ(notes.aarch64_features, Strings{});
}

TEST(Notes, IsaLevelIsTheHighestBitAndTheHighestOfSeveralNotes) {
  const Bytes v2 = note("GNU", 5, property(0xc0008002, words({0x3})), 8);
  const Bytes v4 = note("GNU", 5, property(0xc0008002, words({0x9})), 8);
  const Bytes none = note("GNU", 5, property(0xc0008002, words({0x0})), 8);
  EXPECT_EQ(parse(v2, 8).notes.x86_isa_needed, 2);
  EXPECT_EQ(parse(v4 + v2, 8).notes.x86_isa_needed, 4);
  EXPECT_EQ(parse(none, 8).notes.x86_isa_needed, std::nullopt);
}

TEST(Notes, OldX86IsaEncodingsAreIgnored) {
  // GNU_PROPERTY_X86_COMPAT_ISA_1_NEEDED (0xc0000001) and COMPAT_2 (0xc0008000) list extensions
  // (486, SSE, AVX...), not x86-64 levels.
  const Bytes desc = property(0xc0000001, words({0xff})) + property(0xc0008000, words({0xff}));
  const auto r = parse(note("GNU", 5, desc, 8), 8);
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.notes.x86_isa_needed, std::nullopt);
}

TEST(Notes, PropertiesAfterOthersAndFeaturesAreDeduplicated) {
  const Bytes desc = property(1, words({0x10000, 0})) +  // GNU_PROPERTY_STACK_SIZE, 8 bytes
                     property(0xc0000002, words({0x1})) + property(0xc0000002, words({0x3}));
  const auto r = parse(note("GNU", 5, desc, 8), 8);
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.notes.x86_features, (Strings{"IBT", "SHSTK"}));
}

TEST(Notes, GcsIsTheThirdAarch64Feature) {
  const auto r = parse(note("GNU", 5, property(0xc0000000, words({0x5})), 8), 8, 64, kAarch64);
  EXPECT_EQ(r.notes.aarch64_features, (Strings{"BTI", "GCS"}));
}

TEST(Notes, GoBuildId) {
  const auto r = parse(note("Go", 4, text("abcDEF/123-_x")));
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.notes.go_build_id, "abcDEF/123-_x");
}

TEST(Notes, BsdAndAndroidBrands) {
  const Bytes bytes = note("FreeBSD", 1, words({1302001})) + note("FreeBSD", 4, words({0})) +
                      note("FreeBSD", 3, text("amd64")) + note("NetBSD", 1, words({903000000})) +
                      note("NetBSD", 5, text("earmv7hf")) + note("PaX", 3, words({2})) +
                      note("OpenBSD", 1, words({0})) + note("Android", 1, words({30}));
  const auto r = parse(bytes);
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.notes.freebsd_version, "1302001");
  EXPECT_EQ(r.notes.netbsd_version, "9.3");
  EXPECT_TRUE(r.notes.openbsd);
  EXPECT_EQ(r.notes.android_api, 30);
  EXPECT_EQ(r.notes.other, Strings{});
}

TEST(Notes, OldNetBsdVersionsStayNumbers) {
  EXPECT_EQ(parse(note("NetBSD", 1, words({199905}))).notes.netbsd_version, "199905");
  EXPECT_EQ(parse(note("NetBSD", 1, words({1000000000}))).notes.netbsd_version, "10.0");
}

TEST(Notes, AbiTagOperatingSystems) {
  EXPECT_EQ(parse(note("GNU", 1, words({1, 0, 0, 0}))).notes.abi_tag_os, "GNU/Hurd");
  EXPECT_EQ(parse(note("GNU", 1, words({3, 10, 0, 0}))).notes.abi_tag_os, "FreeBSD");
  EXPECT_EQ(parse(note("GNU", 1, words({77, 1, 2, 3}))).notes.abi_tag_os, "OS 77");
}

TEST(Notes, BigEndianNotes) {
  const Endian big = Endian::big;
  const Bytes bytes = note("GNU", 1, words({0, 2, 6, 32}, big), 4, big);
  const auto r = parse(bytes, 4, 64, 22, big);
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.notes.abi_tag_kernel, "2.6.32");
}

TEST(Notes, UnknownNotesAreListedOnce) {
  const Bytes bytes = note("stapsdt", 3, Bytes(20, 1)) + note("stapsdt", 3, Bytes(4, 1)) +
                      note("GNU", 2, words({0})) + note("GNU", 4, text("gold 1.16")) +
                      note("Go", 1, text("x")) + note("evil\x1b", 7, {});
  const auto r = parse(bytes);
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.notes.other, (Strings{"stapsdt/3", "GNU/2", "Go/1", "evil\\x1b/7"}));
}

TEST(Notes, EightByteAlignmentOnlyForAlignmentEight) {
  // "GNU\0" ends at 16 either way; a 4-byte description ends at 20, and the next note starts
  // at 24 with alignment 8 but at 20 with alignment 4.
  const Bytes two = note("GNU", 3, words({0xdddddddd}), 8) + note("Go", 4, text("id"), 8);
  const auto eight = parse(two, 8);
  EXPECT_EQ(eight.warnings, Strings{});
  EXPECT_EQ(eight.notes.go_build_id, "id");
  const std::uint64_t other_alignments[] = {0, 1, 4, 16};
  for (const std::uint64_t other : other_alignments) {
    const auto four = parse(two, other);
    EXPECT_EQ(four.notes.go_build_id, std::nullopt) << other;
    EXPECT_EQ(four.warnings.size(), 1u) << other;  // the padding word is read as a header
  }
}

TEST(Notes, EmptyInputIsNoNotesAndNoWarning) {
  const auto r = parse({});
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.notes.build_id, std::nullopt);
  EXPECT_EQ(r.notes.other, Strings{});
}

TEST(Notes, NamelessNotes) {
  Bytes bytes;
  put_u32(bytes, 0, Endian::little);
  put_u32(bytes, 0, Endian::little);
  put_u32(bytes, 9, Endian::little);
  EXPECT_EQ(parse(bytes).notes.other, Strings{"(no name)/9"});
}

// --- Malformed notes: exact warnings; notes before the fault are kept. ---

TEST(NotesMalformed, NameSizeLies) {
  Bytes bytes = note("Go", 4, text("ok"));  // 20 bytes: read
  put_u32(bytes, 1000, Endian::little);
  put_u32(bytes, 0, Endian::little);
  put_u32(bytes, 1, Endian::little);
  bytes = bytes + Bytes{'G', 'N', 'U', 0, 'X', 'X', 'X', 'X'};
  const auto r = parse(bytes);
  EXPECT_EQ(r.notes.go_build_id, "ok");
  EXPECT_EQ(r.warnings,
            Strings{"truncated: note at offset 0x214: name needs 1000 bytes, 8 remain (at offset "
                    "0x220)"});
}

TEST(NotesMalformed, DescriptionPastTheEnd) {
  Bytes bytes;
  put_u32(bytes, 4, Endian::little);
  put_u32(bytes, 0xffffffff, Endian::little);
  put_u32(bytes, 3, Endian::little);
  bytes = bytes + Bytes{'G', 'N', 'U', 0} + Bytes(8, 0xab);
  EXPECT_EQ(parse(bytes).warnings,
            Strings{"truncated: note at offset 0x200: description needs 4294967295 bytes, 8 "
                    "remain (at offset 0x210)"});
}

TEST(NotesMalformed, TrailingBytesShorterThanAHeader) {
  const Bytes bytes = note("OpenBSD", 1, words({0})) + Bytes{0, 0, 0, 0};
  const auto r = parse(bytes);
  EXPECT_TRUE(r.notes.openbsd);
  EXPECT_EQ(r.warnings,
            Strings{"truncated: note at offset 0x218: header needs 12 bytes, 4 remain (at offset "
                    "0x218)"});
}

TEST(NotesMalformed, PropertySizeLies) {
  Bytes desc = property(0xc0000002, words({0x1}));
  put_u32(desc, 0xc0008002, Endian::little);
  put_u32(desc, 100, Endian::little);
  desc = desc + words({0x4, 0});
  const auto r = parse(note("GNU", 5, desc, 8) + note("Go", 4, text("after"), 8), 8);
  EXPECT_EQ(r.notes.x86_features, Strings{"IBT"});
  EXPECT_EQ(r.notes.x86_isa_needed, std::nullopt);
  EXPECT_EQ(r.notes.go_build_id, "after");  // the note itself was framed correctly
  EXPECT_EQ(r.warnings,
            Strings{"truncated: note at offset 0x200: GNU property 0xc0008002 data needs 100 "
                    "bytes, 8 remain (at offset 0x228)"});
}

TEST(NotesMalformed, PropertyWithTheWrongDataSize) {
  const Bytes desc = property(0xc0008002, words({0x4, 0})) + property(0xc0000002, words({0x2}));
  const auto r = parse(note("GNU", 5, desc, 8), 8);
  EXPECT_EQ(r.notes.x86_isa_needed, std::nullopt);
  EXPECT_EQ(r.notes.x86_features, Strings{"SHSTK"});
  EXPECT_EQ(r.warnings,
            Strings{"malformed: note at offset 0x200: GNU property 0xc0008002 has 8 data bytes, "
                    "expected 4 (at offset 0x210)"});
}

TEST(NotesMalformed, TruncatedPropertyHeader) {
  const auto r = parse(note("GNU", 5, words({0xc0008002}), 8), 8);
  EXPECT_EQ(r.warnings,
            Strings{"truncated: note at offset 0x200: GNU property header needs 8 bytes, 4 remain "
                    "(at offset 0x210)"});
}

TEST(NotesMalformed, ShortAbiTagAndBrandDescriptions) {
  const Bytes bytes = note("GNU", 1, words({0, 3})) + note("FreeBSD", 1, {}) +
                      note("Go", 4, text("still read"));
  const auto r = parse(bytes);
  EXPECT_EQ(r.notes.abi_tag_os, std::nullopt);
  EXPECT_EQ(r.notes.freebsd_version, std::nullopt);
  EXPECT_EQ(r.notes.go_build_id, "still read");
  EXPECT_EQ(r.warnings,
            (Strings{"truncated: note at offset 0x200: GNU ABI tag needs 16 bytes, 8 remain (at "
                     "offset 0x210)",
                     "truncated: note at offset 0x218: FreeBSD ABI tag needs 4 bytes, 0 remain "
                     "(at offset 0x22c)"}));
}

TEST(NotesMalformed, OverlongIdsAreCut) {
  const auto r = parse(note("GNU", 3, Bytes(300, 0xab)) + note("Go", 4, Bytes(257, 'x')));
  std::string hex;
  for (int i = 0; i < 256; ++i) hex += "ab";
  EXPECT_EQ(r.notes.build_id, hex);
  EXPECT_EQ(r.notes.go_build_id, std::string(256, 'x'));
  EXPECT_EQ(r.warnings,
            (Strings{"limit exceeded: note at offset 0x200: build id is 300 bytes, only the first "
                     "256 are kept (at offset 0x210)",
                     "limit exceeded: note at offset 0x33c: Go build id is 257 bytes, only the "
                     "first 256 are kept (at offset 0x34c)"}));
}

TEST(NotesMalformed, NoteCountIsCapped) {
  const Bytes empty_note(12, 0);  // namesz 0, descsz 0, type 0: 12 bytes each
  Bytes bytes;
  for (int i = 0; i < 4097; ++i) bytes.insert(bytes.end(), empty_note.begin(), empty_note.end());
  const auto r = parse(bytes);
  EXPECT_EQ(r.warnings,
            Strings{"limit exceeded: notes: more than 4096 in one segment (at offset 0xc200)"});
  EXPECT_EQ(r.notes.other, Strings{"(no name)/0"});
}

}  // namespace
}  // namespace enoexec::elf

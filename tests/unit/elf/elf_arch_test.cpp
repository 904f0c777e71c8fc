#include "formats/elf/elf_arch.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace enoexec::elf {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Strings = std::vector<std::string>;

// --- Byte builders for the attribute container (Arm ABI addenda, "Build attributes"). ---

Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(
        static_cast<std::uint8_t>(std::stoul(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes uleb(std::uint64_t value) {
  Bytes out;
  do {
    auto byte = static_cast<std::uint8_t>(value & 0x7f);
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
  return out;
}

Bytes ntbs(std::string_view text) {
  Bytes out(text.begin(), text.end());
  out.push_back(0);
  return out;
}

Bytes u32(std::uint32_t value, Endian endian = Endian::little) {
  Bytes out;
  for (int i = 0; i < 4; ++i) {
    const int shift = endian == Endian::little ? 8 * i : 8 * (3 - i);
    out.push_back(static_cast<std::uint8_t>(value >> shift));
  }
  return out;
}

// tag, then a u32 length counting the tag, the length field and the attributes.
Bytes scope(std::uint64_t tag, const Bytes& attributes, Endian endian = Endian::little) {
  const Bytes tag_bytes = uleb(tag);
  const auto length = static_cast<std::uint32_t>(tag_bytes.size() + 4 + attributes.size());
  return tag_bytes + u32(length, endian) + attributes;
}

// u32 length counting itself, the vendor name with its NUL, and the scopes.
Bytes subsection(std::string_view vendor, const Bytes& scopes, Endian endian = Endian::little) {
  const auto length = static_cast<std::uint32_t>(4 + vendor.size() + 1 + scopes.size());
  return u32(length, endian) + ntbs(vendor) + scopes;
}

Bytes section(const Bytes& subsections) { return Bytes{'A'} + subsections; }

Bytes attr(std::uint64_t tag, std::uint64_t value) { return uleb(tag) + uleb(value); }
Bytes attr(std::uint64_t tag, std::string_view value) { return uleb(tag) + ntbs(value); }

constexpr std::uint64_t kOffset = 0x100;  // file offset of the section in the error texts

struct ArmResult {
  ElfArm arm;
  Strings warnings;
};

ArmResult arm_attributes(const Bytes& bytes, Endian endian = Endian::little, ElfArm arm = {}) {
  ArmResult result{std::move(arm), {}};
  parse_arm_attributes(ByteView(bytes, kOffset), endian, result.arm, result.warnings);
  return result;
}

// --- Real sections, extracted from objects built by Debian 12's GCC 12 cross compilers:
//   printf 'double f(double a,double b){return a*b;}\n' > t.c
//   <cc> -c -O2 <flags> t.c -o t.o
//   objcopy --dump-section .ARM.attributes=t.attr t.o /dev/null; xxd -p t.attr
// and checked against `readelf -A t.o` (binutils 2.40).

// arm-linux-gnueabihf-gcc (default: -march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard -mthumb)
constexpr std::string_view kArmv7HardFloat =
    "4132000000616561626900012800000005372d4100060a0741080109020a041204140115011703180119011a02"
    "1c011e022201";
// arm-linux-gnueabihf-gcc -marm -march=armv6 -mfpu=vfp -mfloat-abi=hard
constexpr std::string_view kArmv6HardFloat =
    "412e00000061656162690001240000000536000606080109010a021204140115011703180119011a021c011e02"
    "2201";
// arm-linux-gnueabi-gcc (default: -march=armv5te -mfloat-abi=soft)
constexpr std::string_view kArmv5teSoftFloat =
    "412a000000616561626900012000000005355445000604080109011204140115011703180119011a021e02";
// arm-linux-gnueabi-gcc -march=armv7-a -mfpu=neon-vfpv4 -mfloat-abi=softfp
constexpr std::string_view kArmv7Softfp =
    "4132000000616561626900012800000005372d4100060a0741080109020a050c021204140115011703180119"
    "011a021e022201";
// arm-linux-gnueabihf-gcc -mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard
constexpr std::string_view kCortexM7 =
    "413100000061656162690001270000000537452d4d00060d074d09020a081204140115011703180119011a021c"
    "011e022201";

TEST(ArmAttributes, Armv7HardFloatObjectMatchesReadelf) {
  const auto r = arm_attributes(from_hex(kArmv7HardFloat));
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.arm.cpu_name, "7-A");
  EXPECT_EQ(r.arm.cpu_arch, "v7");
  EXPECT_EQ(r.arm.cpu_profile, "A");
  EXPECT_EQ(r.arm.fp_arch, "VFPv3-D16");
  EXPECT_EQ(r.arm.simd, "");
  EXPECT_EQ(r.arm.float_abi, "hard");  // Tag_ABI_VFP_args: VFP registers
}

TEST(ArmAttributes, Armv6HardFloatObjectMatchesReadelf) {
  const auto r = arm_attributes(from_hex(kArmv6HardFloat));
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.arm.cpu_name, "6");
  EXPECT_EQ(r.arm.cpu_arch, "v6");
  EXPECT_EQ(r.arm.cpu_profile, "");
  EXPECT_EQ(r.arm.fp_arch, "VFPv2");
  EXPECT_EQ(r.arm.float_abi, "hard");
}

TEST(ArmAttributes, Armv5teSoftFloatObjectHasNoFpAndIsSoft) {
  const auto r = arm_attributes(from_hex(kArmv5teSoftFloat));
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.arm.cpu_name, "5TE");
  EXPECT_EQ(r.arm.cpu_arch, "v5TE");
  EXPECT_EQ(r.arm.fp_arch, "");
  EXPECT_EQ(r.arm.float_abi, "soft");
}

TEST(ArmAttributes, SoftfpObjectHasFpButBaseCallingConvention) {
  const auto r = arm_attributes(from_hex(kArmv7Softfp));
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.arm.cpu_arch, "v7");
  EXPECT_EQ(r.arm.fp_arch, "VFPv4");
  EXPECT_EQ(r.arm.simd, "NEONv2");
  EXPECT_EQ(r.arm.float_abi, "softfp");
}

TEST(ArmAttributes, CortexM7ObjectIsMicrocontrollerWithArmv8FpD16) {
  const auto r = arm_attributes(from_hex(kCortexM7));
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.arm.cpu_name, "7E-M");
  EXPECT_EQ(r.arm.cpu_arch, "v7E-M");
  EXPECT_EQ(r.arm.cpu_profile, "M");
  EXPECT_EQ(r.arm.fp_arch, "FPv5-D16");
  EXPECT_EQ(r.arm.float_abi, "hard");
}

TEST(ArmAttributes, FloatAbiFromEFlagsIsKept) {
  ElfArm from_flags;
  from_flags.float_abi = "soft";
  const auto r = arm_attributes(from_hex(kArmv7HardFloat), Endian::little, from_flags);
  EXPECT_EQ(r.arm.float_abi, "soft");
  EXPECT_EQ(r.arm.cpu_arch, "v7");
}

TEST(ArmAttributes, EveryValueShapeIsSkippedCorrectly) {
  // Tag_CPU_raw_name (NTBS), Tag_compatibility (ULEB flag + NTBS), Tag_nodefaults (64, even ->
  // ULEB), Tag_also_compatible_with (65, odd -> NTBS), unknown 70 (even, two-byte ULEB value),
  // unknown 71 (odd -> NTBS), unknown 130 (two-byte tag, even -> ULEB), unknown 20 (< 32 -> ULEB),
  // and only then the attributes we keep: a wrong value shape anywhere would misread them.
  const Bytes attributes = attr(4, "ML692000") + uleb(32) + uleb(1) + ntbs("gnu") + attr(64, 0) +
                           attr(65, "\x06\x0b") + attr(70, 300) + attr(71, "x y") +
                           attr(130, 5000) + attr(20, 1) + attr(6, 14) + attr(10, 7) +
                           attr(12, 4) + attr(5, "cortex-a53");
  const auto r = arm_attributes(section(subsection("aeabi", scope(1, attributes))));
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.arm.cpu_arch, "v8");
  EXPECT_EQ(r.arm.fp_arch, "FP-ARMv8");
  EXPECT_EQ(r.arm.simd, "ARMv8.1 AdvSIMD");
  EXPECT_EQ(r.arm.cpu_name, "cortex-a53");
  EXPECT_EQ(r.arm.float_abi, "softfp");  // FP present, Tag_ABI_VFP_args omitted (= base AAPCS)
}

TEST(ArmAttributes, NamesEveryArchitectureValueAndFlagsUnknownOnes) {
  const std::vector<std::pair<std::uint64_t, std::string>> cases = {
      {0, "Pre-v4"},          {2, "v4T"},     {9, "v6K"},        {11, "v6-M"},
      {15, "v8-R"},           {17, "v8-M.mainline"},              {20, "v8.3-A"},
      {21, "v8.1-M.mainline"}, {22, "v9"},    {23, "unknown (23)"}};
  for (const auto& [value, name] : cases) {
    const auto r = arm_attributes(section(subsection("aeabi", scope(1, attr(6, value)))));
    EXPECT_EQ(r.arm.cpu_arch, name) << value;
  }
  const auto profile = arm_attributes(section(subsection("aeabi", scope(1, attr(7, 'X')))));
  EXPECT_EQ(profile.arm.cpu_profile, "unknown (88)");
}

TEST(ArmAttributes, OtherVendorsAndSectionScopesAreSkipped) {
  const Bytes gnu = subsection("gnu", scope(1, attr(6, 1)));
  const Bytes aeabi = subsection(
      "aeabi", scope(2, uleb(1) + uleb(0) + attr(6, 3)) + scope(1, attr(6, 10)) +
                   scope(3, uleb(7) + uleb(0) + attr(10, 2)) + scope(9, attr(6, 1)));
  const auto r = arm_attributes(section(gnu + aeabi));
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.arm.cpu_arch, "v7");
  EXPECT_EQ(r.arm.fp_arch, "");
}

TEST(ArmAttributes, ReadsBigEndianLengths) {
  const Endian big = Endian::big;
  const auto r = arm_attributes(section(subsection("aeabi", scope(1, attr(6, 8), big), big)), big);
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.arm.cpu_arch, "v6T2");
}

TEST(ArmAttributes, HostileTextIsMadePrintable) {
  const auto r = arm_attributes(section(subsection("aeabi", scope(1, attr(5, "a\x1b[2J\xff")))));
  EXPECT_EQ(r.arm.cpu_name, "a\\x1b[2J\\xff");
}

// --- Malformed sections: exact warnings, and what was read before the fault is kept. ---

Strings arm_warnings(const Bytes& bytes) { return arm_attributes(bytes).warnings; }

TEST(ArmAttributesMalformed, EmptySection) {
  EXPECT_EQ(arm_warnings({}),
            Strings{"truncated: ARM attributes format version needs 1 bytes, 0 remain (at offset "
                    "0x100)"});
}

TEST(ArmAttributesMalformed, BadFormatVersion) {
  EXPECT_EQ(arm_warnings({'B', 0, 0, 0, 0}),
            Strings{"malformed: ARM attributes format version 0x42 is not 'A' (0x41) (at offset "
                    "0x100)"});
}

TEST(ArmAttributesMalformed, TruncatedSubsectionLength) {
  EXPECT_EQ(arm_warnings({'A', 9, 0}),
            Strings{"truncated: ARM attributes subsection length needs 4 bytes, 2 remain (at "
                    "offset 0x101)"});
}

TEST(ArmAttributesMalformed, SubsectionLengthZero) {
  EXPECT_EQ(arm_warnings(section(u32(0) + ntbs("aeabi"))),
            Strings{"malformed: ARM attributes subsection length 0 is smaller than its 4-byte "
                    "field (at offset 0x101)"});
}

TEST(ArmAttributesMalformed, SubsectionLengthPastTheEnd) {
  EXPECT_EQ(arm_warnings(section(u32(100) + ntbs("aeabi"))),
            Strings{"truncated: ARM attributes subsection needs 96 bytes, 6 remain (at offset "
                    "0x105)"});
}

TEST(ArmAttributesMalformed, HugeSubsectionLengthStopsAtOnce) {
  EXPECT_EQ(arm_warnings(section(u32(0xffffffff) + ntbs("aeabi"))),
            Strings{"truncated: ARM attributes subsection needs 4294967291 bytes, 6 remain (at "
                    "offset 0x105)"});
}

TEST(ArmAttributesMalformed, UnterminatedVendorName) {
  const Bytes bytes = section(u32(9) + Bytes{'a', 'e', 'a', 'b', 'i'});
  EXPECT_EQ(arm_warnings(bytes),
            Strings{"truncated: ARM attributes vendor name is not NUL-terminated before the end "
                    "of its data (at offset 0x105)"});
}

TEST(ArmAttributesMalformed, ScopeLengthSmallerThanItsHeader) {
  // The scope starts after 'A' (1), the subsection length (4) and "aeabi\0" (6): offset 0x10b.
  const Bytes bytes = section(subsection("aeabi", uleb(1) + u32(3) + attr(6, 10)));
  EXPECT_EQ(arm_warnings(bytes),
            Strings{"malformed: ARM attributes scope length 3 is smaller than its 5-byte header "
                    "(at offset 0x10b)"});
}

TEST(ArmAttributesMalformed, ScopePastTheEndOfItsSubsection) {
  const Bytes bytes = section(subsection("aeabi", uleb(1) + u32(40) + attr(6, 10)));
  EXPECT_EQ(arm_warnings(bytes),
            Strings{"truncated: ARM attributes scope needs 35 bytes, 2 remain (at offset 0x110)"});
}

TEST(ArmAttributesMalformed, TruncatedScopeLength) {
  const Bytes bytes = section(subsection("aeabi", uleb(1) + Bytes{5, 0}));
  EXPECT_EQ(arm_warnings(bytes),
            Strings{"truncated: ARM attributes scope length needs 4 bytes, 2 remain (at offset "
                    "0x10c)"});
}

TEST(ArmAttributesMalformed, UlebOverflowInATag) {
  const Bytes overlong(10, 0xff);
  const Bytes attributes = attr(6, 10) + overlong + Bytes{1};
  const auto r = arm_attributes(section(subsection("aeabi", scope(1, attributes))));
  EXPECT_EQ(r.warnings,
            Strings{"malformed: ARM attributes tag: LEB128 value overflows 64 bits (at offset "
                    "0x112)"});
  EXPECT_EQ(r.arm.cpu_arch, "v7");  // read before the fault
}

TEST(ArmAttributesMalformed, UnterminatedString) {
  const Bytes bytes = section(subsection("aeabi", scope(1, uleb(5) + Bytes{'7', '-', 'A'})));
  EXPECT_EQ(arm_warnings(bytes),
            Strings{"truncated: ARM attributes tag 5 value is not NUL-terminated before the end "
                    "of its data (at offset 0x111)"});
}

TEST(ArmAttributesMalformed, MissingValue) {
  const Bytes bytes = section(subsection("aeabi", scope(1, uleb(6))));
  EXPECT_EQ(arm_warnings(bytes),
            Strings{"truncated: ARM attributes tag 6 value needs 1 bytes, 0 remain (at offset "
                    "0x111)"});
}

TEST(ArmAttributesMalformed, NoInferenceWithoutAttributes) {
  const auto r = arm_attributes(section(subsection("gnu", scope(1, attr(28, 1)))));
  EXPECT_EQ(r.warnings, Strings{});
  EXPECT_EQ(r.arm.float_abi, "");
}

// --- RISC-V ---

// riscv64-linux-gnu-gcc -c -O2 t.c; objcopy --dump-section .riscv.attributes=...; readelf -A:
// Tag_RISCV_stack_align: 16-bytes, Tag_RISCV_arch: "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_
// zifencei2p0_zmmul1p0".
constexpr std::string_view kRiscv64 =
    "41520000007269736376000148000000041005727636346932703"
    "15f6d3270305f613270315f663270325f643270325f633270305f7a696373723270305f7a6966656e63656932"
    "70305f7a6d6d756c31703000";

TEST(RiscvAttributes, Rv64gcObjectMatchesReadelf) {
  ElfRiscv riscv;
  Strings warnings;
  const Bytes bytes = from_hex(kRiscv64);
  parse_riscv_attributes(ByteView(bytes), Endian::little, riscv, warnings);
  EXPECT_EQ(warnings, Strings{});
  EXPECT_EQ(riscv.arch, "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0_zmmul1p0");
}

TEST(RiscvAttributes, OddTagsAreStringsEvenTagsNumbersAndOtherVendorsSkipped) {
  const Bytes attributes = attr(4, 16) + attr(6, 1) + attr(8, 2) + attr(9, "private") +
                           attr(16, 300) + attr(5, "rv32imac");
  const Bytes bytes =
      section(subsection("aeabi", scope(1, attr(5, "rv64gc"))) +
              subsection("riscv", scope(1, attributes)));
  ElfRiscv riscv;
  Strings warnings;
  parse_riscv_attributes(ByteView(bytes), Endian::little, riscv, warnings);
  EXPECT_EQ(warnings, Strings{});
  EXPECT_EQ(riscv.arch, "rv32imac");
}

TEST(RiscvAttributes, MalformedSectionsNameTheRiscvSection) {
  ElfRiscv riscv;
  Strings warnings;
  const Bytes bad_version{'B'};
  parse_riscv_attributes(ByteView(bad_version, 0x40), Endian::little, riscv, warnings);
  const Bytes unterminated = section(subsection("riscv", scope(1, uleb(5) + Bytes{'r', 'v'})));
  parse_riscv_attributes(ByteView(unterminated, 0x40), Endian::little, riscv, warnings);
  EXPECT_EQ(warnings,
            (Strings{"malformed: RISC-V attributes format version 0x42 is not 'A' (0x41) (at "
                     "offset 0x40)",
                     "truncated: RISC-V attributes tag 5 value is not NUL-terminated before the "
                     "end of its data (at offset 0x51)"}));
  EXPECT_EQ(riscv.arch, "");
}

// --- MIPS .MIPS.abiflags ---

Bytes abiflags(std::uint8_t level, std::uint8_t revision, std::uint8_t fp_abi) {
  Bytes out(24, 0);
  out[2] = level;
  out[3] = revision;
  out[4] = 1;  // gpr_size 32
  out[7] = fp_abi;
  return out;
}

ElfMips mips_abiflags(const Bytes& bytes, ElfMips mips = {}) {
  Strings warnings;
  parse_mips_abiflags(ByteView(bytes), Endian::big, mips, warnings);
  EXPECT_EQ(warnings, Strings{});
  return mips;
}

TEST(MipsAbiFlags, IsaFromLevelAndRevision) {
  EXPECT_EQ(mips_abiflags(abiflags(32, 2, 1)).isa, "mips32r2");
  EXPECT_EQ(mips_abiflags(abiflags(64, 6, 1)).isa, "mips64r6");
  EXPECT_EQ(mips_abiflags(abiflags(32, 1, 1)).isa, "mips32");
  EXPECT_EQ(mips_abiflags(abiflags(1, 0, 1)).isa, "mips1");
  EXPECT_EQ(mips_abiflags(abiflags(32, 5, 1)).isa, "mips32r5");
  EXPECT_EQ(mips_abiflags(abiflags(7, 0, 1)).isa, "ISA level 7 revision 0");
}

TEST(MipsAbiFlags, FloatAbiFromFpAbi) {
  EXPECT_EQ(mips_abiflags(abiflags(32, 2, 1)).float_abi, "hard");
  EXPECT_EQ(mips_abiflags(abiflags(32, 2, 2)).float_abi, "single");
  EXPECT_EQ(mips_abiflags(abiflags(32, 2, 3)).float_abi, "soft");
  EXPECT_EQ(mips_abiflags(abiflags(32, 2, 5)).float_abi, "fpxx");
  EXPECT_EQ(mips_abiflags(abiflags(32, 2, 6)).float_abi, "fp64");
  EXPECT_EQ(mips_abiflags(abiflags(32, 2, 7)).float_abi, "fp64a");
  EXPECT_EQ(mips_abiflags(abiflags(32, 2, 9)).float_abi, "unknown (9)");
  ElfMips from_flags;
  from_flags.float_abi = "fp64";
  EXPECT_EQ(mips_abiflags(abiflags(32, 2, 0), from_flags).float_abi, "fp64");  // FP_ANY: no news
}

TEST(MipsAbiFlags, ShortRecordWarns) {
  ElfMips mips;
  Strings warnings;
  const Bytes bytes(10, 0);
  parse_mips_abiflags(ByteView(bytes, 0x40), Endian::little, mips, warnings);
  EXPECT_EQ(warnings,
            Strings{"truncated: MIPS ABI flags needs 24 bytes, 10 remain (at offset 0x40)"});
  EXPECT_EQ(mips.isa, "");
}

// --- e_flags ---

ElfDetails decoded(std::uint16_t machine, std::uint32_t flags, int bits = 32,
                   std::uint64_t entry = 0) {
  ElfDetails details;
  details.e_machine = machine;
  details.e_flags = flags;
  details.entry = entry;
  decode_machine_flags(details, bits);
  return details;
}

TEST(MachineFlags, ArmEabi5HardFloatWithThumbEntry) {
  const auto d = decoded(40, 0x05000400, 32, 0x10451);
  EXPECT_EQ(d.flags, (Strings{"EABI5", "hard-float"}));
  ASSERT_TRUE(d.arm);
  EXPECT_EQ(d.arm->eabi_version, 5);
  EXPECT_EQ(d.arm->float_abi, "hard");
  EXPECT_TRUE(d.arm->thumb_entry);
}

TEST(MachineFlags, ArmEabi5SoftFloatAndBe8) {
  const auto d = decoded(40, 0x05800200, 32, 0x10450);
  EXPECT_EQ(d.flags, (Strings{"EABI5", "BE8", "soft-float"}));
  EXPECT_EQ(d.arm->float_abi, "soft");
  EXPECT_FALSE(d.arm->thumb_entry);
}

TEST(MachineFlags, ArmObjectWithoutFloatBitsLeavesAttributesAlone) {
  ElfDetails details;
  details.e_machine = 40;
  details.e_flags = 0x05000000;
  details.arm.emplace().float_abi = "softfp";  // read from .ARM.attributes first
  details.arm->cpu_arch = "v7";
  decode_machine_flags(details, 32);
  EXPECT_EQ(details.flags, Strings{"EABI5"});
  EXPECT_EQ(details.arm->float_abi, "softfp");
  EXPECT_EQ(details.arm->cpu_arch, "v7");
}

TEST(MachineFlags, ArmEabi4HasNoFloatBits) {
  const auto d = decoded(40, 0x04000400);
  EXPECT_EQ(d.flags, Strings{"EABI4"});
  EXPECT_EQ(d.arm->float_abi, "");
}

TEST(MachineFlags, ArmOldAbi) {
  const auto soft = decoded(40, 0x00000200);
  EXPECT_EQ(soft.flags, (Strings{"OABI", "soft-float"}));
  EXPECT_EQ(soft.arm->eabi_version, 0);
  EXPECT_EQ(soft.arm->float_abi, "soft");
  const auto apcs = decoded(40, 0x00000418);
  EXPECT_EQ(apcs.flags, (Strings{"OABI", "APCS-26", "APCS-float", "VFP-float"}));
  EXPECT_EQ(apcs.arm->float_abi, "hard");
}

TEST(MachineFlags, MipsO32PicMips32r2) {
  const auto d = decoded(8, 0x70001007, 32);
  EXPECT_EQ(d.flags, (Strings{"mips32r2", "o32", "pic", "cpic"}));
  ASSERT_TRUE(d.mips);
  EXPECT_EQ(d.mips->isa, "mips32r2");
  EXPECT_EQ(d.mips->abi, "o32");
  EXPECT_TRUE(d.mips->pic);
  EXPECT_TRUE(d.mips->cpic);
  EXPECT_FALSE(d.mips->nan2008);
  EXPECT_EQ(d.mips->float_abi, "");
}

TEST(MachineFlags, MipsAbisFromClassAndFlags) {
  EXPECT_EQ(decoded(8, 0x60000020, 32).mips->abi, "n32");
  EXPECT_EQ(decoded(8, 0x80000007, 64).mips->abi, "n64");
  EXPECT_EQ(decoded(8, 0x00000000, 32).mips->abi, "o32");
  EXPECT_EQ(decoded(8, 0x20002000, 64).mips->abi, "o64");
  EXPECT_EQ(decoded(8, 0x00003000, 32).mips->abi, "eabi32");
  EXPECT_EQ(decoded(10, 0x00004000, 64).mips->abi, "eabi64");
  EXPECT_EQ(decoded(8, 0x00005000, 32).mips->abi, "ABI 0x5");
}

TEST(MachineFlags, MipsNan2008Fp64AndIsaNames) {
  const auto d = decoded(8, 0x90001600, 32);
  EXPECT_EQ(d.flags, (Strings{"mips32r6", "o32", "nan2008", "fp64"}));
  EXPECT_EQ(d.mips->float_abi, "fp64");
  EXPECT_TRUE(d.mips->nan2008);
  EXPECT_EQ(decoded(8, 0xa0000000, 64).mips->isa, "mips64r6");
  EXPECT_EQ(decoded(8, 0x40000000, 64).mips->isa, "mips5");
  EXPECT_EQ(decoded(8, 0xb0000000, 64).mips->isa, "arch 0xb");
  EXPECT_EQ(decoded(8, 0x72001000, 32).flags, (Strings{"mips32r2", "o32", "micromips"}));
}

TEST(MachineFlags, MipsAbiFlagsReadFirstWin) {
  ElfDetails details;
  details.e_machine = 8;
  details.e_flags = 0x70001200;  // mips32r2, FP64
  details.mips.emplace();
  details.mips->isa = "mips32r5";
  details.mips->float_abi = "fpxx";
  decode_machine_flags(details, 32);
  EXPECT_EQ(details.mips->isa, "mips32r5");
  EXPECT_EQ(details.mips->float_abi, "fpxx");
  EXPECT_EQ(details.flags, (Strings{"mips32r2", "o32", "fp64"}));
}

TEST(MachineFlags, RiscV) {
  const auto d = decoded(243, 0x5, 64);
  EXPECT_EQ(d.flags, (Strings{"RVC", "double-float ABI"}));
  ASSERT_TRUE(d.riscv);
  EXPECT_TRUE(d.riscv->rvc);
  EXPECT_EQ(d.riscv->float_abi, "double");
  const auto all = decoded(243, 0x1f, 32);
  EXPECT_EQ(all.flags, (Strings{"RVC", "quad-float ABI", "RVE", "TSO"}));
  EXPECT_TRUE(all.riscv->rve);
  EXPECT_TRUE(all.riscv->tso);
  EXPECT_EQ(decoded(243, 0x0, 64).riscv->float_abi, "soft");
  EXPECT_EQ(decoded(243, 0x2, 64).riscv->float_abi, "single");
}

TEST(MachineFlags, Ppc64ElfAbiVersion) {
  const auto v2 = decoded(21, 0x2, 64);
  EXPECT_EQ(v2.ppc64_abi, 2);
  EXPECT_EQ(v2.flags, Strings{"ELFv2"});
  const auto unstated = decoded(21, 0x0, 64);
  EXPECT_EQ(unstated.ppc64_abi, 0);
  EXPECT_EQ(unstated.flags, Strings{});
}

TEST(MachineFlags, LoongArch) {
  const auto d = decoded(258, 0x43, 64);
  ASSERT_TRUE(d.loongarch);
  EXPECT_EQ(d.loongarch->float_abi, "double");
  EXPECT_EQ(d.loongarch->object_abi, 1);
  EXPECT_EQ(d.flags, (Strings{"double-float ABI", "object ABI v1"}));
  EXPECT_EQ(decoded(258, 0x1, 64).loongarch->float_abi, "soft");
  EXPECT_EQ(decoded(258, 0x2, 64).loongarch->float_abi, "single");
  const auto reserved = decoded(258, 0x5, 64);
  EXPECT_EQ(reserved.loongarch->float_abi, "");
  EXPECT_EQ(reserved.flags, (Strings{"reserved base ABI 5", "object ABI v0"}));
}

TEST(MachineFlags, OtherMachinesGetNoArchFacts) {
  const auto d = decoded(62, 0x0, 64);
  EXPECT_EQ(d.flags, Strings{});
  EXPECT_FALSE(d.arm || d.mips || d.riscv || d.ppc64_abi || d.loongarch);
}

TEST(MachineFlags, DecodingTwiceDoesNotRepeatWords) {
  ElfDetails details;
  details.e_machine = 243;
  details.e_flags = 0x5;
  decode_machine_flags(details, 64);
  decode_machine_flags(details, 64);
  EXPECT_EQ(details.flags, (Strings{"RVC", "double-float ABI"}));
}

}  // namespace
}  // namespace enoexec::elf

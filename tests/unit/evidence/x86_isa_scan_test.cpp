#include "evidence/x86_isa_scan.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Encodings below were produced with GNU as 2.40 (`as --64`) and read back with
// `objdump -d --insn-width=16`, unless a comment says they were written by hand from the opcode
// maps (encodings binutils 2.40 does not know, and invalid ones).
namespace enoexec::x86 {
namespace {

std::vector<std::uint8_t> hex(std::string_view text) {
  std::vector<std::uint8_t> bytes;
  auto digit = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == ' ') continue;
    bytes.push_back(static_cast<std::uint8_t>(digit(text[i]) * 16 + digit(text[i + 1])));
    ++i;
  }
  return bytes;
}

ByteView view(const std::vector<std::uint8_t>& bytes, std::uint64_t file_offset = 0) {
  return ByteView({bytes.data(), bytes.size()}, file_offset);
}

std::vector<std::uint8_t> repeat(std::string_view text, int times) {
  std::vector<std::uint8_t> bytes;
  const std::vector<std::uint8_t> one = hex(text);
  for (int i = 0; i < times; ++i) bytes.insert(bytes.end(), one.begin(), one.end());
  return bytes;
}

std::vector<std::uint8_t> concat(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct LengthCase {
  const char* bytes;
  std::uint32_t length;  // 0: does not decode
};

void expect_lengths(std::initializer_list<LengthCase> cases) {
  for (const LengthCase& c : cases) {
    const auto code = hex(c.bytes);
    EXPECT_EQ(decode_x86_64(view(code), 0).length, c.length) << c.bytes;
  }
}

struct ClassCase {
  const char* bytes;  // exactly one instruction
  int level;
  const char* feature;
};

void expect_classes(std::initializer_list<ClassCase> cases) {
  for (const ClassCase& c : cases) {
    const auto code = hex(c.bytes);
    const Instruction insn = decode_x86_64(view(code), 0);
    EXPECT_EQ(insn.length, code.size()) << c.bytes;
    EXPECT_EQ(insn.level, c.level) << c.bytes;
    EXPECT_EQ(std::string(insn.feature), c.feature) << c.bytes;
  }
}

TEST(X86Decode, ImmediateSizesFollowOperandSizeAndRexW) {
  expect_lengths({
      {"b8 78 56 34 12", 5},                    // mov $imm32, %eax
      {"66 b8 34 12", 4},                       // mov $imm16, %ax
      {"48 b8 88 77 66 55 44 33 22 11", 10},    // movabs $imm64, %rax
      {"66 48 b8 88 77 66 55 44 33 22 11", 11}, // REX.W wins over 66
      {"48 66 b8 34 12", 5},                    // (by hand) a REX before 66 is ignored
      {"05 78 56 34 12", 5},                    // add $imm32, %eax
      {"66 05 34 12", 4},
      {"48 05 78 56 34 12", 6},                 // REX.W keeps Iz at 32 bits
      {"68 78 56 34 12", 5}, {"66 68 34 12", 4}, {"6a 12", 2},
      {"66 69 d0 34 12", 5},                    // imul $imm16, %ax, %dx
      {"48 6b d1 12", 4},
      {"48 81 c0 78 56 34 12", 7}, {"66 81 c0 34 12", 5}, {"83 c0 12", 3},
      {"c2 08 00", 3}, {"ca 08 00", 3},         // ret / lret $imm16
      {"c8 20 00 01", 4},                       // enter $0x20, $1
  });
}

TEST(X86Decode, GroupThreeHasAnImmediateOnlyForTest) {
  expect_lengths({
      {"f6 07 7f", 3},                    // testb $0x7f, (%rdi)
      {"f6 c8 7f", 3},                    // (by hand) F6 /1, an alias of TEST
      {"66 f7 47 10 34 12", 6},           // testw $0x1234, 0x10(%rdi)
      {"f7 44 cd 80 78 56 34 12", 8},     // testl $imm32, -0x80(%rbp,%rcx,8)
      {"f7 d0", 2},                       // not %eax
      {"f7 d8", 2},                       // neg %eax
      {"f6 37", 2},                       // div (%rdi)
  });
}

TEST(X86Decode, AddressingFormsAndAddressSize) {
  expect_lengths({
      {"8b 04 24", 3},                    // mov (%rsp), %eax
      {"8b 44 24 08", 4},
      {"8b 84 24 00 01 00 00", 7},
      {"48 8d 35 00 00 00 00", 7},        // lea 0(%rip), %rsi
      {"8b 14 8d 78 56 34 12", 7},        // SIB without base: disp32
      {"8b 44 25 08", 4},                 // SIB base rbp with mod 1: disp8
      {"67 8b 00", 3},                    // 32-bit addressing keeps the 64-bit forms
      {"64 48 8b 04 25 28 00 00 00", 9},  // mov %fs:0x28, %rax
      {"2e 66 0f 1f 04 00", 6},           // cs nopw (%rax,%rax,1)
      {"a1 88 77 66 55 44 33 22 11", 9},  // movabs 0x1122334455667788, %eax
      {"67 a1 44 33 22 11", 6},           // addr32 mov 0x11223344, %eax
      {"48 a3 88 77 66 55 44 33 22 11", 10},
      {"0f 20 00", 3},                    // mov %cr0, %rax: the mod field is ignored
      {"f0 0f b1 0a", 4},                 // lock cmpxchg %ecx, (%rdx)
      {"f3 48 ab", 3},                    // rep stos
  });
}

TEST(X86Decode, BranchesAndInstructionsInvalidInLongMode) {
  expect_lengths({
      {"e8 0b 00 00 00", 5}, {"e9 fb 00 00 00", 5}, {"eb 10", 2},
      {"0f 84 fa 0f 00 00", 6}, {"75 e5", 2}, {"e3 10", 2},
      {"ff 2c 24", 3},                    // ljmp *(%rsp): the far form that remains
      {"ea 00 00 00 00 10 00", 0},        // (by hand) jmp ptr16:32
      {"9a 00 00 00 00 10 00", 0},        // call ptr16:32
      {"06", 0}, {"07", 0}, {"0e", 0}, {"27", 0}, {"37", 0}, {"60", 0}, {"61", 0},
      {"82 c0 01", 0}, {"ce", 0}, {"d4 0a", 0}, {"d6", 0},
      {"8d c0", 0},                       // lea needs memory
      {"c6 c8 01", 0},                    // C6 /1
      {"fe d0", 0},                       // FE /2
      {"8f e0", 0},                       // 8F /4: neither POP nor XOP
  });
}

TEST(X86Decode, EscapeMapsAndVectorEncodings) {
  expect_lengths({
      {"0f 05", 2}, {"0f 0b", 2}, {"0f 1f 44 00 00", 5},
      {"66 0f 1f 84 00 00 00 00 00", 9},
      {"0f ba e0 05", 4},                 // bt $5, %eax
      {"48 0f a4 c2 04", 5},              // shld $4
      {"0f c6 c1 44", 4},                 // shufps $0x44
      {"66 0f 70 c1 1b", 5},              // pshufd $0x1b
      {"66 0f 3a 0f c1 08", 6},           // palignr: 0F 3A always has an imm8
      {"66 0f 38 00 c1", 5},
      {"0f 0f c1 9e", 4},                 // 3DNow! pfadd: the imm8 is the opcode
      {"66 0f 78 c0 01 02", 6},           // SSE4a extrq $2, $1
      {"f2 0f 78 c1 03 04", 6},           // SSE4a insertq
      {"c5 f8 77", 3},                    // vzeroupper: no ModRM
      {"c5 fd 70 c1 1b", 5},              // vpshufd $0x1b, %ymm1, %ymm0
      {"c4 e3 7d 38 c1 01", 6},           // vinserti128
      {"c4 a2 42 f7 7c 06 04", 7},        // sarx with SIB and disp8
      {"62 f1 75 29 72 24 06 02", 8},     // vpsrad $2, (%rsi,%rax), %ymm1{%k1}
      {"62 f1 7c 48 28 c1", 6},           // vmovaps %zmm1, %zmm0
      {"8f e8 50 cf 4c 01 10 00", 8},     // XOP map 8: vpcomltq, imm8
      {"8f e9 78 81 c0", 5},              // (by hand) XOP map 9: vfrczpd, no immediate
      {"8f ea 78 10 c0 01 00 00 00", 9},  // (by hand) XOP map 10: bextr $imm32
      {"8f c0", 2},                       // pop %rax
      {"c4 e7 7b f8 c0 01 00 00 00", 9},  // (by hand) VEX map 7 (USER_MSR): imm32
      {"c4 e0 7d 28 c1", 0},              // (by hand) VEX map 0 does not exist
      {"c5 f9 f9 c1", 4},                 // vpsubw %xmm1, %xmm0, %xmm0 (VEX.66)
      {"c5 9c f9 11", 0},                 // data in Go 1.19's .text: VEX.NP 0F F9 does not exist
      {"c5 f9 77", 0},                    // (by hand) VEX.66 0F 77 does not exist
      {"62 f0 7c 48 28 c1", 0},           // (by hand) EVEX map 0
      {"62 f7 7c 48 28 c1", 0},           // (by hand) EVEX map 7
  });
}

TEST(X86Decode, ApxEncodingsAreDecodedForTheirLength) {
  // By hand from the APX specification: REX2 (D5) and EVEX map 4.
  expect_lengths({
      {"d5 08 01 c0", 4},                    // add %rax, %rax with REX2
      {"62 f4 7c 18 81 c0 01 00 00 00", 10}, // promoted add $imm32
      {"62 f4 7d 18 81 c0 01 00", 8},        // pp = 66: imm16
      {"62 f4 7c 18 24 c0 05", 7},           // shld $imm8
  });
  expect_classes({{"f3 d5 88 b8 c7", 2, "POPCNT"}});  // REX2 keeps the map-1 classification
}

TEST(X86Decode, NeverReadsPastTheViewOrFifteenBytes) {
  const auto movabs = hex("48 b8 01 02 03 04 05 06 07 08");
  EXPECT_EQ(decode_x86_64(view(movabs), 0).length, 10u);
  const ByteView short_by_one({movabs.data(), movabs.size() - 1});
  EXPECT_EQ(decode_x86_64(short_by_one, 0).length, 0u);
  EXPECT_EQ(decode_x86_64(view(movabs), 10).length, 0u);  // offset at the end
  EXPECT_EQ(decode_x86_64(view(movabs), 99).length, 0u);
  expect_lengths({{"c5", 0}, {"c4 e2", 0}, {"62 f1 7c", 0}, {"0f", 0}, {"0f 38", 0},
                  {"66", 0}, {"8b 84 24 00 01", 0}, {"", 0}});
  const auto fourteen_prefixes = concat(repeat("66", 14), hex("90"));
  EXPECT_EQ(decode_x86_64(view(fourteen_prefixes), 0).length, 15u);
  const auto fifteen_prefixes = concat(repeat("66", 15), hex("90"));
  EXPECT_EQ(decode_x86_64(view(fifteen_prefixes), 0).length, 0u);
}

TEST(X86Classify, LevelTwoFeatures) {
  expect_classes({
      {"f3 48 0f b8 c7", 2, "POPCNT"},
      {"f2 48 0f 38 f1 c7", 2, "SSE4.2"},      // crc32 %rdi, %rax
      {"66 f2 0f 38 f1 c7", 2, "SSE4.2"},      // crc32 %di, %eax: F2 beats 66
      {"66 0f 3a 63 c1 0a", 2, "SSE4.2"},      // pcmpistri
      {"66 0f 38 37 c4", 2, "SSE4.2"},         // pcmpgtq
      {"66 0f 38 17 c1", 2, "SSE4.1"},         // ptest
      {"66 0f 3a 0b c1 04", 2, "SSE4.1"},      // roundsd
      {"66 0f 38 30 c1", 2, "SSE4.1"},         // pmovzxbw
      {"66 0f 38 00 c1", 2, "SSSE3"},          // pshufb %xmm
      {"0f 38 00 c1", 2, "SSSE3"},             // pshufb %mm
      {"66 0f 38 1c c1", 2, "SSSE3"},          // pabsb
      {"66 0f 3a 0f c1 08", 2, "SSSE3"},       // palignr
      {"f2 0f 7c c1", 2, "SSE3"},              // haddps
      {"66 0f 7d c1", 2, "SSE3"},              // hsubpd
      {"f3 0f 12 d0", 2, "SSE3"},              // movsldup
      {"f3 0f 16 d0", 2, "SSE3"},              // movshdup
      {"f2 0f 12 d0", 2, "SSE3"},              // movddup
      {"f2 0f f0 08", 2, "SSE3"},              // lddqu
      {"66 0f d0 c1", 2, "SSE3"},              // addsubpd
      {"dd 08", 2, "SSE3"},                    // fisttpll (%rax)
      {"db 08", 2, "SSE3"},                    // fisttpl
      {"df 08", 2, "SSE3"},                    // fisttps
      {"48 0f c7 0f", 2, "CMPXCHG16B"},
      {"9f", 2, "LAHF-SAHF"},
      {"9e", 2, "LAHF-SAHF"},
  });
}

TEST(X86Classify, OutsideTheLevelsOrNotToldApartFromV1) {
  expect_classes({
      {"0f 01 c8", 1, ""},                     // monitor: its own CPUID bit, not SSE3's
      {"0f 01 c9", 1, ""},                     // mwait
      {"0f 01 d0", 1, ""},                     // xgetbv: runtime dispatch probes
      {"66 0f 3a 44 c1 00", 1, ""},            // pclmulqdq
      {"66 0f 38 dc c1", 1, ""},               // aesenc
      {"f3 48 0f bc c7", 1, ""},               // tzcnt = rep bsf in generic code
      {"0f 12 c1", 1, ""},                     // movhlps (0F 12 without F2/F3)
      {"0f c7 0f", 1, ""},                     // cmpxchg8b: no REX.W
      {"48 0f c7 f0", 1, ""},                  // rdrand %rax
      {"48 0f bd c7", 1, ""},                  // bsr
      {"dd c8", 1, ""},                        // (by hand) DD /1 register form: not FISTTP
      {"0f 0f c1 9e", 1, ""},                  // 3DNow!
      {"8f e8 50 cf 4c 01 10 00", 1, ""},      // XOP
      {"c4 e7 7b f8 c0 01 00 00 00", 1, ""},   // VEX map 7
      {"62 f4 7c 18 81 c0 01 00 00 00", 1, ""},// APX EVEX map 4
      {"f3 0f 1e fa", 1, ""},                  // endbr64
  });
}

TEST(X86Classify, LevelThreeFeatures) {
  expect_classes({
      {"f3 48 0f bd c7", 3, "LZCNT"},
      {"0f 38 f0 07", 3, "MOVBE"},             // movbe (%rdi), %eax
      {"66 0f 38 f0 07", 3, "MOVBE"},          // movbe (%rdi), %ax
      {"c5 fc 58 c1", 3, "AVX"},               // vaddps %ymm
      {"c5 fd fe c1", 3, "AVX2"},              // vpaddd %ymm
      {"c5 f9 fe c1", 3, "AVX"},               // vpaddd %xmm
      {"c5 fd 70 c1 1b", 3, "AVX2"},           // vpshufd %ymm
      {"c5 f9 70 c1 1b", 3, "AVX"},            // vpshufd %xmm
      {"c4 e2 7d 36 c1", 3, "AVX2"},           // vpermd
      {"c4 e3 fd 00 c1 4e", 3, "AVX2"},        // vpermq
      {"c4 e3 7d 38 c1 01", 3, "AVX2"},        // vinserti128
      {"c4 e2 7d 18 d0", 3, "AVX2"},           // vbroadcastss %xmm0, %ymm2
      {"c4 e2 7d 18 00", 3, "AVX"},            // vbroadcastss (%rax), %ymm0
      {"c4 e2 f1 b9 c1", 3, "FMA"},            // vfmadd231sd
      {"c4 e3 f1 68 c3 20", 3, "FMA4"},        // vfmaddps (AMD)
      {"c4 e2 79 13 c1", 3, "F16C"},           // vcvtph2ps
      {"c4 e3 79 1d c8 00", 3, "F16C"},        // vcvtps2ph
      {"c4 e2 60 f2 c1", 3, "BMI1"},           // andn
      {"c4 e2 78 f3 c9", 3, "BMI1"},           // blsr
      {"c4 e2 70 f7 c3", 3, "BMI1"},           // bextr
      {"c4 e2 70 f5 c3", 3, "BMI2"},           // bzhi
      {"c4 e2 63 f5 c1", 3, "BMI2"},           // pdep
      {"c4 e2 e3 f6 c1", 3, "BMI2"},           // mulx
      {"c4 e2 71 f7 c3", 3, "BMI2"},           // shlx
      {"c4 a2 42 f7 7c 06 04", 3, "BMI2"},     // sarx
      {"c4 e3 7b f0 c1 05", 3, "BMI2"},        // rorx
      {"c5 f8 77", 3, "AVX"},                  // vzeroupper
  });
}

TEST(X86Classify, LevelFourFeatures) {
  expect_classes({
      {"62 f1 7c 48 28 c1", 4, "AVX512F"},          // vmovaps %zmm1, %zmm0
      {"62 f1 75 29 72 24 06 02", 4, "AVX512F"},    // vpsrad with a mask, EVEX.256
      {"62 f5 7c 48 58 c1", 4, "AVX512-FP16"},      // vaddph (map 5)
      {"c5 f8 92 c8", 4, "AVX512F"},                // kmovw %eax, %k1: VEX, yet AVX-512
      {"c5 f4 41 da", 4, "AVX512F"},                // kandw
  });
}

TEST(X86Scan, StaysInStepThroughMixedCodeAndReportsTheFirstRaise) {
  // mix.s: level-1 instructions of every length class, then lzcnt and vpaddd %ymm.
  const std::vector<std::string_view> pieces = {
      "55", "48 89 e5", "48 b8 88 77 66 55 44 33 22 11", "66 b8 34 12", "b8 78 56 34 12",
      "66 05 34 12", "48 05 78 56 34 12", "f6 07 7f", "66 f7 47 10 34 12",
      "f7 44 cd 80 78 56 34 12", "f7 d0", "c8 20 00 01", "c9", "64 48 8b 04 25 28 00 00 00",
      "a1 88 77 66 55 44 33 22 11", "67 a1 44 33 22 11", "48 8d 35 00 00 00 00",
      "8b 14 8d 78 56 34 12", "f0 0f b1 0a", "f3 48 ab", "66 69 d0 34 12", "48 6b d1 12",
      "49 c1 e1 03", "2e 66 0f 1f 04 00", "f2 0f 10 44 24 08", "f2 48 0f 2a c8",
      "66 0f 70 c1 1b", "0f c6 c1 44", "0f ba e0 05", "48 0f a4 c2 04", "48 0f 45 c1",
      "0f 94 c0", "66 90", "c2 08 00", "e9 fb 00 00 00", "0f 84 fa 0f 00 00",
      "e8 0b 00 00 00", "cc", "0f 05", "0f 0b",
      "f3 48 0f bd d8",  // lzcnt %rax, %rbx: offset 0xb7
      "c5 fd fe c1"};
  std::vector<std::uint8_t> code;
  std::vector<std::uint64_t> starts;
  for (std::string_view piece : pieces) {
    starts.push_back(code.size());
    code = concat(std::move(code), hex(piece));
  }
  for (std::size_t i = 0; i < pieces.size(); ++i)
    EXPECT_EQ(decode_x86_64(view(code), starts[i]).length, hex(pieces[i]).size()) << pieces[i];

  const IsaScan scan = scan_x86_64(view(code, 0x401000), kDefaultScanBudget);
  EXPECT_EQ(scan.level, 3);
  EXPECT_EQ(scan.first_feature, "LZCNT");
  EXPECT_EQ(scan.first_offset, 0x401000u + 0xb7u);
  EXPECT_EQ(scan.bytes_scanned, code.size());
  EXPECT_EQ(scan.undecodable, 0u);
  EXPECT_FALSE(scan.budget_exhausted);
}

TEST(X86Scan, KeepsTheFirstFeatureOfTheHighestLevel) {
  const auto v2_then_v3 = hex("f3 48 0f b8 c7  c5 fc 58 c1  c4 e2 f1 b9 c1  f3 0f 12 d0");
  IsaScan scan = scan_x86_64(view(v2_then_v3));
  EXPECT_EQ(scan.level, 3);
  EXPECT_EQ(scan.first_feature, "AVX");
  EXPECT_EQ(scan.first_offset, 5u);

  const auto v2_only = hex("90 9f 66 0f 38 17 c1 c3");
  scan = scan_x86_64(view(v2_only, 0x2000));
  EXPECT_EQ(scan.level, 2);
  EXPECT_EQ(scan.first_feature, "LAHF-SAHF");
  EXPECT_EQ(scan.first_offset, 0x2001u);
}

TEST(X86Scan, StopsAtTheFirstLevelFourInstruction) {
  const auto code = hex("c5 fd fe c1  62 f1 7c 48 28 c1  06 07 90");
  const IsaScan scan = scan_x86_64(view(code));
  EXPECT_EQ(scan.level, 4);
  EXPECT_EQ(scan.first_feature, "AVX512F");
  EXPECT_EQ(scan.first_offset, 4u);
  EXPECT_EQ(scan.bytes_scanned, 10u);
  EXPECT_EQ(scan.undecodable, 0u);  // the invalid bytes after it are never reached
  EXPECT_FALSE(scan.budget_exhausted);
}

TEST(X86Scan, SkipsUndecodableBytesOneAtATime) {
  const auto code = hex("06 07 90 c3");
  IsaScan scan = scan_x86_64(view(code));
  EXPECT_EQ(scan.level, 1);
  EXPECT_EQ(scan.first_feature, "");
  EXPECT_EQ(scan.undecodable, 2u);
  EXPECT_EQ(scan.bytes_scanned, 4u);

  // A movabs cut short by the end of the view: its bytes are skipped or decoded as what they
  // happen to be (48 | b8 01 02 03 04 | 05 06 07 cut | 06 | 07), never read past the end.
  const auto tail = hex("48 b8 01 02 03 04 05 06 07 08");
  scan = scan_x86_64(ByteView({tail.data(), 9}));
  EXPECT_EQ(scan.undecodable, 4u);
  EXPECT_EQ(scan.bytes_scanned, 9u);
}

TEST(X86Scan, BudgetIsCheckedAtInstructionStarts) {
  const auto code = concat(repeat("90", 100), hex("f3 48 0f bd c7"));
  IsaScan scan = scan_x86_64(view(code), 50);
  EXPECT_EQ(scan.level, 1);
  EXPECT_TRUE(scan.budget_exhausted);
  EXPECT_EQ(scan.bytes_scanned, 50u);

  scan = scan_x86_64(view(code), 100);
  EXPECT_EQ(scan.level, 1);
  EXPECT_TRUE(scan.budget_exhausted);
  EXPECT_EQ(scan.bytes_scanned, 100u);

  scan = scan_x86_64(view(code), 101);  // lzcnt starts inside the budget: decoded in full
  EXPECT_EQ(scan.level, 3);
  EXPECT_EQ(scan.first_feature, "LZCNT");
  EXPECT_FALSE(scan.budget_exhausted);
  EXPECT_EQ(scan.bytes_scanned, 105u);

  scan = scan_x86_64(view(code), 0);
  EXPECT_TRUE(scan.budget_exhausted);
  EXPECT_EQ(scan.bytes_scanned, 0u);

  const std::vector<std::uint8_t> empty;
  scan = scan_x86_64(view(empty), 0);
  EXPECT_FALSE(scan.budget_exhausted);
  EXPECT_EQ(scan.bytes_scanned, 0u);
  EXPECT_EQ(scan.level, 1);
}

// Real compiler output: .text of
//   long pc(unsigned long v) { return __builtin_popcountl(v); }
//   unsigned long lz(unsigned long v) { return _lzcnt_u64(v); }   // only when __LZCNT__
//   void add(int *restrict y, const int *restrict x) { for (int i = 0; i < 64; ++i) y[i] += x[i]; }
// from `gcc-12 -O2 -march=<level> -fno-asynchronous-unwind-tables -c r.c` and
// `objcopy -O binary --only-section=.text`; the expected offsets are those of the first
// instruction of that level in `objdump -d`.
struct RealCode {
  const char* march;
  const char* text;
  int level;
  const char* feature;
  std::uint64_t offset;
};

TEST(X86Scan, AgreesWithObjdumpOnGccOutput) {
  const RealCode cases[] = {
      {"x86-64",  // pc calls __popcountdi2; add uses SSE2 paddd
       "48 83 ec 08 e8 00 00 00 00 48 83 c4 08 48 98 c3 31 c0 66 0f 1f 44 00 00 f3 0f 6f 04 07 "
       "f3 0f 6f 0c 06 66 0f fe c1 0f 11 04 07 48 83 c0 10 48 3d 00 01 00 00 75 e2 c3",
       1, "", 0},
      {"x86-64-v2",  // 0x2: popcnt %rdi, %rax
       "31 c0 f3 48 0f b8 c7 c3 0f 1f 84 00 00 00 00 00 31 c0 66 0f 1f 44 00 00 f3 0f 6f 04 07 "
       "f3 0f 6f 0c 06 66 0f fe c1 0f 11 04 07 48 83 c0 10 48 3d 00 01 00 00 75 e2 c3",
       2, "POPCNT", 0x2},
      {"x86-64-v3",  // 0x12: lzcnt %rdi, %rax; then vmovdqu/vpaddd %ymm
       "31 c0 f3 48 0f b8 c7 c3 0f 1f 84 00 00 00 00 00 31 c0 f3 48 0f bd c7 c3 0f 1f 84 00 00 "
       "00 00 00 31 c0 66 0f 1f 44 00 00 c5 fe 6f 0c 07 c5 f5 fe 04 06 c5 fe 7f 04 07 48 83 c0 "
       "20 48 3d 00 01 00 00 75 e5 c5 f8 77 c3",
       3, "LZCNT", 0x12},
      {"x86-64-v4",  // 0x22: vmovdqu32 (%rsi,%rax,1), %zmm1
       "31 c0 f3 48 0f b8 c7 c3 0f 1f 84 00 00 00 00 00 31 c0 f3 48 0f bd c7 c3 0f 1f 84 00 00 "
       "00 00 00 31 c0 62 f1 7e 48 6f 0c 06 62 f1 75 48 fe 04 07 62 f1 7e 48 7f 04 07 48 83 c0 "
       "40 48 3d 00 01 00 00 75 df c5 f8 77 c3",
       4, "AVX512F", 0x22},
  };
  for (const RealCode& c : cases) {
    const auto code = hex(c.text);
    const IsaScan scan = scan_x86_64(view(code));
    EXPECT_EQ(scan.level, c.level) << c.march;
    EXPECT_EQ(scan.first_feature, c.feature) << c.march;
    EXPECT_EQ(scan.first_offset, c.offset) << c.march;
    EXPECT_EQ(scan.undecodable, 0u) << c.march;
  }
}

}  // namespace
}  // namespace enoexec::x86

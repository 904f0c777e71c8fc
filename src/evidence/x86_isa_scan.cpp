// Instruction-length decoder for 64-bit mode and the level classifier built on it. Lengths follow
// the opcode maps (x86_opcode_tables.def); a byte that starts no valid instruction is skipped
// alone, so the sweep moves on and resynchronises.
#include "evidence/x86_isa_scan.hpp"

#include <algorithm>
#include <optional>
#include <span>

#include "evidence/x86_opcode_tables.hpp"

namespace enoexec::x86 {
namespace {

constexpr std::uint64_t kMaxInstructionLength = 15;  // longer encodings raise #GP

// The bytes of one instruction, read in order: never past the view, never past 15 bytes.
class InstructionReader {
 public:
  InstructionReader(std::span<const std::uint8_t> bytes, std::uint64_t start)
      : bytes_(bytes),
        start_(start),
        position_(start),
        end_(std::min<std::uint64_t>(bytes.size(), start + kMaxInstructionLength)) {}

  bool take(std::uint8_t& out) {
    if (position_ >= end_) return false;
    out = bytes_[position_++];
    return true;
  }
  bool peek(std::uint8_t& out) const {
    if (position_ >= end_) return false;
    out = bytes_[position_];
    return true;
  }
  bool skip(std::uint64_t count) {
    if (position_ > end_ || end_ - position_ < count) return false;
    position_ += count;
    return true;
  }
  std::uint32_t length() const { return static_cast<std::uint32_t>(position_ - start_); }

 private:
  std::span<const std::uint8_t> bytes_;
  std::uint64_t start_;
  std::uint64_t position_;
  std::uint64_t end_;
};

struct Prefixes {
  bool operand_size = false;  // 66
  bool address_size = false;  // 67
  std::uint8_t repeat = 0;    // the last of F2/F3
  bool rex_w = false;

  // F2/F3 select the instruction over 66 (66 F2 0F 38 F1 is CRC32 r32, r/m16).
  MandatoryPrefix mandatory() const {
    if (repeat == 0xF3) return PF3;
    if (repeat == 0xF2) return PF2;
    return operand_size ? P66 : NP;
  }
};

// Takes in a legacy prefix or REX; false for the first byte that is neither. A REX counts only
// directly before the opcode, so a legacy prefix after it cancels it.
bool absorb_prefix(std::uint8_t byte, Prefixes& prefixes) {
  switch (byte) {
    case 0x66: prefixes.operand_size = true; break;
    case 0x67: prefixes.address_size = true; break;
    case 0xF2: case 0xF3: prefixes.repeat = byte; break;
    case 0xF0: case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65: break;
    default:
      if ((byte & 0xF0) != 0x40) return false;
      prefixes.rex_w = (byte & 0x08) != 0;
      return true;
  }
  prefixes.rex_w = false;
  return true;
}

struct ModRM {
  std::uint8_t mod = 3;
  std::uint8_t reg = 0;
  bool memory() const { return mod != 3; }
};

// Reads ModRM and skips its SIB and displacement (64-bit addressing; 67 keeps the same forms).
bool skip_modrm(InstructionReader& reader, bool register_only, ModRM& modrm) {
  std::uint8_t byte = 0;
  if (!reader.take(byte)) return false;
  modrm.mod = static_cast<std::uint8_t>(byte >> 6);
  modrm.reg = static_cast<std::uint8_t>((byte >> 3) & 7);
  if (register_only) modrm.mod = 3;
  if (!modrm.memory()) return true;
  std::uint8_t rm = byte & 7;
  bool disp32 = modrm.mod == 2 || (modrm.mod == 0 && rm == 5);  // mod 0 rm 5: RIP-relative
  if (rm == 4) {
    std::uint8_t sib = 0;
    if (!reader.take(sib)) return false;
    disp32 = modrm.mod == 2 || (modrm.mod == 0 && (sib & 7) == 5);
  }
  if (disp32) return reader.skip(4);
  return reader.skip(modrm.mod == 1 ? 1 : 0);
}

std::uint64_t immediate_size(std::uint8_t kind, const Prefixes& prefixes, const ModRM& modrm) {
  const std::uint64_t iz = prefixes.operand_size && !prefixes.rex_w ? 2 : 4;
  switch (kind) {
    case opcode::Ib: return 1;
    case opcode::Iw: return 2;
    case opcode::Iz: return iz;
    case opcode::Iv: return prefixes.rex_w ? 8 : iz;
    case opcode::IwIb: return 3;
    case opcode::Moffs: return prefixes.address_size ? 4 : 8;
    case opcode::TestIb: return modrm.reg < 2 ? 1 : 0;  // F6 /0 and /1 are TEST r/m8, imm8
    case opcode::TestIz: return modrm.reg < 2 ? iz : 0;
    default: return 0;
  }
}

// The ModRM, SIB, displacement and immediate of a map 0 or map 1 opcode, from its attributes.
bool skip_operands(InstructionReader& reader, std::uint8_t attributes, const Prefixes& prefixes,
                   ModRM& modrm) {
  if ((attributes & (opcode::Invalid | opcode::Escape)) != 0) return false;
  if ((attributes & opcode::ModRM) != 0 &&
      !skip_modrm(reader, (attributes & opcode::RegOnly) != 0, modrm))
    return false;
  return reader.skip(immediate_size(attributes & opcode::kImmediateMask, prefixes, modrm));
}

Feature legacy_feature(int map, MandatoryPrefix prefix, std::uint8_t opcode) {
  return kLegacyFeatures[static_cast<std::size_t>(map - 1)][prefix][opcode];
}

// Opcode-group members and forms that raise #UD: refusing them makes data inside code show up
// as undecodable sooner.
bool is_undefined_group_member(std::uint8_t opcode, const ModRM& modrm) {
  switch (opcode) {
    case 0x8D: return !modrm.memory();                     // LEA needs a memory operand
    case 0x8F: return modrm.reg != 0;                      // only POP r/m (XOP is decoded apart)
    case 0xC6: case 0xC7: return modrm.reg != 0 && modrm.reg != 7;  // MOV, XABORT/XBEGIN
    case 0xFE: return modrm.reg > 1;                       // INC, DEC r/m8
    case 0xFF: return modrm.reg == 7;
    default: return false;
  }
}

std::optional<Feature> decode_map0(InstructionReader& reader, const Prefixes& prefixes,
                                   std::uint8_t opcode) {
  ModRM modrm;
  if (!skip_operands(reader, kMap0[opcode], prefixes, modrm)) return std::nullopt;
  if (is_undefined_group_member(opcode, modrm)) return std::nullopt;
  if (opcode == 0x9E || opcode == 0x9F) return Feature::lahf_sahf;  // invalid in early AMD64
  const bool fisttp = (opcode == 0xDB || opcode == 0xDD || opcode == 0xDF) && modrm.memory() &&
                      modrm.reg == 1;
  return fisttp ? Feature::sse3 : Feature::none;
}

std::optional<Feature> decode_map1(InstructionReader& reader, const Prefixes& prefixes,
                                   std::uint8_t opcode) {
  ModRM modrm;
  if (!skip_operands(reader, kMap1[opcode], prefixes, modrm)) return std::nullopt;
  const MandatoryPrefix prefix = prefixes.mandatory();
  // SSE4a EXTRQ / INSERTQ (AMD) carry two imm8 after the ModRM.
  if (opcode == 0x78 && (prefix == P66 || prefix == PF2) && !reader.skip(2)) return std::nullopt;
  if (opcode == 0xC7 && modrm.memory() && modrm.reg == 1 && prefixes.rex_w)
    return Feature::cmpxchg16b;
  return legacy_feature(1, prefix, opcode);
}

// 0F 38 xx and 0F 3A xx: ModRM always, 0F 3A an imm8 as well.
std::optional<Feature> decode_map2_or_3(InstructionReader& reader, const Prefixes& prefixes,
                                        int map) {
  std::uint8_t opcode = 0;
  ModRM modrm;
  if (!reader.take(opcode) || !skip_modrm(reader, false, modrm)) return std::nullopt;
  if (map == 3 && !reader.skip(1)) return std::nullopt;
  return legacy_feature(map, prefixes.mandatory(), opcode);
}

std::optional<Feature> decode_two_byte(InstructionReader& reader, const Prefixes& prefixes) {
  std::uint8_t opcode = 0;
  if (!reader.take(opcode)) return std::nullopt;
  if (opcode == 0x38) return decode_map2_or_3(reader, prefixes, 2);
  if (opcode == 0x3A) return decode_map2_or_3(reader, prefixes, 3);
  return decode_map1(reader, prefixes, opcode);
}

// VEX and EVEX maps 1 and 3 share the immediates of the legacy maps: imm8 in map 3, and in map 1
// for the shuffles, shift groups and compares (70-73, C2, C4-C6).
std::uint64_t vector_immediate_size(int map, std::uint8_t opcode) {
  if (map == 3) return 1;
  if (map != 1) return 0;
  const bool has_imm8 = (opcode >= 0x70 && opcode <= 0x73) || opcode == 0xC2 ||
                        (opcode >= 0xC4 && opcode <= 0xC6);
  return has_imm8 ? 1 : 0;
}

Feature vex_feature(int map, std::uint8_t pp, std::uint8_t opcode, bool wide, const ModRM& modrm) {
  if (map == 7) return Feature::none;  // USER_MSR and friends: no level
  // VBROADCASTSS/SD from a register is AVX2; from memory, AVX.
  if (map == 2 && pp == P66 && (opcode == 0x18 || opcode == 0x19) && !modrm.memory())
    return Feature::avx2;
  const Feature feature = kVexFeatures[static_cast<std::size_t>(map - 1)][pp][opcode];
  if (feature == Feature::none) return Feature::avx;
  if (feature == Feature::avx2_if_256) return wide ? Feature::avx2 : Feature::avx;
  return feature;
}

// C5 [R vvvv L pp] or C4 [R X B mmmmm] [W vvvv L pp]: always VEX in 64-bit mode.
std::optional<Feature> decode_vex(InstructionReader& reader, std::uint8_t escape) {
  std::uint8_t payload = 0;
  int map = 1;
  if (escape == 0xC4) {
    std::uint8_t first = 0;
    if (!reader.take(first)) return std::nullopt;
    map = first & 0x1F;
  }
  std::uint8_t opcode = 0;
  if (!reader.take(payload) || !reader.take(opcode)) return std::nullopt;
  const auto pp = static_cast<std::uint8_t>(payload & 3);
  const bool wide = (payload & 0x04) != 0;
  if (map == 1 && kVexMap1Valid[pp][opcode] == 0) return std::nullopt;
  if (map == 1 && opcode == 0x77) return Feature::avx;  // VZEROUPPER / VZEROALL: no ModRM
  if (map != 1 && map != 2 && map != 3 && map != 7) return std::nullopt;
  ModRM modrm;
  if (!skip_modrm(reader, false, modrm)) return std::nullopt;
  if (!reader.skip(map == 7 ? 4 : vector_immediate_size(map, opcode))) return std::nullopt;
  return vex_feature(map, pp, opcode, wide, modrm);
}

// APX promoted legacy instructions (EVEX map 4) all take a ModRM; their immediates are those of
// the one-byte opcode, plus SHLD/SHRD imm8 at 24/2C.
std::uint64_t apx_immediate_size(std::uint8_t opcode, bool operand_size, bool rex_w,
                                 const ModRM& modrm) {
  if (opcode == 0x24 || opcode == 0x2C) return 1;
  if ((kMap0[opcode] & opcode::ModRM) == 0) return 0;
  Prefixes prefixes;
  prefixes.operand_size = operand_size;
  prefixes.rex_w = rex_w;
  return immediate_size(kMap0[opcode] & opcode::kImmediateMask, prefixes, modrm);
}

// 62 P0 P1 P2: always EVEX in 64-bit mode (BOUND is invalid). P0 holds the map, P1 W and pp.
std::optional<Feature> decode_evex(InstructionReader& reader) {
  std::uint8_t p0 = 0, p1 = 0, p2 = 0, opcode = 0;
  if (!reader.take(p0) || !reader.take(p1) || !reader.take(p2) || !reader.take(opcode))
    return std::nullopt;
  const int map = p0 & 7;
  if (map == 0 || map == 7) return std::nullopt;
  ModRM modrm;
  if (!skip_modrm(reader, false, modrm)) return std::nullopt;
  if (map == 4) {
    const bool operand_size = (p1 & 3) == 1;
    const bool rex_w = (p1 & 0x80) != 0;
    if (!reader.skip(apx_immediate_size(opcode, operand_size, rex_w, modrm))) return std::nullopt;
    return Feature::none;
  }
  if (!reader.skip(vector_immediate_size(map, opcode))) return std::nullopt;
  return map <= 3 ? Feature::avx512f : Feature::avx512_fp16;
}

// XOP (AMD): 8F with a map field of 8 or more, which POP r/m (8F /0) can never have.
bool is_xop(const InstructionReader& reader) {
  std::uint8_t next = 0;
  return reader.peek(next) && (next & 0x1F) >= 8;
}

std::optional<Feature> decode_xop(InstructionReader& reader) {
  std::uint8_t first = 0, second = 0, opcode = 0;
  if (!reader.take(first) || !reader.take(second) || !reader.take(opcode)) return std::nullopt;
  const int map = first & 0x1F;
  if (map < 8 || map > 10) return std::nullopt;
  ModRM modrm;
  if (!skip_modrm(reader, false, modrm)) return std::nullopt;
  const std::uint64_t immediate = map == 8 ? 1 : map == 10 ? 4 : 0;
  if (!reader.skip(immediate)) return std::nullopt;
  return Feature::none;
}

// REX2 (APX): D5 [M0 R4 X4 B4 W R3 X3 B3], then an opcode of map 0 (M0 = 0) or map 1.
std::optional<Feature> decode_rex2(InstructionReader& reader, Prefixes prefixes) {
  std::uint8_t payload = 0, opcode = 0;
  if (!reader.take(payload) || !reader.take(opcode)) return std::nullopt;
  prefixes.rex_w = (payload & 0x08) != 0;
  if ((payload & 0x80) == 0) return decode_map0(reader, prefixes, opcode);
  return decode_map1(reader, prefixes, opcode);
}

struct Decoded {
  std::uint32_t length = 0;  // 0: no instruction starts here
  Feature feature = Feature::none;
};

Decoded decode_at(std::span<const std::uint8_t> bytes, std::uint64_t offset) {
  InstructionReader reader(bytes, offset);
  Prefixes prefixes;
  std::uint8_t byte = 0;
  do {
    if (!reader.take(byte)) return {};
  } while (absorb_prefix(byte, prefixes));

  std::optional<Feature> feature;
  switch (byte) {
    case 0x0F: feature = decode_two_byte(reader, prefixes); break;
    case 0xC4: case 0xC5: feature = decode_vex(reader, byte); break;
    case 0x62: feature = decode_evex(reader); break;
    case 0xD5: feature = decode_rex2(reader, prefixes); break;
    case 0x8F:
      feature = is_xop(reader) ? decode_xop(reader) : decode_map0(reader, prefixes, byte);
      break;
    default: feature = decode_map0(reader, prefixes, byte); break;
  }
  if (!feature) return {};
  return {reader.length(), *feature};
}

}  // namespace

Instruction decode_x86_64(ByteView code, std::uint64_t offset) {
  if (offset >= code.size()) return {};
  const Decoded decoded = decode_at(code.bytes(), offset);
  if (decoded.length == 0) return {};
  const FeatureInfo& feature = info(decoded.feature);
  return {decoded.length, feature.level, feature.name};
}

IsaScan scan_x86_64(ByteView code, std::uint64_t budget) {
  IsaScan scan;
  const std::span<const std::uint8_t> bytes = code.bytes();
  Feature raised_by = Feature::none;
  std::uint64_t offset = 0;
  while (offset < bytes.size()) {
    if (offset >= budget) {
      scan.budget_exhausted = true;
      break;
    }
    const Decoded decoded = decode_at(bytes, offset);
    if (decoded.length == 0) {  // data in code, or an encoding this decoder does not know
      ++scan.undecodable;
      ++offset;
      continue;
    }
    const int level = info(decoded.feature).level;
    if (level > scan.level) {
      scan.level = level;
      scan.first_offset = code.file_offset() + offset;
      raised_by = decoded.feature;
    }
    offset += decoded.length;
    if (scan.level == 4) break;  // nothing raises it further
  }
  scan.bytes_scanned = std::min<std::uint64_t>(offset, bytes.size());
  scan.first_feature = info(raised_by).name;
  return scan;
}

}  // namespace enoexec::x86

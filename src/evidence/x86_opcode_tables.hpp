// Lookup tables built at compile time from x86_opcode_tables.def: opcode attributes for the
// length decoder and per-map feature tables for the level classifier.
#pragma once

#include <array>
#include <cstdint>

namespace enoexec::x86 {

enum class Feature : std::uint8_t {
#define X86_FEATURE(id, name, level) id,
#include "evidence/x86_opcode_tables.def"
};

struct FeatureInfo {
  const char* name;
  int level;
};

inline constexpr std::array kFeatures = {
#define X86_FEATURE(id, name, level) FeatureInfo{name, level},
#include "evidence/x86_opcode_tables.def"
};

constexpr const FeatureInfo& info(Feature feature) {
  return kFeatures[static_cast<std::uint8_t>(feature)];
}

// Opcode attributes: the low four bits are the immediate kind, the high bits are flags.
namespace opcode {
inline constexpr std::uint8_t None = 0, Ib = 1, Iw = 2, Iz = 3, Iv = 4, IwIb = 5, Moffs = 6,
                              TestIb = 7, TestIz = 8;
inline constexpr std::uint8_t ModRM = 0x10, RegOnly = 0x20, Invalid = 0x40, Escape = 0x80;
inline constexpr std::uint8_t kImmediateMask = 0x0F;
}  // namespace opcode

// Mandatory prefixes in VEX.pp order.
enum MandatoryPrefix : std::uint8_t { NP = 0, P66 = 1, PF3 = 2, PF2 = 3 };

using OpcodeTable = std::array<std::uint8_t, 256>;

namespace tables_detail {

constexpr void fill(OpcodeTable& table, int first, int last, int attributes) {
  for (int opcode = first; opcode <= last; ++opcode)
    table[static_cast<std::size_t>(opcode)] = static_cast<std::uint8_t>(attributes);
}

constexpr OpcodeTable make_map0() {
  using namespace opcode;
  OpcodeTable table{};
#define X86_MAP0(first, last, attributes) fill(table, first, last, attributes);
#include "evidence/x86_opcode_tables.def"
  return table;
}

constexpr OpcodeTable make_map1() {
  using namespace opcode;
  OpcodeTable table{};
#define X86_MAP1(first, last, attributes) fill(table, first, last, attributes);
#include "evidence/x86_opcode_tables.def"
  return table;
}

// [map - 1][mandatory prefix][opcode] -> Feature, for maps 1 (0F), 2 (0F 38), 3 (0F 3A).
using FeatureTable = std::array<std::array<std::array<Feature, 256>, 4>, 3>;

constexpr void fill(FeatureTable& table, int map, MandatoryPrefix prefix, int first, int last,
                    Feature feature) {
  auto& row = table[static_cast<std::size_t>(map - 1)][prefix];
  for (int opcode = first; opcode <= last; ++opcode)
    row[static_cast<std::size_t>(opcode)] = feature;
}

constexpr FeatureTable make_legacy_features() {
  FeatureTable table{};
#define X86_LEGACY_FEATURE(map, prefix, first, last, id) \
  fill(table, map, prefix, first, last, Feature::id);
#include "evidence/x86_opcode_tables.def"
  return table;
}

constexpr FeatureTable make_vex_features() {
  FeatureTable table{};
#define X86_VEX_FEATURE(map, prefix, first, last, id) \
  fill(table, map, prefix, first, last, Feature::id);
#include "evidence/x86_opcode_tables.def"
  return table;
}

// [VEX.pp][opcode] -> 1 when VEX map 1 defines that opcode with that pp.
using ValidTable = std::array<std::array<std::uint8_t, 256>, 4>;

constexpr ValidTable make_vex_map1_valid() {
  ValidTable table{};
#define X86_VEX_MAP1_VALID(prefix, first, last)                    \
  for (int opcode = first; opcode <= last; ++opcode)               \
    table[prefix][static_cast<std::size_t>(opcode)] = 1;
#include "evidence/x86_opcode_tables.def"
  return table;
}

}  // namespace tables_detail

inline constexpr OpcodeTable kMap0 = tables_detail::make_map0();
inline constexpr OpcodeTable kMap1 = tables_detail::make_map1();
inline constexpr tables_detail::FeatureTable kLegacyFeatures =
    tables_detail::make_legacy_features();
inline constexpr tables_detail::FeatureTable kVexFeatures = tables_detail::make_vex_features();
inline constexpr tables_detail::ValidTable kVexMap1Valid = tables_detail::make_vex_map1_valid();

}  // namespace enoexec::x86

// Build-attribute sections (.ARM.attributes, .riscv.attributes). Both use the container defined
// by the Arm ABI addenda ("Build attributes"):
//
//   'A'                                   format version
//   { u32 length; vendor NTBS;            vendor subsection, length counts itself
//     { ULEB scope tag; u32 length;       1 = File, 2 = Section, 3 = Symbol; length counts the tag
//       attributes... } ... } ...         ULEB tag, then a ULEB or NTBS value
//
// Every length is untrusted: each part is cut out of its parent with ByteView::sub, and reading
// stops at the first inconsistency (nothing after a bad length can be located).
#include <functional>

#include <fmt/format.h>

#include "formats/elf/elf_arch.hpp"
#include "formats/elf/elf_arch_names.hpp"
#include "formats/elf/elf_arch_text.hpp"

namespace enoexec::elf {
namespace {

using namespace arch_spec;

enum class ValueKind { uleb, ntbs, uleb_then_ntbs };

struct Attribute {
  std::uint64_t tag = 0;
  std::uint64_t number = 0;  // ULEB value
  std::string_view text;     // NTBS value
};

struct Vendor {
  std::string_view name;   // vendor subsection name: "aeabi", "riscv"
  std::string_view label;  // names the section in warnings: "ARM attributes"
  ValueKind (*kind_of)(std::uint64_t tag);
};

using AttributeSink = std::function<void(const Attribute&)>;

// Addenda32: tags 1-32 are known individually (4 and 5 are strings, 32 is a flag then a string);
// above 32, even tags take a ULEB128 and odd tags an NTBS, so unknown ones can be skipped.
ValueKind arm_kind_of(std::uint64_t tag) {
  if (tag == Tag_CPU_raw_name || tag == Tag_CPU_name) return ValueKind::ntbs;
  if (tag == Tag_compatibility) return ValueKind::uleb_then_ntbs;
  if (tag < Tag_compatibility) return ValueKind::uleb;
  return tag % 2 == 1 ? ValueKind::ntbs : ValueKind::uleb;
}

// RISC-V psABI: every tag follows the odd/even rule (Tag_RISCV_arch = 5 is a string).
ValueKind riscv_kind_of(std::uint64_t tag) {
  return tag % 2 == 1 ? ValueKind::ntbs : ValueKind::uleb;
}

void warn(std::vector<std::string>& warnings, const Error& error) {
  warnings.push_back(to_string(error));
}

// warn(), for the readers that report "go on" / "stop" to their caller.
bool stop(std::vector<std::string>& warnings, const Error& error) {
  warn(warnings, error);
  return false;
}

Result<Attribute> read_attribute(Cursor& cursor, const Vendor& vendor) {
  Attribute attribute;
  auto tag = cursor.uleb128(fmt::format("{} tag", vendor.label));
  if (!tag) return tl::unexpected(tag.error());
  attribute.tag = *tag;
  const ValueKind kind = vendor.kind_of(attribute.tag);
  const std::string what = fmt::format("{} tag {} value", vendor.label, attribute.tag);
  if (kind != ValueKind::ntbs) {
    auto number = cursor.uleb128(what);
    if (!number) return tl::unexpected(number.error());
    attribute.number = *number;
  }
  if (kind != ValueKind::uleb) {
    auto text = cursor.cstring(what, cursor.remaining());
    if (!text) return tl::unexpected(text.error());
    attribute.text = *text;
  }
  return attribute;
}

// The scopes of one vendor subsection (after its name). Only File scope describes the whole
// file; Section and Symbol scopes refine parts of it and are skipped by their length.
bool read_scopes(ByteView body, Endian endian, const Vendor& vendor, const AttributeSink& sink,
                 std::vector<std::string>& warnings) {
  Cursor cursor(body, endian);
  while (!cursor.at_end()) {
    const std::uint64_t start = cursor.position();
    const std::uint64_t start_offset = cursor.file_offset();
    auto tag = cursor.uleb128(fmt::format("{} scope tag", vendor.label));
    if (!tag) return stop(warnings, tag.error());
    auto length = cursor.read<std::uint32_t>(fmt::format("{} scope length", vendor.label));
    if (!length) return stop(warnings, length.error());
    const std::uint64_t header = cursor.position() - start;
    if (*length < header) {
      return stop(warnings,
                  Error{ErrorCode::malformed, start_offset,
                        fmt::format("{} scope length {} is smaller than its {}-byte header",
                                    vendor.label, *length, header)});
    }
    auto scope = cursor.take(*length - header, fmt::format("{} scope", vendor.label));
    if (!scope) return stop(warnings, scope.error());
    if (*tag != Tag_File) continue;
    Cursor attributes(*scope, endian);
    while (!attributes.at_end()) {  // every attribute consumes at least its tag byte
      auto attribute = read_attribute(attributes, vendor);
      if (!attribute) return stop(warnings, attribute.error());
      sink(*attribute);
    }
  }
  return true;
}

void read_attribute_section(ByteView section, Endian endian, const Vendor& vendor,
                            const AttributeSink& sink, std::vector<std::string>& warnings) {
  Cursor cursor(section, endian);
  auto version = cursor.read<std::uint8_t>(fmt::format("{} format version", vendor.label));
  if (!version) return warn(warnings, version.error());
  if (*version != 'A') {
    return warn(warnings, Error{ErrorCode::malformed, section.file_offset(),
                                fmt::format("{} format version {:#04x} is not 'A' (0x41)",
                                            vendor.label, *version)});
  }
  while (!cursor.at_end()) {
    const std::uint64_t start_offset = cursor.file_offset();
    auto length = cursor.read<std::uint32_t>(fmt::format("{} subsection length", vendor.label));
    if (!length) return warn(warnings, length.error());
    if (*length < sizeof(std::uint32_t)) {
      return warn(warnings,
                  Error{ErrorCode::malformed, start_offset,
                        fmt::format("{} subsection length {} is smaller than its 4-byte field",
                                    vendor.label, *length)});
    }
    auto subsection = cursor.take(*length - sizeof(std::uint32_t),
                                  fmt::format("{} subsection", vendor.label));
    if (!subsection) return warn(warnings, subsection.error());
    Cursor inner(*subsection, endian);
    auto name = inner.cstring(fmt::format("{} vendor name", vendor.label), inner.remaining());
    if (!name) return warn(warnings, name.error());
    if (*name != vendor.name) continue;  // another vendor's private attributes
    const ByteView body = subsection->clamp(inner.position(), subsection->size());
    if (!read_scopes(body, endian, vendor, sink, warnings)) return;
  }
}

// names[value], "" for a value the table leaves empty, "unknown (N)" past its end.
template <std::size_t N>
std::string name_of(const std::array<std::string_view, N>& names, std::uint64_t value) {
  if (value < N) return std::string(names[value]);
  return fmt::format("unknown ({})", value);
}

std::string arm_profile_name(std::uint64_t value) {
  switch (value) {
    case 0: return "";  // not applicable, or implied by Tag_CPU_arch (v8 and later)
    case 'A':
    case 'R':
    case 'M':
    case 'S': return std::string(1, static_cast<char>(value));
    default: return fmt::format("unknown ({})", value);
  }
}

struct ArmFloatEvidence {
  bool any_attribute = false;
  std::uint64_t vfp_args = 0;  // Tag_ABI_VFP_args; omitted means 0 (base AAPCS, soft-float calls)
};

void apply_arm_attribute(const Attribute& attribute, ElfArm& arm, ArmFloatEvidence& evidence) {
  evidence.any_attribute = true;
  switch (attribute.tag) {
    case Tag_CPU_name: arm.cpu_name = printable_text(attribute.text); break;
    case Tag_CPU_arch: arm.cpu_arch = name_of(arm_cpu_arch_names, attribute.number); break;
    case Tag_CPU_arch_profile: arm.cpu_profile = arm_profile_name(attribute.number); break;
    case Tag_FP_arch: arm.fp_arch = name_of(arm_fp_arch_names, attribute.number); break;
    case Tag_Advanced_SIMD_arch: arm.simd = name_of(arm_simd_arch_names, attribute.number); break;
    case Tag_ABI_VFP_args: evidence.vfp_args = attribute.number; break;
    default: break;
  }
}

// The float ABI when e_flags did not state it (relocatable objects, old linkers): VFP argument
// passing is hard-float; base AAPCS with FP hardware is softfp, without it soft.
void infer_arm_float_abi(const ArmFloatEvidence& evidence, ElfArm& arm) {
  if (!arm.float_abi.empty() || !evidence.any_attribute) return;
  if (evidence.vfp_args == 1)
    arm.float_abi = "hard";
  else if (evidence.vfp_args == 0)
    arm.float_abi = arm.fp_arch.empty() ? "soft" : "softfp";
}

}  // namespace

void parse_arm_attributes(ByteView section, Endian endian, ElfArm& arm,
                          std::vector<std::string>& warnings) {
  static constexpr Vendor aeabi{"aeabi", "ARM attributes", arm_kind_of};
  ArmFloatEvidence evidence;
  read_attribute_section(
      section, endian, aeabi,
      [&](const Attribute& attribute) { apply_arm_attribute(attribute, arm, evidence); }, warnings);
  infer_arm_float_abi(evidence, arm);
}

void parse_riscv_attributes(ByteView section, Endian endian, ElfRiscv& riscv,
                            std::vector<std::string>& warnings) {
  static constexpr Vendor vendor{"riscv", "RISC-V attributes", riscv_kind_of};
  read_attribute_section(
      section, endian, vendor,
      [&](const Attribute& attribute) {
        if (attribute.tag == Tag_RISCV_arch) riscv.arch = printable_text(attribute.text);
      },
      warnings);
}

}  // namespace enoexec::elf

// The "elf" object of a report: every ElfDetails member under its own (snake_case) name, in
// declaration order, so `inspect -v` can unroll it into readable key: value lines. Absent
// scalars are null; absent per-architecture members (arm, mips, riscv, ppc64_abi, loongarch)
// are omitted, so a file shows only its own machine's facts.
#include <fmt/format.h>

#include "output/json.hpp"
#include "output/json_null.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;
using json_null::or_null;

// PF_R / PF_W / PF_X as "R", "RW", "RX", ...; "" when none is set.
std::string segment_flags(std::uint32_t flags) {
  constexpr std::uint32_t PF_X = 1, PF_W = 2, PF_R = 4;
  std::string letters;
  if (flags & PF_R) letters += 'R';
  if (flags & PF_W) letters += 'W';
  if (flags & PF_X) letters += 'X';
  return letters;
}

Json to_json(const ElfSegment& segment) {
  return {{"type", segment.type},     {"offset", segment.offset}, {"vaddr", segment.vaddr},
          {"filesz", segment.filesz}, {"memsz", segment.memsz},   {"align", segment.align},
          {"flags", segment_flags(segment.flags)}};
}

Json to_json(const ElfVersionNeed& need) {
  return {{"library", need.library}, {"version", need.version}, {"symbols", need.symbols}};
}

Json to_json(const std::optional<ElfVersionMin>& min) {
  if (!min) return Json();
  return {{"version", min->version}, {"symbols", min->symbols}};
}

Json to_json(const ElfNotes& notes) {
  return {{"abi_tag_os", or_null(notes.abi_tag_os)},
          {"abi_tag_kernel", or_null(notes.abi_tag_kernel)},
          {"build_id", or_null(notes.build_id)},
          {"go_build_id", or_null(notes.go_build_id)},
          {"x86_isa_needed", or_null(notes.x86_isa_needed)},
          {"x86_features", notes.x86_features},
          {"aarch64_features", notes.aarch64_features},
          {"freebsd_version", or_null(notes.freebsd_version)},
          {"netbsd_version", or_null(notes.netbsd_version)},
          {"openbsd", notes.openbsd},
          {"android_api", or_null(notes.android_api)},
          {"other", notes.other}};
}

Json to_json(const ElfArm& arm) {
  return {{"eabi_version", arm.eabi_version}, {"float_abi", arm.float_abi},
          {"cpu_arch", arm.cpu_arch},         {"cpu_profile", arm.cpu_profile},
          {"cpu_name", arm.cpu_name},         {"fp_arch", arm.fp_arch},
          {"simd", arm.simd},                 {"thumb_entry", arm.thumb_entry}};
}

Json to_json(const ElfMips& mips) {
  return {{"isa", mips.isa},         {"abi", mips.abi}, {"nan2008", mips.nan2008},
          {"float_abi", mips.float_abi}, {"pic", mips.pic}, {"cpic", mips.cpic}};
}

Json to_json(const ElfRiscv& riscv) {
  return {{"float_abi", riscv.float_abi}, {"rvc", riscv.rvc}, {"rve", riscv.rve},
          {"tso", riscv.tso},             {"arch", riscv.arch}};
}

Json to_json(const ElfLoongArch& loongarch) {
  return {{"float_abi", loongarch.float_abi}, {"object_abi", loongarch.object_abi}};
}

template <class T>
Json array_of(const std::vector<T>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace

Json to_json(const ElfDetails& elf) {
  Json out;
  out["osabi"] = elf.osabi;
  out["osabi_name"] = elf.osabi_name;
  out["abi_version"] = elf.abi_version;
  out["e_type"] = elf.e_type;
  out["e_machine"] = elf.e_machine;
  out["e_flags"] = elf.e_flags;
  out["e_flags_hex"] = fmt::format("{:#x}", elf.e_flags);
  out["flags"] = elf.flags;
  out["entry"] = elf.entry;
  out["segments"] = array_of(elf.segments);
  out["max_page_size"] = elf.max_page_size;
  out["max_load_align"] = elf.max_load_align;
  out["has_section_headers"] = elf.has_section_headers;
  out["section_count"] = elf.section_count;
  out["sections"] = elf.sections;
  out["soname"] = or_null(elf.soname);
  out["runpath"] = elf.runpath;
  out["rpath"] = elf.rpath;
  out["df_1_pie"] = elf.df_1_pie;
  out["bind_now"] = elf.bind_now;
  out["version_needs"] = array_of(elf.version_needs);
  out["glibc_min"] = to_json(elf.glibc_min);
  out["glibcxx_min"] = to_json(elf.glibcxx_min);
  out["cxxabi_min"] = to_json(elf.cxxabi_min);
  out["notes"] = to_json(elf.notes);
  if (elf.arm) out["arm"] = to_json(*elf.arm);
  if (elf.mips) out["mips"] = to_json(*elf.mips);
  if (elf.riscv) out["riscv"] = to_json(*elf.riscv);
  if (elf.ppc64_abi) out["ppc64_abi"] = *elf.ppc64_abi;
  if (elf.loongarch) out["loongarch"] = to_json(*elf.loongarch);
  return out;
}

}  // namespace enoexec

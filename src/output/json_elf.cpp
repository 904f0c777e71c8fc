// The "elf" object of a report: every ElfDetails member under its own (snake_case) name, in
// declaration order, so `inspect -v` can unroll it into readable key: value lines. Absent
// scalars are null; absent per-architecture members (arm, mips, riscv, ppc64_abi, loongarch)
// are omitted, so a file shows only its own machine's facts.
#include <fmt/format.h>

#include "output/json.hpp"
#include "output/json_object.hpp"
#include "support/json_null.hpp"

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
  return JsonObject(7)
      .add("type", segment.type)
      .add("offset", segment.offset)
      .add("vaddr", segment.vaddr)
      .add("filesz", segment.filesz)
      .add("memsz", segment.memsz)
      .add("align", segment.align)
      .add("flags", segment_flags(segment.flags))
      .done();
}

Json array_of(const NameList& names) {
  Json out = Json::array();
  out.get_ref<Json::array_t&>().reserve(names.size());
  for (const std::string_view name : names) out.push_back(name);
  return out;
}

Json to_json(const ElfVersionNeed& need) {
  return JsonObject(3)
      .add("library", need.library)
      .add("version", need.version)
      .add("symbols", array_of(need.symbols))
      .done();
}

Json to_json(const std::optional<ElfVersionMin>& min) {
  if (!min) return Json();
  return JsonObject(2).add("version", min->version).add("symbols", array_of(min->symbols)).done();
}

Json to_json(const ElfNotes& notes) {
  return JsonObject(12)
      .add("abi_tag_os", or_null(notes.abi_tag_os))
      .add("abi_tag_kernel", or_null(notes.abi_tag_kernel))
      .add("build_id", or_null(notes.build_id))
      .add("go_build_id", or_null(notes.go_build_id))
      .add("x86_isa_needed", or_null(notes.x86_isa_needed))
      .add("x86_features", notes.x86_features)
      .add("aarch64_features", notes.aarch64_features)
      .add("freebsd_version", or_null(notes.freebsd_version))
      .add("netbsd_version", or_null(notes.netbsd_version))
      .add("openbsd", notes.openbsd)
      .add("android_api", or_null(notes.android_api))
      .add("other", notes.other)
      .done();
}

Json to_json(const ElfArm& arm) {
  return JsonObject(8)
      .add("eabi_version", arm.eabi_version)
      .add("float_abi", arm.float_abi)
      .add("cpu_arch", arm.cpu_arch)
      .add("cpu_profile", arm.cpu_profile)
      .add("cpu_name", arm.cpu_name)
      .add("fp_arch", arm.fp_arch)
      .add("simd", arm.simd)
      .add("thumb_entry", arm.thumb_entry)
      .done();
}

Json to_json(const ElfMips& mips) {
  return JsonObject(6)
      .add("isa", mips.isa)
      .add("abi", mips.abi)
      .add("nan2008", mips.nan2008)
      .add("float_abi", mips.float_abi)
      .add("pic", mips.pic)
      .add("cpic", mips.cpic)
      .done();
}

Json to_json(const ElfRiscv& riscv) {
  return JsonObject(5)
      .add("float_abi", riscv.float_abi)
      .add("rvc", riscv.rvc)
      .add("rve", riscv.rve)
      .add("tso", riscv.tso)
      .add("arch", riscv.arch)
      .done();
}

Json to_json(const ElfLoongArch& loongarch) {
  return JsonObject(2)
      .add("float_abi", loongarch.float_abi)
      .add("object_abi", loongarch.object_abi)
      .done();
}

template <class T>
Json array_of(const std::vector<T>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace

Json to_json(const ElfDetails& elf) {
  JsonObject out(32);
  out.add("osabi", elf.osabi);
  out.add("osabi_name", elf.osabi_name);
  out.add("abi_version", elf.abi_version);
  out.add("e_type", elf.e_type);
  out.add("e_machine", elf.e_machine);
  out.add("e_flags", elf.e_flags);
  out.add("e_flags_hex", fmt::format("{:#x}", elf.e_flags));
  out.add("flags", elf.flags);
  out.add("entry", elf.entry);
  out.add("segments", array_of(elf.segments));
  out.add("max_page_size", elf.max_page_size);
  out.add("max_load_align", elf.max_load_align);
  out.add("has_section_headers", elf.has_section_headers);
  out.add("section_count", elf.section_count);
  out.add("sections", array_of(elf.sections));
  out.add("soname", or_null(elf.soname));
  out.add("runpath", elf.runpath);
  out.add("rpath", elf.rpath);
  out.add("df_1_pie", elf.df_1_pie);
  out.add("bind_now", elf.bind_now);
  out.add("version_needs", array_of(elf.version_needs));
  out.add("glibc_min", to_json(elf.glibc_min));
  out.add("glibcxx_min", to_json(elf.glibcxx_min));
  out.add("cxxabi_min", to_json(elf.cxxabi_min));
  out.add("notes", to_json(elf.notes));
  if (elf.arm) out.add("arm", to_json(*elf.arm));
  if (elf.mips) out.add("mips", to_json(*elf.mips));
  if (elf.riscv) out.add("riscv", to_json(*elf.riscv));
  if (elf.ppc64_abi) out.add("ppc64_abi", *elf.ppc64_abi);
  if (elf.loongarch) out.add("loongarch", to_json(*elf.loongarch));
  return out.done();
}

}  // namespace enoexec

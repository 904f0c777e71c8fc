#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "output/json.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

ElfDetails arm_executable() {
  ElfDetails elf;
  elf.osabi = 0;
  elf.osabi_name = "SYSV";
  elf.e_type = 2;
  elf.e_machine = 40;
  elf.e_flags = 0x5000400;
  elf.flags = {"EABI5", "hard-float"};
  elf.entry = 0x10451;
  elf.segments = {{"PT_LOAD", 0, 0x10000, 0x5a0, 0x5a0, 0x10000, 5},
                  {"PT_LOAD", 0xf10, 0x20f10, 0x118, 0x11c, 0x10000, 6},
                  {"0x6474e553", 0x154, 0x10154, 0x20, 0x20, 4, 0}};
  elf.max_page_size = 0x10000;
  elf.max_load_align = 0x10000;
  elf.has_section_headers = true;
  elf.section_count = 3;
  elf.sections = {"", ".text", ".ARM.attributes"};
  elf.runpath = {"$ORIGIN/../lib"};
  elf.bind_now = true;
  elf.version_needs = {{"libc.so.6", "GLIBC_2.34", {"__libc_start_main"}}};
  elf.glibc_min = ElfVersionMin{"2.34", {"__libc_start_main"}};
  elf.notes.abi_tag_os = "Linux";
  elf.notes.abi_tag_kernel = "3.2.0";
  elf.notes.build_id = "962a04";
  elf.notes.other = {"stapsdt/3"};
  ElfArm arm;
  arm.eabi_version = 5;
  arm.float_abi = "hard";
  arm.cpu_arch = "v7";
  arm.cpu_profile = "A";
  arm.cpu_name = "7-A";
  arm.fp_arch = "VFPv3-D16";
  arm.thumb_entry = true;
  elf.arm = arm;
  return elf;
}

TEST(JsonElf, EveryMemberInDeclarationOrderAndArchObjectsOnlyWhenPresent) {
  const Json json = to_json(arm_executable());
  EXPECT_EQ(keys_of(json),
            (std::vector<std::string>{
                "osabi", "osabi_name", "abi_version", "e_type", "e_machine", "e_flags",
                "e_flags_hex", "flags", "entry", "segments", "max_page_size", "max_load_align",
                "has_section_headers", "section_count", "sections", "soname", "runpath", "rpath",
                "df_1_pie", "bind_now", "version_needs", "glibc_min", "glibcxx_min", "cxxabi_min",
                "notes", "arm"}));
}

TEST(JsonElf, HeaderNumbersAndTheHexFlags) {
  const Json json = to_json(arm_executable());
  EXPECT_EQ(json["e_flags"], 0x5000400);
  EXPECT_EQ(json["e_flags_hex"], "0x5000400");
  EXPECT_EQ(json["e_machine"], 40);
  EXPECT_EQ(json["entry"], 0x10451);
  EXPECT_EQ(json["flags"].dump(), R"(["EABI5","hard-float"])");
  EXPECT_EQ(json["soname"], nullptr);
  EXPECT_EQ(json["glibcxx_min"], nullptr);
  EXPECT_EQ(to_json(ElfDetails{})["e_flags_hex"], "0x0");
}

TEST(JsonElf, SegmentsWithFlagLetters) {
  const Json json = to_json(arm_executable());
  EXPECT_EQ(json["segments"][0].dump(),
            R"({"type":"PT_LOAD","offset":0,"vaddr":65536,"filesz":1440,"memsz":1440,)"
            R"("align":65536,"flags":"RX"})");
  EXPECT_EQ(json["segments"][1]["flags"], "RW");
  EXPECT_EQ(json["segments"][2]["flags"], "");
  ElfDetails rwx;
  rwx.segments = {{"PT_LOAD", 0, 0, 0, 0, 0, 7}};
  EXPECT_EQ(to_json(rwx)["segments"][0]["flags"], "RWX");
}

TEST(JsonElf, VersionsAndNotes) {
  const Json json = to_json(arm_executable());
  EXPECT_EQ(json["version_needs"].dump(),
            R"([{"library":"libc.so.6","version":"GLIBC_2.34","symbols":["__libc_start_main"]}])");
  EXPECT_EQ(json["glibc_min"].dump(), R"({"version":"2.34","symbols":["__libc_start_main"]})");
  EXPECT_EQ(json["notes"].dump(),
            R"({"abi_tag_os":"Linux","abi_tag_kernel":"3.2.0","build_id":"962a04",)"
            R"("go_build_id":null,"x86_isa_needed":null,"x86_features":[],)"
            R"("aarch64_features":[],"freebsd_version":null,"netbsd_version":null,)"
            R"("openbsd":false,"android_api":null,"other":["stapsdt/3"]})");
}

TEST(JsonElf, ArmObject) {
  EXPECT_EQ(to_json(arm_executable())["arm"].dump(),
            R"({"eabi_version":5,"float_abi":"hard","cpu_arch":"v7","cpu_profile":"A",)"
            R"("cpu_name":"7-A","fp_arch":"VFPv3-D16","simd":"","thumb_entry":true})");
}

TEST(JsonElf, OtherArchitectureObjects) {
  ElfDetails elf;
  elf.mips = ElfMips{"mips32r2", "o32", true, "fpxx", true, false};
  elf.riscv = ElfRiscv{"double", true, false, false, "rv64gc"};
  elf.ppc64_abi = 2;
  elf.loongarch = ElfLoongArch{"double", 1};
  elf.notes.x86_isa_needed = 3;
  elf.notes.x86_features = {"IBT"};
  const Json json = to_json(elf);
  EXPECT_EQ(json["mips"].dump(),
            R"({"isa":"mips32r2","abi":"o32","nan2008":true,"float_abi":"fpxx","pic":true,)"
            R"("cpic":false})");
  EXPECT_EQ(json["riscv"].dump(),
            R"({"float_abi":"double","rvc":true,"rve":false,"tso":false,"arch":"rv64gc"})");
  EXPECT_EQ(json["ppc64_abi"], 2);
  EXPECT_EQ(json["loongarch"].dump(), R"({"float_abi":"double","object_abi":1})");
  EXPECT_EQ(json["notes"]["x86_isa_needed"], 3);
  EXPECT_EQ(json["notes"]["x86_features"].dump(), R"(["IBT"])");
  EXPECT_FALSE(json.contains("arm"));
}

TEST(JsonElf, EmptyDetailsOmitEveryArchitectureObject) {
  const Json json = to_json(ElfDetails{});
  for (const char* key : {"arm", "mips", "riscv", "ppc64_abi", "loongarch"})
    EXPECT_FALSE(json.contains(key)) << key;
  EXPECT_EQ(json["segments"].dump(), "[]");
  EXPECT_EQ(json["version_needs"].dump(), "[]");
}

}  // namespace
}  // namespace enoexec

// describe(): type, kind, linkage and needed; and the platform facts (os, libc, variant) with
// the evidence each rule records.
#include <gtest/gtest.h>

#include "unit/elf/elf_test_util.hpp"

namespace enoexec::test {
namespace {

// ---- type, kind, linkage ----

struct Shape {
  const char* name;
  std::uint16_t e_type;
  const char* interp;  // nullptr: none
  bool pie_flag;
  bool needs_libc;
  const char* type;
  const char* kind;
  std::optional<Linkage> linkage;
};

TEST(ElfDescribe, TypeKindAndLinkage) {
  const Shape shapes[] = {
      {"static", ET_EXEC, nullptr, false, false, "executable", "", Linkage::static_exe},
      {"dynamic", ET_EXEC, "/lib/ld-linux.so.2", false, true, "executable", "", Linkage::dynamic},
      {"pie", ET_DYN, "/lib/ld-linux.so.2", true, true, "pie-executable", "", Linkage::dynamic},
      {"pie without DF_1_PIE", ET_DYN, "/lib/ld-linux.so.2", false, true, "pie-executable", "",
       Linkage::dynamic},
      {"static-pie", ET_DYN, nullptr, true, false, "pie-executable", "", Linkage::static_pie},
      {"library", ET_DYN, nullptr, false, true, "shared-library", "shared-library",
       Linkage::dynamic},
      {"library needing nothing", ET_DYN, nullptr, false, false, "shared-library",
       "shared-library", std::nullopt},
      {"object", ET_REL, nullptr, false, false, "relocatable", "relocatable-object", std::nullopt},
      {"core", ET_CORE, nullptr, false, false, "core", "core-dump", std::nullopt},
      {"other", 0xfe00, nullptr, false, false, "other", "", std::nullopt},
  };
  for (const Shape& shape : shapes) {
    SCOPED_TRACE(shape.name);
    ElfBuilder b(32, Endian::little);
    b.e_machine = 3;
    b.e_type = shape.e_type;
    if (shape.interp != nullptr) b.interp(shape.interp);
    if (shape.pie_flag) b.dynamic_entry(DT_FLAGS_1, 0x08000000);
    if (shape.needs_libc) b.needed("libc.so.6");
    const FileReport report = describe_image(b.build());
    EXPECT_EQ(report.format, Format::elf);
    EXPECT_EQ(report.type, shape.type);
    EXPECT_EQ(report.kind, shape.kind);
    EXPECT_EQ(report.linkage, shape.linkage);
    EXPECT_EQ(report.machine, "EM_386");
    ASSERT_TRUE(report.needed);
    EXPECT_EQ(report.needed->size(), shape.needs_libc ? 1u : 0u);
    EXPECT_EQ(report.interpreter.has_value(), shape.interp != nullptr);
    ASSERT_TRUE(report.elf);
    EXPECT_EQ(report.elf->e_type, shape.e_type);
  }
}

TEST(ElfDescribe, NeededIsUnknownWhenTheDynamicSectionCannotBeRead) {
  ElfBuilder b;
  b.needed("libc.so.6");
  b.dynamic_entry(DT_STRTAB, 0x90000000);  // the last DT_STRTAB wins, as in ld.so
  const FileReport report = describe_image(b.build());
  EXPECT_EQ(report.needed, std::nullopt);
  EXPECT_EQ(report.warnings,
            (std::vector<std::string>{"DT_STRTAB 0x90000000 is not inside the file bytes of any "
                                      "PT_LOAD segment; dynamic names unavailable"}));
}

// ---- operating system ----

struct OsCase {
  const char* name;
  std::uint8_t osabi;
  std::uint16_t e_type;
  const char* interp;
  Os os;
  const char* source;
};

TEST(ElfDescribeOs, FromOsAbiInterpreterOrTheUnbrandedRule) {
  const OsCase cases[] = {
      {"FreeBSD", 9, ET_EXEC, nullptr, Os::freebsd, "EI_OSABI=FreeBSD"},
      {"NetBSD", 2, ET_EXEC, nullptr, Os::netbsd, "EI_OSABI=NetBSD"},
      {"OpenBSD", 12, ET_DYN, nullptr, Os::openbsd, "EI_OSABI=OpenBSD"},
      {"Solaris", 6, ET_EXEC, nullptr, Os::solaris, "EI_OSABI=Solaris"},
      {"AIX", 7, ET_EXEC, nullptr, Os::aix, "EI_OSABI=AIX"},
      {"GNU", 3, ET_EXEC, nullptr, Os::linux, "EI_OSABI=GNU/Linux"},
      {"OSABI beats interpreter", 9, ET_EXEC, "/lib/ld-linux.so.2", Os::freebsd,
       "EI_OSABI=FreeBSD"},
      {"android linker", 0, ET_DYN, "/system/bin/linker64", Os::android,
       "PT_INTERP /system/bin/linker64"},
      {"freebsd ld-elf", 0, ET_EXEC, "/libexec/ld-elf.so.1", Os::freebsd,
       "PT_INTERP /libexec/ld-elf.so.1"},
      {"netbsd ld.elf_so", 0, ET_EXEC, "/usr/libexec/ld.elf_so", Os::netbsd,
       "PT_INTERP /usr/libexec/ld.elf_so"},
      {"openbsd ld.so", 0, ET_EXEC, "/usr/libexec/ld.so", Os::openbsd,
       "PT_INTERP /usr/libexec/ld.so"},
      {"musl", 0, ET_DYN, "/lib/ld-musl-aarch64.so.1", Os::linux,
       "PT_INTERP /lib/ld-musl-aarch64.so.1"},
      {"ppc64 glibc", 0, ET_DYN, "/lib64/ld64.so.2", Os::linux, "PT_INTERP /lib64/ld64.so.2"},
      {"ld.so.1 in /lib", 0, ET_EXEC, "/lib/ld.so.1", Os::linux, "PT_INTERP /lib/ld.so.1"},
      {"solaris ld.so.1", 0, ET_EXEC, "/usr/lib/amd64/ld.so.1", Os::solaris,
       "PT_INTERP /usr/lib/amd64/ld.so.1"},
      {"unbranded", 0, ET_EXEC, nullptr, Os::linux,
       "EI_OSABI=SYSV and no OS brand note (only Linux runs unbranded ELF)"},
      {"unbranded, unknown loader", 0, ET_DYN, "/opt/weird/loader", Os::linux,
       "EI_OSABI=SYSV and no OS brand note (only Linux runs unbranded ELF)"},
      {"object", 0, ET_REL, nullptr, Os::unknown, ""},
      {"core", 0, ET_CORE, nullptr, Os::unknown, ""},
      {"processor-specific OSABI", 97, ET_EXEC, nullptr, Os::unknown, ""},
  };
  for (const OsCase& c : cases) {
    SCOPED_TRACE(c.name);
    ElfBuilder b;
    b.osabi = c.osabi;
    b.e_type = c.e_type;
    if (c.interp != nullptr) b.interp(c.interp);
    const FileReport report = describe_image(b.build());
    ASSERT_TRUE(report.platform);
    EXPECT_EQ(report.platform->os, c.os);
    const Evidence evidence = evidence_for(report, "os");
    EXPECT_EQ(evidence.source, c.source);
    EXPECT_EQ(evidence.value, c.os == Os::unknown ? "" : std::string(to_string(c.os)));
  }
}

elf::ElfFile plain_executable() {
  ElfBuilder b;
  return parse_image(b.build());
}

TEST(ElfDescribeOs, FromBrandNotes) {
  struct NoteCase {
    const char* name;
    void (*set)(ElfNotes&);
    Os os;
    const char* source;
  };
  const NoteCase cases[] = {
      {"android", [](ElfNotes& n) { n.android_api = 30; }, Os::android,
       "Android note (API level 30)"},
      {"freebsd", [](ElfNotes& n) { n.freebsd_version = "1302001"; }, Os::freebsd,
       "NT_FREEBSD_ABI_TAG 1302001"},
      {"netbsd", [](ElfNotes& n) { n.netbsd_version = "9.3"; }, Os::netbsd,
       "NetBSD ident note 9.3"},
      {"openbsd", [](ElfNotes& n) { n.openbsd = true; }, Os::openbsd, "OpenBSD ident note"},
      {"abi tag linux",
       [](ElfNotes& n) {
         n.abi_tag_os = "Linux";
         n.abi_tag_kernel = "3.2.0";
       },
       Os::linux, "NT_GNU_ABI_TAG Linux 3.2.0"},
      {"abi tag hurd", [](ElfNotes& n) { n.abi_tag_os = "GNU/Hurd"; }, Os::hurd,
       "NT_GNU_ABI_TAG GNU/Hurd"},
      {"abi tag solaris", [](ElfNotes& n) { n.abi_tag_os = "Solaris"; }, Os::solaris,
       "NT_GNU_ABI_TAG Solaris"},
      {"abi tag kfreebsd", [](ElfNotes& n) { n.abi_tag_os = "FreeBSD"; }, Os::freebsd,
       "NT_GNU_ABI_TAG FreeBSD"},
  };
  for (const NoteCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto elf = plain_executable();
    c.set(elf.details.notes);
    const FileReport report = describe_file(elf);
    EXPECT_EQ(report.platform->os, c.os);
    EXPECT_EQ(evidence_for(report, "os").source, c.source);
  }
}

TEST(ElfDescribeOs, NoteBeatsInterpreterAndRefinesGnuOsAbi) {
  ElfBuilder b;
  b.interp("/lib/ld-linux.so.2");
  auto elf = parse_image(b.build());
  elf.details.notes.netbsd_version = "10.0";
  EXPECT_EQ(describe_file(elf).platform->os, Os::netbsd);

  ElfBuilder gnu;
  gnu.osabi = 3;
  elf = parse_image(gnu.build());
  elf.details.notes.android_api = 29;
  FileReport report = describe_file(elf);
  EXPECT_EQ(report.platform->os, Os::android);
  EXPECT_EQ(evidence_for(report, "os").source, "Android note (API level 29)");

  elf.details.notes.android_api.reset();
  elf.details.notes.abi_tag_os = "Linux";
  report = describe_file(elf);
  EXPECT_EQ(report.platform->os, Os::linux);
  EXPECT_EQ(evidence_for(report, "os").source, "EI_OSABI=GNU/Linux");
}

TEST(ElfDescribeOs, RelocatableObjectWithBrandNoteHasAnOs) {
  ElfBuilder b;
  b.e_type = ET_REL;
  auto elf = parse_image(b.build());
  elf.details.notes.abi_tag_os = "Linux";
  EXPECT_EQ(describe_file(elf).platform->os, Os::linux);
}

// ---- C library ----

struct LibcCase {
  const char* name;
  const char* interp;
  std::vector<std::string> needed;
  Libc libc;
  const char* source;
};

TEST(ElfDescribeLibc, FromInterpreterThenNeededLibraries) {
  const LibcCase cases[] = {
      {"glibc loader", "/lib64/ld-linux-x86-64.so.2", {"libc.so.6"}, Libc::glibc,
       "PT_INTERP /lib64/ld-linux-x86-64.so.2"},
      {"glibc ld64", "/lib64/ld64.so.1", {}, Libc::glibc, "PT_INTERP /lib64/ld64.so.1"},
      {"glibc ld.so.1", "/lib/ld.so.1", {}, Libc::glibc, "PT_INTERP /lib/ld.so.1"},
      {"musl loader", "/lib/ld-musl-armhf.so.1", {"libc.so"}, Libc::musl,
       "PT_INTERP /lib/ld-musl-armhf.so.1"},
      {"bionic", "/system/bin/linker", {"libc.so"}, Libc::bionic, "PT_INTERP /system/bin/linker"},
      {"uclibc", "/lib/ld-uClibc.so.0", {}, Libc::uclibc, "PT_INTERP /lib/ld-uClibc.so.0"},
      {"needed glibc", nullptr, {"libm.so.6", "libc.so.6"}, Libc::glibc, "DT_NEEDED libc.so.6"},
      {"needed musl", nullptr, {"libc.musl-x86_64.so.1"}, Libc::musl,
       "DT_NEEDED libc.musl-x86_64.so.1"},
      {"needed uclibc", nullptr, {"libc.so.0"}, Libc::uclibc, "DT_NEEDED libc.so.0"},
      {"libc.so on linux: musl", nullptr, {"libc.so"}, Libc::musl, "DT_NEEDED libc.so (musl's soname)"},
      {"unknown loader", "/opt/loader.so", {}, Libc::unknown, ""},
  };
  for (const LibcCase& c : cases) {
    SCOPED_TRACE(c.name);
    ElfBuilder b;
    b.e_type = ET_DYN;
    if (c.interp != nullptr) b.interp(c.interp);
    for (const std::string& library : c.needed) b.needed(library);
    const FileReport report = describe_image(b.build());
    EXPECT_EQ(report.platform->libc, c.libc);
    EXPECT_EQ(evidence_for(report, "libc").source, c.source);
  }
}

TEST(ElfDescribeLibc, LibcSoOnAndroidIsBionic) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.needed("libc.so");
  auto elf = parse_image(b.build());
  elf.details.notes.android_api = 24;
  const FileReport report = describe_file(elf);
  EXPECT_EQ(report.platform->libc, Libc::bionic);
  EXPECT_EQ(evidence_for(report, "libc").source, "DT_NEEDED libc.so");
}

TEST(ElfDescribeLibc, GlibcVersionRequirementsMeanGlibc) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.needed("libpthread.so.0");
  b.versioned_symbol("libpthread.so.0", "GLIBC_2.12", "pthread_setname_np");
  const FileReport report = describe_image(b.build());
  EXPECT_EQ(report.platform->libc, Libc::glibc);
  EXPECT_EQ(evidence_for(report, "libc").source, "needs symbol version GLIBC_2.12");
  EXPECT_EQ(report.glibc_min, "2.12");
}

TEST(ElfDescribeLibc, StaticProgramsByTheirNotes) {
  auto elf = plain_executable();
  EXPECT_EQ(describe_file(elf).platform->libc, Libc::unknown);  // never guessed

  elf.details.notes.abi_tag_os = "Linux";
  FileReport report = describe_file(elf);
  EXPECT_EQ(report.platform->libc, Libc::glibc);
  EXPECT_EQ(evidence_for(report, "libc").source, "static, with glibc's NT_GNU_ABI_TAG note");

  elf.details.notes.abi_tag_os.reset();
  elf.details.notes.go_build_id = "abc/def";
  report = describe_file(elf);
  EXPECT_EQ(report.platform->libc, Libc::none);
  EXPECT_EQ(evidence_for(report, "libc").source,
            "static Go program (Go build ID note, no DT_NEEDED)");
}

TEST(ElfDescribeLibc, GoBuildIdWithNeededLibrariesIsNotLibcFree) {
  ElfBuilder b;
  b.needed("libpthread.so.0");
  auto elf = parse_image(b.build());
  elf.details.notes.go_build_id = "abc";
  EXPECT_EQ(describe_file(elf).platform->libc, Libc::unknown);
}

// ---- variant ----

FileReport arm_report(const char* cpu_arch, const char* profile = "A") {
  ElfBuilder b(32, Endian::little);
  b.e_machine = 40;
  auto elf = parse_image(b.build());
  if (cpu_arch != nullptr) {
    if (!elf.details.arm) elf.details.arm.emplace();
    elf.details.arm->cpu_arch = cpu_arch;
    elf.details.arm->cpu_profile = profile;
  } else {
    elf.details.arm.reset();
  }
  return describe_file(elf);
}

TEST(ElfDescribeVariant, ArmFromTagCpuArch) {
  const std::pair<const char*, const char*> cases[] = {
      {"v4T", "v5"}, {"v5TE", "v5"}, {"v5TEJ", "v5"}, {"v6", "v6"},   {"v6K", "v6"},
      {"v6KZ", "v6"}, {"v6T2", "v6"}, {"v7", "v7"},   {"v8", "v8"},   {"v8-A", "v8"},
      {"v8.2-A", "v8"}, {"v9-A", "v8"},
  };
  for (const auto& [cpu_arch, variant] : cases) {
    SCOPED_TRACE(cpu_arch);
    const FileReport report = arm_report(cpu_arch);
    EXPECT_EQ(report.platform->variant, variant);
    const Evidence evidence = evidence_for(report, "variant");
    EXPECT_EQ(evidence.value, variant);
    EXPECT_EQ(evidence.source, std::string("Tag_CPU_arch ") + cpu_arch);
  }
}

TEST(ElfDescribeVariant, MicrocontrollerProfilesHaveNoVariant) {
  EXPECT_EQ(arm_report("v7", "M").platform->variant, "");
  EXPECT_EQ(arm_report("v8-M.mainline", "").platform->variant, "");
  EXPECT_EQ(arm_report("v8-R", "R").platform->variant, "");
  EXPECT_EQ(arm_report("Pre-v4", "").platform->variant, "");
  EXPECT_EQ(evidence_for(arm_report("v7", "M"), "variant").source, "");
}

TEST(ElfDescribeVariant, ArmWithoutAttributesWarns) {
  const FileReport report = arm_report(nullptr);
  EXPECT_EQ(report.platform->variant, "");
  EXPECT_TRUE(has_warning(report.warnings, "ARM architecture version not stated (no "
                                           ".ARM.attributes); platform variant unknown"));
}

TEST(ElfDescribeVariant, Amd64FromTheIsaLevelProperty) {
  auto elf = plain_executable();
  elf.details.notes.x86_isa_needed = 3;
  FileReport report = describe_file(elf);
  EXPECT_EQ(report.platform->variant, "v3");
  EXPECT_EQ(evidence_for(report, "variant").source, "GNU_PROPERTY_X86_ISA_1_NEEDED x86-64-v3");

  elf.details.notes.x86_isa_needed = 1;
  EXPECT_EQ(describe_file(elf).platform->variant, "");
  elf.details.notes.x86_isa_needed.reset();
  EXPECT_EQ(describe_file(elf).platform->variant, "");
}

TEST(ElfDescribeVariant, OtherArchitecturesHaveNone) {
  ElfBuilder b;
  b.e_machine = 183;
  auto elf = parse_image(b.build());
  elf.details.notes.x86_isa_needed = 3;  // ignored: not amd64
  const FileReport report = describe_file(elf);
  EXPECT_EQ(report.platform->variant, "");
  EXPECT_EQ(report.warnings, no_warnings());
}

}  // namespace
}  // namespace enoexec::test

namespace enoexec::test {
namespace {

// Without a brand, a program's libraries and symbol versions name its system; a weaker clue
// that names another system is a warning, not silently dropped.
TEST(ElfDescribeOs, FromNeededLibrariesAndSymbolVersions) {
  struct Case {
    const char* library;
    const char* version;
    Os os;
    const char* source;
  };
  const Case cases[] = {
      {"libc.so.7", nullptr, Os::freebsd, "DT_NEEDED libc.so.7"},
      {"libthr.so.3", nullptr, Os::freebsd, "DT_NEEDED libthr.so.3"},
      {"libc.so.12", nullptr, Os::netbsd, "DT_NEEDED libc.so.12"},
      {"libc.so.8", nullptr, Os::dragonfly, "DT_NEEDED libc.so.8"},
      {"libc.so.1", nullptr, Os::solaris, "DT_NEEDED libc.so.1"},
      {"libm.so.5", "FBSD_1.0", Os::freebsd, "needs symbol version FBSD_1.0 of libm.so.5"},
      {"libsocket.so.1", "SUNW_1.4", Os::solaris, "needs symbol version SUNW_1.4 of libsocket.so.1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.library);
    ElfBuilder b;
    b.e_type = ET_DYN;
    if (c.version != nullptr) b.version_need(c.library, c.version);
    else b.needed(c.library);
    const FileReport report = describe_image(b.build());
    ASSERT_TRUE(report.platform);
    EXPECT_EQ(report.platform->os, c.os);
    EXPECT_EQ(evidence_for(report, "os").source, c.source);
    EXPECT_NE(report.platform->libc, Libc::glibc);
  }
}

TEST(ElfDescribeOs, AFreeBsdLibcSo6IsNotGlibcAndDisagreementIsReported) {
  ElfBuilder b;
  b.osabi = 9;  // FreeBSD
  b.e_type = ET_DYN;
  b.needed("libc.so.6");   // FreeBSD 6's libc
  b.needed("libc.so.12");  // NetBSD's: weaker than EI_OSABI, and reported
  const FileReport report = describe_image(b.build());
  ASSERT_TRUE(report.platform);
  EXPECT_EQ(report.platform->os, Os::freebsd);
  EXPECT_NE(report.platform->libc, Libc::glibc);
  bool reported = false;
  for (const std::string& w : report.warnings) reported = reported || w.find("disagrees on the system") != std::string::npos;
  EXPECT_TRUE(reported);
}

TEST(ElfDescribeOs, MuslsSonameIsMusl) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.needed("libc.so");
  const FileReport report = describe_image(b.build());
  ASSERT_TRUE(report.platform);
  EXPECT_EQ(report.platform->os, Os::linux);
  EXPECT_EQ(report.platform->libc, Libc::musl);
}

TEST(ElfDescribeOs, SolarisLoadersUnderLib) {
  ElfBuilder b;
  b.interp("/lib/amd64/ld.so.1");
  const FileReport report = describe_image(b.build());
  ASSERT_TRUE(report.platform);
  EXPECT_EQ(report.platform->os, Os::solaris);
}

}  // namespace
}  // namespace enoexec::test

// Thin Mach-O files: header in both widths and byte orders, the platform derivation, the
// format-neutral report.
#include "formats/macho/macho_file.hpp"

#include <gtest/gtest.h>

#include "builders/macho_builder.hpp"

namespace enoexec {
namespace {

using test::Bytes;
using test::MachoBuilder;

constexpr std::uint32_t kX86 = 7, kX86_64 = 0x01000007, kArm = 12, kArm64 = 0x0100000c,
                        kArm64_32 = 0x0200000c, kPpc = 18, kPpc64 = 0x01000012;
constexpr std::uint32_t kExecute = 2, kObject = 1, kDylib = 6, kBundle = 8;
constexpr std::uint32_t kDyldLinkPie = 0x200085;  // NOUNDEFS | DYLDLINK | TWOLEVEL | PIE
constexpr std::uint32_t LC_LOAD_DYLIB = 0xc, LC_ID_DYLIB = 0xd, LC_VERSION_MIN_MACOSX = 0x24,
                        LC_VERSION_MIN_IPHONEOS = 0x25;
constexpr const char* kLibSystem = "/usr/lib/libSystem.B.dylib";

FileReport inspect(const Bytes& bytes) {
  FileReport report;
  report.path = "file";
  macho::inspect(ByteView(bytes), report);
  return report;
}

// What Go 1.19's linker writes for darwin/arm64 (macho-pe.md A.5), without the signature.
MachoBuilder go_like(std::uint32_t cputype, std::uint32_t cpusubtype) {
  MachoBuilder b(64, Endian::little, cputype, cpusubtype, kExecute, kDyldLinkPie);
  b.segment("__PAGEZERO", 0, 0x100000000, 0, 0)
      .segment("__TEXT", 0x100000000, 0x4000, 0, 0x1000,
               {{"__TEXT", "__text", 0x100000800, 0x100, 0x800}})
      .segment("__DATA", 0x100004000, 0x4000, 0x1000, 0x100,
               {{"__DATA", "__go_buildinfo", 0x100004000, 0x20, 0x1000}})
      .build_version(1, 0x0b0000, 0x0b0000)
      .main(0x800)
      .dylinker("/usr/lib/dyld")
      .dylib(LC_LOAD_DYLIB, kLibSystem, 0x051f0000, 0x10000)
      .uuid(0xa0)
      .tail(0x1100);
  return b;
}

TEST(MachoFile, GoLikeArm64ExecutableIsDarwinArm64) {
  const FileReport r = inspect(go_like(kArm64, 0).build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.format, Format::macho);
  EXPECT_EQ(r.bits, 64);
  EXPECT_EQ(r.endian, Endian::little);
  EXPECT_EQ(r.type, "pie-executable");
  EXPECT_EQ(r.kind, "");
  EXPECT_EQ(r.machine, "CPU_TYPE_ARM64");
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->os, Os::darwin);
  EXPECT_EQ(r.platform->arch, Arch::arm64);
  EXPECT_EQ(r.platform->variant, "");
  EXPECT_EQ(r.platform->libc, Libc::libsystem);
  EXPECT_EQ(r.platform->bits, 64);
  EXPECT_EQ(r.interpreter, "/usr/lib/dyld");
  EXPECT_EQ(r.linkage, Linkage::dynamic);
  EXPECT_EQ(r.needed, std::vector<std::string>{kLibSystem});
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();

  ASSERT_TRUE(r.macho);
  const MachoDetails& d = *r.macho;
  EXPECT_EQ(d.filetype_name, "MH_EXECUTE");
  EXPECT_EQ(d.flag_names,
            (std::vector<std::string>{"MH_NOUNDEFS", "MH_DYLDLINK", "MH_TWOLEVEL", "MH_PIE"}));
  EXPECT_EQ(d.cpusubtype_name, "CPU_SUBTYPE_ARM64_ALL");
  EXPECT_EQ(d.arch_name, "arm64");
  EXPECT_EQ(d.platform, "macos");
  EXPECT_EQ(d.minos, "11.0");
  EXPECT_EQ(d.sdk, "11.0");
  EXPECT_EQ(d.entry, 0x800u);
  EXPECT_EQ(d.entry_source, "LC_MAIN entryoff");
  EXPECT_EQ(d.uuid, "A0A1A2A3-A4A5-A6A7-A8A9-AAABACADAEAF");
  ASSERT_EQ(d.dylibs.size(), 1u);
  EXPECT_EQ(d.dylibs[0].command, "LC_LOAD_DYLIB");
  EXPECT_EQ(d.dylibs[0].current_version, "1311.0.0");
  EXPECT_EQ(d.dylibs[0].compatibility_version, "1.0.0");
  EXPECT_EQ(d.load_commands,
            (std::vector<std::string>{"LC_SEGMENT_64", "LC_SEGMENT_64", "LC_SEGMENT_64",
                                      "LC_BUILD_VERSION", "LC_MAIN", "LC_LOAD_DYLINKER",
                                      "LC_LOAD_DYLIB", "LC_UUID"}));
  ASSERT_EQ(d.segments.size(), 3u);
  EXPECT_EQ(d.segments[1].name, "__TEXT");
  EXPECT_EQ(d.segments[1].vmaddr, 0x100000000u);
  EXPECT_EQ(d.segments[1].filesize, 0x1000u);
  EXPECT_FALSE(d.code_signature.is_signed);
}

TEST(MachoFile, KeepsSectionsWithFileOffsetsForLaterReaders) {
  auto file = macho::parse(ByteView(go_like(kArm64, 0).build()));
  ASSERT_TRUE(file);
  ASSERT_EQ(file->sections.size(), 2u);
  EXPECT_EQ(file->sections[1].segname, "__DATA");
  EXPECT_EQ(file->sections[1].sectname, "__go_buildinfo");
  EXPECT_EQ(file->sections[1].addr, 0x100004000u);
  EXPECT_EQ(file->sections[1].offset, 0x1000u);
  EXPECT_EQ(file->sections[1].size, 0x20u);
}

TEST(MachoFile, EvidenceNamesTheLoadCommandsAndCputype) {
  const FileReport r = inspect(go_like(kArm64, 0).build());
  ASSERT_EQ(r.evidence.size(), 3u);
  EXPECT_EQ(r.evidence[0].fact, "arch");
  EXPECT_EQ(r.evidence[0].value, to_string(Arch::arm64));
  EXPECT_EQ(r.evidence[0].source, "cputype CPU_TYPE_ARM64");
  EXPECT_EQ(r.evidence[1].fact, "os");
  EXPECT_EQ(r.evidence[1].value, to_string(Os::darwin));
  EXPECT_EQ(r.evidence[1].source, "LC_BUILD_VERSION platform PLATFORM_MACOS");
  EXPECT_EQ(r.evidence[2].fact, "libc");
  EXPECT_EQ(r.evidence[2].source, "LC_LOAD_DYLIB /usr/lib/libSystem.B.dylib");
}

TEST(MachoFile, X86_64hIsAmd64V3) {
  const FileReport r = inspect(go_like(kX86_64, 8).build());
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  EXPECT_EQ(r.platform->variant, "v3");
  EXPECT_EQ(r.machine, "CPU_TYPE_X86_64");
  EXPECT_EQ(r.macho->arch_name, "x86_64h");
  EXPECT_EQ(r.macho->cpusubtype_name, "CPU_SUBTYPE_X86_64_H");
  bool found = false;
  for (const auto& e : r.evidence)
    if (e.fact == "variant" && e.value == "v3" && e.source == "cpusubtype CPU_SUBTYPE_X86_64_H")
      found = true;
  EXPECT_TRUE(found);
}

TEST(MachoFile, X86_64WithLib64CapabilityBitIsPlainAmd64) {
  const FileReport r = inspect(go_like(kX86_64, 0x80000003u).build());
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  EXPECT_EQ(r.platform->variant, "");
  EXPECT_EQ(r.macho->cpusubtype, 0x80000003u);
  EXPECT_EQ(r.macho->cpusubtype_name, "CPU_SUBTYPE_X86_64_ALL");
  EXPECT_EQ(r.macho->arch_name, "x86_64");
}

TEST(MachoFile, Arm64eKeepsArm64PlatformAndReportsPtrauthAbiVersion) {
  const FileReport r = inspect(go_like(kArm64, 0x81000002u).build());
  EXPECT_EQ(r.platform->arch, Arch::arm64);
  EXPECT_EQ(r.platform->variant, "");
  EXPECT_EQ(r.macho->arch_name, "arm64e");
  EXPECT_EQ(r.macho->cpusubtype_name, "CPU_SUBTYPE_ARM64E");
  EXPECT_TRUE(r.macho->ptrauth_abi);
  EXPECT_EQ(r.macho->ptrauth_abi_version, 1);
}

TEST(MachoFile, UnversionedArm64eHasNoAbiVersion) {
  const FileReport r = inspect(go_like(kArm64, 2).build());
  EXPECT_EQ(r.macho->arch_name, "arm64e");
  EXPECT_FALSE(r.macho->ptrauth_abi);
  EXPECT_FALSE(r.macho->ptrauth_abi_version);
}

struct ArmCase {
  std::uint32_t subtype;
  const char* arch_name;
  const char* variant;
};

TEST(MachoFile, ArmSubtypesGiveArmVariants) {
  for (const ArmCase& c : {ArmCase{9, "armv7", "v7"}, ArmCase{11, "armv7s", "v7"},
                           ArmCase{12, "armv7k", "v7"}, ArmCase{6, "armv6", "v6"}}) {
    MachoBuilder b(32, Endian::little, kArm, c.subtype, kExecute, kDyldLinkPie);
    b.version_min(LC_VERSION_MIN_IPHONEOS, 0x090000, 0x0a0000).dylinker("/usr/lib/dyld");
    const FileReport r = inspect(b.build());
    SCOPED_TRACE(c.arch_name);
    EXPECT_EQ(r.bits, 32);
    EXPECT_EQ(r.machine, "CPU_TYPE_ARM");
    EXPECT_EQ(r.platform->arch, Arch::arm);
    EXPECT_EQ(r.platform->variant, c.variant);
    EXPECT_EQ(r.platform->os, Os::ios);
    EXPECT_EQ(r.macho->arch_name, c.arch_name);
    EXPECT_EQ(r.macho->platform, "ios");
    EXPECT_EQ(r.macho->minos, "9.0");
    EXPECT_EQ(r.macho->sdk, "10.0");
  }
}

TEST(MachoFile, Arm64_32IsA32BitWatchosFile) {
  MachoBuilder b(32, Endian::little, kArm64_32, 1, kExecute, kDyldLinkPie);
  b.build_version(4, 0x050000, 0x060000).dylinker("/usr/lib/dyld");
  const FileReport r = inspect(b.build());
  EXPECT_EQ(r.bits, 32);
  EXPECT_EQ(r.machine, "CPU_TYPE_ARM64_32");
  EXPECT_EQ(r.platform->arch, Arch::arm64_32);
  EXPECT_EQ(r.platform->os, Os::watchos);
  EXPECT_EQ(r.macho->arch_name, "arm64_32");
  EXPECT_EQ(r.macho->platform, "watchos");
}

struct PlatformCase {
  std::uint32_t platform;
  Os os;
  const char* name;
};

TEST(MachoFile, BuildVersionPlatformsMapToGoos) {
  for (const PlatformCase& c :
       {PlatformCase{1, Os::darwin, "macos"}, PlatformCase{2, Os::ios, "ios"},
        PlatformCase{7, Os::ios, "ios-simulator"}, PlatformCase{6, Os::ios, "maccatalyst"},
        PlatformCase{3, Os::tvos, "tvos"}, PlatformCase{4, Os::watchos, "watchos"},
        PlatformCase{11, Os::visionos, "visionos"}, PlatformCase{10, Os::unknown, "driverkit"},
        PlatformCase{99, Os::unknown, "0x63"}}) {
    MachoBuilder b(64, Endian::little, kArm64, 0, kExecute, kDyldLinkPie);
    b.build_version(c.platform, 0x0e0000, 0x0e0200);
    const FileReport r = inspect(b.build());
    SCOPED_TRACE(c.name);
    EXPECT_EQ(r.platform->os, c.os);
    EXPECT_EQ(r.macho->platform, c.name);
    EXPECT_EQ(r.macho->minos, "14.0");
    EXPECT_EQ(r.macho->sdk, "14.2");
  }
}

TEST(MachoFile, VersionMinWithPatchLevelAndNoSdk) {
  MachoBuilder b(64, Endian::little, kX86_64, 3, kExecute, kDyldLinkPie);
  b.version_min(LC_VERSION_MIN_MACOSX, 0x0a0d02, 0);
  const FileReport r = inspect(b.build());
  EXPECT_EQ(r.platform->os, Os::darwin);
  EXPECT_EQ(r.macho->platform, "macos");
  EXPECT_EQ(r.macho->minos, "10.13.2");
  EXPECT_EQ(r.macho->sdk, "");
  EXPECT_EQ(r.evidence[1].source, "LC_VERSION_MIN_MACOSX");
}

TEST(MachoFile, OldSimulatorBuildsUseVersionMinIphoneosOnX86) {
  MachoBuilder b(64, Endian::little, kX86_64, 3, kExecute, kDyldLinkPie);
  b.version_min(LC_VERSION_MIN_IPHONEOS, 0x080000, 0x090000);
  const FileReport r = inspect(b.build());
  EXPECT_EQ(r.platform->os, Os::ios);
  EXPECT_EQ(r.macho->platform, "ios-simulator");
}

TEST(MachoFile, Big32PowerPcWithUnixThreadEntry) {
  MachoBuilder b(32, Endian::big, kPpc, 0, kExecute, 0x85);
  b.version_min(LC_VERSION_MIN_MACOSX, 0x0a0400, 0x0a0400)
      .unixthread(1, 40, 0, 0x2bd0, 4)  // PPC_THREAD_STATE: srr0 first
      .dylinker("/usr/lib/dyld");
  const FileReport r = inspect(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.bits, 32);
  EXPECT_EQ(r.endian, Endian::big);
  EXPECT_EQ(r.type, "executable");
  EXPECT_EQ(r.machine, "CPU_TYPE_POWERPC");
  EXPECT_EQ(r.platform->arch, Arch::ppc);
  EXPECT_EQ(r.platform->endian, Endian::big);
  EXPECT_EQ(r.platform->os, Os::darwin);
  EXPECT_EQ(r.macho->entry, 0x2bd0u);
  EXPECT_EQ(r.macho->entry_source, "LC_UNIXTHREAD pc");
  EXPECT_EQ(r.macho->minos, "10.4");
}

TEST(MachoFile, Big64PowerPc64) {
  MachoBuilder b(64, Endian::big, kPpc64, 0, kExecute, 0x85);
  b.unixthread(5, 80, 0, 0x100001234, 8).dylinker("/usr/lib/dyld");
  const FileReport r = inspect(b.build());
  EXPECT_EQ(r.bits, 64);
  EXPECT_EQ(r.endian, Endian::big);
  EXPECT_EQ(r.platform->arch, Arch::ppc64);
  EXPECT_EQ(r.macho->entry, 0x100001234u);
}

TEST(MachoFile, X86WithoutPlatformCommandIsTakenAsMacos) {
  MachoBuilder b(32, Endian::little, kX86, 3, kExecute, 0x85);
  b.unixthread(1, 16, 40, 0x1f00, 4).dylinker("/usr/lib/dyld");  // x86_THREAD_STATE32: eip
  const FileReport r = inspect(b.build());
  EXPECT_EQ(r.machine, "CPU_TYPE_X86");
  EXPECT_EQ(r.platform->arch, Arch::i386);
  EXPECT_EQ(r.platform->os, Os::darwin);
  EXPECT_EQ(r.macho->entry, 0x1f00u);
  EXPECT_EQ(r.macho->platform, "");
  EXPECT_EQ(r.evidence.back().source,
            "cputype CPU_TYPE_X86 with no platform load command (only macOS runs such files "
            "without naming a platform)");
}

TEST(MachoFile, ArmWithoutPlatformCommandHasUnknownOs) {
  MachoBuilder b(64, Endian::little, kArm64, 0, kExecute, 0x85);
  b.unixthread(6, 68, 256, 0x100003f00, 8);  // ARM_THREAD_STATE64: pc after x0-x28, fp, lr, sp
  const FileReport r = inspect(b.build());
  EXPECT_EQ(r.platform->os, Os::unknown);
  EXPECT_EQ(r.macho->entry, 0x100003f00u);
  EXPECT_EQ(r.linkage, Linkage::static_exe);
  EXPECT_FALSE(r.interpreter);
  EXPECT_EQ(r.needed, std::vector<std::string>{});
}

TEST(MachoFile, X86_64ThreadStateInsideTheGenericX86Flavor) {
  MachoBuilder b(64, Endian::little, kX86_64, 3, kExecute, 0);
  // x86_THREAD_STATE (7) = {flavor 4, count 42} header, then rip at byte 128 of the state.
  b.unixthread(7, 44, 0, 4, 4);
  Bytes bytes = b.build();
  // Patch count and rip into the state: the builder wrote flavor 4 at state offset 0.
  const std::size_t state_at = 32 + 16;
  test::patch<std::uint32_t>(bytes, state_at + 4, 42, Endian::little);
  test::patch<std::uint64_t>(bytes, state_at + 8 + 128, 0x100000f50, Endian::little);
  const FileReport r = inspect(bytes);
  EXPECT_EQ(r.macho->entry, 0x100000f50u);
}

TEST(MachoFile, DylibKindsAllCountAsNeeded) {
  MachoBuilder b(64, Endian::little, kArm64, 0, kDylib, 0x100085);
  b.build_version(1, 0x0b0000, 0x0d0000)
      .dylib(LC_ID_DYLIB, "@rpath/libfoo.dylib", 0x10203, 0x10000)
      .dylib(LC_LOAD_DYLIB, kLibSystem)
      .dylib(0x80000018u, "/usr/lib/libweak.dylib")
      .dylib(0x8000001fu, "/usr/lib/libre.dylib")
      .dylib(0x80000023u, "/usr/lib/libup.dylib")
      .rpath("@loader_path/../lib")
      .rpath("/opt/lib");
  const FileReport r = inspect(b.build());
  EXPECT_EQ(r.type, "shared-library");
  EXPECT_EQ(r.kind, "shared-library");
  EXPECT_EQ(r.linkage, Linkage::dynamic);
  EXPECT_FALSE(r.interpreter);
  EXPECT_EQ(r.needed, (std::vector<std::string>{kLibSystem, "/usr/lib/libweak.dylib",
                                                "/usr/lib/libre.dylib", "/usr/lib/libup.dylib"}));
  EXPECT_EQ(r.macho->install_name, "@rpath/libfoo.dylib");
  EXPECT_EQ(r.macho->weak_dylibs, std::vector<std::string>{"/usr/lib/libweak.dylib"});
  EXPECT_EQ(r.macho->reexported_dylibs, std::vector<std::string>{"/usr/lib/libre.dylib"});
  EXPECT_EQ(r.macho->dylibs[1].command, "LC_LOAD_WEAK_DYLIB");
  EXPECT_EQ(r.macho->dylibs[2].command, "LC_REEXPORT_DYLIB");
  EXPECT_EQ(r.macho->dylibs[3].command, "LC_LOAD_UPWARD_DYLIB");
  EXPECT_EQ(r.macho->rpaths, (std::vector<std::string>{"@loader_path/../lib", "/opt/lib"}));
  EXPECT_EQ(r.platform->libc, Libc::libsystem);
}

TEST(MachoFile, ObjectFilesAndBundles) {
  MachoBuilder object(64, Endian::little, kX86_64, 3, kObject, 0x2000);
  const FileReport o = inspect(object.build_version(1, 0x0c0000, 0).build());
  EXPECT_EQ(o.type, "relocatable");
  EXPECT_EQ(o.kind, "relocatable-object");
  EXPECT_FALSE(o.needed);
  EXPECT_FALSE(o.linkage);

  MachoBuilder bundle(64, Endian::little, kX86_64, 3, kBundle, 0x85);
  const FileReport b = inspect(bundle.build());
  EXPECT_EQ(b.type, "bundle");
  EXPECT_EQ(b.kind, "bundle");
  EXPECT_EQ(b.linkage, Linkage::dynamic);
}

TEST(MachoFile, NonPieExecutable) {
  MachoBuilder b(64, Endian::little, kX86_64, 3, kExecute, 0x85);
  EXPECT_EQ(inspect(b.build()).type, "executable");
}

TEST(MachoFile, ShortHeaderIsAnError) {
  const Bytes bytes{0xcf, 0xfa, 0xed, 0xfe, 0x07, 0x00, 0x00, 0x01, 0x03, 0x00};
  const FileReport r = inspect(bytes);
  EXPECT_EQ(r.format, Format::macho);
  EXPECT_EQ(r.kind, "truncated");
  EXPECT_EQ(r.error, "truncated: mach_header_64 needs 32 bytes, 10 remain (at offset 0x0)");
}

TEST(MachoFile, NotAMachOIsBadMagic) {
  const Bytes bytes(64, 0x41);
  const FileReport r = inspect(bytes);
  EXPECT_EQ(r.format, Format::unknown);
  EXPECT_EQ(r.error, "bad magic: mach_header: magic 0x41414141 is not a Mach-O magic (at offset 0x0)");
}

TEST(MachoFile, TruncatedDownloadKeepsTheHeaderFacts) {
  MachoBuilder b = go_like(kArm64, 0);
  Bytes bytes = b.build();
  bytes.resize(0x1080);  // __DATA (fileoff 0x1000, filesize 0x100) now ends past the end
  const FileReport r = inspect(bytes);
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.kind, "truncated");
  EXPECT_EQ(r.platform->arch, Arch::arm64);
  EXPECT_EQ(r.type, "pie-executable");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "truncated: load command 2 (LC_SEGMENT_64): segment __DATA [fileoff 0x1000, filesize "
            "0x100] runs past the end of the file (4224 bytes) (at offset 0x100)");
}

TEST(MachoFile, FileEndingInsideTheLoadCommandsIsTruncated) {
  Bytes bytes = go_like(kArm64, 0).build();
  bytes.resize(0x100);
  const FileReport r = inspect(bytes);
  EXPECT_EQ(r.kind, "truncated");
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_EQ(r.warnings[0],
            "truncated: load commands: sizeofcmds 536 runs past the end of the file (224 bytes "
            "remain after the mach_header) (at offset 0x20)");
  EXPECT_EQ(r.macho->segments.size(), 2u);  // the commands that fit were read
}

}  // namespace
}  // namespace enoexec

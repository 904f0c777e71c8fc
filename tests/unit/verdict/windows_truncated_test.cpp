// The Windows model on a PE file cut short (the PE reader's kind "truncated"): the loader cannot
// map what is missing, whatever else the headers say.
#include <gtest/gtest.h>

#include "enoexec/targets.hpp"
#include "unit/verdict/fake_context.hpp"

namespace enoexec {
namespace {

FileReport cut_program() {
  FileReport r;
  r.path = "/p.exe";
  r.format = Format::pe;
  r.kind = "truncated";
  r.type = "executable";
  r.platform = make_platform(Os::windows, Arch::amd64);
  r.machine = "IMAGE_FILE_MACHINE_AMD64";
  r.warnings = {"the file ends at 0x300, before SizeOfHeaders 0x400: the loader maps what the file "
                "has of the headers and zero-fills the rest (at offset 0xd4)",
                "section .text raw data [0x400, 0x600) runs past the end of the file (768 bytes): "
                "the file is truncated (at offset 0x188)"};
  PeDetails d;
  d.machine = 0x8664;
  d.subsystem = 3;
  d.subsystem_name = "WINDOWS_CUI";
  d.subsystem_version = "6.0";
  d.characteristics_names = {"EXECUTABLE_IMAGE"};
  d.mapped_part_cut = "section .text raw data [0x400, 0x600) runs past the end of the file (768 bytes)";
  r.pe = std::move(d);
  return r;
}

TEST(WindowsExecTruncated, ACutFileIsNotAValidImage) {
  const Profile* profile = find_profile("windows-10-x64");
  ASSERT_NE(profile, nullptr);
  test::FakeContext fs;
  const FileReport r = cut_program();
  fs.add(r.path, {'M', 'Z'}, false);
  const Verdict v = judge(r, host_of(*profile), fs);
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  EXPECT_EQ(v.execve, "ERROR_BAD_EXE_FORMAT");
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_EQ(v.problems[0].code, "E_WIN_TRUNCATED");
  EXPECT_EQ(v.problems[0].message,
            "/p.exe is not a valid Win32 application (the file is cut short: section .text raw "
            "data [0x400, 0x600) runs past the end of the file (768 bytes))");
}

// The certificate table (Authenticode) is not mapped: a file cut there still loads.
TEST(WindowsExecTruncated, ACutCertificateTableAloneIsNotACutImage) {
  const Profile* profile = find_profile("windows-10-x64");
  ASSERT_NE(profile, nullptr);
  test::FakeContext fs;
  FileReport r = cut_program();
  r.warnings = {"certificate table [0x1000, 0x1800) runs past the end of the file (4608 bytes): "
                "the file is truncated (at offset 0x128)"};
  r.pe->mapped_part_cut.clear();
  fs.add(r.path, {'M', 'Z'}, false);
  const Verdict v = judge(r, host_of(*profile), fs);
  EXPECT_EQ(v.verdict, VerdictKind::runs);
}

// The 97-byte tiny PE ends inside its optional header: only XP zero-filled the rest. The reader
// does not call such a file "truncated" (nothing past SizeOfHeaders is missing), yet the verdict
// on a Vista-or-later target must not be "runs".
TEST(WindowsExecTruncated, AnOptionalHeaderCutShortIsRefusedOnVistaAndLater) {
  const Profile* profile = find_profile("windows-10-x64");
  ASSERT_NE(profile, nullptr);
  test::FakeContext fs;
  FileReport r = cut_program();
  r.kind.clear();
  r.warnings.clear();
  r.pe->mapped_part_cut.clear();
  r.pe->optional_header_cut = true;
  fs.add(r.path, {'M', 'Z'}, false);
  const Verdict v = judge(r, host_of(*profile), fs);
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_EQ(v.problems[0].code, "E_WIN_TRUNCATED");
}

}  // namespace
}  // namespace enoexec

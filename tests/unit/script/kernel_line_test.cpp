// binfmt_script's reading of the "#!" line: the cases measured on Linux 6.18
// (linux-exec.md section 2) and the buffer boundaries, byte for byte.
#include "formats/script/kernel_line.hpp"

#include <gtest/gtest.h>

#include <string>

namespace enoexec::script {
namespace {

using namespace std::string_literals;

ByteView view(const std::string& bytes) {
  return ByteView({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

KernelLine read(const std::string& bytes) { return read_kernel_line(view(bytes)); }

void expect_opens(const KernelLine& line, const std::string& interpreter,
                  const std::optional<std::string>& argument) {
  EXPECT_EQ(line.verdict, KernelVerdict::opens_interpreter);
  EXPECT_EQ(line.interpreter, interpreter);
  EXPECT_EQ(line.argument, argument);
}

// A path of exactly `length` bytes that exists nowhere.
std::string path_of(std::size_t length) {
  std::string path = "/nonexistent/";
  path.resize(length, 'a');
  return path;
}

// ---- the measured table ----

TEST(KernelLine, CrlfKeepsTheCarriageReturnInTheInterpreter) {
  expect_opens(read("#!/bin/sh\r\necho hi\r\n"), "/bin/sh\r", std::nullopt);
}

TEST(KernelLine, CrlfWithEnvPutsTheCarriageReturnInTheArgument) {
  expect_opens(read("#!/usr/bin/env python3\r\n"), "/usr/bin/env", "python3\r");
}

TEST(KernelLine, CrlfWithAnOptionPutsTheCarriageReturnInTheOption) {
  expect_opens(read("#!/bin/bash -e\r\n"), "/bin/bash", "-e\r");
}

TEST(KernelLine, BomBeforeShebangIsNotAScript) {
  EXPECT_EQ(read("\xef\xbb\xbf#!/bin/sh\n").verdict, KernelVerdict::not_script);
}

TEST(KernelLine, MissingInterpreterIsStillOpened) {
  expect_opens(read("#!/nonexistent/interp\n"), "/nonexistent/interp", std::nullopt);
}

TEST(KernelLine, PlainTextAndEmptyFilesAreNotScripts) {
  EXPECT_EQ(read("echo hello\n").verdict, KernelVerdict::not_script);
  EXPECT_EQ(read("").verdict, KernelVerdict::not_script);
  EXPECT_EQ(read("#").verdict, KernelVerdict::not_script);
}

// linux-exec.md's row says "250-char path"; measured again here, a 250-byte path still fits (the
// line is 253 bytes, ENOENT) and a 300-byte one is refused (ENOEXEC). Exact edges further down.
TEST(KernelLine, PathLongerThanTheBufferIsRefused) {
  EXPECT_EQ(read("#!/" + std::string(300, 'p') + "\n").verdict, KernelVerdict::path_truncated);
  EXPECT_EQ(read("#!/" + std::string(250, 'p') + "\n").verdict, KernelVerdict::opens_interpreter);
}

TEST(KernelLine, LongArgumentIsCutAtByte255) {
  const KernelLine line = read("#!/bin/echo " + std::string(400, 'b') + "\n");
  // bytes 12..254: the kernel overwrites byte 255 with the terminating NUL
  expect_opens(line, "/bin/echo", std::string(243, 'b'));
  EXPECT_FALSE(line.newline_in_buffer);
}

TEST(KernelLine, BlanksAroundInterpreterAndArgumentAreTrimmed) {
  expect_opens(read("#! \t /bin/sh  -x  \t\nrest"), "/bin/sh", "-x");
}

// ---- blanks, separators, line ends ----

TEST(KernelLine, NoNewlineAtEndOfFile) {
  const KernelLine line = read("#!/bin/sh");
  expect_opens(line, "/bin/sh", std::nullopt);
  EXPECT_FALSE(line.newline_in_buffer);
}

TEST(KernelLine, BlanksOnlyBeforeNewlineNameNoInterpreter) {
  EXPECT_EQ(read("#!   \n").verdict, KernelVerdict::no_interpreter);
  EXPECT_EQ(read("#!\n").verdict, KernelVerdict::no_interpreter);
  EXPECT_EQ(read("#!" + std::string(300, ' ')).verdict, KernelVerdict::no_interpreter);
}

// Without a newline the zero padding of a short file counts as the interpreter's terminator:
// the kernel opens "" (measured: EACCES, the current directory).
TEST(KernelLine, BlanksOnlyWithoutNewlineOpenTheEmptyPath) {
  expect_opens(read("#!   "), "", std::nullopt);
  expect_opens(read("#!"), "", std::nullopt);
}

TEST(KernelLine, TabsSeparateLikeSpaces) {
  expect_opens(read("#!\t/bin/echo\targ\t \n"), "/bin/echo", "arg");
}

TEST(KernelLine, EverythingAfterTheInterpreterIsOneArgument) {
  expect_opens(read("#!/bin/echo a b   c\n"), "/bin/echo", "a b   c");
}

TEST(KernelLine, OtherWhitespaceIsPartOfTheName) {
  expect_opens(read("#!/bin/echo\vx\n"), "/bin/echo\vx", std::nullopt);
}

TEST(KernelLine, NothingMayPrecedeTheShebang) {
  EXPECT_EQ(read(" #!/bin/sh\n").verdict, KernelVerdict::not_script);
  EXPECT_EQ(read("\n#!/bin/sh\n").verdict, KernelVerdict::not_script);
}

TEST(KernelLine, CrlfAfterABlankBecomesTheArgument) {
  expect_opens(read("#!/bin/echo \r\n"), "/bin/echo", "\r");
}

// ---- NUL bytes: C strings end there ----

TEST(KernelLine, NulInsideTheArgumentEndsIt) {
  expect_opens(read("#!/bin/echo a\0b c\n"s), "/bin/echo", "a");
}

TEST(KernelLine, NulAfterTheInterpreterDropsTheArgument) {
  expect_opens(read("#!/bin/echo\0 -x\n"s), "/bin/echo", std::nullopt);
}

TEST(KernelLine, NulBeforeTheInterpreterLeavesAnEmptyPath) {
  expect_opens(read("#!\0/bin/echo x\n"s), "", std::nullopt);
}

// ---- exact buffer boundaries (256 bytes: indices 0..255) ----

TEST(KernelLine, PathEndingAtByte254WithNewlineAt255Opens) {
  const KernelLine line = read("#!" + path_of(253) + "\n");
  expect_opens(line, path_of(253), std::nullopt);
  EXPECT_TRUE(line.newline_in_buffer);
}

TEST(KernelLine, PathReachingByte255IsRefused) {
  EXPECT_EQ(read("#!" + path_of(254) + "\n").verdict, KernelVerdict::path_truncated);
  EXPECT_EQ(read("#!" + path_of(255) + "\n").verdict, KernelVerdict::path_truncated);
}

TEST(KernelLine, BlankAtByte255IsEnoughToTrustThePath) {
  expect_opens(read("#!" + path_of(253) + "\tz"), path_of(253), std::nullopt);
  expect_opens(read("#!" + path_of(253) + " xyz xyz xyz\n"), path_of(253), std::nullopt);
  EXPECT_EQ(read("#!" + path_of(254) + " xyz\n").verdict, KernelVerdict::path_truncated);
}

TEST(KernelLine, ArgumentEndingAtByte254IsWhole) {
  const KernelLine line = read("#!/bin/echo " + std::string(243, 'b') + "\n");
  expect_opens(line, "/bin/echo", std::string(243, 'b'));
  EXPECT_TRUE(line.newline_in_buffer);
}

TEST(KernelLine, ArgumentReachingByte255LosesIt) {
  expect_opens(read("#!/bin/echo " + std::string(244, 'b') + "\n"), "/bin/echo", std::string(243, 'b'));
}

TEST(KernelLine, ShortFileWithoutNewlineKeepsItsLastByte) {
  const std::string text = "#!/bin/echo " + std::string(243, 'b');  // 255 bytes
  ASSERT_EQ(text.size(), 255u);
  expect_opens(read(text), "/bin/echo", std::string(243, 'b'));
  expect_opens(read(text + "b"), "/bin/echo", std::string(243, 'b'));  // 256: byte 255 lost
}

TEST(KernelLine, BlanksBeforeTheCutAreTrimmed) {
  expect_opens(read("#!/bin/echo " + std::string(242, 'b') + " " + std::string(20, 'c')),
               "/bin/echo", std::string(242, 'b'));
  expect_opens(read("#!/bin/echo " + std::string(240, 'b') + "  " + std::string(20, 'c')),
               "/bin/echo", std::string(240, 'b') + "  c");
}

TEST(KernelLine, OldBufferOf128Bytes) {
  const std::string line = "#!" + path_of(130) + "\n";
  EXPECT_EQ(read_kernel_line(view(line), OLD_BINPRM_BUF_SIZE).verdict, KernelVerdict::path_truncated);
  expect_opens(read(line), path_of(130), std::nullopt);
}

TEST(KernelLine, WholeLineIsReadPastTheBuffer) {
  const KernelLine whole = read_whole_line(view("#!/bin/echo " + std::string(400, 'b') + "\nnext\n"));
  expect_opens(whole, "/bin/echo", std::string(400, 'b'));
  expect_opens(read_whole_line(view("#!" + path_of(300))), path_of(300), std::nullopt);
}

}  // namespace
}  // namespace enoexec::script

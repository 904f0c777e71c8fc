// A scan judges each file through the descriptor it already holds (OpenSubjectContext): the
// same answers as looking the path up again, without doing so.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "enoexec/verdict.hpp"

namespace enoexec {
namespace {

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char pattern[] = "/tmp/enoexec-subject-XXXXXX";
    const int fd = ::mkstemp(pattern);
    if (fd < 0) return;
    path_ = pattern;
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (written) ::chmod(pattern, 0755);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

TEST(OpenSubjectContext, AnswersAsThePathLookupDoes) {
  const std::string script = "#!/bin/sh\necho hello\n";
  TempFile file(script);
  ASSERT_FALSE(file.path().empty());
  for (const bool live_mounts : {true, false}) {
    const auto base = make_root_context("/", live_mounts);
    const int fd = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const OpenSubjectContext open(*base, fd);
    const PathInfo by_path = base->subject(file.path());
    const PathInfo by_fd = open.subject(file.path());
    EXPECT_EQ(by_fd.kind, PathInfo::Kind::regular);
    EXPECT_EQ(by_fd.kind, by_path.kind);
    EXPECT_EQ(by_fd.may_exec, by_path.may_exec);
    EXPECT_EQ(by_fd.size, by_path.size);
    EXPECT_EQ(by_fd.noexec, by_path.noexec);
    EXPECT_EQ(by_fd.resolved, by_path.resolved);
    EXPECT_EQ(open.subject_head(file.path(), 256), base->subject_head(file.path(), 256));
    // Targets are the base's.
    EXPECT_EQ(open.target("/").kind, base->target("/").kind);
    ::close(fd);
  }
}

TEST(OpenSubjectContext, ReadsTheDescriptorNotThePath) {
  const std::string script = "#!/bin/sh\r\nexit 0\n";
  TempFile file(script);
  ASSERT_FALSE(file.path().empty());
  const auto base = make_root_context("/", true);
  const int fd = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  // Whatever the descriptor's position (inspect may have read through it), the head is the
  // file's first bytes; and the answers hold after the path is gone.
  ASSERT_EQ(::lseek(fd, 5, SEEK_SET), 5);
  ASSERT_EQ(::unlink(file.path().c_str()), 0);
  const OpenSubjectContext open(*base, fd);
  EXPECT_EQ(open.subject_head(file.path(), 256), bytes_of(script));
  EXPECT_EQ(open.subject_head(file.path(), 4), bytes_of("#!/b"));
  const PathInfo info = open.subject(file.path());
  EXPECT_EQ(info.kind, PathInfo::Kind::regular);
  EXPECT_EQ(info.size, script.size());
  EXPECT_TRUE(info.may_exec);
  EXPECT_EQ(base->subject(file.path()).kind, PathInfo::Kind::missing);
  ::close(fd);
}

}  // namespace
}  // namespace enoexec

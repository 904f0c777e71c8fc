// Truth test: for every file of the integration inputs, the kernel's own answer to execve (asked
// through kernel_execve(), which never lets the program run an instruction) must equal
// judge(...).execve for this host. Each file is copied into a temporary directory with mode 0755,
// so the exec bit is not the question; a few copies are also made with mode 0644.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "enoexec/host.hpp"
#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"
#include "truth/kernel_execve.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int NON_EXECUTABLE_COPIES = 3;

fs::path inputs_root() {
  const char* env = std::getenv("ENOEXEC_INPUTS");
  return (env != nullptr && *env != '\0') ? fs::path(env) : fs::path(ENOEXEC_DEFAULT_INPUTS);
}

// Same discovery as tests/integration: <root>/<recipe>/manifest.jsonl, "file" relative to it.
std::vector<fs::path> input_files() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(inputs_root(), ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path manifest = it->path() / "manifest.jsonl";
    if (!fs::is_regular_file(manifest, ec)) continue;
    std::ifstream in(manifest);
    for (std::string line; std::getline(in, line);) {
      const auto entry = nlohmann::json::parse(line, nullptr, false);
      if (entry.is_object() && entry.contains("file") && entry["file"].is_string())
        files.push_back(it->path() / entry["file"].get<std::string>());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "enoexec-truth-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Tally {
  int agreed = 0, compared = 0, undecidable = 0;
  std::vector<std::string> unknown;  // enoexec said "unknown" (W_KERNEL_OPTION): no prediction
  std::map<std::string, int> answers;  // the kernel's answers, to show what was covered
};

void compare(const fs::path& copy, const fs::path& original, const enoexec::HostInfo& host,
             const enoexec::JudgeContext& context, Tally& tally) {
  const std::string kernel = enoexec::truth::kernel_execve(copy.string());
  if (kernel.starts_with("error:")) {
    ++tally.undecidable;
    ADD_FAILURE() << original.string() << ": could not ask the kernel: " << kernel;
    return;
  }
  const enoexec::Verdict verdict = judge(enoexec::inspect_file(copy.string()), host, context);
  if (verdict.execve == "unknown") {
    // An undecided verdict predicts nothing, so it cannot disagree; it is listed, not compared.
    tally.unknown.push_back(original.string() + ": the kernel says " + kernel);
    return;
  }
  ++tally.compared;
  ++tally.answers[kernel];
  if (verdict.execve == kernel) {
    ++tally.agreed;
    return;
  }
  std::string problems;
  for (const auto& p : verdict.problems) problems += "\n  " + p.code + ": " + p.message;
  ADD_FAILURE() << original.string() << " (copy " << copy.string() << "): kernel says " << kernel
                << ", enoexec predicts " << verdict.execve << problems;
}

TEST(Truth, ExecvePredictionEqualsTheKernel) {
  const std::vector<fs::path> files = input_files();
  if (files.empty()) GTEST_SKIP() << "no integration inputs under " << inputs_root().string();
  const TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const enoexec::HostInfo host = enoexec::probe_host("/");
  const auto context = enoexec::make_root_context("/", true);
  Tally tally;
  int index = 0;
  for (const auto& file : files) {
    const fs::path sub = dir.path() / std::to_string(index++);
    fs::create_directory(sub);
    const fs::path copy = sub / file.filename();
    std::error_code ec;
    fs::copy_file(file, copy, ec);
    if (ec) {
      ADD_FAILURE() << file.string() << ": cannot copy: " << ec.message();
      continue;
    }
    const bool executable = index > NON_EXECUTABLE_COPIES;
    ::chmod(copy.c_str(), executable ? 0755 : 0644);
    compare(copy, file, host, *context, tally);
  }
  std::printf("truth: %d of %d execve predictions equal the kernel's answer (%d undecidable)\n",
              tally.agreed, tally.compared, tally.undecidable);
  for (const auto& [answer, count] : tally.answers)
    std::printf("  kernel %s: %d\n", answer.c_str(), count);
  for (const std::string& file : tally.unknown) std::printf("  enoexec unknown: %s\n", file.c_str());
  EXPECT_EQ(tally.agreed, tally.compared);
}

}  // namespace

// Fuzz target: the whole pipeline the CLI runs on one file. `inspect`: identify, every reader,
// toolchain evidence, then the JSON object, the summary and the detail lines. `check`: the
// verdict on that report against a recorded host (the build machine's fixture), printed as
// `check --json` and as `check` text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <span>
#include <string>

#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"
#include "fuzz_common.hpp"
#include "host/host_json.hpp"
#include "output/json_verdict.hpp"
#include "output/verdict_text.hpp"

namespace enoexec::fuzz {
namespace {

constexpr const char* INPUT_PATH = "fuzz-input";

// Read once, at the first input; a fixture that cannot be read stops the fuzzer at once rather
// than judging against an empty host.
const HostInfo& recorded_host() {
  static const HostInfo host = [] {
    std::ifstream in(ENOEXEC_FUZZ_HOST_FILE, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto parsed = host_from_json(text);
    if (!parsed) {
      std::fprintf(stderr, "fuzz_inspect: cannot read host %s: %s\n", ENOEXEC_FUZZ_HOST_FILE,
                   to_string(parsed.error()).c_str());
      std::abort();
    }
    return std::move(*parsed);
  }();
  return host;
}

// What `check --host-file` sees: the file under inspection is a regular, executable file here
// (the input's bytes), and nothing on the target can be looked at (make_unknown_target_context).
class InputContext final : public JudgeContext {
 public:
  explicit InputContext(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  PathInfo subject(const std::string& path) const override {
    PathInfo info;
    info.kind = PathInfo::Kind::regular;
    info.may_exec = true;
    info.noexec = false;
    info.size = bytes_.size();
    info.resolved = path;
    return info;
  }
  std::vector<std::uint8_t> subject_head(const std::string&, std::size_t max) const override {
    const auto head = bytes_.first(std::min(max, bytes_.size()));
    return {head.begin(), head.end()};
  }
  PathInfo target(const std::string& path) const override {
    return unknown_target().target(path);
  }
  std::vector<std::uint8_t> target_head(const std::string& path, std::size_t max) const override {
    return unknown_target().target_head(path, max);
  }
  std::shared_ptr<const FileReport> target_report(const std::string& path) const override {
    return unknown_target().target_report(path);
  }
  std::vector<std::string> target_list(const std::string& directory) const override {
    return unknown_target().target_list(directory);
  }

 private:
  // One for the whole run: it answers every target path `unknown` without looking at anything,
  // and making one opens "/" and reads the working directory, work no input needs repeated.
  static const JudgeContext& unknown_target() {
    static const std::unique_ptr<JudgeContext> context = make_unknown_target_context();
    return *context;
  }

  std::span<const std::uint8_t> bytes_;
};

// `check` judges only reports without an error; judging every report is stricter.
void print_verdict(const FileReport& report, nlohmann::ordered_json report_json,
                   std::span<const std::uint8_t> bytes) {
  const Verdict verdict = judge(report, recorded_host(), InputContext(bytes));
  const auto json = to_json_line(to_json(std::move(report_json), verdict));
  const auto text = verdict_line(report.path, verdict) + problem_lines(verdict);
  if (json.empty() || text.empty()) __builtin_trap();
}

}  // namespace
}  // namespace enoexec::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const enoexec::FileReport report = enoexec::inspect_bytes(bytes, enoexec::fuzz::INPUT_PATH);
  enoexec::fuzz::print_verdict(report, enoexec::fuzz::print_everything(report), bytes);
  return 0;
}

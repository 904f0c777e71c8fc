// Verdict cases (tests/integration/verdicts/*.jsonl): each line names a real file from the
// integration inputs and a target (a --target text, or a fixture host, optionally with --root),
// judges it exactly as `enoexec check --json` does (verdict/judge_setup.hpp is the function the
// CLI calls), and compares JSON pointers into the check object and the rule codes it must
// report. COVERAGE: every rule code of docs/rules.md is reported by at least one case.
// The inspected files are only read, never executed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"
#include "host/host_json.hpp"
#include "output/json_verdict.hpp"
#include "verdict/judge_setup.hpp"
#include "integration_support.hpp"

namespace {

using enoexec::testing_support::inputs_required;
using enoexec::testing_support::inputs_root;
using enoexec::testing_support::register_message;
using enoexec::testing_support::sanitise;

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// Rules no real toolchain on Debian can produce a file for, each with the reason. Keep it tiny.
const std::map<std::string, std::string> kExempt{
    {"E_ARM_OABI",
     "no Debian toolchain makes old-ABI (pre-EABI) ARM programs; unit-tested in kernel_exec_test"},
    {"E_ELF_INTERP_BAD", "needs a damaged PT_INTERP; unit-tested in kernel_exec_test"},
    {"E_FILE_MISSING", "a case names an existing file; unit-tested in kernel_exec_test"},
    {"E_NOT_REGULAR", "a case names a regular file; unit-tested in kernel_exec_test"},
};

const fs::path kSource = ENOEXEC_SOURCE_DIR;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Case {
  Json entry;            // the line as written
  std::string location;  // file and line, shown on failure
};

// What `enoexec check --json [--target T | --host-file H] [--root R] [--limit L]... FILE` prints
// for the case (optional "limits": ["signature-bytes=4096"], as --limit takes them),
// or a description of why the case cannot be judged.
Json check_json(const Json& entry, std::string& error) {
  enoexec::JudgeRequest request;
  if (entry.contains("target")) request.target = entry["target"].get<std::string>();
  if (entry.contains("root")) request.root = (kSource / entry["root"].get<std::string>()).string();
  if (entry.contains("host")) {
    const fs::path host_file = kSource / "tests/fixtures/hosts" / (entry["host"].get<std::string>() + ".json");
    auto host = enoexec::host_from_json(read_text(host_file));
    if (!host) {
      error = host_file.string() + ": " + enoexec::to_string(host.error());
      return {};
    }
    request.recorded = *host;
  }
  auto setup = enoexec::make_judge_setup(request);
  if (!setup) {
    error = "target: " + setup.error().what;
    return {};
  }
  const fs::path file = inputs_root() / entry["file"].get<std::string>();
  enoexec::InspectOptions options;
  for (const auto& limit : entry.value("limits", Json::array())) {
    if (auto set = enoexec::set_limit(options.limits, limit.get<std::string>()); !set) {
      error = "limits: " + set.error().what;
      return {};
    }
  }
  // A report with an error is judged too, as check judges it (its JSON keeps `error`).
  const enoexec::FileReport report = enoexec::inspect_file(file.string(), options);
  return enoexec::to_json(report, enoexec::judge(report, setup->host, *setup->context));
}

std::string valid_case(const Json& entry) {
  if (!entry.is_object()) return "not a JSON object";
  if (!entry.contains("file") || !entry["file"].is_string()) return "no \"file\" string";
  const bool target = entry.contains("target") && entry["target"].is_string();
  const bool host = entry.contains("host") && entry["host"].is_string();
  if (target == host) return "exactly one of \"target\" and \"host\" (strings) is needed";
  if (entry.contains("root") && !entry["root"].is_string()) return "\"root\" is not a string";
  if (entry.contains("limits")) {
    if (!entry["limits"].is_array()) return "\"limits\" is not an array";
    for (const auto& limit : entry["limits"])
      if (!limit.is_string()) return "\"limits\" holds a non-string (NAME=VALUE, as --limit)";
  }
  if (!entry.contains("expect") || !entry["expect"].is_object()) return "no \"expect\" object";
  if (!entry.contains("codes") || !entry["codes"].is_array()) return "no \"codes\" array";
  for (const auto& code : entry["codes"])
    if (!code.is_string()) return "\"codes\" holds a non-string";
  return {};
}

class VerdictCaseTest : public testing::Test {
 public:
  explicit VerdictCaseTest(Case c) : case_(std::move(c)) {}

  void TestBody() override {
    const Json& entry = case_.entry;
    SCOPED_TRACE(case_.location + "\n  why: " + entry.value("why", std::string("(not stated)")));
    const fs::path file = inputs_root() / entry["file"].get<std::string>();
    ASSERT_TRUE(fs::is_regular_file(file)) << "input missing: " << file.string();
    std::string error;
    const Json actual = check_json(entry, error);
    ASSERT_TRUE(error.empty()) << error;
    bool failed = false;
    for (const auto& [pointer_text, expected] : entry["expect"].items()) {
      const Json::json_pointer pointer(pointer_text);
      if (!actual.contains(pointer)) {
        ADD_FAILURE() << pointer_text << ": missing; expected " << expected.dump();
        failed = true;
      } else if (actual[pointer] != expected) {
        ADD_FAILURE() << pointer_text << ":\n  expected " << expected.dump() << "\n  got      "
                      << actual[pointer].dump();
        failed = true;
      }
    }
    std::set<std::string> reported;
    for (const auto& problem : actual["problems"]) reported.insert(problem["code"].get<std::string>());
    for (const auto& code : entry["codes"]) {
      if (reported.contains(code.get<std::string>())) continue;
      ADD_FAILURE() << "rule " << code.get<std::string>() << " not reported";
      failed = true;
    }
    if (failed) {
      Json brief;
      for (const char* key : {"path", "target", "execve", "verdict", "emulator", "problems"})
        if (actual.contains(key)) brief[key] = actual[key];
      ADD_FAILURE() << "enoexec check --json says (verdict part):\n" << brief.dump(2);
    }
  }

 private:
  Case case_;
};

// Every rule code in the first column of docs/rules.md's tables: "| `E_...` |".
std::set<std::string> documented_codes() {
  std::set<std::string> codes;
  std::istringstream text(read_text(kSource / "docs/rules.md"));
  const std::regex row(R"(^\|\s*`([EWI]_[A-Z0-9_]+)`\s*\|)");
  std::string line;
  std::smatch match;
  while (std::getline(text, line))
    if (std::regex_search(line, match, row)) codes.insert(match[1].str());
  return codes;
}

// The text of the image tests, where the image rules' cases are.
std::string image_test_text() {
  std::string text;
  std::error_code ec;
  for (const char* dir : {"tests/unit/image", "tests/cli"}) {
    for (fs::directory_iterator it(kSource / dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (std::string_view(dir) == "tests/cli" && !name.starts_with("image")) continue;
      text += read_text(it->path());
    }
  }
  return text;
}

class CoverageTest : public testing::Test {
 public:
  explicit CoverageTest(std::set<std::string> covered) : covered_(std::move(covered)) {}
  void TestBody() override {
    const std::set<std::string> documented = documented_codes();
    ASSERT_FALSE(documented.empty()) << "no rule codes found in docs/rules.md";
    const std::string image_tests = image_test_text();
    for (const auto& code : documented) {
      if (covered_.contains(code) || kExempt.contains(code)) continue;
      // Image rules judge an image, not a file: their cases are the image tests.
      if (code.starts_with("E_IMAGE_") || code.starts_with("W_IMAGE_")) {
        EXPECT_NE(image_tests.find(code), std::string::npos)
            << code << ": no image test (tests/unit/image, tests/cli/image_*) checks it";
        continue;
      }
      ADD_FAILURE() << code << ": no verdict case (tests/integration/verdicts/*.jsonl) reports it";
    }
    for (const auto& [code, reason] : kExempt) {
      EXPECT_TRUE(documented.contains(code)) << "exempt rule " << code << " is not in docs/rules.md";
      EXPECT_FALSE(covered_.contains(code)) << "exempt rule " << code << " has a case now: drop the exemption";
    }
  }

 private:
  std::set<std::string> covered_;
};

std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  std::error_code ec;
  const fs::path dir = kSource / "tests/integration/verdicts";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".jsonl") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

void register_all() {
  std::set<std::string> covered;
  std::map<std::string, int> seen;
  const bool have_inputs = fs::is_directory(inputs_root());
  for (const fs::path& path : case_files()) {
    std::ifstream in(path);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.empty()) continue;
      const std::string location = path.filename().string() + ":" + std::to_string(number);
      const Json entry = Json::parse(line, nullptr, false);
      if (const std::string why = valid_case(entry); !why.empty()) {
        register_message("verdict_cases", sanitise(location), location + ": " + why + ": " + line, false);
        continue;
      }
      for (const auto& code : entry["codes"]) covered.insert(code.get<std::string>());
      if (!have_inputs) continue;
      std::string name = sanitise(path.stem().string() + "_" + entry["file"].get<std::string>() + "_" +
                                  entry.value("target", entry.value("host", std::string())));
      if (const int count = ++seen[name]; count > 1) name += "_" + std::to_string(count);
      testing::RegisterTest(sanitise(path.stem().string()).c_str(), name.c_str(), nullptr, nullptr,
                            __FILE__, __LINE__, [c = Case{entry, location}]() -> testing::Test* {
                              return new VerdictCaseTest(c);
                            });
    }
  }
  if (!have_inputs) {
    register_message("verdict_cases", "inputs",
                     "no integration inputs under " + inputs_root().string() +
                         "; run tests/integration/fetch-inputs.sh",
                     !inputs_required());
  }
  testing::RegisterTest("verdict_cases", "COVERAGE", nullptr, nullptr, __FILE__, __LINE__,
                        [covered]() -> testing::Test* { return new CoverageTest(covered); });
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  register_all();
  return RUN_ALL_TESTS();
}

// `scan --sarif`: the SARIF document, its rules, results, locations and notifications.
// (Validation against the official schema: tests/cli/sarif_schema_test.sh.)
#include "output/sarif.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace enoexec {
namespace {

using Json = nlohmann::json;

ScanResult judged(const std::string& path, std::vector<Problem> problems) {
  ScanResult result;
  result.path = path;
  result.type = "regular";
  result.outcome = ScanOutcome::candidate;
  result.report = FileReport{};
  result.report->path = path;
  result.report->format = Format::script;
  const bool fails = !problems.empty() && problems.front().severity == "error";
  result.verdict = Verdict{"linux/amd64", "ok", fails ? VerdictKind::fails : VerdictKind::runs, "",
                           std::move(problems)};
  return result;
}

Problem problem(std::string code, std::string severity, std::string fix = "fix it") {
  return {std::move(code), std::move(severity), "it breaks", "exit 127", std::move(fix)};
}

std::string print(std::vector<ScanResult> results, std::vector<std::string> roots,
                  ScanPrintOptions options = {}) {
  options.target = "linux/amd64";
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&buffer, &size);
  {
    auto printer = make_sarif_scan_printer(out, options, std::move(roots), "9.9.9");
    for (ScanResult& result : results) {
      printer->render(result);
      result.report.reset();
      result.verdict.reset();
      printer->write(result);
    }
    printer->finish(ScanStats{});
  }
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST(Sarif, Levels) {
  EXPECT_EQ(sarif_level("error"), "error");
  EXPECT_EQ(sarif_level("warning"), "warning");
  EXPECT_EQ(sarif_level("info"), "note");
}

TEST(Sarif, UriEscapeKeepsSlashesAndEscapesTheRest) {
  EXPECT_EQ(uri_escape("bin/app-linux_arm64.v1~x"), "bin/app-linux_arm64.v1~x");
  EXPECT_EQ(uri_escape("a b/c:d%e#f?g"), "a%20b/c%3Ad%25e%23f%3Fg");
  EXPECT_EQ(uri_escape("caf\xc3\xa9/\xff"), "caf%C3%A9/%FF");
  EXPECT_EQ(uri_escape(""), "");
}

TEST(Sarif, RuleDescriptions) {
  EXPECT_EQ(sarif_rule_description("E_WRONG_ARCH"), "Built for another CPU architecture than the target's");
  EXPECT_EQ(sarif_rule_description("E_SOMETHING_NEW"), "enoexec rule E_SOMETHING_NEW (docs/rules.md)");
}

TEST(Sarif, OneResultPerProblemOneRulePerCodeLocationsRelativeToTheirRoot) {
  // A file given as a root: its URI is its name, relative to its folder.
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("enoexec-sarif-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  const std::string file = (folder / "c d").string();
  std::ofstream(file) << "#!/bin/sh\n";
  const std::string text =
      print({judged("dist/bin/a", {problem("E_SCRIPT_CRLF", "error"), problem("W_SCRIPT_CRLF", "warning", "")}),
             judged("dist/bin/b", {problem("E_SCRIPT_CRLF", "error")}),
             judged("dist/ok", {}),
             judged(file, {problem("E_ENV_NEEDS_S", "info")})},
            {"dist/", file});
  std::filesystem::remove_all(folder);
  const Json log = Json::parse(text);
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1U);
  const Json& run = log["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "enoexec");
  EXPECT_EQ(run["tool"]["driver"]["version"], "9.9.9");
  const Json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 3U);
  EXPECT_EQ(rules[0]["id"], "E_SCRIPT_CRLF");
  EXPECT_EQ(rules[0]["helpUri"], "docs/rules.md#e_script_crlf");
  EXPECT_EQ(rules[1]["id"], "W_SCRIPT_CRLF");
  EXPECT_EQ(rules[1]["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ(rules[2]["id"], "E_ENV_NEEDS_S");

  const Json& results = run["results"];
  ASSERT_EQ(results.size(), 4U);
  EXPECT_EQ(results[0]["ruleId"], "E_SCRIPT_CRLF");
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[0]["message"]["text"], "it breaks\nFix: fix it");
  EXPECT_EQ(results[1]["message"]["text"], "it breaks");  // no fix to offer
  EXPECT_EQ(results[1]["level"], "warning");
  EXPECT_EQ(results[3]["level"], "note");
  const auto artifact = [&](std::size_t i) { return results[i]["locations"][0]["physicalLocation"]["artifactLocation"]; };
  EXPECT_EQ(artifact(0), (Json{{"uri", "bin/a"}, {"uriBaseId", "SCANROOT"}}));
  EXPECT_EQ(artifact(2), (Json{{"uri", "bin/b"}, {"uriBaseId", "SCANROOT"}}));
  EXPECT_EQ(artifact(3), (Json{{"uri", "c%20d"}, {"uriBaseId", "SCANROOT2"}}));
  const std::string cwd = std::filesystem::current_path().string();
  EXPECT_EQ(run["originalUriBaseIds"]["SCANROOT"]["uri"], "file://" + uri_escape(cwd + "/dist/"));
  EXPECT_EQ(run["originalUriBaseIds"]["SCANROOT2"]["uri"], "file://" + uri_escape(folder.string() + "/"));
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
}

TEST(Sarif, EntriesNotReadAreNotificationsAndAnEmptyScanIsStillADocument) {
  ScanResult locked;
  locked.path = "t/locked";
  locked.type = "directory";
  locked.outcome = ScanOutcome::error;
  locked.note = "cannot open directory: Permission denied";
  const Json log = Json::parse(print({locked}, {"t"}));
  const Json& run = log["runs"][0];
  EXPECT_TRUE(run["results"].empty());
  EXPECT_TRUE(run["tool"]["driver"]["rules"].empty());
  const Json& invocation = run["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1U);
  EXPECT_EQ(invocation["toolExecutionNotifications"][0]["message"]["text"],
            "t/locked: cannot open directory: Permission denied");
  EXPECT_EQ(invocation["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
                      ["artifactLocation"]["uri"],
            "locked");

  EXPECT_TRUE(Json::accept(print({}, {"t"})));
}

TEST(Sarif, OnlyFailuresDropsTheProblemsOfFilesThatRun) {
  ScanPrintOptions options;
  options.only_failures = true;
  const Json log = Json::parse(print({judged("t/warned", {problem("W_SCRIPT_CRLF", "warning")}),
                                      judged("t/broken", {problem("E_SCRIPT_CRLF", "error")})},
                                     {"t"}, options));
  ASSERT_EQ(log["runs"][0]["results"].size(), 1U);
  EXPECT_EQ(log["runs"][0]["results"][0]["ruleId"], "E_SCRIPT_CRLF");
}

}  // namespace
}  // namespace enoexec

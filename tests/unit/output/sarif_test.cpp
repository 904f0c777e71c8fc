// `scan --sarif`: the SARIF document, its rules, results, locations and notifications.
// (Validation against the official schema: tests/cli/sarif_schema_test.sh.)
#include "output/sarif.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "enoexec/rules.hpp"

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

SarifOptions sarif_options(std::string base = "", bool notes = false) {
  return SarifOptions{"9.9.9", "https://example.org/enoexec/docs/rules.md", std::move(base), notes};
}

std::string print(std::vector<ScanResult> results, SarifOptions sarif = sarif_options(),
                  ScanPrintOptions options = {}) {
  options.target = "linux/amd64";
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&buffer, &size);
  {
    auto printer = make_sarif_scan_printer(out, options, std::move(sarif));
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

Json artifact(const Json& log, std::size_t i) {
  return log["runs"][0]["results"][i]["locations"][0]["physicalLocation"]["artifactLocation"];
}

// A scratch folder, removed at the end of the test.
class ScratchFolder {
 public:
  ScratchFolder()
      : path_(std::filesystem::temp_directory_path() /
              ("enoexec-sarif-" + std::to_string(::getpid()) + "-" + std::to_string(count_++))) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int count_ = 0;
  std::filesystem::path path_;
};

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

TEST(Sarif, AbsoluteUris) {
  EXPECT_TRUE(is_absolute_uri("https://github.com/o/r/blob/v1/docs/rules.md"));
  EXPECT_TRUE(is_absolute_uri("file:///srv/docs/rules.md"));
  EXPECT_FALSE(is_absolute_uri("docs/rules.md"));
  EXPECT_FALSE(is_absolute_uri("/docs/rules.md"));
  EXPECT_FALSE(is_absolute_uri("https://x/y#z"));  // the fragment is the rule's
  EXPECT_FALSE(is_absolute_uri("https://x/a b"));
  EXPECT_FALSE(is_absolute_uri("https://x/<a>"));
  EXPECT_FALSE(is_absolute_uri("1http://x"));
  EXPECT_FALSE(is_absolute_uri(""));
}

TEST(Sarif, RulesComeFromTheRulesTableWithAbsoluteHelpLinks) {
  const Json log = Json::parse(print({judged("dist/a", {problem("E_WRONG_ARCH", "error"),
                                                        problem("W_ARTIFACT_NAME", "warning"),
                                                        problem("E_SOMETHING_NEW", "error")})}));
  const Json& rules = log["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 3U);
  const RuleInfo* arch = find_rule("E_WRONG_ARCH");
  ASSERT_NE(arch, nullptr);
  EXPECT_EQ(rules[0]["id"], "E_WRONG_ARCH");
  EXPECT_EQ(rules[0]["shortDescription"]["text"], arch->summary);
  EXPECT_EQ(rules[0]["fullDescription"]["text"], arch->explanation);
  EXPECT_EQ(rules[0]["helpUri"], "https://example.org/enoexec/docs/rules.md#" + std::string(arch->anchor));
  EXPECT_EQ(rules[0]["defaultConfiguration"]["level"], "error");
  const std::string help = rules[0]["help"]["text"];
  EXPECT_TRUE(help.starts_with(arch->explanation)) << help;
  EXPECT_NE(help.find(arch->source), std::string::npos) << help;
  EXPECT_NE(help.find("\n\nFix: "), std::string::npos) << help;
  EXPECT_EQ(help.find('{'), std::string::npos) << "placeholders are shown as <name>: " << help;
  const std::string markdown = rules[0]["help"]["markdown"];
  EXPECT_TRUE(markdown.starts_with("**E_WRONG_ARCH**: ")) << markdown;
  EXPECT_NE(markdown.find("(<https://example.org/enoexec/docs/rules.md#"), std::string::npos) << markdown;

  EXPECT_EQ(rules[1]["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ(rules[1]["shortDescription"]["text"], find_rule("W_ARTIFACT_NAME")->summary);

  // A code the table does not know: still a rule, linked to the document itself.
  EXPECT_EQ(rules[2]["shortDescription"]["text"], "enoexec rule E_SOMETHING_NEW");
  EXPECT_EQ(rules[2]["helpUri"], "https://example.org/enoexec/docs/rules.md");
  EXPECT_FALSE(rules[2].contains("help"));

  // No help URL: no helpUri (never a relative one).
  SarifOptions bare = sarif_options();
  bare.help_uri.clear();
  const Json plain = Json::parse(print({judged("dist/a", {problem("E_WRONG_ARCH", "error")})}, bare));
  EXPECT_FALSE(plain["runs"][0]["tool"]["driver"]["rules"][0].contains("helpUri"));
}

TEST(Sarif, EveryRuleOfTheTableDescribesItself) {
  std::vector<Problem> problems;
  for (const RuleInfo& rule : all_rules())
    problems.push_back(problem(std::string(rule.code), std::string(to_string(rule.severity))));
  const Json log = Json::parse(print({judged("dist/all", problems)}, sarif_options("", true)));
  const Json& rules = log["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), all_rules().size());
  for (const Json& rule : rules) {
    SCOPED_TRACE(rule["id"].get<std::string>());
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
    const std::string link = rule["helpUri"];
    EXPECT_TRUE(is_absolute_uri(link.substr(0, link.find('#')))) << link;
    EXPECT_FALSE(rule["help"]["markdown"].get<std::string>().empty());
  }
}

TEST(Sarif, OneResultPerProblemOneRulePerCodeLocationsRelativeToTheCurrentDirectory) {
  const std::string cwd = std::filesystem::current_path().string();
  const Json log = Json::parse(
      print({judged("dist/bin/a",
                    {problem("E_SCRIPT_CRLF", "error"), problem("W_SCRIPT_CRLF", "warning", "")}),
             judged("./dist//bin/b", {problem("E_SCRIPT_CRLF", "error")}),
             judged("dist/ok", {}),
             judged(cwd + "/dist/c d:e", {problem("E_ENV_NEEDS_S", "error")})}));
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1U);
  const Json& run = log["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "enoexec");
  EXPECT_EQ(run["tool"]["driver"]["version"], "9.9.9");
  const Json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 3U);
  EXPECT_EQ(rules[0]["id"], "E_SCRIPT_CRLF");
  EXPECT_EQ(rules[1]["id"], "W_SCRIPT_CRLF");
  EXPECT_EQ(rules[2]["id"], "E_ENV_NEEDS_S");

  const Json& results = run["results"];
  ASSERT_EQ(results.size(), 4U);
  EXPECT_EQ(results[0]["ruleId"], "E_SCRIPT_CRLF");
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[0]["message"]["text"], "it breaks\nFix: fix it");
  EXPECT_EQ(results[1]["message"]["text"], "it breaks");  // no fix to offer
  EXPECT_EQ(results[1]["level"], "warning");
  EXPECT_EQ(artifact(log, 0), (Json{{"uri", "dist/bin/a"}, {"uriBaseId", "%SRCROOT%"}}));
  EXPECT_EQ(artifact(log, 2), (Json{{"uri", "dist/bin/b"}, {"uriBaseId", "%SRCROOT%"}}));
  EXPECT_EQ(artifact(log, 3), (Json{{"uri", "dist/c%20d%3Ae"}, {"uriBaseId", "%SRCROOT%"}}));
  EXPECT_EQ(run["originalUriBaseIds"], (Json{{"%SRCROOT%", {{"uri", "file://" + uri_escape(cwd + "/")}}}}));
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
}

TEST(Sarif, LocationsRelativeToTheBaseAndAbsoluteOutsideIt) {
  ScratchFolder scratch;
  const std::filesystem::path repo = scratch.path() / "repo";
  std::filesystem::create_directories(repo / "dist");
  std::filesystem::create_symlink(repo, scratch.path() / "link");
  const std::string root = repo.string();
  const std::string link = (scratch.path() / "link").string();
  const Json log = Json::parse(print({judged(root + "/dist/a", {problem("E_WRONG_ARCH", "error")}),
                                      judged(root + "/../elsewhere", {problem("E_WRONG_ARCH", "error")}),
                                      judged(link + "/dist/b", {problem("E_WRONG_ARCH", "error")}),
                                      judged("/etc/x y", {problem("E_WRONG_ARCH", "error")})},
                                     sarif_options(root + "/")));
  EXPECT_EQ(artifact(log, 0), (Json{{"uri", "dist/a"}, {"uriBaseId", "%SRCROOT%"}}));
  const std::string elsewhere = "file://" + uri_escape(scratch.path().string() + "/elsewhere");
  EXPECT_EQ(artifact(log, 1), (Json{{"uri", elsewhere}}));
  EXPECT_EQ(artifact(log, 2), (Json{{"uri", "dist/b"}, {"uriBaseId", "%SRCROOT%"}}));  // through the link
  EXPECT_EQ(artifact(log, 3), (Json{{"uri", "file:///etc/x%20y"}}));
  EXPECT_EQ(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file://" + uri_escape(root + "/"));

  // The base named through the link: the real paths are below it too.
  const Json linked = Json::parse(
      print({judged(root + "/dist/a", {problem("E_WRONG_ARCH", "error")})}, sarif_options(link)));
  EXPECT_EQ(artifact(linked, 0), (Json{{"uri", "dist/a"}, {"uriBaseId", "%SRCROOT%"}}));
}

TEST(Sarif, NotesOnlyWhenAsked) {
  const std::vector<ScanResult> results{
      judged("lib/libz.so", {problem("I_LIBRARY_NOT_EXECUTABLE", "info", "")}),
      judged("bin/a", {problem("E_WRONG_ARCH", "error"), problem("I_LIBRARY_NOT_EXECUTABLE", "info", "")})};
  const Json plain = Json::parse(print(results));
  ASSERT_EQ(plain["runs"][0]["results"].size(), 1U);
  EXPECT_EQ(plain["runs"][0]["results"][0]["ruleId"], "E_WRONG_ARCH");
  ASSERT_EQ(plain["runs"][0]["tool"]["driver"]["rules"].size(), 1U);  // no rule for what was left out

  const Json notes = Json::parse(print(results, sarif_options("", true)));
  ASSERT_EQ(notes["runs"][0]["results"].size(), 3U);
  EXPECT_EQ(notes["runs"][0]["results"][0]["level"], "note");
  EXPECT_EQ(notes["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"], "note");
}

TEST(Sarif, EntriesNotReadAreNotificationsAndAnEmptyScanIsStillADocument) {
  ScanResult locked;
  locked.path = "t/locked";
  locked.type = "directory";
  locked.outcome = ScanOutcome::error;
  locked.note = "cannot open directory: Permission denied";
  const Json log = Json::parse(print({locked}));
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
            "t/locked");

  EXPECT_TRUE(Json::accept(print({})));
}

TEST(Sarif, OnlyFailuresDropsTheProblemsOfFilesThatRun) {
  ScanPrintOptions options;
  options.only_failures = true;
  const Json log = Json::parse(print({judged("t/warned", {problem("W_SCRIPT_CRLF", "warning")}),
                                      judged("t/broken", {problem("E_SCRIPT_CRLF", "error")})},
                                     sarif_options(), options));
  ASSERT_EQ(log["runs"][0]["results"].size(), 1U);
  EXPECT_EQ(log["runs"][0]["results"][0]["ruleId"], "E_SCRIPT_CRLF");
}

}  // namespace
}  // namespace enoexec

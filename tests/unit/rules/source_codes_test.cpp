// The rules table against the sources: every code a source file under src/ spells as a string
// literal ("E_WRONG_ARCH") is a row, with the severity its prefix says, and every row is a code
// some source spells. A code missing from the table is a programming error; this catches it
// without running every rule.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "enoexec/rules.hpp"

namespace enoexec {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every "X_CODE" literal in src/ but the table's own folder, with the files that spell it.
std::map<std::string, std::set<std::string>> emitted_codes() {
  const std::regex literal("\"([EWI]_[A-Z0-9_]+)\"");
  const fs::path src = fs::path(ENOEXEC_SOURCE_DIR) / "src";
  std::map<std::string, std::set<std::string>> codes;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    const fs::path& path = entry.path();
    const std::string ext = path.extension().string();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".def")) continue;
    if (path.parent_path().filename() == "rules") continue;
    const std::string text = read(path);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it)
      codes[(*it)[1].str()].insert(fs::relative(path, src).string());
  }
  return codes;
}

RuleSeverity severity_of_prefix(std::string_view code) {
  if (code.starts_with("W_")) return RuleSeverity::warning;
  if (code.starts_with("I_")) return RuleSeverity::info;
  return RuleSeverity::error;
}

TEST(RulesTable, SourcesSeeTheTree) {
  // The scan below proves nothing if it reads no files.
  EXPECT_GE(emitted_codes().size(), 30U);
}

TEST(RulesTable, EveryCodeTheSourcesSpellIsARow) {
  for (const auto& [code, files] : emitted_codes()) {
    const RuleInfo* rule = find_rule(code);
    ASSERT_NE(rule, nullptr) << code << " (in " << *files.begin()
                             << ") is not in src/rules/rules.def";
    EXPECT_EQ(rule->severity, severity_of_prefix(code)) << code;
  }
}

TEST(RulesTable, EveryRowIsACodeSomeSourceSpells) {
  const auto emitted = emitted_codes();
  for (const RuleInfo& rule : all_rules())
    EXPECT_TRUE(emitted.contains(std::string(rule.code))) << rule.code << " is emitted nowhere";
}

TEST(RulesTable, RowsAreCompleteAndUnique) {
  std::set<std::string_view> seen;
  for (const RuleInfo& rule : all_rules()) {
    EXPECT_TRUE(seen.insert(rule.code).second) << rule.code << " twice";
    EXPECT_EQ(rule.severity, severity_of_prefix(rule.code)) << rule.code;
    EXPECT_FALSE(rule.summary.empty()) << rule.code;
    EXPECT_FALSE(rule.summary.ends_with('.')) << rule.code;
    EXPECT_FALSE(rule.outcome.empty()) << rule.code;
    EXPECT_FALSE(rule.explanation.empty()) << rule.code;
    EXPECT_FALSE(rule.source.empty()) << rule.code;
    EXPECT_FALSE(rule.example.empty()) << rule.code;
    EXPECT_FALSE(rule.anchor.empty()) << rule.code;
    // A rule has its fix in one place: the table's texts, or the model that writes it per file.
    EXPECT_FALSE(!rule.fix.empty() && !rule.fix_elsewhere.empty()) << rule.code;
    EXPECT_TRUE(rule.fix.empty() || rule.fix_go.empty() || rule.fix_go != rule.fix) << rule.code;
    if (rule.severity == RuleSeverity::error) {
      EXPECT_FALSE(rule.fix.empty() && rule.fix_elsewhere.empty()) << rule.code << " has no fix";
    }
  }
}

TEST(RulesTable, FindRuleIsExact) {
  ASSERT_NE(find_rule("E_WRONG_ARCH"), nullptr);
  EXPECT_EQ(find_rule("E_WRONG_ARCH")->code, "E_WRONG_ARCH");
  EXPECT_EQ(find_rule("e_wrong_arch"), nullptr);
  EXPECT_EQ(find_rule(""), nullptr);
}

TEST(RulesTable, CloseCodesForATypo) {
  EXPECT_EQ(close_rule_codes("E_WRONG_ARH"), std::vector<std::string_view>{"E_WRONG_ARCH"});
  EXPECT_EQ(close_rule_codes("e_wrong_arh"), std::vector<std::string_view>{"E_WRONG_ARCH"});
  EXPECT_TRUE(close_rule_codes("NOTHING_LIKE_A_RULE_CODE_AT_ALL").empty());
}

}  // namespace
}  // namespace enoexec

// docs/rules.md and the rules table say the same: every row of the table is a code row of the
// document's tables with the same severity, every code row of the document is in the table, and
// every row's anchor is a heading of the document.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "enoexec/rules.hpp"

namespace enoexec {
namespace {

std::vector<std::string> doc_lines() {
  std::ifstream in(std::filesystem::path(ENOEXEC_SOURCE_DIR) / "docs" / "rules.md");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// "| `E_WRONG_ARCH` | error | ..." -> code, severity; each code with every severity it is given.
std::map<std::string, std::set<std::string>> doc_rows() {
  const std::regex row(R"(^\| `([EWI]_[A-Z0-9_]+)` \| ([a-z]+) \|)");
  std::map<std::string, std::set<std::string>> rows;
  for (const std::string& line : doc_lines())
    if (std::smatch m; std::regex_search(line, m, row)) rows[m[1].str()].insert(m[2].str());
  return rows;
}

// A heading's anchor as GitHub makes it: lower case, punctuation but '-' and '_' dropped,
// spaces as '-'.
std::string slug(std::string_view heading) {
  std::string out;
  for (const char c : heading) {
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') out += c;
    else if (c == ' ') out += '-';
  }
  return out;
}

TEST(RulesDoc, DocumentIsRead) { EXPECT_GE(doc_rows().size(), 30U); }

TEST(RulesDoc, EveryRowOfTheTableIsDocumentedWithItsSeverity) {
  const auto rows = doc_rows();
  for (const RuleInfo& rule : all_rules()) {
    const auto it = rows.find(std::string(rule.code));
    ASSERT_NE(it, rows.end()) << rule.code << " has no row in docs/rules.md";
    EXPECT_EQ(it->second, std::set<std::string>{std::string(to_string(rule.severity))}) << rule.code;
  }
}

TEST(RulesDoc, EveryDocumentedCodeIsInTheTable) {
  for (const auto& [code, severities] : doc_rows())
    EXPECT_NE(find_rule(code), nullptr) << code << " is documented but not in src/rules/rules.def";
}

TEST(RulesDoc, EveryAnchorIsAHeading) {
  std::set<std::string> anchors;
  for (const std::string& line : doc_lines())
    if (line.starts_with("## ")) anchors.insert(slug(std::string_view(line).substr(3)));
  for (const RuleInfo& rule : all_rules())
    EXPECT_TRUE(anchors.contains(std::string(rule.anchor))) << rule.code << ": #" << rule.anchor;
}

}  // namespace
}  // namespace enoexec

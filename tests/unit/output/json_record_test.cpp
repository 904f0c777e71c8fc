// The JSON contract (docs/json.md): every object printed on its own says what it is in its first
// key, `record`; a path that is not UTF-8 stays a valid JSON string and carries its bytes in
// `path_bytes` (base64).
#include <gtest/gtest.h>

#include <string>

#include "enoexec/verdict.hpp"
#include "host/host_json.hpp"
#include "output/human.hpp"
#include "output/json.hpp"
#include "output/json_verdict.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

FileReport report(std::string path) {
  FileReport r;
  r.path = std::move(path);
  r.format = Format::elf;
  r.type = "executable";
  return r;
}

TEST(JsonRecord, AFileObjectStartsWithItsRecord) {
  const std::string line = to_json_line(to_json(report("/bin/sh")));
  EXPECT_TRUE(line.starts_with(R"({"record":"file","path":"/bin/sh","format":"elf",)")) << line;
  EXPECT_EQ(line.find("path_bytes"), std::string::npos) << line;
}

TEST(JsonRecord, ACheckObjectIsAFileRecordToo) {
  Verdict verdict;
  verdict.target = "linux/amd64";
  verdict.execve = "ok";
  verdict.verdict = VerdictKind::runs;
  const Json json = to_json(report("/bin/sh"), verdict);
  EXPECT_EQ(json.begin().key(), "record");
  EXPECT_EQ(json["record"], "file");
  EXPECT_EQ(json["verdict"], "runs");
}

TEST(JsonRecord, APathThatIsNotUtf8CarriesItsBytes) {
  const Json json = to_json(report("a\xff" "b"));
  const std::string line = to_json_line(json);
  // `path` as nlohmann writes it with error_handler_t::replace: U+FFFD for the byte.
  EXPECT_TRUE(line.starts_with("{\"record\":\"file\",\"path\":\"a\xef\xbf\xbd" "b\",\"path_bytes\":\"Yf9i\","))
      << line;
  EXPECT_TRUE(Json::accept(line)) << line;
  EXPECT_EQ(json["path_bytes"], "Yf9i");
}

TEST(JsonRecord, ValidUtf8NamesHaveNoPathBytes) {
  for (const char* path : {"caf\xc3\xa9", "\xe2\x82\xac/\xf0\x9f\x98\x80", "tab\there", ""})
    EXPECT_FALSE(to_json(report(path)).contains("path_bytes")) << path;
  // Overlong forms, surrogates and cut sequences are not UTF-8.
  for (const char* path : {"\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\x80"})
    EXPECT_TRUE(to_json(report(path)).contains("path_bytes")) << path;
}

TEST(JsonRecord, SlicesHaveNoRecordButKeepTheirPathBytes) {
  FileReport fat = report("u\xfe");
  fat.format = Format::macho_fat;
  fat.slices = {report("u\xfe"), report("u\xfe")};
  const Json json = to_json(fat);
  ASSERT_EQ(json["slices"].size(), 2u);
  for (const Json& slice : json["slices"]) {
    EXPECT_FALSE(slice.contains("record"));
    EXPECT_EQ(slice.begin().key(), "path");
    EXPECT_EQ(slice["path_bytes"], "df4=");
  }
}

TEST(JsonRecord, VerboseTextLeavesOutRecordAndPath) {
  const std::string text = detail_lines(report("a\xff" "b"));
  EXPECT_EQ(text.find("record"), std::string::npos) << text;
  EXPECT_EQ(text.find("path"), std::string::npos) << text;
  EXPECT_NE(text.find("  format: elf\n"), std::string::npos) << text;
}

TEST(JsonRecord, AHostStartsWithItsRecordAndReadsBackWithOrWithoutIt) {
  const Json json = to_json(HostInfo{});
  EXPECT_EQ(json.begin().key(), "record");
  EXPECT_EQ(json["record"], "host");
  ASSERT_TRUE(host_from_json(json.dump()));
  Json old = json;
  old.erase("record");  // hosts recorded before `record`
  const auto back = host_from_json(old.dump());
  ASSERT_TRUE(back) << to_string(back.error());
  EXPECT_EQ(*back, HostInfo{});
}

TEST(JsonRecord, AHostFileOfAnotherRecordIsRefused) {
  const auto file = host_from_json(to_json_line(to_json(report("/bin/sh"))));
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().what, "host JSON: record: expected \"host\" (enoexec host --json)");
  EXPECT_FALSE(host_from_json(R"({"record": 1})"));
}

}  // namespace
}  // namespace enoexec

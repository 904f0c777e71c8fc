// The scan's JSON line writer must write exactly what nlohmann's dump writes (scan --json equals
// check --json file by file), on every kind of value and string a report can hold.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "output/json.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

std::string reference(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

TEST(JsonLine, WritesScalarsAsDumpDoes) {
  for (const Json& json :
       {Json(), Json(true), Json(false), Json(0), Json(-1), Json(42u),
        Json(std::numeric_limits<std::int64_t>::min()), Json(std::numeric_limits<std::uint64_t>::max()),
        Json(1.5), Json(-0.0), Json(1e300), Json(0.1), Json(""), Json::object(), Json::array()}) {
    EXPECT_EQ(to_json_line(json), reference(json)) << reference(json);
  }
}

TEST(JsonLine, EscapesStringsAsDumpDoes) {
  std::string every_ascii;
  for (int c = 0; c < 0x80; ++c) every_ascii += static_cast<char>(c);
  for (const std::string& text :
       {every_ascii, std::string("quote \" backslash \\ slash / del \x7f"), std::string("a\0b", 3),
        std::string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),  // valid UTF-8
        std::string("bad \xff\xfe end"), std::string("cut \xe2\x82"), std::string("\xc3"),
        std::string("\xed\xa0\x80 surrogate"), std::string("mixed \n\xc3\xa9\t\x01")}) {
    const Json json(text);
    EXPECT_EQ(to_json_line(json), reference(json)) << reference(json);
    const Json keyed{{text, text}};
    EXPECT_EQ(to_json_line(keyed), reference(keyed)) << reference(keyed);
  }
}

TEST(JsonLine, WritesNestedContainersInOrder) {
  Json json{{"z", 1}, {"a", Json::array({1, "two", nullptr, Json::object(), Json::array()})},
            {"m", {{"inner", {{"deep", Json::array({Json::array({false})})}}}, {"n", -7}}}};
  json["b"] = "last";
  EXPECT_EQ(to_json_line(json), reference(json));
  EXPECT_EQ(to_json_line(json),
            R"({"z":1,"a":[1,"two",null,{},[]],"m":{"inner":{"deep":[[false]]},"n":-7},"b":"last"})");
  std::string appended = "prefix ";
  append_json_line(json, appended);
  EXPECT_EQ(appended, "prefix " + reference(json));
}

}  // namespace
}  // namespace enoexec

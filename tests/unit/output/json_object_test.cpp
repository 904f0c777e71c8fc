#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "output/json.hpp"
#include "output/json_object.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

// The printers' JSON must not change with how it is built: the same members, in the same order,
// of the same JSON types as nlohmann's initializer-list form gives.
TEST(JsonObject, EqualsTheInitializerListForm) {
  const std::vector<std::string> names{"libc.so.6", "libm.so.6"};
  const std::uint32_t flags = 5;
  const Json built = JsonObject(6)
                         .add("type", "PT_LOAD")
                         .add("offset", std::uint64_t{0x1000})
                         .add("flags", flags)
                         .add("signed", std::int64_t{-1})
                         .add("names", names)
                         .add("nothing", Json())
                         .done();
  const Json listed{{"type", "PT_LOAD"}, {"offset", std::uint64_t{0x1000}}, {"flags", flags},
                    {"signed", std::int64_t{-1}}, {"names", names}, {"nothing", Json()}};
  EXPECT_EQ(built, listed);
  EXPECT_EQ(to_json_line(built), to_json_line(listed));
  EXPECT_EQ(to_json_line(built),
            R"({"type":"PT_LOAD","offset":4096,"flags":5,"signed":-1,"names":["libc.so.6","libm.so.6"],"nothing":null})");
}

TEST(JsonObject, KeepsMembersInTheOrderAdded) {
  const Json built = JsonObject(3).add("z", 1).add("a", 2).add("m", 3).done();
  EXPECT_EQ(to_json_line(built), R"({"z":1,"a":2,"m":3})");
}

TEST(JsonObject, GoesOnAfterTheMembersOfAnExistingObject) {
  const Json report = JsonObject(2).add("path", "/bin/sh").add("format", "elf").done();
  const Json verdict = JsonObject(report, 1).add("verdict", "runs").done();
  EXPECT_EQ(to_json_line(verdict), R"({"path":"/bin/sh","format":"elf","verdict":"runs"})");
}

TEST(JsonObject, AnObjectWithNoMembersIsAnEmptyObjectNotNull) {
  EXPECT_EQ(to_json_line(JsonObject(0).done()), "{}");
}

}  // namespace
}  // namespace enoexec

#include "enoexec/name_list.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace enoexec {
namespace {

TEST(NameList, KeepsEachNameWholeAndInOrder) {
  NameList names;
  EXPECT_TRUE(names.empty());
  for (const char* name : {".text", "", ".data.rel.ro", ""}) names.push_back(name);
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[0], ".text");
  EXPECT_EQ(names[1], "");
  EXPECT_EQ(names[2], ".data.rel.ro");
  EXPECT_EQ(names[3], "");
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.end()),
            (std::vector<std::string>{".text", "", ".data.rel.ro", ""}));
  EXPECT_EQ(names.end() - names.begin(), 4);
  EXPECT_NE(std::find(names.begin(), names.end(), ".data.rel.ro"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), ".data"), names.end());
}

TEST(NameList, ComparesWithNamesAndStrings) {
  const NameList names{"a", "bc"};
  EXPECT_EQ(names, (NameList{"a", "bc"}));
  EXPECT_NE(names, (NameList{"ab", "c"}));  // same bytes, other boundaries
  EXPECT_EQ(names, (std::vector<std::string>{"a", "bc"}));
  EXPECT_NE(names, (std::vector<std::string>{"a"}));
}

TEST(NameList, CopiesOwnTheirBytes) {
  NameList copy;
  {
    NameList names;
    names.push_back(std::string(100, 'x'));
    copy = names;
  }
  EXPECT_EQ(copy[0], std::string(100, 'x'));
}

}  // namespace
}  // namespace enoexec

#include "mapping/yaml_document.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "json/write.hpp"

namespace sp::mapping {
namespace {

using ::testing::HasSubstr;

std::string AsJson(std::string_view yaml) {
  Result<YamlDocument> doc = ParseYaml(yaml);
  EXPECT_TRUE(doc.ok()) << doc.error().ToString();
  return doc.ok() ? json::ToJson(doc->value) : "";
}

TEST(YamlDocument, CoreSchemaScalars) {
  EXPECT_EQ(AsJson("a: true\nb: 'true'\nc: null\nd: ~\ne:\nf: 12\ng: '12'\nh: 0.9\ni: .x\nj: False\n"),
            R"({"a":true,"b":"true","c":null,"d":null,"e":null,"f":12,"g":"12","h":0.9,"i":".x","j":false})");
  EXPECT_EQ(AsJson("a: yes\nb: 0x1F\nc: +1\nd: 1.\ne: \"x\"\n"), R"({"a":"yes","b":31,"c":1,"d":1,"e":"x"})");
}

TEST(YamlDocument, JsonIsYaml) {
  EXPECT_EQ(AsJson(R"({"resources": [{"kind": "x", "n": 1.50}], "f": false})"),
            R"({"resources":[{"kind":"x","n":1.50}],"f":false})");
}

TEST(YamlDocument, RemembersWhereNodesAre) {
  Result<YamlDocument> doc = ParseYaml("a:\n  b:\n    - x\n    - y: 1\n");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->Where("a.b[1].y"), " (line 4, column 10)");
  EXPECT_EQ(doc->Where("a.b[0]"), " (line 3, column 7)");
  EXPECT_EQ(doc->Where("nope"), "");
}

TEST(YamlDocument, MalformedTextGivesLineAndColumn) {
  Result<YamlDocument> doc = ParseYaml("a: [1, 2\nb: 3\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, ErrorCode::PARSE);
  EXPECT_THAT(doc.error().message, ::testing::StartsWith("line "));
  Result<YamlDocument> tabs = ParseYaml("a:\n\t- b\n");
  EXPECT_FALSE(tabs.ok());
}

TEST(YamlDocument, DuplicateKeysWarnAndLastWins) {
  Result<YamlDocument> doc = ParseYaml("a: 1\na: 2\n");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(json::ToJson(doc->value), R"({"a":2})");
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_EQ(doc->warnings[0].path, "a");
}

TEST(YamlDocument, NonScalarKeysAreRejected) {
  Result<YamlDocument> doc = ParseYaml("? [a, b]\n: 1\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_THAT(doc.error().message, HasSubstr("mapping keys must be strings"));
}

TEST(YamlDocument, BoundsDepthAndAliasExpansion) {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "[";
  for (int i = 0; i < 300; ++i) deep += "]";
  Result<YamlDocument> d = ParseYaml(deep);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::LIMIT_EXCEEDED);

  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'h'; ++c, ++prev) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  Result<YamlDocument> b = ParseYaml(bomb, {.max_depth = 256, .max_nodes = 100000});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::LIMIT_EXCEEDED);
}

}  // namespace
}  // namespace sp::mapping

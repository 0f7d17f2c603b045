#include "mapping/items_to_parse.hpp"

#include <gtest/gtest.h>

#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::mapping {
namespace {

using Path = std::vector<std::string>;

TEST(ItemsToParse, ExtractsThePlainPath) {
  EXPECT_EQ(ExtractItemsPath(".__tags"), Path{"__tags"});
  EXPECT_EQ(ExtractItemsPath(".file.content.raw"), (Path{"file", "content", "raw"}));
  EXPECT_EQ(ExtractItemsPath(". as $all | ($all | .file.content.raw) // {}"), (Path{"file", "content", "raw"}));
  EXPECT_EQ(ExtractItemsPath(".[\"a b\"].c?"), (Path{"a b", "c"}));
  EXPECT_EQ(ExtractItemsPath(".a | map(.b)"), Path{"a"});
  EXPECT_EQ(ExtractItemsPath("\".x\" | .y"), Path{"y"});
  EXPECT_EQ(ExtractItemsPath("$x.a"), Path{});
  EXPECT_EQ(ExtractItemsPath("[1, 2]"), Path{});
  EXPECT_EQ(ExtractItemsPath("."), Path{});
}

TEST(ItemsToParse, RemovesThePath) {
  json::Value v = json::Parse(R"({"a": {"b": [1], "c": 2}, "d": 3})").value();
  EXPECT_EQ(json::ToJson(RemovePath(v, {"a", "b"})), R"({"a":{"c":2},"d":3})");
  EXPECT_EQ(json::ToJson(RemovePath(v, {"d"})), R"({"a":{"b":[1],"c":2}})");
  EXPECT_EQ(json::ToJson(RemovePath(v, {"x", "y"})), json::ToJson(v));
  EXPECT_EQ(json::ToJson(RemovePath(v, {})), json::ToJson(v));
  // The original is untouched (copy-on-write).
  EXPECT_EQ(json::ToJson(v), R"({"a":{"b":[1],"c":2},"d":3})");
}

}  // namespace
}  // namespace sp::mapping

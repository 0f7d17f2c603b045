#include <gtest/gtest.h>

#include <cmath>

#include "native_call.hpp"

namespace sp::jq {
namespace {

using testing::J;

std::string S(std::string_view name, std::string_view input, std::initializer_list<json::Value> args = {}) {
  return testing::Run(StringBuiltins(), name, input, args);
}

TEST(StringBuiltins, TrimStr) {
  EXPECT_EQ(S("ltrimstr", R"("foobar")", {J(R"("foo")")}), R"("bar")");
  EXPECT_EQ(S("ltrimstr", R"("afoo")", {J(R"("foo")")}), R"("afoo")");
  EXPECT_EQ(S("ltrimstr", R"("foo")", {J(R"("foo")")}), R"("")");
  EXPECT_EQ(S("rtrimstr", R"("barfoo")", {J(R"("foo")")}), R"("bar")");
  EXPECT_EQ(S("rtrimstr", R"("foob")", {J(R"("foo")")}), R"("foob")");
}

// jq 1.7.1 (#2977): a non-string input or argument gives the input back, no error.
TEST(StringBuiltins, TrimStrIgnoresNonStrings) {
  EXPECT_EQ(S("ltrimstr", R"("hi")", {J("1")}), R"("hi")");
  EXPECT_EQ(S("rtrimstr", R"({"hey":[]})", {J(R"("x")")}), R"({"hey":[]})");
  EXPECT_EQ(S("ltrimstr", "null", {J(R"("x")")}), "null");
}

TEST(StringBuiltins, StartsEndsWith) {
  EXPECT_EQ(S("startswith", R"("foobar")", {J(R"("foo")")}), "true");
  EXPECT_EQ(S("startswith", R"("fo")", {J(R"("foo")")}), "false");
  EXPECT_EQ(S("endswith", R"("barfoo")", {J(R"("foo")")}), "true");
  EXPECT_EQ(S("endswith", R"("foobar")", {J(R"("foo")")}), "false");
  EXPECT_EQ(S("startswith", "1", {J(R"("foo")")}), "error: startswith() requires string inputs");
  EXPECT_EQ(S("startswith", R"("a")", {J("null")}), "error: startswith() requires string inputs");
  EXPECT_EQ(S("endswith", "[]", {J(R"("foo")")}), "error: endswith() requires string inputs");
}

TEST(StringBuiltins, Explode) {
  EXPECT_EQ(S("explode", R"("foobar")"), "[102,111,111,98,97,114]");
  EXPECT_EQ(S("explode", R"("aμ😀")"), "[97,956,128512]");
  EXPECT_EQ(S("explode", R"("")"), "[]");
  EXPECT_EQ(S("explode", "1"), "error: explode input must be a string");
}

// The suite's replacement-character case: out of range and surrogates -> 65533, non-integers truncated.
TEST(StringBuiltins, ImplodeValidatesCodepoints) {
  auto imploded =
      testing::Call(StringBuiltins(), "implode", J("[-1,0,1,2,3,1114111,1114112,55295,55296,57343,57344,1.1,1.9]"));
  ASSERT_TRUE(imploded.ok());
  auto back = testing::Call(StringBuiltins(), "explode", imploded.value());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(testing::Dump(back.value()), "[65533,0,1,2,3,1114111,65533,55295,65533,65533,57344,1,1]");
  EXPECT_EQ(S("implode", "[65,66,67]"), R"("ABC")");
}

TEST(StringBuiltins, ImplodeErrors) {
  EXPECT_EQ(S("implode", "123"), "error: implode input must be an array");
  EXPECT_EQ(S("implode", R"(["a"])"),
            R"(error: string ("a") can't be imploded, unicode codepoint needs to be numeric)");
  EXPECT_EQ(S("implode", "[null]"), "error: null (null) can't be imploded, unicode codepoint needs to be numeric");
  auto nan_input = json::Value::Array(std::vector<json::Value>{json::Value::Number(std::nan(""))});
  auto r = testing::Call(StringBuiltins(), "implode", nan_input);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "number (null) can't be imploded, unicode codepoint needs to be numeric");
}

TEST(StringBuiltins, AsciiCase) {
  EXPECT_EQ(S("ascii_upcase", R"("useful but not for é")"), R"("USEFUL BUT NOT FOR é")");
  EXPECT_EQ(S("ascii_downcase", R"("ABC déF")"), R"("abc déf")");
  EXPECT_EQ(S("ascii_downcase", "1"), "error: ascii_downcase input must be a string");
  EXPECT_EQ(S("ascii_upcase", "null"), "error: ascii_upcase input must be a string");
}

TEST(StringBuiltins, SplitOnString) {
  EXPECT_EQ(S("split", R"("a, b,c,d, e, ")", {J(R"(", ")")}), R"(["a","b,c,d","e",""])");
  EXPECT_EQ(S("split", R"(", a,b, c, d, e,f, ")", {J(R"(", ")")}), R"(["","a,b","c","d","e,f",""])");
  EXPECT_EQ(S("split", R"("abc")", {J(R"("")")}), R"(["a","b","c"])");
  EXPECT_EQ(S("split", R"("aμb")", {J(R"("")")}), R"(["a","μ","b"])");
  EXPECT_EQ(S("split", R"("")", {J(R"(",")")}), "[]");
  EXPECT_EQ(S("split", R"("")", {J(R"("")")}), "[]");
  EXPECT_EQ(S("split", R"("xyz")", {J(R"("z")")}), R"(["xy",""])");
  EXPECT_EQ(S("split", "1", {J(R"(",")")}), "error: split input and separator must be strings");
  EXPECT_EQ(S("split", R"("a")", {J("1")}), "error: split input and separator must be strings");
}

TEST(StringBuiltins, StringIndicesOverlapAndUseBytes) {
  EXPECT_EQ(S("_strindices", R"("a,bc,def,ghij,klmno")", {J(R"(",")")}), "[1,4,8,13]");
  EXPECT_EQ(S("_strindices", R"("xababababax")", {J(R"("aba")")}), "[1,3,5,7]");
  // jq 1.7.1 reports byte offsets: "é" is two bytes.
  EXPECT_EQ(S("_indices", R"("é,b")", {J(R"(",")")}), "[2]");
}

// libjq 1.6 loops forever on index(""); here an empty needle finds nothing.
TEST(StringBuiltins, EmptyNeedleFindsNothing) {
  EXPECT_EQ(S("_strindices", R"("")", {J(R"("")")}), "[]");
  EXPECT_EQ(S("_indices", R"("abc")", {J(R"("")")}), "[]");
  EXPECT_EQ(S("_indices", "[1,2]", {J("[]")}), "[]");
}

TEST(StringBuiltins, ArrayIndices) {
  EXPECT_EQ(S("_indices", "[0,1,1,2,3,4,1,5]", {J("1")}), "[1,2,6]");
  EXPECT_EQ(S("_indices", "[0,1,2,3,1,4,2,5,1,2,6,7]", {J("[1,2]")}), "[1,8]");
  EXPECT_EQ(S("_indices", "[1]", {J("[1,2]")}), "[]");
  EXPECT_EQ(S("_indices", R"([{"a":1},{"a":1}])", {J(R"({"a":1})")}), "[0,1]");
}

TEST(StringBuiltins, IndicesOfOtherShapesIsAnError) {
  EXPECT_EQ(S("_indices", "null", {J(R"("a")")}),
            "error: null (null) cannot be searched, as it is not a string or an array");
  EXPECT_EQ(S("_strindices", R"("a")", {J("1")}), "error: _strindices/1 requires string inputs and arguments");
}

}  // namespace
}  // namespace sp::jq

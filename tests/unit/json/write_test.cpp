#include "json/write.hpp"

#include <gtest/gtest.h>

#include "json/parse.hpp"

namespace sp::json {
namespace {

Value J(std::string_view text) {
  Result<Value> r = Parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? r.value() : Value();
}

TEST(Write, PrettyLikeJq) {
  Value v = J(R"({"a":1,"b":[],"c":{},"d":[1,{"x":null}]})");
  EXPECT_EQ(ToJson(v, {.indent = 2}),
            "{\n  \"a\": 1,\n  \"b\": [],\n  \"c\": {},\n  \"d\": [\n    1,\n    {\n      \"x\": null\n    }\n  ]\n}");
  EXPECT_EQ(ToJson(J("[]"), {.indent = 2}), "[]");
  EXPECT_EQ(ToJson(J("3"), {.indent = 2}), "3");
  EXPECT_EQ(ToJson(J(R"({"a":[1]})"), {.indent = 4}), "{\n    \"a\": [\n        1\n    ]\n}");
}

TEST(Write, SortKeysIsRecursive) {
  Value v = J(R"({"b":{"z":1,"y":2},"a":[{"d":1,"c":2}],"B":0})");
  EXPECT_EQ(ToJson(v, {.sort_keys = true}), R"({"B":0,"a":[{"c":2,"d":1}],"b":{"y":2,"z":1}})");
  EXPECT_EQ(ToJson(v), R"({"b":{"z":1,"y":2},"a":[{"d":1,"c":2}],"B":0})");
}

TEST(Write, EscapesLikeJq) {
  std::string all_controls;
  for (int c = 0; c < 0x20; ++c) all_controls.push_back(static_cast<char>(c));
  all_controls += "\x7f\"\\/";
  EXPECT_EQ(ToJson(Value::String(all_controls)),
            R"("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f)"
            R"(\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f)"
            R"(\u007f\"\\/")");
  EXPECT_EQ(ToJson(Value::String("café ☃ 😀")), "\"café ☃ 😀\"");
}

TEST(Write, AsciiModeUsesLowercaseEscapesAndSurrogatePairs) {
  WriteOptions ascii{.ascii = true};
  EXPECT_EQ(ToJson(Value::String("café"), ascii), R"("caf\u00e9")");
  EXPECT_EQ(ToJson(Value::String("😀"), ascii), R"("\ud83d\ude00")");
  EXPECT_EQ(ToJson(Value::String("☃\x7f\n"), ascii), R"("\u2603\u007f\n")");
  EXPECT_EQ(ToJson(Value::String("\xf4\x8f\xbf\xbf"), ascii), R"("\udbff\udfff")");
  EXPECT_EQ(ToJson(J(R"({"ключ":["é"]})"), ascii), R"({"\u043a\u043b\u044e\u0447":["\u00e9"]})");
  // Bytes that are not UTF-8 (only possible through the API) become U+FFFD.
  EXPECT_EQ(ToJson(Value::String("a\xffz"), ascii), R"("a\ufffdz")");
  std::string out = "x";
  WriteString("é", out, true);
  EXPECT_EQ(out, R"(x"\u00e9")");
}

TEST(Write, NumbersUseLiteralOrJqDouble) {
  Value arr = Value::Array();
  arr.Append(Value::Number(1e20));
  arr.Append(Value::Number(0.1));
  arr.Append(Value::NumberFromToken("1.50"));
  arr.Append(Value::Number(std::numeric_limits<double>::quiet_NaN()));
  arr.Append(Value::Number(-std::numeric_limits<double>::infinity()));
  EXPECT_EQ(ToJson(arr), "[1e+20,0.1,1.50,null,-1.7976931348623157e+308]");
}

TEST(Write, AppendsToExistingBuffer) {
  std::string out = "prefix:";
  Write(J("[1]"), out);
  EXPECT_EQ(out, "prefix:[1]");
}

}  // namespace
}  // namespace sp::json

namespace sp::json {
namespace {

// The writer skips clean 8-byte blocks at once: every special byte must still be found at every position.
TEST(Write, EscapesAtEveryPositionOfLongStrings) {
  const std::string specials[] = {"\"",   "\\",   "\n",       std::string(1, '\0'),
                                  "\x1f", "\x7f", "\xc3\xa9", "\xf0\x9f\x98\x80"};
  const std::string expected_plain[] = {"\\\"",    "\\\\",    "\\n",      "\\u0000",
                                        "\\u001f", "\\u007f", "\xc3\xa9", "\xf0\x9f\x98\x80"};
  const std::string expected_ascii[] = {"\\\"",    "\\\\",    "\\n",     "\\u0000",
                                        "\\u001f", "\\u007f", "\\u00e9", "\\ud83d\\ude00"};
  for (size_t k = 0; k < std::size(specials); ++k) {
    for (size_t pos = 0; pos <= 20; ++pos) {
      const std::string s = std::string(pos, 'a') + specials[k] + std::string(20 - pos, 'b');
      const std::string tail(20 - pos, 'b');
      EXPECT_EQ(ToJson(Value::String(s)), "\"" + std::string(pos, 'a') + expected_plain[k] + tail + "\"")
          << k << "@" << pos;
      EXPECT_EQ(ToJson(Value::String(s), {.ascii = true}),
                "\"" + std::string(pos, 'a') + expected_ascii[k] + tail + "\"")
          << k << "@" << pos;
    }
  }
  // Bytes 0x80-0xff next to clean ASCII are not escaped outside ascii mode.
  EXPECT_EQ(ToJson(Value::String("abcdefgh\xe2\x98\x83ijklmnop")), "\"abcdefgh\xe2\x98\x83ijklmnop\"");
}

TEST(Write, IntegersAndFractionsPrintLikeJq) {
  Value arr = Value::Array();
  for (double d : {0.0, 1.0, -1.0, 1768827600.0, 999999999999999.0, 1e15, -1e15, 123456789012.5, 1e-3}) {
    arr.Append(Value::Number(d));
  }
  EXPECT_EQ(ToJson(arr), "[0,1,-1,1768827600,999999999999999,1000000000000000,-1000000000000000,123456789012.5,0.001]");
}

}  // namespace
}  // namespace sp::json

// The per-document arena (ParseOptions::arena, the default) must be invisible: the same values as the pooled
// build, sub-values that outlive their document, copy-on-write, lookups, threads. Plus ParseOptions::allow_nan.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "json/parse.hpp"
#include "json/value.hpp"
#include "json/write.hpp"

namespace sp::json {
namespace {

Value ParseWith(std::string_view text, bool arena) {
  ParseOptions options;
  options.arena = arena;
  Result<Value> r = Parse(text, options);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? std::move(r).value() : Value();
}

std::string BigObjectText(int members, bool with_duplicate) {
  std::string text = "{";
  for (int i = 0; i < members; ++i) {
    if (i) text += ',';
    text += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
  }
  if (with_duplicate) text += ",\"k3\":\"again\"";
  return text + "}";
}

TEST(Arena, SameValuesAsPooledBuild) {
  const std::string docs[] = {
      R"({"a":[1,2,{"b":null}],"c":"d","e":{"f":{"g":[true,false]}}})",
      R"([1.50,1e3,-0,0,-0.0,100000000000000000001,123456789012345678,-9223372036854775808,18446744073709551615])",
      R"({"a":1,"b":2,"a":3})",
      R"([{"x":{"x":{"x":1},"x":2}},{"y":[],"z":{}}])",
      R"(["short","a string longer than eight bytes","é☃😀","\u0000\n\""])",
      R"([1.0000000000000000000000000000000000000000000000000000000001,2.5e-400])",
      BigObjectText(40, false),
      BigObjectText(40, true),
      "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
      "[]",
      "{}",
      R"("root string")",
      "-0",
      "12.50",
  };
  for (const std::string& d : docs) {
    const Value a = ParseWith(d, true);
    const Value b = ParseWith(d, false);
    EXPECT_EQ(ToJson(a), ToJson(b)) << d;
    EXPECT_EQ(Value::Compare(a, b), 0) << d;
  }
  EXPECT_EQ(ToJson(ParseWith(R"({"a":1,"b":2,"a":3})", true)), R"({"a":3,"b":2})");
  EXPECT_EQ(ToJson(ParseWith(BigObjectText(20, true), true)).find("\"k3\":\"again\",\"k4\""), size_t{22})
      << "a repeated key keeps its first position and takes the last value";
  EXPECT_EQ(ToJson(ParseWith("[-0,1.50,1e3]", true)), "[-0,1.50,1E+3]");
}

TEST(Arena, NegativeZeroFoundAtEveryOffset) {
  // The tape stores -0 as integer 0; its sign is looked up in the text 16 bytes at a time, so try every
  // alignment, near the end too, next to dates that hold "-0" inside strings.
  for (size_t pad = 0; pad < 40; ++pad) {
    const std::string filler(pad, 'x');
    for (const char* zero : {"-0", "0", "-0.0"}) {
      const std::string text = R"([")" + filler + R"(","2025-01-02",)" + zero + "]";
      const Value v = ParseWith(text, true);
      ASSERT_EQ(v.Size(), 3u) << text;
      EXPECT_EQ(ToJson(v[2]), std::string(zero) == "-0.0" ? "-0.0" : zero) << text;
      EXPECT_EQ(std::signbit(v[2].AsNumber()), zero[0] == '-') << text;
    }
    const std::string in_string = R"([0,")" + filler + R"(-0"])";
    EXPECT_EQ(ToJson(ParseWith(in_string, true)), in_string);
  }
}

TEST(Arena, SubValuesOutliveTheDocument) {
  Value title;
  Value tags;
  Value number;
  {
    Value doc = ParseWith(R"({"issue":{"title":"a title longer than eight","tags":["x","y"],"n":1.50}})", true);
    const Value* issue = doc.Find("issue");
    ASSERT_NE(issue, nullptr);
    title = *issue->Find("title");
    tags = *issue->Find("tags");
    number = *issue->Find("n");
  }  // the document's own Value is gone; the pieces keep its block alive (ASan checks the reads below)
  EXPECT_EQ(title.AsString(), "a title longer than eight");
  EXPECT_EQ(ToJson(tags), R"(["x","y"])");
  EXPECT_EQ(number.NumberLiteralText(), "1.50");
  tags = Value();
  EXPECT_EQ(title.AsString(), "a title longer than eight");
}

TEST(Arena, CopyOnWriteLeavesTheParsedValueUntouched) {
  const Value doc = ParseWith(R"({"a":[1,2],"b":{"c":"d"},"e":"f"})", true);
  Value copy = doc;
  copy.Set("a", Value::String("replaced"));
  copy.Set("new", Value::Bool(true));
  EXPECT_TRUE(copy.Erase("e"));
  EXPECT_EQ(ToJson(copy), R"({"a":"replaced","b":{"c":"d"},"new":true})");
  EXPECT_EQ(ToJson(doc), R"({"a":[1,2],"b":{"c":"d"},"e":"f"})");

  // A document held by a single Value is still never changed in place: its nodes live in the block.
  Value only = ParseWith(R"([1,[2,3]])", true);
  only.Append(Value::Number(4));
  only.MutableAt(1).Append(Value::String("x"));
  EXPECT_EQ(ToJson(only), R"([1,[2,3,"x"],4])");
  Value obj = ParseWith(R"({"k":{"j":1}})", true);
  obj.MutableFind("k")->Set("j", Value::Number(2));
  obj.Reserve(10);
  EXPECT_EQ(ToJson(obj), R"({"k":{"j":2}})");
}

TEST(Arena, LookupsInLargeParsedObjects) {
  // More than 16 members: the first Find builds a hash index, which the block frees with itself (LSan checks).
  const Value doc = ParseWith("[" + BigObjectText(100, false) + "," + BigObjectText(50, false) + "]", true);
  for (int i = 0; i < 100; ++i) {
    const Value* v = doc[0].Find("k" + std::to_string(i));
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(v->AsNumber(), i);
  }
  EXPECT_EQ(doc[0].Find("k100"), nullptr);
  EXPECT_NE(doc[1].Find("k49"), nullptr);
  Value piece = doc[1];
  EXPECT_EQ(piece.Find("k7")->AsNumber(), 7);
}

TEST(Arena, ValuesCrossThreads) {
  // Parsed on one thread, read and released on others, concurrently: the block's count is atomic.
  std::vector<Value> docs;
  for (int i = 0; i < 8; ++i) {
    docs.push_back(ParseWith(R"({"id":")" + std::to_string(i) + R"(","list":[1,2,3],"o":{"k":"v"}})", true));
  }
  std::vector<std::thread> threads;
  std::vector<std::string> seen(4);
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([mine = docs, &seen, t] {  // each thread owns copies: counts shared with main's
      for (int round = 0; round < 200; ++round) {
        for (const Value& d : mine) {
          Value copy = *d.Find("o");
          Value list = *d.Find("list");
          if (round == 0 && &d == &mine.back()) seen[t] = ToJson(copy) + ToJson(list);
        }
      }
    });
  }
  docs.clear();  // the threads' copies may now be the last owners
  for (std::thread& th : threads) th.join();
  for (const std::string& s : seen) EXPECT_EQ(s, R"({"k":"v"}[1,2,3])");
}

TEST(Arena, ErrorsAndLimitsAreUnchanged) {
  ParseOptions options;
  options.max_depth = 4;
  Result<Value> deep = Parse("[[[[[1]]]]]", options);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, ErrorCode::LIMIT_EXCEEDED);
  EXPECT_TRUE(Parse("[[[[1]]]]", options).ok());
  Result<Value> bad = Parse(R"({"a":[1,2,}])");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("byte 10"), std::string::npos) << bad.error().message;
}

TEST(ParseNan, OffByDefault) {
  for (const char* text : {"nan", "[1,nan]", "NaN", "{\"a\":Infinity}", "-nan"}) {
    Result<Value> r = Parse(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().message.find("byte "), std::string::npos) << r.error().message;
  }
}

TEST(ParseNan, AcceptsJqLiteralsWhenAsked) {
  ParseOptions options;
  options.allow_nan = true;
  Result<Value> v = Parse("[1,nan,NaN,-nan,nan1234,Infinity,-Infinity,inf,-NaN,+nan,null]", options);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  ASSERT_EQ(v->Size(), 11u);
  for (size_t i : {1, 2, 3, 4, 8, 9}) {
    EXPECT_TRUE((*v)[i].IsNumber() && std::isnan((*v)[i].AsNumber())) << i;
  }
  EXPECT_EQ((*v)[5].AsNumber(), std::numeric_limits<double>::infinity());
  EXPECT_EQ((*v)[6].AsNumber(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ((*v)[7].AsNumber(), std::numeric_limits<double>::infinity());
  EXPECT_TRUE((*v)[10].IsNull());
  EXPECT_EQ(ToJson(*v),
            "[1,null,null,null,null,1.7976931348623157e+308,-1.7976931348623157e+308,1.7976931348623157e+308,null,"
            "null,null]");

  Result<Value> obj = Parse(R"({"a":nan})", options);
  ASSERT_TRUE(obj.ok());
  EXPECT_EQ(ToJson(*obj), R"({"a":null})");
  Result<Value> root = Parse(" nan \n", options);
  ASSERT_TRUE(root.ok());
  EXPECT_TRUE(std::isnan(root->AsNumber()));
  EXPECT_TRUE(Parse("-Infinity", options).ok());

  // Still strict about everything else, with the position.
  for (const char* text : {"nanx", "[1,nul]", "nan nan", "[Infinityy]", "{\"a\":na}"}) {
    Result<Value> r = Parse(text, options);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().message.find("byte "), std::string::npos) << r.error().message;
  }
}

TEST(ParseNan, SequencesToo) {
  ParseOptions options;
  options.allow_nan = true;
  std::vector<std::string> out;
  Status st = ParseSequence(
      "1 nan [NaN] {\"a\":-Infinity}",
      [&](Value v) {
        out.push_back(ToJson(v));
        return true;
      },
      options);
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_EQ(out, (std::vector<std::string>{"1", "null", "[null]", R"({"a":-1.7976931348623157e+308})"}));
}

}  // namespace
}  // namespace sp::json

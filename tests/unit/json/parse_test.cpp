#include "json/parse.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json/detail/validate.hpp"
#include "json/write.hpp"

namespace sp::json {
namespace {

std::string ErrorOf(std::string_view text, const ParseOptions& options = {}) {
  Result<Value> r = Parse(text, options);
  if (r.ok()) return "OK: " + ToJson(r.value());
  return r.error().message;
}

TEST(Parse, RoundTripsCompact) {
  const char* docs[] = {
      "null",
      "true",
      "false",
      "0",
      "-1",
      "1.5",
      R"("")",
      R"("hello")",
      "[]",
      "{}",
      "[[],{}]",
      R"({"a":[1,2,{"b":null}],"c":"d","e":{"f":{"g":[true,false]}}})",
      R"(["\"\\\n\t\r\b\f","\u0001\u001f\u007f","é☃😀"])",
      R"({"":""})",
  };
  for (const char* d : docs) {
    Result<Value> v = Parse(d);
    ASSERT_TRUE(v.ok()) << d << ": " << v.error().ToString();
    EXPECT_EQ(ToJson(*v), d);
  }
}

TEST(Parse, WhitespaceAndEscapes) {
  Result<Value> v = Parse(" \n\t{ \"a\" : [ 1 , 2 ] , \"b\\u00e9\\/\" : \"\\ud83d\\ude00\" }\r\n ");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(ToJson(*v), R"({"a":[1,2],"bé/":"😀"})");
  EXPECT_EQ(v->Find("a")->Size(), 2u);
}

TEST(Parse, ScalarDocuments) {
  EXPECT_EQ(ErrorOf("  42  "), "OK: 42");
  EXPECT_EQ(ErrorOf("1.50"), "OK: 1.50");
  EXPECT_EQ(ErrorOf("\"x\""), "OK: \"x\"");
  EXPECT_EQ(ErrorOf(" null "), "OK: null");
  EXPECT_EQ(ErrorOf("true"), "OK: true");
}

TEST(Parse, ParsePaddedAvoidsCopyAndAgrees) {
  std::string buf = R"({"k":[1,2,3]})";
  const size_t len = buf.size();
  buf.reserve(len + PARSE_PADDING);
  Result<Value> v = ParsePadded(std::string_view(buf.data(), len), buf.capacity());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(ToJson(*v), R"({"k":[1,2,3]})");
  Result<Value> small = ParsePadded("[1]", 3);  // not enough padding: falls back to copying
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(ToJson(*small), "[1]");
}

TEST(ParseErrors, SayWhatAndWhere) {
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"", "byte 0: expected a value, got end of input"},
      {"   ", "byte 3: expected a value, got end of input"},
      {"[1,2", "byte 4: expected ',' or ']' after an array element, got end of input"},
      {"[1,", "byte 3: expected a value, got end of input"},
      {"[1 2]", "byte 3: expected ',' or ']' after an array element"},
      {"[1,]", "byte 3: expected a value (object, array, string, number, true, false or null)"},
      {R"({"a":1 "b":2})", "byte 7: expected ',' or '}' after an object member"},
      {R"({"a" 1})", "byte 5: expected ':' after an object key"},
      {R"({a:1})", "byte 1: expected a string key"},
      {R"({"a":1,})", "byte 7: expected a string key"},
      {R"({"a":1)", "byte 6: expected ',' or '}' after an object member, got end of input"},
      {"[1] x", "byte 4: unexpected content after the JSON value"},
      {"{} {}", "byte 3: unexpected content after the JSON value"},
      {"1 2", "byte 2: unexpected content after the JSON value"},
      {"\"abc", "byte 0: unterminated string (expected '\"' before end of input)"},
      {R"(["a\x"])", "byte 3: invalid escape in string"},
      {R"(["\u12G4"])", "byte 2: invalid \\u escape (expected 4 hex digits)"},
      {"[\"a\tb\"]", "byte 3: control character in string (must be escaped)"},
      {"[\"a\xff\"]", "byte 3: invalid UTF-8"},
      {"[\"\xc3\"]", "byte 2: invalid UTF-8"},
      {"[\"\xed\xa0\x80\"]", "byte 2: invalid UTF-8"},
      {"NaN", "byte 0: NaN and Infinity are not valid JSON"},
      {"[1,NaN]", "byte 3: NaN and Infinity are not valid JSON"},
      {"[-Infinity]", "byte 1: NaN and Infinity are not valid JSON"},
      {"[Infinity]", "byte 1: NaN and Infinity are not valid JSON"},
      {"[01]", "byte 1: invalid number"},
      {"[1.]", "byte 1: invalid number"},
      {"[-]", "byte 1: invalid number"},
      {"[.5]", "byte 1: expected a value (object, array, string, number, true, false or null)"},
      {"[1e]", "byte 1: invalid number"},
      {"[+1]", "byte 1: expected a value (object, array, string, number, true, false or null)"},
      {"[tru]", "byte 1: expected a value (object, array, string, number, true, false or null)"},
      {"[nulll]", "byte 1: expected a value (object, array, string, number, true, false or null)"},
      {"]", "byte 0: expected a value (object, array, string, number, true, false or null)"},
      {"[1}", "byte 2: expected ',' or ']' after an array element"},
      {"{\"a\":1]", "byte 6: expected ',' or '}' after an object member"},
  };
  for (const Case& c : cases) EXPECT_EQ(ErrorOf(c.text), c.message) << c.text;
}

TEST(ParseErrors, ErrorCodes) {
  Result<Value> r = Parse("[1,");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::PARSE);
  std::string deep(2000, '[');
  r = Parse(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::LIMIT_EXCEEDED);
}

TEST(ParseErrors, DepthLimit) {
  auto nested = [](size_t n) { return std::string(n, '[') + std::string(n, ']'); };
  EXPECT_EQ(ErrorOf(nested(1024)).substr(0, 3), "OK:");
  EXPECT_EQ(ErrorOf(nested(1025)), "byte 1024: nesting deeper than the limit of 1024");
  EXPECT_EQ(ErrorOf(nested(11), ParseOptions{.max_depth = 10}), "byte 10: nesting deeper than the limit of 10");
  std::string objects;
  for (int i = 0; i < 20; ++i) objects += "{\"a\":";
  objects += "1" + std::string(20, '}');
  EXPECT_EQ(ErrorOf(objects, ParseOptions{.max_depth = 5}), "byte 25: nesting deeper than the limit of 5");
  // A million levels: an error, not a stack overflow.
  EXPECT_EQ(ErrorOf(nested(1000000)), "byte 1024: nesting deeper than the limit of 1024");
  EXPECT_EQ(ErrorOf(std::string(1000000, '[')), "byte 1024: nesting deeper than the limit of 1024");
  // The configurable limit is capped, so a huge setting cannot overflow the stack either.
  EXPECT_EQ(ErrorOf(nested(1000000), ParseOptions{.max_depth = 100000000}),
            "byte 10000: nesting deeper than the limit of 10000");
  EXPECT_EQ(ErrorOf(nested(10000), ParseOptions{.max_depth = 100000000}).substr(0, 3), "OK:");
}

TEST(ParseSequence, JsonLinesAndConcatenatedValues) {
  std::vector<std::string> seen;
  Status s = ParseSequence("{\"a\":1}\n[2]\n\"three\" 4 true null{}[]  5.50\n", [&](Value v) {
    seen.push_back(ToJson(v));
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(seen,
            (std::vector<std::string>{R"({"a":1})", "[2]", R"("three")", "4", "true", "null", "{}", "[]", "5.50"}));
}

TEST(ParseSequence, StringsWithBracketsAndEscapes) {
  std::vector<std::string> seen;
  Status s = ParseSequence(R"({"a":"}]\"{["} ["\\",{"b":"]"}] "x\"y")", [&](Value v) {
    seen.push_back(ToJson(v));
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{R"({"a":"}]\"{["})", R"(["\\",{"b":"]"}])", R"("x\"y")"}));
}

TEST(ParseSequence, StopsAtFirstErrorWithAbsoluteOffset) {
  std::vector<std::string> seen;
  Status s = ParseSequence("[1]\n[2]\n{\"a\" 3}\n[4]", [&](Value v) {
    seen.push_back(ToJson(v));
    return true;
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "byte 13: expected ':' after an object key");
  EXPECT_EQ(seen, (std::vector<std::string>{"[1]", "[2]"}));
  s = ParseSequence("1\n[2,", [](Value) { return true; });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "byte 5: expected a value, got end of input");
  s = ParseSequence("1 truefalse", [](Value) { return true; });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "byte 2: expected a value (object, array, string, number, true, false or null)");
}

TEST(ParseSequence, CallbackCanStopEarly) {
  int count = 0;
  Status s = ParseSequence("1 2 3 4", [&](Value) { return ++count < 2; });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(count, 2);
  count = 0;
  EXPECT_TRUE(ParseSequence(" \n ", [&](Value) { return ++count, true; }).ok());
  EXPECT_EQ(count, 0);
}

TEST(ParseSequence, ManyLines) {
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += "{\"i\":" + std::to_string(i) + ",\"s\":\"" + std::string(i % 50, 'x') + "\"}\n";
  int n = 0;
  Status s = ParseSequence(text, [&](Value v) {
    EXPECT_EQ(v.Find("i")->AsNumber(), n);
    ++n;
    return true;
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(n, 5000);
}

}  // namespace
}  // namespace sp::json

namespace sp::json {
namespace {

// Integer-only documents take the DOM fast path; others (fractions, exponents, "-0", integers beyond 64 bits)
// take the On-Demand path. Both must give the same values.
TEST(ParsePaths, AgreeOnNumbersAndStructure) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"[-0]", "[-0]"},
      {"{\"a\":-0}", "{\"a\":-0}"},
      {"[0,-0 ,1]", "[0,-0,1]"},
      {"[\"2025-01-02\",-5,0]", "[\"2025-01-02\",-5,0]"},
      {"[100000000000000000001,1]", "[100000000000000000001,1]"},
      {"[18446744073709551615]", "[18446744073709551615]"},
      {"[-9223372036854775808]", "[-9223372036854775808]"},
      {"[123456789012345678]", "[123456789012345678]"},
      {"[999999999999999,1000000000000000]", "[999999999999999,1000000000000000]"},
      {"[1.5,2]", "[1.5,2]"},
      {"[1.50,2]", "[1.50,2]"},
      {"[1e2,{\"k\":[true,false,null]}]", "[1E+2,{\"k\":[true,false,null]}]"},
      {"[0, -0, 0.0, -0.0, 1.5, \"a-0\", -0e1, {\"-0\": -0}]", "[0,-0,0.0,-0.0,1.5,\"a-0\",-0E+1,{\"-0\":-0}]"},
      {"[\"1.5\", 2.50, \"x\\\"3\", 4.0, -1e-7]", "[\"1.5\",2.50,\"x\\\"3\",4.0,-1E-7]"},
      {"2.50", "2.50"},
      {" -0 ", "-0"},
  };
  for (const Case& c : cases) {
    Result<Value> v = Parse(c.in);
    ASSERT_TRUE(v.ok()) << c.in << ": " << v.error().ToString();
    EXPECT_EQ(ToJson(*v), c.out) << c.in;
  }
  // The same object with and without a float elsewhere compares equal member by member.
  Result<Value> ints = Parse(R"({"a":[1,2,{"b":"x","c":[]}],"d":{},"a2":-7})");
  Result<Value> mixed = Parse(R"([{"a":[1,2,{"b":"x","c":[]}],"d":{},"a2":-7},0.5])");
  ASSERT_TRUE(ints.ok() && mixed.ok());
  EXPECT_EQ(*ints, (*mixed)[0]);
  EXPECT_EQ(ToJson(*ints), ToJson((*mixed)[0]));
  EXPECT_EQ(Parse("[13911860366432393]").value()[0], Parse("[13911860366432393.0]").value()[0]);
  EXPECT_NE(Parse("[13911860366432393]").value()[0], Parse("[13911860366432392]").value()[0]);
}

TEST(ParsePaths, DuplicateKeysOnBothPaths) {
  EXPECT_EQ(ToJson(Parse(R"({"a":1,"b":2,"a":3})").value()), R"({"a":3,"b":2})");
  EXPECT_EQ(ToJson(Parse(R"({"a":1.0,"b":2,"a":3.0})").value()), R"({"a":3.0,"b":2})");
}

// Every accepted document must be valid JSON by the strict checker and vice versa: mutations of a valid
// document (deleted, duplicated and replaced bytes) probe both parser paths for leniency.
TEST(ParsePaths, AgreeWithStrictCheckerOnMutations) {
  const std::string base =
      R"({"id":"123","n":[1,-2,3.5,-0,1e3,true,false,null],"s":"a\"b\\c\u00e9\ud83d\ude00","o":{"k":{}},"e":[]})";
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(state >> 33);
  };
  const char alphabet[] = "{}[]\",:0123456789-+.eEtrufalsn \\u\t\n\x01\xc3\xa9\xff";
  int accepted = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::string doc = base;
    const int edits = 1 + static_cast<int>(next() % 3);
    for (int e = 0; e < edits && !doc.empty(); ++e) {
      const size_t pos = next() % doc.size();
      switch (next() % 3) {
        case 0: doc.erase(pos, 1); break;
        case 1: doc.insert(pos, 1, doc[pos]); break;
        default: doc[pos] = alphabet[next() % (sizeof(alphabet) - 1)]; break;
      }
    }
    detail::SyntaxError err;
    const bool valid = detail::Validate(doc, 1024, err);
    Result<Value> v = Parse(doc);
    ASSERT_EQ(v.ok(), valid) << doc << "\n" << (v.ok() ? "accepted" : v.error().message) << " / checker: " << err.what;
    if (!valid) {
      EXPECT_EQ(v.error().message, "byte " + std::to_string(err.offset) + ": " + err.what) << doc;
    } else {
      ++accepted;
      // Accepted documents re-parse to the same value from their own output.
      Result<Value> again = Parse(ToJson(*v));
      ASSERT_TRUE(again.ok()) << ToJson(*v);
      EXPECT_EQ(ToJson(*again), ToJson(*v));
    }
  }
  EXPECT_GT(accepted, 100);  // the mutations must exercise the success paths too
}

}  // namespace
}  // namespace sp::json

namespace sp::json {
namespace {

// jq reads an unpaired UTF-16 surrogate escape as U+FFFD instead of failing the whole document.
TEST(Parse, UnpairedSurrogatesBecomeReplacementCharacter) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {R"(["\ud800"])", "[\"\xef\xbf\xbd\"]"},
      {R"(["a\udc00b"])",
       "[\"a\xef\xbf\xbd"
       "b\"]"},
      {R"(["\ud800\ud800\ude00"])", "[\"\xef\xbf\xbd\xf0\x90\x88\x80\"]"},
      {R"({"k\udfff":1.5})", "{\"k\xef\xbf\xbd\":1.5}"},
      {R"("\ud83d")", "\"\xef\xbf\xbd\""},
      {R"(["\\ud800","\ud83d\ude00"])", R"(["\\ud800","😀"])"},
  };
  for (const Case& c : cases) {
    Result<Value> v = Parse(c.in);
    ASSERT_TRUE(v.ok()) << c.in << ": " << v.error().ToString();
    EXPECT_EQ(ToJson(*v), c.out) << c.in;
  }
  // Errors elsewhere in such a document keep their offsets.
  Result<Value> bad = Parse(R"(["\ud800", 01])");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "byte 11: invalid number");
}

}  // namespace
}  // namespace sp::json

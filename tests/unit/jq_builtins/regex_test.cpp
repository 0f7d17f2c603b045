#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "native_call.hpp"

namespace sp::jq {
namespace {

using json::Value;
using testing::J;

Value Str(std::string_view s) {
  return Value::String(s);
}

std::string Match(std::string_view input, std::string_view re, const Value& flags = Value()) {
  return testing::Run(RegexBuiltins(), "_match_impl", input, {Str(re), flags, Value::Bool(false)});
}

std::string IsMatch(std::string_view input, std::string_view re, const Value& flags = Value()) {
  return testing::Run(RegexBuiltins(), "_match_impl", input, {Str(re), flags, Value::Bool(true)});
}

TEST(Regex, MatchObjectShape) {
  EXPECT_EQ(Match(R"("foo bar foo")", "foo"), R"([{"offset":0,"length":3,"string":"foo","captures":[]}])");
  EXPECT_EQ(
      Match(R"("foo bar")", "(bar)"),
      R"([{"offset":4,"length":3,"string":"bar","captures":[{"offset":4,"length":3,"string":"bar","name":null}]}])");
}

TEST(Regex, GlobalAndCaseInsensitive) {
  EXPECT_EQ(
      Match(R"("foo bar FOO")", "foo", Str("ig")),
      R"([{"offset":0,"length":3,"string":"foo","captures":[]},{"offset":8,"length":3,"string":"FOO","captures":[]}])");
  EXPECT_EQ(
      Match(R"("abc abc")", "(abc)+", Str("g")),
      R"([{"offset":0,"length":3,"string":"abc","captures":[{"offset":0,"length":3,"string":"abc","name":null}]},)"
      R"({"offset":4,"length":3,"string":"abc","captures":[{"offset":4,"length":3,"string":"abc","name":null}]}])");
}

TEST(Regex, NamedAndNonParticipatingGroups) {
  EXPECT_EQ(
      Match(R"("foo bar foo foo  foo")", "foo (?<bar123>bar)? foo", Str("ig")),
      R"([{"offset":0,"length":11,"string":"foo bar foo","captures":[{"offset":4,"length":3,"string":"bar","name":"bar123"}]},)"
      R"({"offset":12,"length":8,"string":"foo  foo","captures":[{"offset":-1,"length":0,"string":null,"name":"bar123"}]}])");
  // Plain groups keep capturing next to named ones (ONIG_OPTION_CAPTURE_GROUP).
  EXPECT_EQ(Match(R"("ab")", "(?<x>a)(b)"),
            R"([{"offset":0,"length":2,"string":"ab","captures":[{"offset":0,"length":1,"string":"a","name":"x"},)"
            R"({"offset":1,"length":1,"string":"b","name":null}]}])");
}

TEST(Regex, OffsetsAreCodepoints) {
  EXPECT_EQ(Match(R"("a\u0304 bar with a combining codepoint U+0304")", "bar"),
            R"([{"offset":3,"length":3,"string":"bar","captures":[]}])");
  EXPECT_EQ(Match(R"("a ba\u0304r")", "ba\u0304r"),
            testing::Dump(J(R"([{"offset":2,"length":4,"string":"ba\u0304r","captures":[]}])")));
  EXPECT_EQ(
      Match(R"j("😀é(x)")j", "\\((.)\\)"),
      R"j([{"offset":2,"length":3,"string":"(x)","captures":[{"offset":3,"length":1,"string":"x","name":null}]}])j");
  EXPECT_EQ(Match(R"("āáàä")", "a", Str("gi")), "[]");
}

// jq 1.7.1: an empty pattern matches at every position including the end; the search always terminates.
TEST(Regex, EmptyMatchesAdvance) {
  EXPECT_EQ(Match(R"("abc")", "", Str("g")),
            R"([{"offset":0,"length":0,"string":"","captures":[]},{"offset":1,"length":0,"string":"","captures":[]},)"
            R"({"offset":2,"length":0,"string":"","captures":[]},{"offset":3,"length":0,"string":"","captures":[]}])");
  EXPECT_EQ(Match(R"("")", "", Str("g")), R"([{"offset":0,"length":0,"string":"","captures":[]}])");
  EXPECT_EQ(Match(R"("aμ")", "", Str("g")),
            R"([{"offset":0,"length":0,"string":"","captures":[]},{"offset":1,"length":0,"string":"","captures":[]},)"
            R"({"offset":2,"length":0,"string":"","captures":[]}])");
  EXPECT_EQ(Match(R"("abc")", "( )*", Str("gn")), "[]");
}

TEST(Regex, EmptyMatchAfterNonEmptyOne) {
  auto r = testing::Call(RegexBuiltins(), "_match_impl", J(R"("a1b")"), {Str("a*"), Str("g"), Value::Bool(false)});
  ASSERT_TRUE(r.ok());
  std::vector<double> offsets;
  for (const Value& m : r.value().Items()) offsets.push_back(m.Find("offset")->AsNumber());
  EXPECT_EQ(offsets, (std::vector<double>{0, 1, 2, 3}));
}

// jq 1.7.1 reports every group of an empty match as "" at the match offset (capture gives "" not null).
TEST(Regex, GroupsOfAnEmptyMatch) {
  EXPECT_EQ(Match(R"("c")", "(?<x>a)?b?"),
            R"([{"offset":0,"length":0,"string":"","captures":[{"offset":0,"string":"","length":0,"name":"x"}]}])");
}

TEST(Regex, TestMode) {
  EXPECT_EQ(IsMatch(R"("foo")", "foo"), "true");
  EXPECT_EQ(IsMatch(R"("xabcd")", "a b c # spaces are ignored", Str("ix")), "true");
  EXPECT_EQ(IsMatch(R"("abc")", "( )*", Str("gn")), "false");
  EXPECT_EQ(IsMatch(R"("ā")", "ā"), "true");
  EXPECT_EQ(IsMatch(R"("TEst")", "(?i:te)st"), "true");
  EXPECT_EQ(IsMatch(R"("teST")", "(?i:te)st"), "false");
}

TEST(Regex, Flags) {
  EXPECT_EQ(IsMatch(R"("a\nb")", "a.b"), "false");
  EXPECT_EQ(IsMatch(R"("a\nb")", "a.b", Str("m")), "true");
  EXPECT_EQ(IsMatch(R"("a\nb")", "a.b", Str("p")), "true");
  EXPECT_EQ(IsMatch(R"("aaa")", "a+?", Str("l")), "true");
}

TEST(Regex, TypeErrors) {
  EXPECT_EQ(IsMatch("123", "a"), "error: number (123) cannot be matched, as it is not a string");
  EXPECT_EQ(testing::Run(RegexBuiltins(), "_match_impl", R"("a")", {J("1"), Value(), Value::Bool(true)}),
            "error: number (1) is not a string");
  EXPECT_EQ(IsMatch(R"("a")", "a", J("[1]")), "error: array ([1]) is not a string");
  EXPECT_EQ(IsMatch(R"("a")", "a", Str("gq")), "error: gq is not a valid modifier string");
}

TEST(Regex, InvalidRegex) {
  const std::string out = IsMatch(R"("a")", "(");
  EXPECT_EQ(out.rfind("error: ( (at offset 0) is not a valid regex: ", 0), 0u) << out;
}

// Catastrophic backtracking ends with Oniguruma's retry-limit error instead of running for minutes.
TEST(Regex, PathologicalPatternIsBounded) {
  const Value input = Value::String(std::string(40, 'a') + "!");
  auto r = testing::Call(RegexBuiltins(), "_match_impl", input, {Str("^(a|aa|a?a)+$"), Value(), Value::Bool(true)});
  if (!r.ok()) {
    EXPECT_NE(r.error().message.find("retry-limit"), std::string::npos) << r.error().message;
  } else {
    EXPECT_EQ(testing::Dump(r.value()), "false");
  }
}

TEST(Regex, CaptureObject) {
  auto m = testing::Call(RegexBuiltins(), "_match_impl", J(R"("xyzzy-14")"),
                         {Str("(?<a>[a-z]+)-(?<n>[0-9]+)"), Value(), Value::Bool(false)});
  ASSERT_TRUE(m.ok());
  auto c = testing::Call(RegexBuiltins(), "_capture_object", m.value()[0]);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(testing::Dump(c.value()), R"({"a":"xyzzy","n":"14"})");
  EXPECT_EQ(testing::Run(RegexBuiltins(), "_capture_object", "1"), "error: number (1) is not a match object");
}

std::string Split(std::string_view input, std::string_view re, const Value& flags = Value()) {
  return testing::Run(RegexBuiltins(), "_regex_split", input, {Str(re), flags});
}

TEST(Regex, Split) {
  EXPECT_EQ(Split(R"("ab,cd, ef")", ", *"), R"(["ab","cd","ef"])");
  EXPECT_EQ(Split(R"("ab")", ""), R"(["","a","b",""])");
  EXPECT_EQ(Split(R"("ab-cd")", "-*"), R"(["","a","b","","c","d",""])");
  EXPECT_EQ(Split(R"("")", ","), R"([""])");
  EXPECT_EQ(Split("1", ","), "error: number (1) cannot be matched, as it is not a string");
}

// Builds sub/gsub's edits the way families.jq does, with the replacement given per match.
std::string Splice(std::string_view input, std::string_view re, std::string_view flags,
                   const std::vector<std::vector<Value>>& inserts_per_match) {
  auto matches = testing::Call(RegexBuiltins(), "_match_impl", J(input), {Str(re), Str(flags), Value::Bool(false)});
  if (!matches.ok()) return "error: " + matches.error().message;
  Value edits = Value::Array();
  size_t i = 0;
  for (const Value& m : matches.value().Items()) {
    const auto& inserts = inserts_per_match[std::min(i++, inserts_per_match.size() - 1)];
    edits.Append(Value::Array({*m.Find("offset"), *m.Find("length"), Value::Array(inserts)}));
  }
  return testing::Run(RegexBuiltins(), "_sub_splice", input, {edits});
}

TEST(Regex, SubSpliceReplaces) {
  EXPECT_EQ(Splice(R"("a,b, c, d, e,f")", ", ", "g", {{Str(":")}}), R"(["a,b:c:d:e,f"])");
  EXPECT_EQ(Splice(R"("aaaaa")", "a", "g", {{Str("b")}}), R"(["bbbbb"])");
  EXPECT_EQ(Splice(R"("abc")", "x", "g", {{Str("b")}}), "[]");
  EXPECT_EQ(Splice(R"("qux")", "(?=u)", "g", {{Str("u")}}), R"(["quux"])");
  EXPECT_EQ(Splice(R"("a")", "", "g", {{Str("a")}}), R"(["aaa"])");
  EXPECT_EQ(Splice(R"("a")", "$", "g", {{Str("a")}}), R"(["aa"])");
  EXPECT_EQ(Splice(R"("aμb")", "μ", "g", {{Str("mu")}}), R"(["amub"])");
}

// The trim idiom runs out of memory in libjq 1.6; here it terminates and trims.
TEST(Regex, TrimIdiomTerminates) {
  EXPECT_EQ(Splice(R"("  abc  ")", "^\\s*|\\s*$", "g", {{Str("")}}), R"(["abc"])");
  EXPECT_EQ(Splice(R"("abc")", "^\\s*|\\s*$", "g", {{Str("")}}), R"(["abc"])");
  EXPECT_EQ(Splice(R"("   ")", "^\\s*|\\s*$", "g", {{Str("")}}), R"([""])");
}

TEST(Regex, SubSpliceMultipleOutputsGoToMatchingResults) {
  EXPECT_EQ(Splice(R"("aB")", "(?<a>.)", "g", {{Str("A"), Str("a"), Str("c")}, {Str("B"), Str("b"), Str("c")}}),
            R"(["AB","ab","cc"])");
  EXPECT_EQ(Splice(R"("aB")", "(?<a>.)", "", {{Str("A"), Str("a"), Str("c")}}), R"(["AB","aB","cB"])");
}

TEST(Regex, SubSpliceNonStringReplacement) {
  EXPECT_EQ(Splice(R"("xay")", "a", "", {{Value()}}), R"(["xy"])");
  EXPECT_EQ(Splice(R"("xay")", "a", "", {{Value::Number(1)}}), R"(error: string ("x") and number (1) cannot be added)");
}

TEST(Regex, ManyThreadsShareNothing) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &failures] {
      const std::string pattern = "(?<w>\\w+)" + std::to_string(t);
      const Value input = Value::String("abc" + std::to_string(t) + " déf" + std::to_string(t) + " x9");
      for (int i = 0; i < 300; ++i) {
        auto r = testing::Call(RegexBuiltins(), "_match_impl", input, {Str(pattern), Str("g"), Value::Bool(false)});
        if (!r.ok() || r.value().Size() != 2 || r.value()[1].Find("offset")->AsNumber() != 5) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace sp::jq

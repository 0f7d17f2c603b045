// Program: thread safety, limits (hostile programs end with LIMIT_EXCEEDED, never hang or crash), Port's
// dialect, First(), env and named variables.

#include "jq/program.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::jq {
namespace {

using json::Value;
using ::testing::HasSubstr;

Value Json(std::string_view text) {
  auto v = json::Parse(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? v.value() : Value();
}

Program MustCompile(std::string_view src, const CompileOptions& options = {}) {
  auto p = Program::Compile(src, options);
  EXPECT_TRUE(p.ok()) << src << ": " << (p.ok() ? "" : p.error().message);
  return std::move(p).value();
}

std::string RunToText(const Program& p, const Value& input) {
  auto out = p.RunAll(input);
  if (!out.ok()) return "error: " + out.error().message;
  std::string s;
  for (const auto& v : out.value()) s += json::ToJson(v) + "\n";
  return s;
}

TEST(JqProgram, SameProgramFromFourThreadsGivesIdenticalResults) {
  Program p = MustCompile(
      "{id: .id | tostring, title: (.title + \"!\"), tags: [.tags[] | ascii_upcase], n: (.tags | length),"
      " sorted: (.tags | sort_by(.)), s: ([.tags[] | select(startswith(\"b\"))] | join(\",\"))}");
  Value input = Json(R"({"id": 7, "title": "t", "tags": ["b1", "a", "b2", "c"]})");
  const std::string expected = RunToText(p, input);
  ASSERT_EQ(expected.rfind("error", 0), std::string::npos) << expected;
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string r = RunToText(p, input);
        if (r != expected) {
          results[t] = r;
          return;
        }
      }
      results[t] = expected;
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_EQ(r, expected);
}

Status RunLimited(std::string_view src, Limits limits, const Value& input = Value()) {
  CompileOptions options;
  options.limits = limits;
  Program p = MustCompile(src, options);
  return p.Run(input, [](const Value&) { return true; });
}

void ExpectLimit(std::string_view src, Limits limits = {.max_steps = 200'000, .max_depth = 200}) {
  auto st = RunLimited(src, limits);
  ASSERT_FALSE(st.ok()) << src;
  EXPECT_EQ(st.error().code, ErrorCode::LIMIT_EXCEEDED) << src << ": " << st.error().message;
}

TEST(JqProgram, HostileProgramsEndWithLimitExceeded) {
  ExpectLimit("def f: f; f");
  ExpectLimit("def f: 1 + f; f");
  ExpectLimit("def f(g): f(g + 1); f(0)");
  ExpectLimit("[range(1e9)]");
  ExpectLimit("reduce range(1e9) as $x (0; . + $x)");
  ExpectLimit("last(range(1e12))");
  ExpectLimit("[repeat(.)] | length");
  ExpectLimit("[limit(1e9; repeat(1))] | length");
  ExpectLimit("until(false; .)");
  ExpectLimit("[recurse(. + 1)] | length", {.max_steps = 200'000, .max_depth = 100'000});
}

TEST(JqProgram, DeepRecursionStopsBeforeTheStackEnds) {
  // Depth limit far above what the stack allows: the stack guard must stop it.
  auto st = RunLimited("def f: 1 + f; f", {.max_steps = 100'000'000, .max_depth = 10'000'000});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::LIMIT_EXCEEDED);
}

TEST(JqProgram, DepthLimitsSayWhichLimitAndHowDeep) {
  auto calls = RunLimited("def f: if . < 1000 then . + 1 | f else . end; f", {.max_depth = 100}, Value::Number(0));
  ASSERT_FALSE(calls.ok());
  EXPECT_EQ(calls.error().code, ErrorCode::LIMIT_EXCEEDED);
  EXPECT_EQ(calls.error().message, "jq: function calls nested deeper than 100 levels (Limits::max_depth)");
  auto levels = RunLimited("[recurse([.])] | length", {.max_recurse_depth = 5000});
  ASSERT_FALSE(levels.ok());
  EXPECT_EQ(levels.error().code, ErrorCode::LIMIT_EXCEEDED);
  EXPECT_EQ(levels.error().message, "jq: recursion deeper than 5000 levels (Limits::max_recurse_depth)");
  auto stack = RunLimited("def f: 1 + f; f", {.max_steps = 100'000'000, .max_depth = 10'000'000});
  ASSERT_FALSE(stack.ok());
  EXPECT_THAT(stack.error().message, HasSubstr("nested too deeply for the thread's stack (at "));
}

TEST(JqProgram, RecurseOverDeepValuesDoesNotUseTheStack) {
  // 20,000 levels: far more than the C++ stack allows for recursive evaluation under ASan.
  const std::string deep = "reduce range(20000) as $_ (0; [.]) | ";
  auto one = [&](const std::string& program) {
    auto r = MustCompile(deep + program).RunAll(Value());
    EXPECT_TRUE(r.ok()) << program << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() && r->size() == 1 ? json::ToJson((*r)[0]) : std::string("?");
  };
  EXPECT_EQ(one("[..] | length"), "20001");
  EXPECT_EQ(one("[recurse] | length"), "20001");
  EXPECT_EQ(one("[recurse(.[]?)] | length"), "20001");
  EXPECT_EQ(one("[recurse(.[0]; type == \"array\")] | length"), "20000");
  EXPECT_EQ(one("[.. | numbers]"), "[0]");
  EXPECT_EQ(one("first(recurse(.[0]) | select(type == \"number\"))"), "0");
  // Paths are arrays, so listing all of them is quadratic (as in jq): a smaller depth keeps the test fast.
  auto paths = MustCompile("reduce range(3000) as $_ (0; [.]) | [paths] | [length, (last | length)]").RunAll(Value());
  ASSERT_TRUE(paths.ok()) << paths.error().message;
  EXPECT_EQ(json::ToJson((*paths)[0]), "[3000,3000]");
}

TEST(JqProgram, RecurseKeepsJqOrderErrorsAndPaths) {
  auto all = [](const std::string& program, const std::string& input) {
    auto r = MustCompile(program).RunAll(Json(input));
    if (!r.ok()) return "error: " + r.error().message;
    return json::ToJson(Value::Array(std::move(r).value()));
  };
  EXPECT_EQ(all("[recurse(.a?[]?)]", R"({"a":[{"a":[1]},{"a":2}]})"),
            R"([[{"a":[{"a":[1]},{"a":2}]},{"a":[1]},1,{"a":2}]])");
  EXPECT_EQ(all("[recurse(.a[]?)]", R"({"a":[{"a":[1]},{"a":2}]})"),
            "error: Cannot index number with string \"a\"");  // the `?` covers only the iteration
  // An error of f comes after the outputs before it and their subtrees, as jq's lazy evaluation gives.
  EXPECT_EQ(all("[try recurse(.[]? | if . == 2 then error(\"two\") else . end) catch \"E\"]", "[[1,[3]],2,4]"),
            R"([[[[1,[3]],2,4],[1,[3]],1,[3],3,"E"]])");
  EXPECT_EQ(all("[label $out | recurse(if . < 3 then . + 1 else break $out end)]", "0"), "[[0,1,2,3]]");
  EXPECT_EQ(all("[limit(3; recurse(. * 2))]", "1"), "[[1,2,4]]");
  EXPECT_EQ(all("[recurse(range(5000)?; false)] | length", "null"), "[1]");
  // More outputs per level than are buffered: run lazily, same result.
  EXPECT_EQ(all("[recurse(if type == \"number\" then empty else range(10000) end)] | length", "null"), "[10001]");
  EXPECT_EQ(all("first(recurse(range(infinite); . > 5) | numbers)", "null"), "[6]");
  EXPECT_EQ(all("[paths]", R"({"a":[1,{"b":2}]})"), R"([[["a"],["a",0],["a",1],["a",1,"b"]]])");
  EXPECT_EQ(all("[path(recurse(.a?; . != null))]", R"({"a":{"a":{}}})"), R"([[[],["a"],["a","a"]]])");
  EXPECT_EQ(all("del(.. | select(. == 2))", R"({"a":[1,2],"b":2})"), R"([{"a":[1]}])");
  EXPECT_EQ(all("try path(recurse(1)) catch .", "null"), R"([[],"Invalid path expression with result 1"])");
}

TEST(JqProgram, LimitErrorsAreNotCatchable) {
  ExpectLimit("try (def f: f; f) catch \"caught\"");
  ExpectLimit("(def f: f; f)? // 1");
}

TEST(JqProgram, OutputLimit) {
  auto st = RunLimited("range(100)", {.max_outputs = 10});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::LIMIT_EXCEEDED);
}

TEST(JqProgram, FirstGivesFirstOutputNullForEmptyAndErrors) {
  EXPECT_EQ(json::ToJson(MustCompile(".[]").First(Json("[3,4]")).value()), "3");
  EXPECT_EQ(json::ToJson(MustCompile("empty").First(Value()).value()), "null");
  auto err = MustCompile(".a.b").First(Json("[1]"));
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().code, ErrorCode::RUNTIME);
  EXPECT_EQ(err.error().message, "Cannot index array with string \"a\"");
}

TEST(JqProgram, RunStopsWhenCallbackReturnsFalse) {
  int seen = 0;
  auto st = MustCompile("range(1e12)").Run(Value(), [&](const Value&) { return ++seen < 3; });
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(seen, 3);
}

TEST(JqProgram, EnvIsEmptyUnlessGiven) {
  EXPECT_EQ(RunToText(MustCompile("env, $ENV"), Value()), "{}\n{}\n");
  CompileOptions options;
  options.env = Json(R"({"HOME":"/root"})");
  EXPECT_EQ(RunToText(MustCompile("env.HOME, $ENV.HOME", options), Value()), "\"/root\"\n\"/root\"\n");
}

TEST(JqProgram, NamedVariables) {
  CompileOptions options;
  options.variables = {{"name", Value::String("x")}, {"n", Value::Number(2)}};
  EXPECT_EQ(RunToText(MustCompile("[$name, $n, $ARGS.named.n]", options), Value()), "[\"x\",2,2]\n");
}

TEST(JqPortDialect, RewritesSingleQuotedStrings) {
  EXPECT_EQ(PortDialectRewrite("'sentryProject'"), "\"sentryProject\"");
  EXPECT_EQ(PortDialectRewrite(".body.type == 'resource'"), ".body.type == \"resource\"");
  EXPECT_EQ(PortDialectRewrite(".headers['x-request-id']"), ".headers['x-request-id']");
  EXPECT_EQ(PortDialectRewrite("\"'and'\""), "\"'and'\"");
  EXPECT_EQ(PortDialectRewrite("'a b'"), "\"a b\"");
  // The regex quirk: a closing quote consumes the following space, so the next opening quote stays.
  EXPECT_EQ(PortDialectRewrite("'a' 'b'"), "\"a\" 'b\"");
  EXPECT_EQ(PortDialectRewrite("it's"), "it's");
}

TEST(JqPortDialect, CompileWithDialect) {
  CompileOptions options;
  options.port_dialect = true;
  // YAML's `'"sentryProject"'` reaches jq as `"sentryProject"`.
  Program p = MustCompile("\"sentryProject\"", options);
  EXPECT_EQ(RunToText(p, Value()), "\"sentryProject\"\n");
  Program q = MustCompile("if .a == 'x' then 'yes' else 'no' end", options);
  EXPECT_EQ(RunToText(q, Json(R"({"a":"x"})")), "\"yes\"\n");
  Program r = MustCompile("\"'and'\"", options);
  EXPECT_EQ(RunToText(r, Value()), "\"'and'\"\n");
  EXPECT_EQ(q.source(), "if .a == 'x' then 'yes' else 'no' end");
}

}  // namespace
}  // namespace sp::jq

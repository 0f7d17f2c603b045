// Program: thread safety, limits (hostile programs end with LIMIT_EXCEEDED, never hang or crash), Port's
// dialect, First(), env and named variables.

#include "jq/program.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::jq {
namespace {

using json::Value;

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

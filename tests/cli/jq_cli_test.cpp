// `sentry-port jq`, run in-process through RunCli over string streams with input FILEs: the flags as jq means
// them (-c -r -j -n -s -e --arg --argjson --port), JSON-lines and concatenated inputs, and jq's exit statuses
// (3 compile error, 5 runtime error, 2 bad input or usage) with messages that say what and where.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <sstream>

#include "cli/commands.hpp"
#include "temp_dir.hpp"

namespace sp::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class JqCli : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& content) { return dir_.Write(name, content); }
  int Run(std::vector<std::string> args, config::Environment env = {}) {
    out_.str("");
    err_.str("");
    args.insert(args.begin(), {"sentry-port", "jq"});
    CliContext ctx(std::move(env), out_, err_);
    return RunCli(args, ctx, [](CLI::App& app, CliContext& c) { RegisterJqCommand(app, c); });
  }
  sp::testing::TempDir dir_{"sp-jq-cli-test"};
  std::ostringstream out_, err_;
};

TEST_F(JqCli, PrettyByDefaultCompactWithC) {
  std::string in = Write("a.json", R"({"a":[1,2],"b":"x"})");
  EXPECT_EQ(Run({".", in}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x\"\n}\n");
  EXPECT_EQ(Run({"-c", ".", in}), 0);
  EXPECT_EQ(out_.str(), "{\"a\":[1,2],\"b\":\"x\"}\n");
  EXPECT_EQ(Run({"-c", ".a[], .b", in}), 0);
  EXPECT_EQ(out_.str(), "1\n2\n\"x\"\n");
}

TEST_F(JqCli, RawAndJoinOutput) {
  std::string in = Write("a.json", R"({"s":"line","n":1.50})");
  EXPECT_EQ(Run({"-r", ".s, .n", in}), 0);
  EXPECT_EQ(out_.str(), "line\n1.50\n");  // the number literal is kept, as jq 1.7.1 does
  EXPECT_EQ(Run({"-j", ".s, .s", in}), 0);
  EXPECT_EQ(out_.str(), "lineline");
}

TEST_F(JqCli, NullInputIgnoresFiles) {
  EXPECT_EQ(Run({"-n", "-c", "[1, 2] | add"}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "3\n");
  EXPECT_EQ(Run({"-n", "-s", "-c", "."}), 0);
  EXPECT_EQ(out_.str(), "null\n");
}

TEST_F(JqCli, JsonLinesAndConcatenatedValuesRunOneByOne) {
  std::string lines = Write("l.jsonl", "{\"id\":1}\n{\"id\":2}\n\n{\"id\":3} 4 \"five\"\n");
  EXPECT_EQ(Run({"-c", ".id? // .", lines}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "1\n2\n3\n4\n\"five\"\n");
  EXPECT_EQ(Run({"-s", "-c", "length", lines}), 0);
  EXPECT_EQ(out_.str(), "5\n");
}

TEST_F(JqCli, SeveralFilesInOrderAndSlurpedTogether) {
  std::string a = Write("a.json", "1 2");
  std::string b = Write("b.json", "[3]");
  EXPECT_EQ(Run({"-c", ".", a, b}), 0);
  EXPECT_EQ(out_.str(), "1\n2\n[3]\n");
  EXPECT_EQ(Run({"-c", "-s", ".", a, b}), 0);
  EXPECT_EQ(out_.str(), "[1,2,[3]]\n");
}

TEST_F(JqCli, ArgAndArgjsonBindVariables) {
  EXPECT_EQ(Run({"-n", "-c", "--arg", "name", "42", "--argjson", "v", "{\"k\":[1]}", "[$name, $v, $ARGS.named.v.k]"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "[\"42\",{\"k\":[1]},[1]]\n");
  EXPECT_EQ(Run({"-n", "--argjson", "v", "{oops", "$v"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("Invalid JSON text passed to --argjson"));
  EXPECT_EQ(out_.str(), "");
}

TEST_F(JqCli, PortDialectTakesFirstOutputAndNullsErrors) {
  std::string in = Write("p.json", R"({"slug":"api","tags":["a","b"]})");
  EXPECT_EQ(Run({"--port", "-c", "'sentry' + .slug", in}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "\"sentryapi\"\n");
  EXPECT_EQ(Run({"--port", "-c", ".tags[]", in}), 0);
  EXPECT_EQ(out_.str(), "\"a\"\n");  // the first output only
  EXPECT_EQ(Run({"--port", "-c", "empty", in}), 0);
  EXPECT_EQ(out_.str(), "null\n");  // no output gives null
  EXPECT_EQ(Run({"--port", "-c", ".slug.x", in}), 0);
  EXPECT_EQ(out_.str(), "null\n");  // an error gives null and a warning
  EXPECT_THAT(err_.str(), HasSubstr("Cannot index string with string \"x\""));
  // Without --port the same single quotes are a compile error, as in jq.
  EXPECT_EQ(Run({"-c", "'sentry' + .slug", in}), 3);
}

TEST_F(JqCli, PortDialectHidesTheEnvironmentUnlessAllowed) {
  config::Environment env = {{"SP_TEST_VISIBLE", "yes"}};
  EXPECT_EQ(Run({"-n", "-c", "env.SP_TEST_VISIBLE"}, env), 0);
  EXPECT_EQ(out_.str(), "\"yes\"\n");
  EXPECT_EQ(Run({"-n", "--port", "-c", "env.SP_TEST_VISIBLE"}, env), 0);
  EXPECT_EQ(out_.str(), "null\n");
  env["OCEAN__ALLOW_ENVIRONMENT_VARIABLES_JQ_ACCESS"] = "true";
  EXPECT_EQ(Run({"-n", "--port", "-c", "$ENV.SP_TEST_VISIBLE"}, env), 0);
  EXPECT_EQ(out_.str(), "\"yes\"\n");
}

TEST_F(JqCli, CompileErrorExitsThreeWithLineAndColumn) {
  EXPECT_EQ(Run({"-n", ".a | {"}), 3);
  EXPECT_THAT(err_.str(), HasSubstr("jq: error: line 1, column"));
  EXPECT_THAT(err_.str(), HasSubstr("jq: 1 compile error"));
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Run({"-n", "nosuchfunction(1)"}), 3);
  EXPECT_THAT(err_.str(), HasSubstr("nosuchfunction/1 is not defined"));
  EXPECT_EQ(Run({"-n", "{a: (1) as $i | $i}"}), 3);  // jq's grammar: an object value is a term or a pipe of terms
  EXPECT_THAT(err_.str(), HasSubstr("unexpected 'as'"));
}

TEST_F(JqCli, RuntimeErrorExitsFiveAndContinuesWithTheNextInput) {
  std::string in = Write("r.jsonl", "{\"a\":1}\n\"text\"\n{\"a\":3}\n");
  EXPECT_EQ(Run({"-c", ".a", in}), 5);
  EXPECT_EQ(out_.str(), "1\n3\n");
  EXPECT_THAT(err_.str(), HasSubstr("jq: error (at " + in + "): Cannot index string with string \"a\""));
  EXPECT_EQ(Run({"-n", "error(\"boom\")"}), 5);
  EXPECT_THAT(err_.str(), HasSubstr("boom"));
  EXPECT_EQ(Run({"-n", "-c", "[.[]?], (try error({}) catch .)"}), 0);
  EXPECT_EQ(out_.str(), "[]\n{}\n");
}

TEST_F(JqCli, BadJsonInputNamesFileLineAndColumnAfterEarlierValues) {
  std::string in = Write("bad.json", "1\n{\"a\":\n  tru}\n");
  EXPECT_EQ(Run({"-c", ".", in}), 2);
  EXPECT_EQ(out_.str(), "1\n");  // values before the bad one are processed, as jq streams its input
  EXPECT_THAT(err_.str(), HasSubstr("jq: error (at " + in + "): parse error: "));
  EXPECT_THAT(err_.str(), HasSubstr("at line 3, column"));
  EXPECT_EQ(Run({"-c", ".", (dir_.path() / "missing.json").string()}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("Could not open"));
}

TEST_F(JqCli, NanAndInfinityLiteralsInInputAreReadAsJqReadsThem) {
  std::string in = Write("n.json", "[1,nan,NaN,-Infinity]\n{\"a\":nan}");
  EXPECT_EQ(Run({"-c", ".", in}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "[1,null,null,-1.7976931348623157e+308]\n{\"a\":null}\n");
  EXPECT_EQ(Run({"-c", ".[1] | isnan", Write("m.json", "[1,nan]")}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "true\n");
  EXPECT_EQ(Run({"-c", ".", Write("bad.json", "[1,nope]")}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("line 1, column"));
}

TEST_F(JqCli, ExitStatusFlag) {
  std::string in = Write("e.json", "{\"ok\":true,\"no\":false}");
  EXPECT_EQ(Run({"-e", ".ok", in}), 0);
  EXPECT_EQ(Run({"-e", ".no", in}), 1);
  EXPECT_EQ(Run({"-e", "empty", in}), 4);
}

TEST_F(JqCli, DeepValuesBuiltByTheProgram) {
  // 10,000 nested arrays: `..` and recurse(f) walk them without the C++ stack.
  EXPECT_EQ(Run({"-n", "-c",
                 "reduce range(10000) as $_ (0; [.]) | [([..] | length), ([recurse(.[]?)] | length), "
                 "([.. | numbers] | length), ([recurse(.[0]; . != 0)] | length)]"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "[10001,10001,1,10000]\n");
}

TEST_F(JqCli, UnknownOptionIsAUsageError) {
  EXPECT_EQ(Run({"--no-such-flag", "."}), 2);
  EXPECT_THAT(err_.str(), Not(HasSubstr("Segmentation")));
  EXPECT_NE(err_.str(), "");
}

}  // namespace
}  // namespace sp::cli

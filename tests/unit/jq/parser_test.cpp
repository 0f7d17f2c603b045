// Compile errors: every bad program gets line, column, the offending line and a caret.

#include <gtest/gtest.h>

#include "jq/program.hpp"

namespace sp::jq {
namespace {

std::string CompileError(std::string_view source) {
  auto p = Program::Compile(source);
  EXPECT_FALSE(p.ok()) << source;
  if (p.ok()) return "";
  EXPECT_EQ(p.error().code, ErrorCode::PARSE);
  return p.error().message;
}

TEST(JqParser, SyntaxErrorNamesLineColumnAndCaret) {
  EXPECT_EQ(CompileError(".a |\n  .b + )"), "line 2, column 8: syntax error, unexpected ')'\n  .b + )\n       ^");
}

TEST(JqParser, UnterminatedConstructs) {
  EXPECT_NE(CompileError("[1, 2").find("line 1, column 6: syntax error, unexpected end of program"), std::string::npos);
  EXPECT_NE(CompileError("if . then 1").find("expecting 'end'"), std::string::npos);
  EXPECT_NE(CompileError("\"abc").find("unterminated string"), std::string::npos);
  EXPECT_NE(CompileError("\"\\q\"").find("invalid escape"), std::string::npos);
}

TEST(JqParser, UndefinedNamesAreCompileErrors) {
  EXPECT_NE(CompileError("foo").find("foo/0 is not defined"), std::string::npos);
  EXPECT_NE(CompileError("map").find("map/0 is not defined"), std::string::npos);
  EXPECT_NE(CompileError(". as $x | $y").find("$y is not defined"), std::string::npos);
  EXPECT_NE(CompileError("break $out").find("$*label-out is not defined"), std::string::npos);
  // Process I/O builtins are excluded on purpose.
  for (const char* excluded : {"input", "inputs", "debug", "stderr", "input_filename", "halt", "halt_error",
                               "input_line_number", "get_search_list", "$__prog_args"}) {
    EXPECT_NE(CompileError(excluded).find("is not defined"), std::string::npos) << excluded;
  }
}

TEST(JqParser, LaterReleaseBuiltinsDoNotExist) {
  for (const char* later : {"trim", "ltrim", "rtrim", "toarray", "have_decnum", "leaf_paths"}) {
    EXPECT_NE(CompileError(later).find("is not defined"), std::string::npos) << later;
  }
}

TEST(JqParser, ConstantObjectKeyMustBeString) {
  EXPECT_NE(CompileError("{(0):1}").find("Cannot use number (0) as object key"), std::string::npos);
}

TEST(JqParser, ModuleDirectivesAreRejected) {
  EXPECT_NE(CompileError("import \"a\" as a; .").find("not supported"), std::string::npos);
  EXPECT_NE(CompileError("include \"a\"; .").find("not supported"), std::string::npos);
}

TEST(JqParser, ColumnOnLaterLineOfMultilineProgram) {
  std::string msg = CompileError("def f:\n  .a;\n\n  f | @@");
  EXPECT_EQ(msg.rfind("line 4, column 7:", 0), 0u) << msg;
  EXPECT_NE(msg.find("\n  f | @@\n      ^"), std::string::npos) << msg;
}

TEST(JqParser, PrecedenceMatchesJq) {
  auto run = [](std::string_view src) {
    auto p = Program::Compile(src);
    EXPECT_TRUE(p.ok()) << src;
    auto out = p->RunAll(json::Value());
    EXPECT_TRUE(out.ok()) << src;
    std::vector<double> nums;
    for (const auto& v : out.value()) nums.push_back(v.IsNumber() ? v.AsNumber() : -999);
    return nums;
  };
  EXPECT_EQ(run("1 + 2 * 3"), std::vector<double>({7}));
  EXPECT_EQ(run("1, 2 | . * 10"), std::vector<double>({10, 20}));
  EXPECT_EQ(run("null // 1, 2"), std::vector<double>({1, 2}));
  EXPECT_EQ(run("-1 - -2"), std::vector<double>({1}));
  EXPECT_EQ(run("[1,2] | .[0] = 5 | .[0]"), std::vector<double>({5}));
}

}  // namespace
}  // namespace sp::jq

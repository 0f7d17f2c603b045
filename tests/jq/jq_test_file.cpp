#include "jq_test_file.hpp"

#include <fstream>
#include <sstream>

#include "jq/program.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::jq::testing {
namespace {

bool SkipLine(const std::string& line) {
  size_t i = line.find_first_not_of(" \t\r");
  return i == std::string::npos || line[i] == '#';
}

}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Case> ParseTestFile(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  std::vector<Case> cases;
  size_t i = 0;
  while (i < lines.size()) {
    if (SkipLine(lines[i])) {
      ++i;
      continue;
    }
    Case c;
    if (lines[i].rfind("%%FAIL", 0) == 0) {
      c.expect_compile_error = true;
      c.ignore_message = lines[i].find("IGNORE MSG") != std::string::npos;
      ++i;
      if (i >= lines.size()) break;
      c.line = static_cast<int>(i + 1);
      c.program = lines[i++];
      while (i < lines.size() && !SkipLine(lines[i])) c.expected.push_back(lines[i++]);
      cases.push_back(std::move(c));
      continue;
    }
    c.line = static_cast<int>(i + 1);
    c.program = lines[i++];
    if (i < lines.size()) c.input = lines[i++];
    while (i < lines.size() && !SkipLine(lines[i])) c.expected.push_back(lines[i++]);
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string RunCase(const Case& c) {
  auto program = Program::Compile(c.program);
  if (c.expect_compile_error) {
    if (program.ok()) return "expected a compile error";
    if (!c.ignore_message && !c.expected.empty()) {
      // "jq: error: <message> at <top-level>, line 1:" -> <message>
      std::string want = c.expected[0];
      if (want.rfind("jq: error: ", 0) == 0) want = want.substr(11);
      size_t at = want.rfind(" at <top-level>");
      if (at != std::string::npos) want = want.substr(0, at);
      if (program.error().message.find(want) == std::string::npos) {
        return "compile error text: got '" + program.error().message + "', want '" + want + "'";
      }
    }
    return "";
  }
  if (!program.ok()) return "compile error: " + program.error().message;
  std::string input = c.input;
  // A UTF-8 byte order mark before the input is skipped, as jq does.
  if (input.rfind("\xEF\xBB\xBF", 0) == 0) input = input.substr(3);
  // jq's reader takes `nan`/`NaN` in input (the official suite relies on it); JSON callers do not.
  json::ParseOptions jq_reader;
  jq_reader.allow_nan = true;
  auto parsed = json::Parse(input, jq_reader);
  if (!parsed.ok()) return "bad input JSON: " + parsed.error().message;
  size_t index = 0;
  std::string failure;
  auto st = program->Run(parsed.value(), [&](const json::Value& v) {
    if (index >= c.expected.size()) {
      failure = "superfluous output " + json::ToJson(v);
      return false;
    }
    auto want = json::Parse(c.expected[index]);
    if (!want.ok()) {
      failure = "bad expected JSON: " + c.expected[index];
      return false;
    }
    if (json::Value::Compare(want.value(), v) != 0) {
      failure = "output " + std::to_string(index) + ": got " + json::ToJson(v) + ", want " + c.expected[index];
      return false;
    }
    ++index;
    return true;
  });
  if (!failure.empty()) return failure;
  if (index < c.expected.size()) {
    if (!st.ok()) return "error after " + std::to_string(index) + " outputs: " + st.error().message;
    return "only " + std::to_string(index) + " of " + std::to_string(c.expected.size()) + " outputs";
  }
  return "";
}

}  // namespace sp::jq::testing

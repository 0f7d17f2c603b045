#pragma once
// Reader and checker for jq's .test format (program line, input line, expected output lines, blank line;
// `%%FAIL` / `%%FAIL IGNORE MSG` blocks expect a compile error). Shared by the data-driven jq tests.

#include <string>
#include <vector>

namespace sp::jq::testing {

struct Case {
  int line = 0;  //!< line of the program in the file
  std::string program;
  std::string input;
  std::vector<std::string> expected;  //!< JSON texts, or the error text for FAIL cases
  bool expect_compile_error = false;
  bool ignore_message = false;
};

//! Parses a .test file's text into cases.
std::vector<Case> ParseTestFile(const std::string& text);

//! Runs one case; returns "" on success or a one-line description of the failure.
std::string RunCase(const Case& c);

//! Reads a whole file ("" when missing).
std::string ReadFile(const std::string& path);

}  // namespace sp::jq::testing

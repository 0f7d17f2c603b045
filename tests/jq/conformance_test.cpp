// Data-driven jq tests: jq 1.7.1's official suite (run in place from ../shared/conformance/, with
// tests/jq/skip.txt naming each skipped case and why), and our own tests/jq/*.test files (all must pass).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "jq_test_file.hpp"

namespace sp::jq::testing {
namespace {

// Pass rate gate for the non-skipped official cases; raise it as conformance improves.
constexpr double kOfficialPassGate = 0.99;

std::string SourceDir() {
  const char* dir = std::getenv("SP_SOURCE_DIR");
  return dir ? dir : ".";
}

std::map<int, std::string> ReadSkipList(const std::string& path) {
  std::map<int, std::string> skips;
  std::istringstream in(ReadFile(path));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    int number = 0;
    fields >> number;
    std::string reason;
    std::getline(fields, reason);
    if (number > 0) skips[number] = reason;
  }
  return skips;
}

TEST(JqConformance, OfficialSuitePassRate) {
  const std::string path = SourceDir() + "/../shared/conformance/jq-1.7.1.test";
  const std::string text = ReadFile(path);
  if (text.empty()) GTEST_SKIP() << "jq 1.7.1 suite not found at " << path;
  auto skips = ReadSkipList(SourceDir() + "/tests/jq/skip.txt");
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  auto cases = ParseTestFile(text);
  for (const auto& c : cases) {
    if (skips.count(c.line)) {
      ++skipped;
      continue;
    }
    std::string why = RunCase(c);
    if (why.empty()) {
      ++passed;
    } else {
      ++failed;
      std::cout << "FAIL line " << c.line << ": " << c.program << "\n    " << why << "\n";
    }
  }
  std::cout << "conformance: " << passed << " passed, " << failed << " failed, " << skipped << " skipped of "
            << cases.size() << "\n";
  ASSERT_GT(passed + failed, 0);
  EXPECT_GE(static_cast<double>(passed) / (passed + failed), kOfficialPassGate);
}

TEST(JqDataTests, OwnTestFilesPass) {
  const std::filesystem::path dir = SourceDir() + "/tests/jq";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".test") continue;
    ++files;
    const std::string name = entry.path().filename().string();
    for (const auto& c : ParseTestFile(ReadFile(entry.path().string()))) {
      std::string why = RunCase(c);
      EXPECT_TRUE(why.empty()) << name << ":" << c.line << ": " << c.program << "\n    " << why;
    }
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace sp::jq::testing

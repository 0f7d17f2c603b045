// Differential test: our engine against Debian's jq 1.6 (/usr/bin/jq) on generated programs. Fails only on a
// difference that docs/jq-differences.md does not list as a known version difference.
#include "differential.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "corpus.hpp"

namespace sp::jq::differential {
namespace {

constexpr const char* kJq = "/usr/bin/jq";

std::string DocPath() {
  const char* root = std::getenv("SP_SOURCE_DIR");
  return std::string(root ? root : ".") + "/docs/jq-differences.md";
}

void ExpectOnlyKnown(const Outcome& outcome, const std::set<std::string>& known) {
  ASSERT_TRUE(outcome.error.empty()) << outcome.error;
  std::string unknown;
  for (const Case& c : outcome.differences) {
    if (!known.count(c.kind)) {
      unknown += "[" + c.kind + "] " + c.program + "\n    input: " + c.input + "\n    ours:  " + c.ours +
                 "\n    jq1.6: " + c.reference + "\n";
    }
  }
  EXPECT_TRUE(unknown.empty()) << "differences not listed in docs/jq-differences.md:\n" << unknown;
}

TEST(JqDifferential, DocumentListsKnownIds) {
  std::set<std::string> known = KnownIds(DocPath());
  EXPECT_TRUE(known.count("KD-NUMBER-LITERAL")) << DocPath();
  EXPECT_TRUE(known.count("KD-ERROR-TEXT")) << DocPath();
  EXPECT_FALSE(known.count("UNEXPLAINED"));
}

TEST(JqDifferential, GeneratedProgramsAgainstJq16) {
  if (!std::filesystem::exists(kJq)) GTEST_SKIP() << kJq << " not installed (scripts/install-deps.sh installs it)";
  const std::vector<std::string> programs = GeneratePrograms(20261128, 160);
  Outcome outcome = Compare(std::string(kJq) + " -c -f", programs, Inputs(), 80);
  std::printf("%s", Summary(outcome, 0).c_str());
  EXPECT_EQ(outcome.compared, programs.size() * Inputs().size());
  // Most generated programs must agree outright; a harness that finds everything different is broken.
  EXPECT_GT(outcome.equal * 10, outcome.compared * 7);
  ExpectOnlyKnown(outcome, KnownIds(DocPath()));
}

TEST(JqDifferential, ReportsAWrongReference) {
  // A "reference" that prints the same wrong line for everything: every case must be an unexplained difference.
  Outcome outcome = Compare("sh -c 'echo \"[\\\"wrong\\\"]\"' sh", {".a"}, {"{\"a\":1}"}, 1);
  ASSERT_EQ(outcome.compared, 1u);
  ASSERT_EQ(outcome.differences.size(), 1u);
  EXPECT_EQ(outcome.differences[0].kind, "UNEXPLAINED");
  EXPECT_EQ(outcome.differences[0].ours, "[1]");
}

TEST(JqDifferential, GeneratorIsDeterministic) {
  EXPECT_EQ(GeneratePrograms(7, 50), GeneratePrograms(7, 50));
  EXPECT_NE(GeneratePrograms(7, 50), GeneratePrograms(8, 50));
}

}  // namespace
}  // namespace sp::jq::differential

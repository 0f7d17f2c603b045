#pragma once
// Runs jq programs on inputs in our engine and in a reference jq (any command that is called as
// `<command> <program-file> <inputs-file>` and prints one compact JSON line per output, like `jq -c -f`), and
// classifies every difference. Each program is wrapped as `try [P] catch {"__error": .}` so both sides give
// exactly one line per (program, input); programs are sent in bundles to keep process starts few.
// Differences are matched against the ids listed in docs/jq-differences.md (`KD-...`).

#include <set>
#include <string>
#include <vector>

namespace sp::jq::differential {

struct Case {
  std::string program;
  std::string input;
  std::string ours;       //!< compact JSON line, or `{"__compile_error":"..."}`
  std::string reference;  //!< same, from the reference
  std::string kind;       //!< "" when equal; else the KD-... id that explains it, or "UNEXPLAINED"
};

struct Outcome {
  size_t compared = 0;  //!< (program, input) pairs
  size_t equal = 0;
  std::vector<Case> differences;
  std::string error;  //!< set when the reference could not be run at all
};

//! Compares `programs` x `inputs`; `bundle` = programs per reference process (1 = one at a time).
Outcome Compare(const std::string& reference_command, const std::vector<std::string>& programs,
                const std::vector<std::string>& inputs, size_t bundle);

//! The `KD-...` ids that docs/jq-differences.md lists as known version differences (table rows starting with one).
std::set<std::string> KnownIds(const std::string& doc_path);

//! Text summary: counts per kind and one line per difference (at most `max_lines`).
std::string Summary(const Outcome& outcome, size_t max_lines);

}  // namespace sp::jq::differential

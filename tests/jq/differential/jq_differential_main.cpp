// jq_differential: the differential corpus against any reference jq, by hand (scripts/jq-differential.sh).
// Usage: jq_differential [--reference "CMD"] [--count N] [--seed S] [--bundle B] [--doc PATH] [--show N]
// CMD is called as `CMD <program-file> <inputs-file>` and must print compact JSON lines (default "/usr/bin/jq -c -f").
// Exit status 1 when a difference is not explained by a known id listed in the doc.
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "corpus.hpp"
#include "differential.hpp"

int main(int argc, char** argv) {
  namespace d = sp::jq::differential;
  std::string reference = "/usr/bin/jq -c -f";
  std::string doc = "docs/jq-differences.md";
  size_t count = 400;
  size_t bundle = 50;
  size_t show = 200;
  unsigned long long seed = 20261128;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--reference")
      reference = value;
    else if (flag == "--count")
      count = std::stoul(value);
    else if (flag == "--seed")
      seed = std::stoull(value);
    else if (flag == "--bundle")
      bundle = std::stoul(value);
    else if (flag == "--doc")
      doc = value;
    else if (flag == "--show")
      show = std::stoul(value);
    else {
      std::fprintf(stderr, "jq_differential: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  std::set<std::string> known = d::KnownIds(doc);
  int rc = 0;
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<std::string> programs = pass == 0 ? d::GeneratePrograms(seed, count) : d::ProbePrograms();
    d::Outcome outcome = d::Compare(reference, programs, d::Inputs(), pass == 0 ? bundle : 1);
    std::printf("== %s ==\n%s\n", pass == 0 ? "generated programs" : "version probes",
                d::Summary(outcome, show).c_str());
    for (const d::Case& c : outcome.differences) {
      if (!known.count(c.kind)) rc = 1;
    }
  }
  std::printf("known ids in %s: %zu\n", doc.c_str(), known.size());
  return rc;
}

#pragma once
// The differential corpus: jq programs generated from a small grammar (paths, arithmetic, string operations,
// object construction, reduce, `//`, comparisons, common builtins) and a fixed set of inputs. Deterministic:
// the same seed gives the same programs on every machine. Programs use only what jq 1.6 also has, and avoid
// the inputs that crash or hang libjq 1.6 (`%` by infinities, `.[nan:]`, `index("")`, unbounded loops).

#include <cstdint>
#include <string>
#include <vector>

namespace sp::jq::differential {

//! `count` programs from `seed`.
std::vector<std::string> GeneratePrograms(uint64_t seed, size_t count);
//! Fixed hand-written programs that probe known version differences (run one by one: some do not compile in 1.6).
std::vector<std::string> ProbePrograms();
//! The inputs, one compact JSON text each.
std::vector<std::string> Inputs();

}  // namespace sp::jq::differential

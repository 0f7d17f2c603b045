#pragma once
// Deterministic organization generator (sentry-api.md §7.8). The same options always produce the same
// Dataset, byte for byte once rendered: every value is drawn from Rng/Hash seeded by `seed`, and every date is
// relative to the injected `now` (never the machine clock).
//
// Cost: medium (20k issues) in a few milliseconds, large (500k issues) in well under a second; issue text and
// tags are not generated here but derived lazily (issue_text.hpp, tags.hpp).

#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "model.hpp"

namespace sp::sentry_sim {

struct GeneratorOptions {
  uint64_t seed = 1;
  Micros now = 0;  //!< the simulator's fixed "now"; 0 = 2026-01-20T13:00:00Z
  int projects = 5;
  int issues_per_project = 40;
  int members = 12;
  int teams = 4;
  std::string org_slug = "acme";
  std::string org_name = "Acme";
  std::string organization_url;  //!< "" = https://{slug}.sentry.io
  std::string region_url = "https://us.sentry.io";
  int retention_days = 90;
};

//! Fills the counts of a named preset ("small", "medium", "large"); error for an unknown name.
Status ApplyPreset(const std::string& preset, GeneratorOptions& options);

//! The default fixed clock: 2026-01-20T13:00:00Z.
Micros DefaultNow();

Dataset Generate(const GeneratorOptions& options);

//! Adds one issue to the dataset (control endpoints), updating indexes and sort orders. Returns its index.
uint32_t AddIssue(Dataset& data, uint64_t seed, uint32_t project, Micros now, IssueKind kind, uint8_t level);

}  // namespace sp::sentry_sim

#pragma once
// Tags derived lazily from (seed, issue or project): which keys exist, and their values with counts and
// first/last-seen dates (sentry-api.md §2.8, §2.9, §7.8). About one issue in five has no `environment` tag and
// some projects have none (both answer 404 on tag values); a few issues and projects have more than 100 values
// so that tag-value pagination is exercised.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model.hpp"

namespace sp::sentry_sim {

struct TagValue {
  std::string value;
  int64_t count = 0;
  Micros first_seen = 0;
  Micros last_seen = 0;
  uint64_t id = 0;  //!< row id: the default issue tag-value sort is -id
};

//! Indexes into the project's `environments` that the issue has seen; empty = no environment tag.
std::vector<uint32_t> IssueEnvironments(const Dataset& data, uint64_t seed, uint32_t issue);
//! Tag keys of an issue, sorted by name.
std::vector<std::string> IssueTagKeys(const Dataset& data, uint64_t seed, uint32_t issue);
//! Values of `key` on the issue, unordered; nullopt when the issue never had the key (⇒ 404).
std::optional<std::vector<TagValue>> IssueTagValues(const Dataset& data, uint64_t seed, uint32_t issue,
                                                    const std::string& key);
//! Values of `key` on the project, unordered; nullopt when the project has no such key (⇒ 404).
std::optional<std::vector<TagValue>> ProjectTagValues(const Dataset& data, uint64_t seed, uint32_t project,
                                                      const std::string& key, Micros now);

}  // namespace sp::sentry_sim

#pragma once
// What the user is told at the end of a resync: the same facts as a text table readable at 80 columns (long
// lists capped with a count of what was left out) or as one JSON object with stable keys (`--json-summary`,
// documented in docs/sync-summary.md). Neither contains a secret: only counts, names, identifiers and the
// reasons the engine recorded.

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>

#include "json/value.hpp"
#include "sync/engine.hpp"

namespace sp::app {

//! Everything a summary shows, gathered once the resync is over.
struct SummaryFacts {
  const sync::SyncReport* report = nullptr;  //!< required
  std::string target_type;                   //!< "port" or "local"
  std::string target;                        //!< Port's API URL or the catalog's path
  bool dry_run = false;
  int exit_code = 0;
  uint64_t sentry_calls = 0;  //!< HTTP requests sent to Sentry (retries included)
  uint64_t port_calls = 0;    //!< HTTP requests sent to Port (token requests included)
  std::map<std::string, uint64_t> sentry_calls_by_route;
  long peak_rss_kb = 0;  //!< getrusage ru_maxrss
};

//! Peak resident memory of this process so far, in KiB.
long PeakRssKb();

//! "complete", "incomplete" or "aborted".
const char* ResyncStatus(const sync::SyncReport& report);

//! The text summary (and, for a dry run, one "create|update|delete BLUEPRINT ID [(detail)]" line per planned
//! change, each at the start of its line).
void PrintSummaryTable(const SummaryFacts& facts, std::ostream& out);

//! The JSON summary (docs/sync-summary.md).
json::Value SummaryJson(const SummaryFacts& facts);

//! How many entries of each list the text and JSON summaries show before they only count the rest.
inline constexpr size_t kTextListCap = 8;
inline constexpr size_t kJsonListCap = 1000;

}  // namespace sp::app

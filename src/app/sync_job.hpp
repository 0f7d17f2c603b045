#pragma once
// The main job, `sentry-port sync` (and what OCEAN__EVENT_LISTENER={"type":"ONCE"} runs): connect to Sentry,
// pick the target (Port when credentials are configured, else the embedded catalog), make sure the default
// blueprints exist, load the mapping, run one resync, report it, and return the exit code
// (0 success, 1 resync failed or partial, 2 configuration error).

#include <iosfwd>
#include <string>

#include "config/settings.hpp"
#include "sync/engine.hpp"

namespace sp::app {

struct SyncJobOptions {
  bool dry_run = false;
  std::string target;               //!< "" (Port if credentials, else local), "port", "local", "local:PATH"
  std::string mapping_file;         //!< YAML/JSON port app config; "" = Port's stored config or the default mapping
  std::string profile = "default";  //!< default resources profile: "default" or "seed"
  bool progress = false;            //!< live progress line (TTY)
  bool json_summary = false;        //!< print the summary as JSON instead of a table
};

//! Runs one resync and prints the summary to `out`. Never throws for expected failures.
int RunSyncJob(const config::Settings& settings, const SyncJobOptions& options, std::ostream& out, std::ostream& err);

//! The summary table of a finished resync (also used by the listeners' logs).
void PrintSummary(const sync::SyncReport& report, const std::string& target, uint64_t sentry_calls, uint64_t port_calls,
                  bool dry_run, std::ostream& out);

}  // namespace sp::app

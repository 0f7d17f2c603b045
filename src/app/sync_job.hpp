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
  bool progress = false;            //!< live progress line (drawn only with text logs on a terminal)
  bool json_summary = false;        //!< print the summary as JSON instead of a table
  //! `--json-summary FILE`: the JSON summary also goes to FILE ("-": to `out` instead of the table).
  std::string json_summary_path;
};

//! Runs one resync and prints the summary (app/summary.hpp) to `out`; messages (the target, errors) go to `err`.
//! Never throws for expected failures.
int RunSyncJob(const config::Settings& settings, const SyncJobOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sp::app

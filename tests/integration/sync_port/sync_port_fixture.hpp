#pragma once
// Shared fixture of the Port-target sync tests: an in-process sentry-sim (small organization) and an
// in-process port-sim, each reached over loopback through a thin "front" HTTP server of ours that hands every
// request to the simulator's Handle() and lets a test rewrite answers (a 403 for one Sentry project, a Port
// response without some field). The job under test is the real one: app::RunSyncJob with Settings pointing at
// the fronts. Helpers read port-sim's request log, stats and state over its /_sim/ control API.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "app/sync_job.hpp"
#include "config/settings.hpp"
#include "json/value.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "port-sim/port_sim.hpp"
#include "simulator.hpp"

namespace sp::testing {

inline constexpr const char* kClientId = "porttests-client";
inline constexpr const char* kClientSecret = "porttests-SECRET-7f3a9c";
inline constexpr const char* kOurAgent = "port-ocean/sentry/0.1.0/my-sentry-integration/exporter";

//! Rewrites (or replaces) a simulator's answer; return false to keep it as it is.
using Rewrite = std::function<bool(const net::HttpRequest&, net::HttpResponse&)>;

//! Result of one RunSyncJob call.
struct JobRun {
  int code = -1;
  std::string out;
  std::string err;
  std::string logs;  //!< everything spdlog wrote during the run
};

class SyncPort : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  //! Settings of a job that targets port-sim through its front.
  config::Settings MakeSettings() const;
  //! Runs the real job (app::RunSyncJob) and captures its output and logs.
  JobRun Sync(const app::SyncJobOptions& options = {});
  JobRun Sync(const config::Settings& settings, const app::SyncJobOptions& options);
  //! Writes `yaml` to a temp file and returns its path (for SyncJobOptions::mapping_file).
  std::string MappingFile(const std::string& yaml);

  // ---- port-sim control API ----
  json::Value PortControl(const std::string& method, const std::string& path, const std::string& body = "");
  //! The request log, optionally of one route ("E2", "I5", ...).
  std::vector<json::Value> Log(const std::string& route = "");
  void ClearLog();
  json::Value Stats();
  void PortFaults(const std::string& json);
  //! Entities in port-sim: "<blueprint>/<identifier>" -> entity (with its `datasource`).
  std::map<std::string, json::Value> Entities();
  //! Identifiers of one blueprint written by `datasource` ("" = any).
  std::set<std::string> Ids(const std::string& blueprint, const std::string& datasource = kOurAgent);
  json::Value Integration();
  //! One authenticated /v1 call straight to port-sim as `user_agent` (fresh token); the parsed answer.
  json::Value PortApi(const std::string& method, const std::string& path, const std::string& body,
                      const std::string& user_agent = "port-ui");
  //! Upserts one entity straight into port-sim as the writer `user_agent` (E1).
  void PortUpsert(const std::string& blueprint, const std::string& entity_json, const std::string& user_agent);

  // ---- sentry-sim control API ----
  void SentryControl(const std::string& path, const std::string& body);
  void ResolveIssue(const std::string& id);
  //! GET of a Sentry API path (below /api/0/) with the simulator's token, parsed.
  json::Value SentryGet(const std::string& path);
  //! Every issue of the organization (all statuses): id -> project slug.
  std::map<std::string, std::string> SentryIssues();
  //! Project slugs and ids, in the organization's order.
  std::vector<std::pair<std::string, std::string>> SentryProjects();

  // ---- answer rewriting in the fronts ----
  void RewriteSentry(Rewrite rewrite);
  void RewritePort(Rewrite rewrite);
  //! Sentry answers the requests `when` selects with its 403 (a scope the token may not read).
  void DenySentry(std::function<bool(const net::HttpRequest&)> when);

  //! Identifiers the request bodies of `route` carry (E2 entities, E4 ids), over the whole log.
  std::set<std::string> WrittenIds(const std::string& route);

  //! A front's handler: the simulator's answer, then the test's current `rewrite` of it (read under the lock:
  //! tests swap rewrites while the job's requests are in flight).
  net::Handler Front(net::Handler simulator, const Rewrite& rewrite);

  net::HttpClient http_;
  std::unique_ptr<sentry_sim::Simulator> sentry_;
  std::unique_ptr<port_sim::PortSim> port_;
  std::unique_ptr<net::HttpServer> sentry_front_;
  std::unique_ptr<net::HttpServer> port_front_;
  std::string sentry_url_;  // the front's
  std::string port_url_;    // the front's
  std::mutex rewrite_mu_;
  Rewrite sentry_rewrite_;
  Rewrite port_rewrite_;
  std::string temp_dir_;
  int files_ = 0;

  // Shape of the small organization.
  int projects_ = 3;
  int issues_per_project_ = 12;
  int members_ = 4;
  int teams_ = 2;
  int token_lifetime_ = 3600;
};

//! "a/b" key of an entity map.
std::string Key(const std::string& blueprint, const std::string& id);

//! The seed-profile mapping (project, issue) with extra YAML: `top` is inserted at the top level, `issue_selector`
//! in the issue resource's selector.
std::string SeedMapping(const std::string& top = "", const std::string& issue_selector = "");

}  // namespace sp::testing

#pragma once
// Internals shared by simulator.cpp and routes/*.cpp: the Impl state, the per-request context handed to route
// handlers, and small reply helpers. Not part of the simulator's interface.

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "auth.hpp"
#include "faults.hpp"
#include "model.hpp"
#include "net/http_server.hpp"
#include "pagination.hpp"
#include "rate_limits.hpp"
#include "render_cache.hpp"
#include "simulator.hpp"
#include "webhooks.hpp"

namespace sp::sentry_sim {

struct Reply {
  int status = 200;
  std::string body;
  net::Headers headers;
};

Reply JsonReply(std::string body, int status = 200);
//! {"detail":"<text>"} with `status`.
Reply DetailReply(int status, const std::string& detail);
Reply NotFound();

struct LogEntry {
  uint64_t seq = 0;
  std::string method, path, params, token, route, bucket, decision;
  int status = 0;
  int64_t latency_ms = 0;
  int64_t in_flight = 0;
};

struct RouteStats {
  int64_t calls = 0;
  int64_t rate_limited = 0;
  std::map<int, int64_t> statuses;
};

//! Knobs that can change at run time (POST /_sim/config), guarded by Impl::cfg_mu.
struct RuntimeConfig {
  std::string link_host;
  double post_filter_drop = 0;
  double time_scale = 1.0;
  std::string webhook_url;
  std::string webhook_secret;
};

struct Simulator::Impl {
  explicit Impl(SimulatorOptions o);

  SimulatorOptions opt;
  uint64_t seed = 1;

  mutable std::shared_mutex data_mu;
  Dataset data;
  //! List-form issue JSON; cleared by every mutation of `data` (taken under the exclusive lock).
  mutable IssueRenderCache render_cache;
  Micros data_now = 0;  //!< the fixed "now" of the data; advances one second per mutation

  TokenRegistry tokens;
  RateLimiter limiter;
  FaultInjector faults;
  std::unique_ptr<WebhookEmitter> webhooks;
  std::unique_ptr<net::HttpServer> server;
  std::atomic<uint64_t> request_no{0};

  mutable std::mutex cfg_mu;
  RuntimeConfig cfg;
  std::chrono::steady_clock::time_point start_steady;
  int64_t start_wall_ms = 0;
  int64_t clock_offset_ms = 0;

  mutable std::mutex log_mu;
  std::deque<LogEntry> log;
  uint64_t log_seq = 0;
  std::map<std::string, RouteStats> stats;

  //! The simulator clock in epoch milliseconds (rate-limit windows, webhook timestamps).
  int64_t NowMs() const;
  RuntimeConfig Config() const;
  std::string LinkBase() const;
  void Record(LogEntry e, bool limited);
};

//! What a route handler sees. Handlers run under the shared data lock.
struct Ctx {
  const net::HttpRequest& req;
  const Params& params;
  const std::vector<std::string>& seg;  //!< decoded path segments after /api/0/
  const TokenInfo& token;
  const Dataset& data;
  const Simulator::Impl& sim;
  RuntimeConfig cfg;
  Micros now = 0;

  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  bool Has(const std::string& name) const { return Get(name).has_value(); }
  //! per_page (1..100, default 100) or a 400 reply.
  std::optional<Reply> PerPage(size_t& per_page) const;
  //! The cursor parameter, or a 400 reply.
  std::optional<Reply> CursorParam(std::optional<Cursor>& cursor) const;
  //! Adds the Link header for this request's path and parameters.
  void AddLink(Reply& r, const PageLinks& links) const;
  //! Projects of the user token's teams (member projects); all projects for other token types.
  std::vector<char> MemberProjects() const;
};

// Route handlers (routes/*.cpp).
Reply RouteOrganization(const Ctx& c);
Reply RouteOrgProjects(const Ctx& c);
Reply RouteProjects(const Ctx& c);
Reply RouteSentryApps(const Ctx& c);
Reply RouteSentryAppInstallations(const Ctx& c);
Reply RouteOrgIssues(const Ctx& c);
Reply RouteProjectIssues(const Ctx& c);
Reply RouteIssueDetail(const Ctx& c);
Reply RouteProjectTagValues(const Ctx& c);
Reply RouteIssueTagValues(const Ctx& c);
Reply RouteMembers(const Ctx& c);
Reply RouteTeams(const Ctx& c);
Reply RouteTeamMembers(const Ctx& c);

//! /_sim/ control endpoints (routes/control.cpp).
net::HttpResponse HandleControl(Simulator::Impl& sim, const net::HttpRequest& req);

}  // namespace sp::sentry_sim

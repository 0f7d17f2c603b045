#pragma once
// Simulator: the in-process Sentry simulator. Owns the generated organization, the token registry, the rate
// limiter, the fault injector and the webhook emitter, and serves the Sentry API routes of sentry-api.md §7.1
// plus the /_sim/ control endpoints on an sp::net::HttpServer bound to loopback only.
//
// Tests start it in-process (Start() then port()); the `sentry-sim` binary is a thin CLI over the same class.
// Thread-safe: Handle() may run on every server worker at once; reads share a lock, control mutations take it
// exclusively. Secrets (tokens, client secrets) never appear in the request log.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "auth.hpp"
#include "base/result.hpp"
#include "faults.hpp"
#include "generator.hpp"
#include "net/http_server.hpp"
#include "rate_limits.hpp"

namespace sp::sentry_sim {

struct SimulatorOptions {
  GeneratorOptions generator;
  std::string listen_address = "127.0.0.1";  //!< must be loopback (127.0.0.0/8 or ::1)
  uint16_t port = 0;
  int threads = 2;
  //! Scheme+host used in Link headers (Sentry's system.url-prefix); "" = this server's own address.
  std::string link_host;
  //! The default integration token (all read scopes, bound to the generated org).
  std::string token = "sntryi_0000000000000000000000000000000000000000000000000000000000000001";
  std::vector<std::pair<std::string, TokenInfo>> extra_tokens;
  RateLimitOptions rate_limits = DefaultRateLimitOptions();
  FaultOptions faults;
  double time_scale = 1.0;           //!< speed of the simulator clock used for rate-limit windows
  double post_filter_drop = 0.0;     //!< probability an issue row is dropped after pagination (short pages)
  std::string webhook_url;           //!< "" = no deliveries
  std::string webhook_secret;        //!< "" = the generated client secret
  bool legacy_archived = false;      //!< installation subscribed to issue.archived only
  bool webhooks_unresolved = false;  //!< org feature organizations:webhooks-unresolved
  bool expanded_webhooks = false;    //!< org feature organizations:expanded-sentry-apps-webhooks
  size_t log_capacity = 20000;       //!< request-log entries kept
  size_t render_cache_mb = 256;      //!< memory for rendered issue rows (0 = render every row every time)
  int auto_resolve_hours = 0;        //!< every project's auto-resolve age (0 = off), sentry-api.md §2.5 item 3
  int webhook_delay_ms = 0;          //!< deliveries wait this long after the mutation (Sentry's task queue)
  bool webhook_reorder = false;      //!< once the oldest delivery is due, the newest queued goes first
};

//! True when `address` is a loopback address (127.0.0.0/8, ::1, "localhost").
bool IsLoopback(const std::string& address);

class Simulator {
 public:
  explicit Simulator(SimulatorOptions options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  //! Binds and serves. Error for a non-loopback address or a bind failure.
  Status Start();
  void Stop();
  uint16_t port() const;
  //! "http://127.0.0.1:<port>".
  std::string base_url() const;
  //! Handles one request (what the server calls; also usable without a socket, e.g. in benchmarks).
  net::HttpResponse Handle(const net::HttpRequest& request);

  const std::string& token() const;
  const std::string& org_slug() const;
  //! The webhook installation uuid and client secret (tests verify signatures with it).
  std::string installation_uuid() const;
  std::string client_secret() const;
  //! Waits until queued webhook deliveries are done (up to `timeout_ms`).
  void FlushWebhooks(int timeout_ms = 5000);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sp::sentry_sim

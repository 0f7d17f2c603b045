#pragma once
// SentryClient: authenticated, rate-limited, retrying access to Sentry's REST API, with pagination that
// streams pages as they arrive. Kinds (src/sentry/kinds/) are built on List() and Get().
//
// Guarantees:
// - Every listing sends our own request for every page: the `cursor` attribute of rel="next" is added to our
//   base URL and parameters; the Link URL's host is never followed (§3.1).
// - Nothing becomes an empty success: 401 is reported as unauthenticated (a configuration error that stops the
//   resync), 403 as a denied scope, other failures after retries as a failed scope. Only callers decide that a
//   404 means "no data" (tag values, §2.8/§2.9), explicitly.
// - Requests go through RateLimits (one bucket per endpoint template) and RetryPolicy.
// - Thread-safe: List()/Get() may run concurrently from many threads.
// - The token never appears in logs, errors or stats.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"
#include "model/source.hpp"
#include "net/http_client.hpp"
#include "sentry/rate_limits.hpp"
#include "sentry/retry_policy.hpp"

namespace sp::sentry {

using Params = std::vector<std::pair<std::string, std::string>>;

struct SentryClientOptions {
  std::string host = "https://sentry.io";  //!< SaaS or self-hosted base URL (no /api/0)
  std::string token;                       //!< Bearer token (secret)
  std::string organization;                //!< org slug or id
  //! Use the org's links.regionUrl as API base (§1.5). AUTO: only when `host` is sentry.io itself (SaaS
  //! gateway); self-hosted installs keep their configured host, whatever their org endpoint says.
  enum class Region : uint8_t { AUTO, ALWAYS, NEVER } region = Region::AUTO;
  RateLimitOptions rate_limits;
  RetryOptions retry;
  std::chrono::milliseconds request_timeout{60000};
  uint64_t max_pages = 1'000'000;  //!< loop guard for one listing
  int parallelism = 12;            //!< threads for independent listings (per project, per issue page)
};

//! Outcome of one listing or GET.
struct CallStatus {
  model::ScopeState state = model::ScopeState::COMPLETE;
  int http_status = 0;           //!< last HTTP status (0: transport failure)
  bool unauthenticated = false;  //!< 401: stop the resync with a configuration error
  bool not_found = false;        //!< 404 (callers decide what it means)
  std::string reason;            //!< for DENIED/FAILED
  uint64_t items = 0;
  uint64_t pages = 0;
};

class SentryClient {
 public:
  SentryClient(SentryClientOptions options, net::HttpClient& http);

  //! Reads the organization (validates token and org; discovers the region). Errors: UNAUTHENTICATED (401),
  //! PERMISSION_DENIED (403), NOT_FOUND (unknown org), UNAVAILABLE.
  Result<json::Value> Connect();
  //! The organization object from Connect() (null before).
  const json::Value& organization() const { return organization_; }
  const std::string& org() const { return options_.organization; }

  //! Streams every page of a listing. `bucket`: endpoint template for rate limiting and stats
  //! (e.g. "organizations/{org}/issues/"). `path`: below /api/0/, with trailing slash. `on_page` gets each
  //! page's items; returning false stops (the status is then COMPLETE with `aborted` semantics left to the
  //! caller). The body of every page must be a JSON array.
  CallStatus List(const std::string& bucket, const std::string& path, const Params& params,
                  const std::function<bool(std::vector<json::Value>&&)>& on_page);

  //! One GET of a JSON document.
  CallStatus Get(const std::string& bucket, const std::string& path, const Params& params, json::Value& out);

  //! Calls made per bucket (including retries), for reports and benchmarks.
  std::map<std::string, uint64_t> CallsPerBucket() const;
  uint64_t TotalCalls() const;
  RateLimits& rate_limits() { return limits_; }
  const SentryClientOptions& options() const { return options_; }

 private:
  struct Exchange {
    bool transport_error = false;
    std::string transport_message;
    net::ClientResponse response;
  };
  Exchange Request(const std::string& bucket, const std::string& url);
  std::string Url(const std::string& path, const Params& params, const std::string& cursor) const;
  void CountCall(const std::string& bucket);

  SentryClientOptions options_;
  net::HttpClient& http_;
  RateLimits limits_;
  RetryPolicy retry_;
  std::string api_base_;  // "<host or region>/api/0/"
  json::Value organization_;
  mutable std::mutex stats_mu_;
  std::map<std::string, uint64_t> calls_;
};

//! "404 Not Found: The requested resource does not exist" from a Sentry error body (detail field), for reasons.
std::string DescribeFailure(int status, const std::string& body);

}  // namespace sp::sentry

#pragma once
// Sentry's API rate limiter as the simulator reproduces it (sentry-api.md §4, §7.4): per-(category, group,
// endpoint-or-default, method, id) buckets with fixed windows aligned to epoch multiples of the window, plus a
// concurrency counter with an enforce / report-only switch. All times come from the caller (the simulator's
// clock), so windows follow the time-scale and test clock knobs.
//
// Thread-safe: one mutex guards all buckets.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/http_server.hpp"

namespace sp::sentry_sim {

struct RateLimitRule {
  int limit = 40;      //!< requests per window
  int window_s = 1;    //!< window length in seconds
  int concurrent = 0;  //!< concurrent limit; 0 = none (headers read "None")
};

//! Per-category rules of one endpoint; endpoints without an override share the "default" group.
struct EndpointLimits {
  RateLimitRule ip, user, org;
};

enum class Category : uint8_t { IP, USER, ORG };
const char* CategoryName(Category c);

struct RateLimitOptions {
  bool enabled = true;                              //!< false = self-hosted: no headers, no limits
  bool enforce_concurrency = false;                 //!< ENFORCE_CONCURRENT_RATE_LIMITS
  bool retry_after = false;                         //!< add Retry-After to 429s (edge-proxy simulation)
  double budget_multiplier = 1.0;                   //!< scales every limit (benchmarks)
  std::map<std::string, EndpointLimits> overrides;  //!< route name -> limits; others use `defaults`
  EndpointLimits defaults;
};

//! The defaults table of §7.4.
RateLimitOptions DefaultRateLimitOptions();

struct RateDecision {
  bool allowed = true;
  bool headers = false;  //!< add the five X-Sentry-Rate-Limit-* headers
  std::string bucket;    //!< bucket key, for the request log
  std::string reason;    //!< "", "window" or "concurrency"
  net::Headers header_list;
  std::string body;       //!< 429 body when !allowed
  int64_t in_flight = 0;  //!< in flight in this bucket, this request included
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimitOptions options) : options_(std::move(options)) {}

  //! Counts one request starting at `now_ms` (simulator clock) and `steady_us` (monotonic, for concurrency).
  //! When allowed, the caller must call Finish() with the same bucket and the time the response completes.
  RateDecision Begin(const std::string& route, const std::string& method, Category category, const std::string& id,
                     int64_t now_ms, int64_t steady_us);
  //! Releases the concurrency slot at `release_steady_us` (start + response delay).
  void Finish(const std::string& bucket, int64_t release_steady_us);

  RateLimitOptions options() const;
  void SetOptions(RateLimitOptions options);
  //! Max in flight seen per bucket, and 429s sent.
  std::map<std::string, int64_t> MaxInFlight() const;
  int64_t Rejections() const;
  void ResetStats();
  void ResetWindows();

 private:
  struct Bucket {
    int64_t window_start = 0;
    int64_t count = 0;
    int64_t active = 0;                  // Begin()s without Finish()
    std::vector<int64_t> release_times;  // finished, response still delayed until then
    int64_t max_in_flight = 0;
  };
  int64_t InFlight(Bucket& b, int64_t steady_us);

  mutable std::mutex mu_;
  RateLimitOptions options_;
  std::map<std::string, Bucket> buckets_;
  int64_t rejections_ = 0;
};

}  // namespace sp::sentry_sim

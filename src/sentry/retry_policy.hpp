#pragma once
// Which Sentry failures are worth retrying and how long to wait (sentry-api.md §4.5): 5xx, timeouts and
// connection resets back off exponentially with jitter; 429 waits for the rate-limit window (rate_limits.hpp);
// 401/403/404 and other 4xx are answers, not transient failures. A retry budget shared by all requests of one
// client bounds the total work a storm of failures can cause.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace sp::sentry {

struct RetryOptions {
  int max_attempts = 6;  //!< per request, first attempt included (5xx, resets, timeouts)
  //! 429s one request may wait out: a 429 is Sentry saying when to come back, not a failure, but two syncs
  //! sharing one org budget can answer each other's requests with several in a row.
  int max_rate_limited = 20;
  std::chrono::milliseconds base_delay{250};   //!< first backoff
  std::chrono::milliseconds max_delay{20000};  //!< cap of one backoff
  uint64_t budget = 2000;                      //!< retries allowed across the client's lifetime (one resync)
};

enum class RetryClass : uint8_t {
  DONE,        //!< success or a definitive answer (2xx, 3xx, 400, 401, 403, 404, ...)
  RATE_LIMIT,  //!< 429: wait for the window, then retry
  TRANSIENT,   //!< 5xx, transport failure, 400 "Query timeout" (§2.1): back off, then retry
};

//! Classifies one attempt. `transport_error`: the exchange itself failed (status is then ignored).
RetryClass Classify(bool transport_error, int status, std::string_view body);

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {}) : options_(options) {}

  //! Backoff before retry number `retry` (1-based): base * 2^(retry-1), capped, with +-25 % jitter.
  std::chrono::milliseconds Backoff(int retry);
  //! Takes one retry from the shared budget; false when it is spent (the caller then reports the failure).
  bool TakeRetry();
  int max_attempts() const { return options_.max_attempts; }
  int max_rate_limited() const { return options_.max_rate_limited; }
  uint64_t retries_used() const { return used_.load(); }

 private:
  RetryOptions options_;
  std::atomic<uint64_t> used_{0};
  std::atomic<uint64_t> jitter_state_{0x2545F4914F6CDD1Dull};
};

}  // namespace sp::sentry

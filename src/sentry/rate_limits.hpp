#pragma once
// Client-side rate limiting for Sentry (sentry-api.md §4.5): one limiter per endpoint bucket, learned from the
// X-Sentry-Rate-Limit-* headers of every response, with a concurrency cap per bucket.
//
// Why per bucket: Sentry limits per caller *and per endpoint* (issue tag values: 300 per 60 s, 5 in flight;
// project tag values: 20/s, 5 in flight; most others: 40/s). One global budget (what Ocean does) either
// over-sleeps or trips 429s.
//
// Thread-safe. Acquire() blocks until the bucket has a concurrency slot and budget left in the current window;
// the returned Permit frees the slot. Waits use the injected clock so tests can run in virtual time.
// A bucket sends one request alone until a response tells its concurrent limit, so a bucket whose limit is
// below our default cap is never exceeded, not even by the first burst. Reset times are Sentry's clock and are
// moved onto ours with the skew its Date headers show (clock_skew.hpp).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_server.hpp"  // Headers
#include "sentry/clock_skew.hpp"

namespace sp::sentry {

//! The five rate-limit headers; absent or "None" (sentry-api.md §4.3) values are nullopt.
struct RateLimitHeaders {
  std::optional<int64_t> limit;
  std::optional<int64_t> remaining;
  std::optional<int64_t> reset;  //!< absolute epoch seconds
  std::optional<int64_t> concurrent_limit;
  std::optional<int64_t> concurrent_remaining;

  static RateLimitHeaders From(const net::Headers& headers);
  bool Any() const { return limit || remaining || reset || concurrent_limit; }
};

struct RateLimitOptions {
  int max_concurrency = 5;  //!< per bucket, unless the server's headers say otherwise (and without headers)
  //! Per bucket whose rate-limit headers say it has no concurrent limit ("None", §4.3: issue lists, members).
  //! Issue searches take 0.4-4 s (Snuba), so 5 in flight would use under half of a 10/s budget.
  int max_concurrency_unlimited = 12;
  int reserve = 0;                               //!< keep this many requests of a window unused
  std::chrono::milliseconds max_wait{65000};     //!< never wait longer for one window (windows are <= 60 s)
  std::chrono::milliseconds min_429_wait{1000};  //!< §4.5: wait at least this long after a 429
  std::chrono::milliseconds max_jitter{250};     //!< added to window waits (at most 5 % of the wait) against stampedes
  std::chrono::milliseconds concurrency_retry{750};  //!< wait after a concurrency 429
  int recover_after = 50;  //!< successes after which a slot given up to a concurrency 429 is taken back
  //! Sent this long after a window's reset at the earliest: Sentry counts a request when it arrives, on its
  //! clock, which the Date header gives only to the second.
  std::chrono::milliseconds reset_guard{20};
};

//! Time source: real by default; tests pass a virtual one.
struct Clock {
  std::function<SysTime()> now = [] { return std::chrono::system_clock::now(); };
};

//! The limiter bucket of an endpoint template: its own for the endpoints Sentry gives their own limits (§4.4:
//! issue lists, issue details, tag values, members), "default" for the rest, which share one budget (§4.1).
std::string LimiterBucket(std::string_view route);

class RateLimits {
 public:
  explicit RateLimits(RateLimitOptions options = {}, Clock clock = {});

  class Permit {
   public:
    Permit() = default;
    Permit(Permit&& other) noexcept : owner_(other.owner_), bucket_(std::move(other.bucket_)) {
      other.owner_ = nullptr;
    }
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit() { Release(); }
    void Release();

   private:
    friend class RateLimits;
    Permit(RateLimits* owner, std::string bucket) : owner_(owner), bucket_(std::move(bucket)) {}
    RateLimits* owner_ = nullptr;
    std::string bucket_;
  };

  //! Blocks until `bucket` may send one more request; the permit holds a concurrency slot until released.
  Permit Acquire(const std::string& bucket);

  //! What the limiter would do right now for `bucket`: nullopt = send, else wait until the returned time.
  //! (Pure decision, used by Acquire and by tests.)
  std::optional<SysTime> WaitUntil(const std::string& bucket);

  //! Learns from a response. For a 429, returns how long to wait before retrying (§4.5 item 4). `sent`: when
  //! the request left (for the clock skew; without it the Date header is not used).
  std::optional<std::chrono::milliseconds> OnResponse(const std::string& bucket, int status,
                                                      const net::Headers& headers, std::string_view body,
                                                      std::optional<SysTime> sent = std::nullopt);

  //! The limiter's clock (local time).
  SysTime Now() const { return clock_.now(); }
  //! Sentry's clock minus ours, as learned so far.
  std::chrono::milliseconds ClockOffset() const { return skew_.Offset(); }

  //! Observed peak of concurrent permits for `bucket` (for tests and reports).
  int PeakInFlight(const std::string& bucket) const;
  //! Current concurrency cap of `bucket` (1 until its first response).
  int Concurrency(const std::string& bucket) const;
  //! Time spent waiting for window budget, summed over all buckets.
  std::chrono::milliseconds TotalWaited() const;

 private:
  struct Bucket {
    bool learned = false;  // a response arrived: `cap` is known
    int cap = 0;           // min(our max, the server's concurrent limit) - penalty
    int server_cap = 0;    // min(our max, the server's concurrent limit)
    int penalty = 0;       // slots given up after concurrency 429s (someone else shares the budget)
    int ok_streak = 0;     // successes since the last concurrency 429
    int in_flight = 0;
    int peak = 0;
    std::optional<int64_t> limit;
    std::optional<int64_t> remaining;  // estimate for the current window
    std::optional<SysTime> reset;
    std::optional<int64_t> latest_reset;   // newest window (server epoch s) seen; older responses are stale
    std::optional<int64_t> passed_reset;   // a window we saw end: its late responses are stale too
    std::optional<SysTime> blocked_until;  // after a 429
  };
  Bucket& Get(const std::string& bucket);  // requires mu_
  std::optional<SysTime> WaitUntilLocked(Bucket& b, SysTime now);
  void Release(const std::string& bucket);
  std::chrono::milliseconds Jitter(std::chrono::milliseconds wait);

  RateLimitOptions options_;
  Clock clock_;
  ClockSkew skew_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  static int EffectiveCap(const Bucket& b) { return b.learned ? b.cap : 1; }
  std::chrono::milliseconds waited_{0};
  uint64_t jitter_state_ = 0x9E3779B97F4A7C15ull;
};

}  // namespace sp::sentry

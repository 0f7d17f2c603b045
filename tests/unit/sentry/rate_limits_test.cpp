#include "sentry/rate_limits.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sp::sentry {
namespace {

using namespace std::chrono_literals;

struct VirtualClock {
  SysTime t = SysTime(std::chrono::seconds(1768914000));
  Clock clock() {
    return Clock{[this] { return t; }};
  }
};

net::Headers LimitHeaders(int limit, int remaining, int64_t reset, const char* conc_limit = "5") {
  return {{"X-Sentry-Rate-Limit-Limit", std::to_string(limit)},
          {"X-Sentry-Rate-Limit-Remaining", std::to_string(remaining)},
          {"X-Sentry-Rate-Limit-Reset", std::to_string(reset)},
          {"X-Sentry-Rate-Limit-ConcurrentLimit", conc_limit},
          {"X-Sentry-Rate-Limit-ConcurrentRemaining", "4"}};
}

TEST(RateLimitHeaders, NoneAndGarbageAreAbsent) {
  // sentry-api.md §4.3: the concurrency headers read the literal "None" on some endpoints.
  auto h = RateLimitHeaders::From({{"x-sentry-rate-limit-limit", "5"},
                                   {"X-Sentry-Rate-Limit-ConcurrentLimit", "None"},
                                   {"X-Sentry-Rate-Limit-ConcurrentRemaining", "None"},
                                   {"X-Sentry-Rate-Limit-Reset", "12x"}});
  EXPECT_EQ(h.limit.value(), 5);
  EXPECT_FALSE(h.concurrent_limit.has_value());
  EXPECT_FALSE(h.concurrent_remaining.has_value());
  EXPECT_FALSE(h.reset.has_value());
  EXPECT_FALSE(RateLimitHeaders::From({}).Any());
}

TEST(RateLimits, WaitsForResetWhenWindowIsSpent) {
  VirtualClock vc;
  RateLimits limits({.max_jitter = 0ms, .reset_guard = 0ms}, vc.clock());
  const std::string b = "issues/{id}/tags";
  int64_t reset = 1768914060;
  EXPECT_FALSE(limits.WaitUntil(b).has_value());
  limits.OnResponse(b, 200, LimitHeaders(300, 1, reset), "");
  EXPECT_FALSE(limits.WaitUntil(b).has_value());  // one left
  { auto p = limits.Acquire(b); }                 // uses it
  auto until = limits.WaitUntil(b);
  ASSERT_TRUE(until.has_value());
  EXPECT_EQ(*until, SysTime(std::chrono::seconds(reset)));
  vc.t = SysTime(std::chrono::seconds(reset));  // the window ends: full budget again
  EXPECT_FALSE(limits.WaitUntil(b).has_value());
}

TEST(RateLimits, ResetGuardCoversTheServersClockResolution) {
  VirtualClock vc;
  RateLimits limits({.max_jitter = 0ms, .reset_guard = 20ms}, vc.clock());
  int64_t reset = 1768914001;
  limits.OnResponse("b", 200, LimitHeaders(10, 0, reset), "");
  auto until = limits.WaitUntil("b");
  ASSERT_TRUE(until.has_value());
  EXPECT_EQ(*until, SysTime(std::chrono::seconds(reset)) + 20ms);
  vc.t = SysTime(std::chrono::seconds(reset)) + 5ms;  // Sentry may still count this in the old window
  EXPECT_TRUE(limits.WaitUntil("b").has_value());
  vc.t = SysTime(std::chrono::seconds(reset)) + 20ms;
  EXPECT_FALSE(limits.WaitUntil("b").has_value());
}

TEST(RateLimits, BucketsAreIndependent) {
  VirtualClock vc;
  RateLimits limits({.max_jitter = 0ms, .reset_guard = 0ms}, vc.clock());
  limits.OnResponse("tags", 200, LimitHeaders(300, 0, 1768914060), "");
  EXPECT_TRUE(limits.WaitUntil("tags").has_value());
  EXPECT_FALSE(limits.WaitUntil("projects").has_value());
}

TEST(RateLimits, Handles429WithoutRetryAfterUsingReset) {
  VirtualClock vc;
  RateLimits limits({.max_jitter = 0ms, .reset_guard = 0ms}, vc.clock());
  auto wait = limits.OnResponse(
      "tags", 429, LimitHeaders(300, 0, 1768914000 + 30),
      R"({"detail":"You are attempting to use this endpoint too frequently. Limit is 300 requests in 60 seconds"})");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 30000ms);
  EXPECT_TRUE(limits.WaitUntil("tags").has_value());
}

TEST(RateLimits, MinimumWaitAfter429WithoutHeaders) {
  VirtualClock vc;
  RateLimits limits({.max_jitter = 0ms, .reset_guard = 0ms}, vc.clock());
  auto wait = limits.OnResponse("x", 429, {}, "{}");  // self-hosted proxy: no headers at all
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 1000ms);
}

TEST(RateLimits, Concurrency429ShrinksTheBucket) {
  VirtualClock vc;
  RateLimits limits({.max_concurrency = 5, .max_jitter = 0ms, .reset_guard = 0ms}, vc.clock());
  limits.OnResponse("tags", 200, LimitHeaders(300, 200, 1768914060, "5"), "");
  EXPECT_EQ(limits.Concurrency("tags"), 5);
  auto wait = limits.OnResponse(
      "tags", 429, LimitHeaders(300, 150, 1768914060, "5"),
      R"({"detail":"You are attempting to go above the allowed concurrency for this endpoint. Concurrency limit is 5"})");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 750ms);
  EXPECT_EQ(limits.Concurrency("tags"), 4);
}

TEST(RateLimits, NoConcurrentLimitOnALimitedEndpointAllowsMore) {
  VirtualClock vc;
  RateLimits limits({.max_concurrency = 5, .max_concurrency_unlimited = 12}, vc.clock());
  // §4.3: the project/org issue lists send "None" for both concurrency headers.
  limits.OnResponse("issues", 200,
                    {{"X-Sentry-Rate-Limit-Limit", "10"},
                     {"X-Sentry-Rate-Limit-Remaining", "9"},
                     {"X-Sentry-Rate-Limit-Reset", "1768914001"},
                     {"X-Sentry-Rate-Limit-ConcurrentLimit", "None"},
                     {"X-Sentry-Rate-Limit-ConcurrentRemaining", "None"}},
                    "");
  EXPECT_EQ(limits.Concurrency("issues"), 12);
  limits.OnResponse("selfhosted", 200, {}, "");  // no headers at all: our own default
  EXPECT_EQ(limits.Concurrency("selfhosted"), 5);
}

TEST(RateLimits, ServerConcurrentLimitCapsTheBucket) {
  VirtualClock vc;
  RateLimits limits({.max_concurrency = 8}, vc.clock());
  limits.OnResponse("tags", 200, LimitHeaders(300, 200, 1768914060, "3"), "");
  EXPECT_EQ(limits.Concurrency("tags"), 3);
}

TEST(RateLimits, OneRequestAloneUntilTheFirstResponse) {
  // The bucket's concurrent limit is unknown before its first response; it may be below our default cap.
  RateLimits limits({.max_concurrency = 5});
  EXPECT_EQ(limits.Concurrency("b"), 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto p = limits.Acquire("b");
        std::this_thread::yield();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(limits.PeakInFlight("b"), 1);
  limits.OnResponse("b", 200, {}, "");  // no headers (self-hosted): our own cap
  EXPECT_EQ(limits.Concurrency("b"), 5);
}

TEST(RateLimits, StaleWindowResponsesDoNotRestoreTheBudget) {
  VirtualClock vc;
  RateLimits limits({.max_jitter = 0ms, .reset_guard = 0ms}, vc.clock());
  int64_t t0 = 1768914000;
  limits.OnResponse("b", 200, LimitHeaders(10, 0, t0 + 1), "");
  EXPECT_TRUE(limits.WaitUntil("b").has_value());
  vc.t = SysTime(std::chrono::seconds(t0 + 1));
  EXPECT_FALSE(limits.WaitUntil("b").has_value());  // the window turned: full budget
  for (int i = 0; i < 9; ++i) limits.Acquire("b").Release();
  auto last = limits.Acquire("b");  // the tenth, still in flight
  // A late answer of the old window, before any of the new one, must not grant the budget a second time.
  limits.OnResponse("b", 200, LimitHeaders(10, 3, t0 + 1), "");
  EXPECT_TRUE(limits.WaitUntil("b").has_value()) << "ten sent in the new window already";
  // The tenth's answer tells the new window's end.
  limits.OnResponse("b", 200, LimitHeaders(10, 0, t0 + 2), "");
  last.Release();
  limits.OnResponse("b", 200, LimitHeaders(10, 0, t0 + 2), "");  // the new window is spent too
  // A late answer of the previous window must not make the new one look fresh.
  limits.OnResponse("b", 200, LimitHeaders(10, 5, t0 + 1), "");
  auto until = limits.WaitUntil("b");
  ASSERT_TRUE(until.has_value());
  EXPECT_EQ(*until, SysTime(std::chrono::seconds(t0 + 2)));
}

TEST(RateLimits, DefaultBucketIsShared) {
  EXPECT_EQ(LimiterBucket("organizations/{org}/projects/"), "default");
  EXPECT_EQ(LimiterBucket("organizations/{org}/teams/"), "default");
  EXPECT_EQ(LimiterBucket("teams/{org}/{team}/members/"), "default");
  EXPECT_EQ(LimiterBucket("organizations/{org}/issues/"), "organizations/{org}/issues/");
  EXPECT_EQ(LimiterBucket("organizations/{org}/issues/{id}/tags/{key}/values/"),
            "organizations/{org}/issues/{id}/tags/{key}/values/");
  EXPECT_EQ(LimiterBucket("organizations/{org}/members/"), "organizations/{org}/members/");
}

TEST(RateLimits, NeverMoreInFlightThanTheCap) {
  RateLimits limits({.max_concurrency = 3});
  limits.OnResponse("b", 200, {}, "");
  std::atomic<int> in_flight{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto p = limits.Acquire("b");
        int now = ++in_flight;
        int prev = peak.load();
        while (now > prev && !peak.compare_exchange_weak(prev, now)) {
        }
        std::this_thread::yield();
        --in_flight;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), 3);
  EXPECT_LE(limits.PeakInFlight("b"), 3);
  EXPECT_GE(limits.PeakInFlight("b"), 1);
}

}  // namespace
}  // namespace sp::sentry

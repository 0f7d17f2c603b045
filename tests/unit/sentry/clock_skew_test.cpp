#include "sentry/clock_skew.hpp"

#include <gtest/gtest.h>

#include "sentry/rate_limits.hpp"

namespace sp::sentry {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kEpoch = 1768914000;  // 2026-01-20T13:00:00Z

SysTime At(int64_t seconds, std::chrono::milliseconds ms = 0ms) {
  return SysTime(std::chrono::seconds(seconds)) + ms;
}

TEST(ParseHttpDate, ImfFixdate) {
  auto t = ParseHttpDate("Tue, 20 Jan 2026 13:00:00 GMT");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, At(kEpoch));
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), At(784111777));
}

TEST(ParseHttpDate, RejectsOtherFormsAndNonsense) {
  EXPECT_FALSE(ParseHttpDate("").has_value());
  EXPECT_FALSE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT").has_value());  // RFC 850
  EXPECT_FALSE(ParseHttpDate("Sun Nov  6 08:49:37 1994").has_value());        // asctime
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 UTC").has_value());
  EXPECT_FALSE(ParseHttpDate("Sun, 31 Feb 1994 08:49:37 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 24:49:37 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sun, 0x Nov 1994 08:49:37 GMT").has_value());
}

TEST(ClockSkew, UnknownAndSyncedClocksAreNotCorrected) {
  ClockSkew skew;
  EXPECT_EQ(skew.Offset(), 0ms);
  // Same clock: the Date header is the current second, truncated.
  skew.Observe("Tue, 20 Jan 2026 13:00:00 GMT", At(kEpoch, 700ms), At(kEpoch, 800ms));
  skew.Observe("Tue, 20 Jan 2026 13:00:01 GMT", At(kEpoch + 1, 50ms), At(kEpoch + 1, 90ms));
  EXPECT_EQ(skew.Offset(), 0ms);
  skew.Observe("garbage", At(kEpoch), At(kEpoch + 100));  // ignored
  EXPECT_EQ(skew.Offset(), 0ms);
}

TEST(ClockSkew, ServerAheadIsMeasuredWithinHalfASecond) {
  ClockSkew skew;
  // The server runs 300.4 s ahead of us; each response's Date is its clock, truncated to the second.
  for (int i = 0; i < 10; ++i) {
    auto sent = At(kEpoch + i, std::chrono::milliseconds(97 * i % 1000));
    auto received = sent + 30ms;
    auto server = sent + 15ms + 300400ms;
    auto secs = std::chrono::floor<std::chrono::seconds>(server.time_since_epoch()).count();
    std::time_t tt = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    skew.Observe(buf, sent, received);
  }
  EXPECT_NEAR(static_cast<double>(skew.Offset().count()), 300400.0, 500.0);
  auto local_reset = skew.ToLocal(At(kEpoch + 400));  // a server time, 300.4 s ahead of ours
  EXPECT_NEAR(static_cast<double>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(local_reset - At(kEpoch + 100)).count()),
              -400.0, 500.0);
}

TEST(ClockSkew, ServerBehind) {
  ClockSkew skew;
  skew.Observe("Tue, 20 Jan 2026 12:58:00 GMT", At(kEpoch, 0ms), At(kEpoch, 200ms));
  // 120 s behind, give or take the Date resolution and the exchange time.
  EXPECT_LE(skew.Offset(), -119000ms);
  EXPECT_GE(skew.Offset(), -121000ms);
}

TEST(ClockSkew, ASteppedClockReplacesOldBounds) {
  ClockSkew skew;
  skew.Observe("Tue, 20 Jan 2026 13:05:00 GMT", At(kEpoch), At(kEpoch, 100ms));  // +300 s
  EXPECT_GT(skew.Offset(), 299000ms);
  skew.Observe("Tue, 20 Jan 2026 13:00:10 GMT", At(kEpoch + 10), At(kEpoch + 10, 100ms));  // synced again
  EXPECT_EQ(skew.Offset(), 0ms);
}

// The limiter with a local clock 120 s behind Sentry's: the reset must be read on Sentry's clock.
TEST(RateLimitsSkew, ResetIsReadOnTheServersClock) {
  SysTime local = At(kEpoch);
  RateLimits limits({.max_jitter = 0ms, .reset_guard = 0ms}, Clock{[&local] { return local; }});
  const std::string b = "tags";
  // Server time is kEpoch + 120; its window ends 2 s later.
  net::Headers h = {{"Date", "Tue, 20 Jan 2026 13:02:00 GMT"},
                    {"X-Sentry-Rate-Limit-Limit", "300"},
                    {"X-Sentry-Rate-Limit-Remaining", "0"},
                    {"X-Sentry-Rate-Limit-Reset", std::to_string(kEpoch + 122)},
                    {"X-Sentry-Rate-Limit-ConcurrentLimit", "5"}};
  auto wait = limits.OnResponse(b, 429, h, R"({"detail":"too frequently"})", local - 50ms);
  ASSERT_TRUE(wait.has_value());
  // Without the Date header this would be the 65 s cap (the reset looks 122 s away).
  EXPECT_GE(*wait, 1000ms);
  EXPECT_LE(*wait, 3000ms);
  auto until = limits.WaitUntil(b);
  ASSERT_TRUE(until.has_value());
  EXPECT_LE(*until - local, 3000ms);
  local += 3s;
  EXPECT_FALSE(limits.WaitUntil(b).has_value()) << "the server's window has ended";
}

TEST(RateLimitsSkew, LocalClockAheadStillWaitsForTheWindow) {
  SysTime local = At(kEpoch + 600);  // 10 minutes ahead of Sentry
  RateLimits limits({.max_jitter = 0ms, .reset_guard = 0ms}, Clock{[&local] { return local; }});
  net::Headers h = {{"Date", "Tue, 20 Jan 2026 13:00:00 GMT"},
                    {"X-Sentry-Rate-Limit-Limit", "300"},
                    {"X-Sentry-Rate-Limit-Remaining", "0"},
                    {"X-Sentry-Rate-Limit-Reset", std::to_string(kEpoch + 30)}};
  limits.OnResponse("tags", 200, h, "", local - 10ms);
  // The reset is 30 s ahead on Sentry's clock, although it lies 570 s in our past.
  auto until = limits.WaitUntil("tags");
  ASSERT_TRUE(until.has_value()) << "a reset in our past would let the client hammer a spent window";
  EXPECT_GE(*until - local, 29000ms);
  EXPECT_LE(*until - local, 31000ms);
}

}  // namespace
}  // namespace sp::sentry

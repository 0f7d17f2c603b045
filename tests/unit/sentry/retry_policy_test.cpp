#include "sentry/retry_policy.hpp"

#include <gtest/gtest.h>

namespace sp::sentry {
namespace {

using namespace std::chrono_literals;

TEST(RetryPolicy, ClassifiesSentryAnswers) {
  EXPECT_EQ(Classify(true, 0, ""), RetryClass::TRANSIENT);
  EXPECT_EQ(Classify(false, 200, ""), RetryClass::DONE);
  EXPECT_EQ(Classify(false, 401, ""), RetryClass::DONE);  // configuration problem: never retried
  EXPECT_EQ(Classify(false, 403, ""), RetryClass::DONE);
  EXPECT_EQ(Classify(false, 404, ""), RetryClass::DONE);
  EXPECT_EQ(Classify(false, 429, ""), RetryClass::RATE_LIMIT);
  EXPECT_EQ(Classify(false, 500, ""), RetryClass::TRANSIENT);
  EXPECT_EQ(Classify(false, 503, ""), RetryClass::TRANSIENT);
  EXPECT_EQ(Classify(false, 400, R"({"detail":"Query timeout. Please try with a smaller date range"})"),
            RetryClass::TRANSIENT);
  EXPECT_EQ(Classify(false, 400, R"({"detail":"Invalid cursor parameter."})"), RetryClass::DONE);
}

TEST(RetryPolicy, BackoffGrowsWithJitterAndCap) {
  RetryPolicy p({.base_delay = 100ms, .max_delay = 1000ms});
  for (int i = 0; i < 50; ++i) {
    auto d1 = p.Backoff(1);
    EXPECT_GE(d1, 75ms);
    EXPECT_LE(d1, 125ms);
    auto d3 = p.Backoff(3);
    EXPECT_GE(d3, 300ms);
    EXPECT_LE(d3, 500ms);
    EXPECT_LE(p.Backoff(30), 1250ms);
  }
}

TEST(RetryPolicy, BudgetIsBounded) {
  RetryPolicy p({.budget = 3});
  EXPECT_TRUE(p.TakeRetry());
  EXPECT_TRUE(p.TakeRetry());
  EXPECT_TRUE(p.TakeRetry());
  EXPECT_FALSE(p.TakeRetry());
  EXPECT_EQ(p.retries_used(), 3u);
}

}  // namespace
}  // namespace sp::sentry

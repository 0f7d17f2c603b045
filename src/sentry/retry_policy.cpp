#include "sentry/retry_policy.hpp"

#include <algorithm>
#include <string_view>

namespace sp::sentry {

RetryClass Classify(bool transport_error, int status, std::string_view body) {
  if (transport_error) return RetryClass::TRANSIENT;
  if (status == 429) return RetryClass::RATE_LIMIT;
  if (status >= 500) return RetryClass::TRANSIENT;
  // §2.1: Snuba overload surfaces as a 400 "Query timeout"; it is transient, unlike other 400s.
  if (status == 400 && body.find("Query timeout") != std::string_view::npos) return RetryClass::TRANSIENT;
  return RetryClass::DONE;
}

std::chrono::milliseconds RetryPolicy::Backoff(int retry) {
  int shift = std::clamp(retry - 1, 0, 20);
  int64_t base = options_.base_delay.count() << shift;
  base = std::min<int64_t>(base, options_.max_delay.count());
  uint64_t x = jitter_state_.load(std::memory_order_relaxed);
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  jitter_state_.store(x, std::memory_order_relaxed);
  // Jitter in [-25 %, +25 %] so that parallel shards hitting the same fault do not retry in lockstep.
  int64_t span = base / 2;
  int64_t jitter = span > 0 ? static_cast<int64_t>(x % static_cast<uint64_t>(span + 1)) - span / 2 : 0;
  return std::chrono::milliseconds(std::max<int64_t>(0, base + jitter));
}

bool RetryPolicy::TakeRetry() {
  uint64_t used = used_.fetch_add(1);
  if (used >= options_.budget) {
    used_.fetch_sub(1);
    return false;
  }
  return true;
}

}  // namespace sp::sentry

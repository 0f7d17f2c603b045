#include "sentry/rate_limits.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

namespace sp::sentry {
namespace {

std::optional<int64_t> ParseHeaderInt(const net::Headers& headers, std::string_view name) {
  const std::string* v = net::FindHeader(headers, name);
  if (v == nullptr) return std::nullopt;
  std::string_view s = *v;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  // §4.3: values are Python str(): integers or the literal "None". Anything unparsable counts as absent.
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return out;
}

SysTime FromEpochSeconds(int64_t s) {
  return SysTime(std::chrono::seconds(s));
}

}  // namespace

std::string LimiterBucket(std::string_view route) {
  static constexpr std::string_view kOwnLimits[] = {
      "organizations/{org}/issues/",
      "projects/{org}/{project}/issues/",
      "organizations/{org}/issues/{id}/",
      "projects/{org}/{project}/tags/{key}/values/",
      "organizations/{org}/issues/{id}/tags/{key}/values/",
      "organizations/{org}/members/",
  };
  for (auto own : kOwnLimits) {
    if (route == own) return std::string(route);
  }
  return "default";
}

RateLimitHeaders RateLimitHeaders::From(const net::Headers& headers) {
  RateLimitHeaders h;
  h.limit = ParseHeaderInt(headers, "x-sentry-rate-limit-limit");
  h.remaining = ParseHeaderInt(headers, "x-sentry-rate-limit-remaining");
  h.reset = ParseHeaderInt(headers, "x-sentry-rate-limit-reset");
  h.concurrent_limit = ParseHeaderInt(headers, "x-sentry-rate-limit-concurrentlimit");
  h.concurrent_remaining = ParseHeaderInt(headers, "x-sentry-rate-limit-concurrentremaining");
  return h;
}

RateLimits::RateLimits(RateLimitOptions options, Clock clock) : options_(options), clock_(std::move(clock)) {}

RateLimits::Permit& RateLimits::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    bucket_ = std::move(other.bucket_);
    other.owner_ = nullptr;
  }
  return *this;
}

void RateLimits::Permit::Release() {
  if (owner_ != nullptr) {
    owner_->Release(bucket_);
    owner_ = nullptr;
  }
}

RateLimits::Bucket& RateLimits::Get(const std::string& bucket) {
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) {
    it = buckets_.emplace(bucket, Bucket{}).first;
    it->second.cap = std::max(1, options_.max_concurrency);
    it->second.server_cap = it->second.cap;
  }
  return it->second;
}

std::chrono::milliseconds RateLimits::Jitter(std::chrono::milliseconds wait) {
  // Proportional to the wait (5 %), capped: enough to keep parallel clients from stampeding at a window's start,
  // without giving away an eighth of every 1-second window.
  int64_t cap = std::min<int64_t>(options_.max_jitter.count(), wait.count() / 20);
  if (cap <= 0) return std::chrono::milliseconds(0);
  // xorshift: cheap, and per-limiter so no global state.
  jitter_state_ ^= jitter_state_ << 13;
  jitter_state_ ^= jitter_state_ >> 7;
  jitter_state_ ^= jitter_state_ << 17;
  return std::chrono::milliseconds(jitter_state_ % static_cast<uint64_t>(cap + 1));
}

std::optional<SysTime> RateLimits::WaitUntilLocked(Bucket& b, SysTime now) {
  if (b.blocked_until && now < *b.blocked_until) return b.blocked_until;
  b.blocked_until.reset();
  if (b.reset && now >= *b.reset + options_.reset_guard) {
    // A new window started: the server grants `limit` again until a response says otherwise. Requests still in
    // flight may be counted in it (Sentry counts a request when it arrives), and answers still on their way
    // from the old window must not grant it again.
    if (b.limit) b.remaining = std::max<int64_t>(0, *b.limit - b.in_flight);
    b.reset.reset();
    b.passed_reset = b.latest_reset;
  }
  if (b.remaining && *b.remaining <= options_.reserve) {
    if (b.reset) {
      SysTime until = std::min(*b.reset + options_.reset_guard, now + options_.max_wait);
      return until + Jitter(std::chrono::duration_cast<std::chrono::milliseconds>(until - now));
    }
    // Exhausted, and the new window's end is not known yet: wait for an answer still in flight to tell it; with
    // none in flight, send one request alone, whose answer will.
    if (b.in_flight > 0) return now + std::chrono::milliseconds(50);
    b.remaining.reset();
  }
  return std::nullopt;
}

std::optional<SysTime> RateLimits::WaitUntil(const std::string& bucket) {
  std::lock_guard lock(mu_);
  return WaitUntilLocked(Get(bucket), clock_.now());
}

RateLimits::Permit RateLimits::Acquire(const std::string& bucket) {
  std::unique_lock lock(mu_);
  while (true) {
    Bucket& b = Get(bucket);
    SysTime now = clock_.now();
    if (b.in_flight >= EffectiveCap(b)) {
      cv_.wait(lock);
      continue;
    }
    auto until = WaitUntilLocked(b, now);
    if (!until) {
      ++b.in_flight;
      b.peak = std::max(b.peak, b.in_flight);
      if (b.remaining) --*b.remaining;
      return Permit(this, bucket);
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*until - now);
    waited_ += wait;
    // The clock may be virtual in tests; sleeping on the condition variable with real time keeps the loop
    // responsive to releases while waiting for the window.
    cv_.wait_for(lock, wait);
  }
}

void RateLimits::Release(const std::string& bucket) {
  {
    std::lock_guard lock(mu_);
    Bucket& b = Get(bucket);
    if (b.in_flight > 0) --b.in_flight;
  }
  cv_.notify_all();
}

std::optional<std::chrono::milliseconds> RateLimits::OnResponse(const std::string& bucket, int status,
                                                                const net::Headers& headers, std::string_view body,
                                                                std::optional<SysTime> sent) {
  RateLimitHeaders h = RateLimitHeaders::From(headers);
  SysTime now = clock_.now();
  if (sent) {
    if (const std::string* date = net::FindHeader(headers, "date")) skew_.Observe(*date, *sent, now);
  }
  std::optional<std::chrono::milliseconds> retry_after;
  {
    std::lock_guard lock(mu_);
    Bucket& b = Get(bucket);
    b.learned = true;
    if (h.limit) b.limit = h.limit;
    // Responses of an older window (still in flight when the window turned) must not undo what the newer
    // window's responses taught: their reset is past and their remaining count belongs to the old window.
    bool stale =
        h.reset && ((b.latest_reset && *h.reset < *b.latest_reset) || (b.passed_reset && *h.reset <= *b.passed_reset));
    if (h.reset && !stale) {
      b.latest_reset = h.reset;
      b.reset = skew_.ToLocal(FromEpochSeconds(*h.reset));
    }
    if (h.remaining && !stale) {
      // The server counted every request that reached it; ours still in flight may not be counted yet.
      int64_t others = std::max(0, b.in_flight - 1);
      b.remaining = std::max<int64_t>(0, *h.remaining - others);
    }
    if (h.concurrent_limit && *h.concurrent_limit > 0) {
      b.server_cap = static_cast<int>(std::min<int64_t>(*h.concurrent_limit, std::max(1, options_.max_concurrency)));
    } else if (h.limit) {
      // A limited endpoint without a concurrent limit: only the window bounds it.
      b.server_cap = std::max(1, options_.max_concurrency_unlimited);
    }
    bool concurrency = status == 429 && body.find("concurrency") != std::string_view::npos;
    // A concurrency 429 while we kept within the limit means another caller shares the budget: give up one slot,
    // and take it back after a run of successes, so two syncs settle on a split instead of colliding forever.
    if (concurrency) {
      b.penalty = std::min(b.penalty + 1, b.server_cap - 1);
      b.ok_streak = 0;
    } else if (status >= 200 && status < 300 && b.penalty > 0 && ++b.ok_streak >= options_.recover_after) {
      --b.penalty;
      b.ok_streak = 0;
    }
    b.penalty = std::clamp(b.penalty, 0, std::max(0, b.server_cap - 1));
    b.cap = b.server_cap - b.penalty;
    if (status == 429) {
      std::chrono::milliseconds wait = options_.min_429_wait;
      if (concurrency) {
        wait = options_.concurrency_retry;
      } else if (const std::string* ra = net::FindHeader(headers, "retry-after")) {
        int64_t secs = 0;
        auto [p, ec] = std::from_chars(ra->data(), ra->data() + ra->size(), secs);
        if (ec == std::errc() && p == ra->data() + ra->size()) {
          wait = std::max(wait, std::chrono::milliseconds(secs * 1000));
        } else if (auto at = ParseHttpDate(*ra); at && skew_.ToLocal(*at) > now) {
          wait = std::max(wait, std::chrono::duration_cast<std::chrono::milliseconds>(skew_.ToLocal(*at) - now));
        }
      } else if (h.reset) {
        auto until = skew_.ToLocal(FromEpochSeconds(*h.reset));
        if (until > now) {
          wait = std::max(wait, std::chrono::duration_cast<std::chrono::milliseconds>(until - now));
        }
      }
      wait = std::min(wait, options_.max_wait);
      wait += Jitter(wait);
      b.remaining = 0;
      b.blocked_until = now + wait;
      retry_after = wait;
    }
  }
  cv_.notify_all();
  return retry_after;
}

int RateLimits::PeakInFlight(const std::string& bucket) const {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(bucket);
  return it == buckets_.end() ? 0 : it->second.peak;
}

int RateLimits::Concurrency(const std::string& bucket) const {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(bucket);
  return it == buckets_.end() ? 1 : EffectiveCap(it->second);
}

std::chrono::milliseconds RateLimits::TotalWaited() const {
  std::lock_guard lock(mu_);
  return waited_;
}

}  // namespace sp::sentry

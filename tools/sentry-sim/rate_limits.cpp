#include "rate_limits.hpp"

#include <algorithm>
#include <cmath>

namespace sp::sentry_sim {

const char* CategoryName(Category c) {
  switch (c) {
    case Category::IP: return "ip";
    case Category::USER: return "user";
    case Category::ORG: return "org";
  }
  return "ip";
}

RateLimitOptions DefaultRateLimitOptions() {
  RateLimitOptions o;
  o.defaults = {{40, 1, 25}, {40, 1, 25}, {40, 1, 25}};
  o.overrides["project_issues"] = {{5, 1, 0}, {5, 1, 0}, {5, 1, 0}};
  o.overrides["issue_detail"] = {{5, 1, 0}, {5, 1, 0}, {5, 1, 0}};
  o.overrides["org_issues"] = {{10, 1, 0}, {10, 1, 0}, {10, 1, 0}};  // assumed (§4.4, PR #122622)
  o.overrides["project_tag_values"] = {{10, 1, 10}, {10, 1, 10}, {20, 1, 5}};
  o.overrides["issue_tag_values"] = {{75, 60, 5}, {150, 60, 10}, {300, 60, 5}};
  o.overrides["members"] = {{40, 1, 0}, {40, 1, 0}, {40, 1, 0}};
  return o;
}

int64_t RateLimiter::InFlight(Bucket& b, int64_t steady_us) {
  auto& r = b.release_times;
  r.erase(std::remove_if(r.begin(), r.end(), [&](int64_t t) { return t <= steady_us; }), r.end());
  return b.active + static_cast<int64_t>(r.size());
}

RateDecision RateLimiter::Begin(const std::string& route, const std::string& method, Category category,
                                const std::string& id, int64_t now_ms, int64_t steady_us) {
  std::lock_guard lock(mu_);
  RateDecision d;
  if (!options_.enabled) return d;
  auto it = options_.overrides.find(route);
  bool own = it != options_.overrides.end();
  const EndpointLimits& el = own ? it->second : options_.defaults;
  RateLimitRule rule = category == Category::ORG ? el.org : category == Category::USER ? el.user : el.ip;
  auto scale = [&](int v) {
    return v <= 0 ? 0 : std::max(1, static_cast<int>(std::lround(v * options_.budget_multiplier)));
  };
  int limit = scale(rule.limit);
  int concurrent = scale(rule.concurrent);
  int window = std::max(1, rule.window_s);
  // sentry-api.md §4.1: endpoints without an override share one bucket per method.
  d.bucket = std::string(CategoryName(category)) + ":default:" + (own ? route + ":" : "") + method + ":" + id;
  Bucket& b = buckets_[d.bucket];
  int64_t now_s = now_ms / 1000;
  int64_t window_start = now_s / window * window;
  if (b.window_start != window_start) {
    b.window_start = window_start;
    b.count = 0;
  }
  ++b.count;  // counting continues while limited
  int64_t reset = window_start + window;
  int64_t remaining = std::max<int64_t>(0, limit - b.count);
  d.headers = true;
  auto conc_str = [&](int64_t v) { return concurrent > 0 ? std::to_string(v) : std::string("None"); };
  if (b.count > limit) {
    d.allowed = false;
    d.reason = "window";
    ++rejections_;
    d.header_list = {{"X-Sentry-Rate-Limit-Remaining", "0"},
                     {"X-Sentry-Rate-Limit-Limit", std::to_string(limit)},
                     {"X-Sentry-Rate-Limit-Reset", std::to_string(reset)},
                     {"X-Sentry-Rate-Limit-ConcurrentRemaining", "None"},  // not evaluated once the window is spent
                     {"X-Sentry-Rate-Limit-ConcurrentLimit", conc_str(concurrent)}};
    d.body = "{\"detail\":\"You are attempting to use this endpoint too frequently. Limit is " + std::to_string(limit) +
             " requests in " + std::to_string(window) + " seconds\"}";
    return d;
  }
  int64_t before = InFlight(b, steady_us);
  d.in_flight = before + 1;
  if (concurrent > 0 && options_.enforce_concurrency && before >= concurrent) {
    d.allowed = false;
    d.reason = "concurrency";
    ++rejections_;
    d.header_list = {{"X-Sentry-Rate-Limit-Remaining", std::to_string(remaining)},
                     {"X-Sentry-Rate-Limit-Limit", std::to_string(limit)},
                     {"X-Sentry-Rate-Limit-Reset", std::to_string(reset)},
                     {"X-Sentry-Rate-Limit-ConcurrentRemaining", "0"},
                     {"X-Sentry-Rate-Limit-ConcurrentLimit", std::to_string(concurrent)}};
    d.body =
        "{\"detail\":\"You are attempting to go above the allowed concurrency for this endpoint. Concurrency "
        "limit is " +
        std::to_string(concurrent) + "\"}";
    return d;
  }
  ++b.active;
  b.max_in_flight = std::max(b.max_in_flight, d.in_flight);
  d.header_list = {
      {"X-Sentry-Rate-Limit-Remaining", std::to_string(remaining)},
      {"X-Sentry-Rate-Limit-Limit", std::to_string(limit)},
      {"X-Sentry-Rate-Limit-Reset", std::to_string(reset)},
      {"X-Sentry-Rate-Limit-ConcurrentRemaining", conc_str(std::max<int64_t>(0, concurrent - d.in_flight))},
      {"X-Sentry-Rate-Limit-ConcurrentLimit", conc_str(concurrent)}};
  return d;
}

void RateLimiter::Finish(const std::string& bucket, int64_t release_steady_us) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return;
  if (it->second.active > 0) --it->second.active;
  it->second.release_times.push_back(release_steady_us);
}

RateLimitOptions RateLimiter::options() const {
  std::lock_guard lock(mu_);
  return options_;
}

void RateLimiter::SetOptions(RateLimitOptions options) {
  std::lock_guard lock(mu_);
  options_ = std::move(options);
}

std::map<std::string, int64_t> RateLimiter::MaxInFlight() const {
  std::lock_guard lock(mu_);
  std::map<std::string, int64_t> out;
  for (const auto& [k, b] : buckets_) out[k] = b.max_in_flight;
  return out;
}

int64_t RateLimiter::Rejections() const {
  std::lock_guard lock(mu_);
  return rejections_;
}

void RateLimiter::ResetStats() {
  std::lock_guard lock(mu_);
  rejections_ = 0;
  for (auto& [k, b] : buckets_) b.max_in_flight = 0;
}

void RateLimiter::ResetWindows() {
  std::lock_guard lock(mu_);
  buckets_.clear();
}

}  // namespace sp::sentry_sim

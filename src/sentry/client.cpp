#include "sentry/client.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "json/parse.hpp"
#include "sentry/link_header.hpp"

namespace sp::sentry {
namespace {

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

std::string DescribeFailure(int status, const std::string& body) {
  std::string detail;
  auto parsed = json::Parse(body);
  if (parsed.ok() && parsed->IsObject()) {
    if (const json::Value* d = parsed->Find("detail")) {
      if (d->IsString()) {
        detail = std::string(d->AsString());
      } else if (d->IsObject()) {
        if (const json::Value* m = d->Find("message"); m != nullptr && m->IsString()) {
          detail = std::string(m->AsString());
        }
      }
    }
  }
  std::string out = "HTTP " + std::to_string(status);
  if (!detail.empty()) out += ": " + detail;
  return out;
}

SentryClient::SentryClient(SentryClientOptions options, net::HttpClient& http)
    : options_(std::move(options)),
      http_(http),
      limits_(options_.rate_limits),
      retry_(options_.retry),
      api_base_(TrimSlash(options_.host) + "/api/0/") {}

std::string SentryClient::Url(const std::string& path, const Params& params, const std::string& cursor) const {
  std::string url = api_base_ + path;
  char sep = '?';
  for (const auto& [k, v] : params) {
    url += sep;
    url += net::UrlEncode(k);
    url += '=';
    url += net::UrlEncode(v);
    sep = '&';
  }
  if (!cursor.empty()) {
    url += sep;
    url += "cursor=";
    url += net::UrlEncode(cursor);
  }
  return url;
}

void SentryClient::CountCall(const std::string& bucket) {
  std::lock_guard lock(stats_mu_);
  ++calls_[bucket];
}

std::map<std::string, uint64_t> SentryClient::CallsPerBucket() const {
  std::lock_guard lock(stats_mu_);
  return calls_;
}

uint64_t SentryClient::TotalCalls() const {
  std::lock_guard lock(stats_mu_);
  uint64_t total = 0;
  for (const auto& [_, n] : calls_) total += n;
  return total;
}

SentryClient::Exchange SentryClient::Request(const std::string& bucket, const std::string& url) {
  net::ClientRequest req;
  req.method = "GET";
  req.url = url;
  req.headers = {{"Authorization", "Bearer " + options_.token}, {"Accept", "application/json"}};
  req.timeout = options_.request_timeout;
  Exchange ex;
  // Calls are counted per endpoint template; the limiter shares one budget among endpoints without their own.
  const std::string limiter_bucket = LimiterBucket(bucket);
  int failures = 0;      // 5xx, resets, timeouts
  int rate_limited = 0;  // 429s
  for (int attempt = 1;; ++attempt) {
    RateLimits::Permit permit = limits_.Acquire(limiter_bucket);
    CountCall(bucket);
    SysTime sent = limits_.Now();
    auto res = http_.Send(req);
    std::optional<std::chrono::milliseconds> wait;
    RetryClass cls;
    if (!res.ok()) {
      ex.transport_error = true;
      ex.transport_message = res.error().message;
      ex.response = {};
      cls = RetryClass::TRANSIENT;
    } else {
      ex.transport_error = false;
      ex.response = std::move(res).value();
      wait = limits_.OnResponse(limiter_bucket, ex.response.status, ex.response.headers, ex.response.body, sent);
      cls = Classify(false, ex.response.status, ex.response.body);
    }
    // Released after OnResponse: the answer to a bucket's first request sets its concurrency before the
    // waiting requests start.
    permit.Release();
    if (cls == RetryClass::DONE) return ex;
    bool limited = cls == RetryClass::RATE_LIMIT;
    int& count = limited ? rate_limited : failures;
    ++count;
    bool spent = limited ? count > retry_.max_rate_limited() : count >= retry_.max_attempts();
    if (spent || !retry_.TakeRetry()) return ex;
    auto delay = limited && wait ? *wait : retry_.Backoff(count);
    spdlog::debug("Retrying Sentry request to {} after {} ms (attempt {}, {})", bucket, delay.count(), attempt,
                  ex.transport_error ? ex.transport_message : "HTTP " + std::to_string(ex.response.status));
    std::this_thread::sleep_for(delay);
  }
}

namespace {

// Turns a finished exchange into a CallStatus, or leaves it COMPLETE for 2xx.
void ClassifyOutcome(const std::string& scope_label, bool transport_error, const std::string& transport_message,
                     const net::ClientResponse& resp, CallStatus& st) {
  st.http_status = transport_error ? 0 : resp.status;
  if (transport_error) {
    st.state = model::ScopeState::FAILED;
    st.reason = scope_label + ": " + transport_message;
    return;
  }
  int s = resp.status;
  if (s >= 200 && s < 300) return;
  if (s == 401) {
    st.state = model::ScopeState::FAILED;
    st.unauthenticated = true;
  } else if (s == 403) {
    st.state = model::ScopeState::DENIED;
  } else {
    st.state = model::ScopeState::FAILED;
    st.not_found = s == 404;
  }
  st.reason = scope_label + ": " + DescribeFailure(s, resp.body);
}

}  // namespace

CallStatus SentryClient::Get(const std::string& bucket, const std::string& path, const Params& params,
                             json::Value& out) {
  CallStatus st;
  Exchange ex = Request(bucket, Url(path, params, ""));
  ClassifyOutcome(path, ex.transport_error, ex.transport_message, ex.response, st);
  if (st.state != model::ScopeState::COMPLETE) return st;
  auto parsed = json::Parse(ex.response.body);
  if (!parsed.ok()) {
    st.state = model::ScopeState::FAILED;
    st.reason = path + ": malformed JSON from Sentry (" + parsed.error().message + ")";
    return st;
  }
  out = std::move(parsed).value();
  st.pages = 1;
  return st;
}

CallStatus SentryClient::List(const std::string& bucket, const std::string& path, const Params& params,
                              const std::function<bool(std::vector<json::Value>&&)>& on_page) {
  CallStatus st;
  std::string cursor;
  int malformed_retries = 0;
  while (true) {
    Exchange ex = Request(bucket, Url(path, params, cursor));
    ClassifyOutcome(path, ex.transport_error, ex.transport_message, ex.response, st);
    if (st.state != model::ScopeState::COMPLETE) return st;
    auto parsed = json::Parse(ex.response.body);
    if (!parsed.ok() || !parsed->IsArray()) {
      // A truncated or garbled page is transient more often than not (proxies, faults): retry a few times.
      if (malformed_retries++ < 3 && retry_.TakeRetry()) continue;
      st.state = model::ScopeState::FAILED;
      st.reason = path + ": malformed page from Sentry (" +
                  (parsed.ok() ? std::string("not a JSON array") : parsed.error().message) + ")";
      return st;
    }
    malformed_retries = 0;
    std::vector<json::Value> items(parsed->Items().begin(), parsed->Items().end());
    st.items += items.size();
    ++st.pages;
    if (!on_page(std::move(items))) return st;
    const std::string* link = ex.response.Header("link");
    if (link == nullptr) return st;  // §3.1: no Link header means a single page
    auto next = NextCursor(*link);
    if (!next) return st;
    if (*next == cursor) {
      st.state = model::ScopeState::FAILED;
      st.reason = path + ": Sentry returned the same cursor twice (" + cursor + "); stopping to avoid a loop";
      return st;
    }
    if (st.pages >= options_.max_pages) {
      st.state = model::ScopeState::FAILED;
      st.reason = path + ": more than " + std::to_string(options_.max_pages) + " pages";
      return st;
    }
    cursor = std::move(*next);
  }
}

Result<json::Value> SentryClient::Connect() {
  json::Value org;
  std::string path = "organizations/" + net::UrlEncode(options_.organization) + "/";
  CallStatus st = Get("organizations/{org}/", path, {}, org);
  if (st.unauthenticated) {
    return Error(ErrorCode::UNAUTHENTICATED,
                 "Sentry rejected the token (" + st.reason + "); check OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN",
                 "sentry");
  }
  if (st.state == model::ScopeState::DENIED) {
    return Error(ErrorCode::PERMISSION_DENIED,
                 "the token cannot read the organization (" + st.reason + "); it needs the org:read scope", "sentry");
  }
  if (st.not_found) {
    return Error(ErrorCode::NOT_FOUND,
                 "organization '" + options_.organization + "' not found (" + st.reason +
                     "); check OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION",
                 "sentry");
  }
  if (st.state != model::ScopeState::COMPLETE) {
    return Error(ErrorCode::UNAVAILABLE, "cannot reach Sentry: " + st.reason, "sentry");
  }
  if (!org.IsObject()) return Error(ErrorCode::UNAVAILABLE, "organization response is not an object", "sentry");
  bool saas = TrimSlash(options_.host) == "https://sentry.io";
  bool discover = options_.region == SentryClientOptions::Region::ALWAYS ||
                  (options_.region == SentryClientOptions::Region::AUTO && saas);
  if (discover) {
    const json::Value* links = org.Find("links");
    const json::Value* region = links != nullptr ? links->Find("regionUrl") : nullptr;
    if (region != nullptr && region->IsString() && !region->AsString().empty()) {
      std::string base = TrimSlash(std::string(region->AsString())) + "/api/0/";
      if (base != api_base_) {
        spdlog::info("Using Sentry region {} for organization {}", region->AsString(), options_.organization);
        api_base_ = base;
      }
    }
  }
  organization_ = org;
  return org;
}

}  // namespace sp::sentry

#include "webhooks.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>

#include "net/http_client.hpp"
#include "signature.hpp"

namespace sp::sentry_sim {

namespace {

void Actor(JsonOut& j, const WebhookActor& a) {
  j.Key("actor").BeginObject();
  switch (a.type) {
    case WebhookActor::Type::USER: j.KV("type", "user").KInt("id", a.user_id).KV("name", a.name); break;
    case WebhookActor::Type::APPLICATION: j.KV("type", "application").KV("id", a.app_uuid).KV("name", a.name); break;
    case WebhookActor::Type::SENTRY: j.KV("type", "application").KV("id", "sentry").KV("name", "Sentry"); break;
  }
  j.EndObject();
}

}  // namespace

std::string BuildIssueWebhookBody(const Dataset& d, uint64_t seed, Micros now, uint32_t issue,
                                  const std::string& action, const std::string& installation_uuid,
                                  const WebhookActor& actor, const std::function<void(JsonOut&)>& before_issue,
                                  const std::function<void(JsonOut&)>& after_issue, const std::string& api_base) {
  std::string out;
  JsonOut j(out, /*ascii=*/true);
  j.BeginObject().KV("action", action);
  j.Key("installation").BeginObject().KV("uuid", installation_uuid).EndObject();
  j.Key("data").BeginObject();
  if (before_issue) before_issue(j);
  IssueRenderOptions o;
  o.seed = seed;
  o.now = now;
  o.webhook = true;
  o.stats_period = "";
  o.lifetime = false;
  o.filtered = false;
  // sentry-api.md §5.4: issue.created dates come from isoformat() ("+00:00"); workflow ones from the encoder.
  o.webhook_dates = action == "created" ? IsoStyle::PY_ISOFORMAT : IsoStyle::FIXED_MICROS;
  o.created_urls = action == "created";
  o.api_base = api_base;
  j.Key("issue");
  RenderIssue(j, d, issue, o);
  if (after_issue) after_issue(j);
  j.EndObject();
  Actor(j, actor);
  j.EndObject();
  return out;
}

std::string BuildCommentWebhookBody(const Dataset& d, const Comment& c, const std::string& action,
                                    const std::string& installation_uuid, const WebhookActor& actor) {
  std::string out;
  JsonOut j(out, /*ascii=*/true);
  j.BeginObject().KV("action", action);
  j.Key("installation").BeginObject().KV("uuid", installation_uuid).EndObject();
  const Issue& is = d.issues[d.issue_by_id.at(c.issue_id)];
  j.Key("data").BeginObject().KInt("comment_id", static_cast<int64_t>(c.id));
  j.KInt("issue_id", static_cast<int64_t>(c.issue_id)).KV("project_slug", d.projects[is.project].slug);
  j.KV("timestamp", FormatIso(c.date, IsoStyle::FIXED_MICROS)).KV("comment", c.text).EndObject();
  Actor(j, actor);
  j.EndObject();
  return out;
}

namespace {

net::HttpClientOptions DeliveryClientOptions() {
  net::HttpClientOptions o;
  o.max_in_flight = 4;
  o.connect_timeout = std::chrono::milliseconds(1000);
  o.request_timeout = std::chrono::milliseconds(1000);  // sentry-apps.webhook.timeout.sec (§5.5)
  o.user_agent = "sentry/26.1.0 (https://sentry.io)";
  return o;
}

}  // namespace

struct WebhookEmitter::ClientHolder {
  net::HttpClient client{DeliveryClientOptions()};
};

WebhookEmitter::WebhookEmitter(uint64_t seed, std::function<int64_t()> now_s)
    : client_(std::make_unique<ClientHolder>()), now_s_(std::move(now_s)), rng_state_(Hash(seed, 0x400C)) {
  thread_ = std::thread([this] { Run(); });
}

WebhookEmitter::~WebhookEmitter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WebhookEmitter::Enqueue(std::string url, std::string secret, std::string resource, std::string action,
                             std::string body, std::string installation_uuid) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back({std::move(url), std::move(secret), std::move(resource), std::move(action), std::move(body),
                      std::move(installation_uuid),
                      std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms_)});
  }
  cv_.notify_all();
}

bool WebhookEmitter::FaultNext(const std::string& kind, int count) {
  if (kind != "duplicate" && kind != "bad_signature" && kind != "stale_timestamp" && kind != "truncated_body" &&
      kind != "wrong_installation")
    return false;
  std::lock_guard lock(mu_);
  for (int i = 0; i < count; ++i) faults_.push_back(kind);
  return true;
}

void WebhookEmitter::SetDelivery(int delay_ms, bool reorder) {
  {
    std::lock_guard lock(mu_);
    delay_ms_ = std::max(0, delay_ms);
    reorder_ = reorder;
  }
  cv_.notify_all();
}

std::pair<int, bool> WebhookEmitter::Delivery() const {
  std::lock_guard lock(mu_);
  return {delay_ms_, reorder_};
}

void WebhookEmitter::Flush(int timeout_ms) {
  std::unique_lock lock(mu_);
  idle_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return queue_.empty() && !busy_; });
}

std::vector<DeliveryRecord> WebhookEmitter::Records() const {
  std::lock_guard lock(mu_);
  return records_;
}

void WebhookEmitter::ClearRecords() {
  std::lock_guard lock(mu_);
  records_.clear();
}

void WebhookEmitter::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (stop_) return;
      continue;
    }
    // The oldest due job goes first. With reorder_, once the oldest is due the newest queued job goes first:
    // changes made within the delay arrive in reverse order. When stopping, everything is due (bounded
    // shutdown).
    auto now = stop_ ? std::chrono::steady_clock::time_point::max() : std::chrono::steady_clock::now();
    auto pick = queue_.end();
    auto earliest = queue_.front().due;
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      earliest = std::min(earliest, it->due);
      if (it->due <= now && pick == queue_.end()) pick = it;
    }
    if (pick == queue_.end()) {
      cv_.wait_until(lock, earliest);
      continue;
    }
    if (reorder_) pick = std::prev(queue_.end());
    Job job = std::move(*pick);
    queue_.erase(pick);
    std::string fault;
    if (!faults_.empty()) {
      fault = faults_.front();
      faults_.pop_front();
    }
    busy_ = true;
    lock.unlock();
    Deliver(job, fault);
    if (fault == "duplicate") Deliver(job, "duplicate");
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
}

void WebhookEmitter::Deliver(const Job& job, const std::string& fault) {
  DeliveryRecord rec;
  std::string request_id;
  {
    std::lock_guard lock(mu_);
    rec.seq = ++seq_;
    Rng rng(Hash(rng_state_, rec.seq));
    request_id = HexId(rng, 32);  // uuid4().hex: fresh per attempt
  }
  std::string body = job.body;
  if (fault == "wrong_installation") {
    auto pos = body.find(job.installation_uuid);
    if (pos != std::string::npos)
      body.replace(pos, job.installation_uuid.size(), "00000000-0000-4000-8000-000000000000");
  }
  std::string signature = SignBody(job.secret, body);
  if (fault == "bad_signature") signature[0] = signature[0] == '0' ? '1' : '0';
  int64_t ts = now_s_();
  if (fault == "stale_timestamp") ts -= 3600;
  if (fault == "truncated_body") body.resize(body.size() / 2);  // signed over the full body, sent cut
  rec.request_id = request_id;
  rec.resource = job.resource;
  rec.action = job.action;
  rec.url = job.url;
  rec.timestamp = std::to_string(ts);
  rec.signature = signature;
  rec.fault = fault;
  rec.body_bytes = body.size();
  net::ClientRequest req;
  req.method = "POST";
  req.url = job.url;
  req.body = body;
  req.timeout = std::chrono::milliseconds(1000);
  req.headers = {{"Content-Type", "application/json"},
                 {"Request-ID", request_id},
                 {"Sentry-Hook-Resource", job.resource},
                 {"Sentry-Hook-Timestamp", rec.timestamp},
                 {"Sentry-Hook-Signature", signature}};
  auto res = client_->client.Send(req);
  if (res.ok()) {
    rec.status = res->status;
  } else {
    rec.error = res.error().message;  // internal integrations: no retry, the delivery is lost
  }
  std::lock_guard lock(mu_);
  records_.push_back(std::move(rec));
}

}  // namespace sp::sentry_sim

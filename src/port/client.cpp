#include "port/client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <mutex>
#include <random>
#include <thread>

#include "base/parallel.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::port {
namespace {

std::string Quote(std::string_view s) {
  return net::UrlEncode(s);
}

std::string BoolParam(bool b) {
  return b ? "true" : "false";
}

std::string ErrorText(const PortResponse& r) {
  std::string out = "HTTP " + std::to_string(r.status);
  if (r.body.IsObject()) {
    if (const json::Value* e = r.body.Find("error"); e != nullptr && e->IsString()) {
      out += " " + std::string(e->AsString());
    }
    if (const json::Value* m = r.body.Find("message"); m != nullptr && m->IsString()) {
      out += ": " + std::string(m->AsString());
    }
  }
  return out;
}

ErrorCode CodeFor(int status) {
  if (status == 401) return ErrorCode::UNAUTHENTICATED;
  if (status == 403) return ErrorCode::PERMISSION_DENIED;
  if (status == 404) return ErrorCode::NOT_FOUND;
  if (status == 429) return ErrorCode::RATE_LIMITED;
  if (status >= 500) return ErrorCode::UNAVAILABLE;
  return ErrorCode::INVALID_ARGUMENT;
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseRetryAfter(const net::Headers& headers,
                                                         std::chrono::system_clock::time_point now) {
  for (const char* name : {"retry-after", "x-ratelimit-reset"}) {
    const std::string* v = net::FindHeader(headers, name);
    if (v == nullptr || v->empty()) continue;
    int64_t n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec == std::errc() && p == v->data() + v->size() && n >= 0) {
      if (n <= 10000) return std::chrono::milliseconds(n * 1000);
      auto until = std::chrono::system_clock::time_point(std::chrono::seconds(n));
      if (until <= now) return std::chrono::milliseconds(0);
      return std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
    }
    std::tm tm{};
    const char* end = strptime(v->c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
    if (end == nullptr) end = strptime(v->c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (end != nullptr) {
      auto until = std::chrono::system_clock::from_time_t(timegm(&tm));
      if (until > now) return std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
      return std::chrono::milliseconds(0);
    }
  }
  return std::nullopt;
}

std::vector<std::pair<size_t, size_t>> ChunkEntities(const std::vector<json::Value>& entities, size_t max_len,
                                                     size_t max_bytes) {
  std::vector<std::pair<size_t, size_t>> out;
  max_len = std::max<size_t>(1, max_len);
  size_t begin = 0;
  size_t bytes = 0;
  // {"entities":[...]} plus commas: a small constant overhead per request and per entity.
  constexpr size_t kEnvelope = 16;
  for (size_t i = 0; i < entities.size(); ++i) {
    size_t size = json::ToJson(entities[i]).size() + 1;
    bool full = (i - begin) >= max_len || (i > begin && kEnvelope + bytes + size > max_bytes);
    if (full) {
      out.emplace_back(begin, i);
      begin = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (begin < entities.size()) out.emplace_back(begin, entities.size());
  return out;
}

PortClient::PortClient(PortClientOptions options, net::HttpClient& http)
    : options_(std::move(options)), http_(http), tokens_([this] { return FetchToken(); }), api_(options_.base_url) {
  while (!api_.empty() && api_.back() == '/') api_.pop_back();
  api_ += "/v1";
}

std::string PortClient::UserAgent(bool exporter) const {
  std::string ua = "port-ocean/" + options_.integration_type + "/" + options_.integration_version + "/" +
                   options_.integration_identifier;
  if (exporter) ua += "/exporter";
  return ua;
}

std::string PortClient::DatasourcePrefix() const {
  return "port-ocean/" + options_.integration_type + "/";
}
std::string PortClient::DatasourceSuffix() const {
  return "/" + options_.integration_identifier + "/exporter";
}

Result<std::pair<std::string, std::chrono::seconds>> PortClient::FetchToken() {
  json::Value body = json::Value::Object();
  body.Set("clientId", json::Value::String(options_.client_id));
  body.Set("clientSecret", json::Value::String(options_.client_secret));
  net::ClientRequest req;
  req.method = "POST";
  req.url = api_ + "/auth/access_token";
  req.headers = {{"Content-Type", "application/json"}, {"User-Agent", UserAgent(false)}};
  req.body = json::ToJson(body);
  for (int attempt = 1;; ++attempt) {
    ++calls_;
    auto res = http_.Send(req);
    bool retry = false;
    if (!res.ok()) {
      retry = true;
    } else if (res->status == 200) {
      auto parsed = json::Parse(res->body);
      const json::Value* token = parsed.ok() ? parsed->Find("accessToken") : nullptr;
      const json::Value* type = parsed.ok() ? parsed->Find("tokenType") : nullptr;
      const json::Value* expires = parsed.ok() ? parsed->Find("expiresIn") : nullptr;
      if (token == nullptr || !token->IsString()) {
        return Error(ErrorCode::UNAVAILABLE, "Port's token response has no accessToken", "port auth");
      }
      std::string header = (type != nullptr && type->IsString() ? std::string(type->AsString()) : "Bearer") + " " +
                           std::string(token->AsString());
      int64_t secs = expires != nullptr && expires->IsNumber() ? static_cast<int64_t>(expires->AsNumber()) : 3600;
      return std::make_pair(std::move(header), std::chrono::seconds(std::max<int64_t>(1, secs)));
    } else if (res->status == 401 || res->status == 403 || res->status == 400 || res->status == 422) {
      // Wrong credentials are a configuration error: fail now instead of backing off for minutes (§11.8).
      return Error(ErrorCode::UNAUTHENTICATED,
                   "Port rejected the client credentials (HTTP " + std::to_string(res->status) +
                       "); check OCEAN__PORT__CLIENT_ID and OCEAN__PORT__CLIENT_SECRET",
                   "port auth");
    } else {
      retry = res->status == 429 || res->status >= 500;
    }
    if (!retry || attempt >= options_.max_attempts) {
      return Error(
          ErrorCode::UNAVAILABLE,
          "cannot get a Port access token: " + (res.ok() ? "HTTP " + std::to_string(res->status) : res.error().message),
          "port auth");
    }
    std::this_thread::sleep_for(RetryDelay(res.ok() ? res->headers : net::Headers{}, attempt));
  }
}

std::chrono::milliseconds PortClient::RetryDelay(const net::Headers& headers, int retry) const {
  if (auto ra = ParseRetryAfter(headers, std::chrono::system_clock::now())) {
    return std::min(*ra, std::chrono::milliseconds(300000));
  }
  // 0.3 s x 2^(n-1), +-10 % (port-api.md §1.6), capped.
  int shift = std::clamp(retry - 1, 0, 16);
  int64_t base = std::min<int64_t>(options_.base_delay.count() << shift, options_.max_delay.count());
  static thread_local std::minstd_rand rng(std::random_device{}());
  int64_t jitter = base / 10 > 0 ? static_cast<int64_t>(rng() % static_cast<uint64_t>(base / 5 + 1)) - base / 10 : 0;
  return std::chrono::milliseconds(std::max<int64_t>(0, base + jitter));
}

Status PortClient::Authenticate() {
  auto t = tokens_.Get();
  if (!t.ok()) return t.error();
  return {};
}

Result<PortResponse> PortClient::Call(std::string_view method, std::string_view path, const net::Headers& extra_headers,
                                      const json::Value* body, bool idempotent, bool exporter) {
  net::ClientRequest req;
  req.method = std::string(method);
  req.url = api_ + std::string(path);
  if (body != nullptr) req.body = json::ToJson(*body);
  bool refreshed = false;
  for (int attempt = 1;; ++attempt) {
    auto token = tokens_.Get();
    if (!token.ok()) return token.error();
    req.headers = {{"Authorization", token->header}, {"User-Agent", UserAgent(exporter)}};
    if (body != nullptr) req.headers.emplace_back("Content-Type", "application/json");
    for (const auto& h : extra_headers) req.headers.push_back(h);
    ++calls_;
    auto res = http_.Send(req);
    if (res.ok() && res->status == 401 && !refreshed) {
      // The server may revoke a token before its local expiry: refresh once and resend (any method: a 401
      // means the request was not processed).
      tokens_.Invalidate(token->generation);
      refreshed = true;
      --attempt;
      continue;
    }
    bool transient = !res.ok() || res->status == 429 || res->status == 502 || res->status == 503 ||
                     res->status == 504 || res->status == 408 || res->status == 500;
    if (transient && idempotent && attempt < options_.max_attempts) {
      auto delay = RetryDelay(res.ok() ? res->headers : net::Headers{}, attempt);
      spdlog::debug("Retrying Port {} {} in {} ms ({})", method, path, delay.count(),
                    res.ok() ? "HTTP " + std::to_string(res->status) : res.error().message);
      std::this_thread::sleep_for(delay);
      continue;
    }
    if (!res.ok())
      return Error(ErrorCode::UNAVAILABLE, res.error().message, std::string(method) + " " + std::string(path));
    PortResponse out;
    out.status = res->status;
    out.headers = std::move(res->headers);
    if (!res->body.empty()) {
      auto parsed = json::Parse(res->body);
      if (parsed.ok()) out.body = std::move(parsed).value();
    }
    return out;
  }
}

Result<json::Value> PortClient::GetIntegration() {
  auto r = Call("GET", "/integration/" + Quote(options_.integration_identifier), {}, nullptr, true, false);
  if (!r.ok()) return r.error();
  if (r->status == 404) return json::Value();
  if (r->status != 200) return Error(CodeFor(r->status), ErrorText(*r), "GET integration");
  const json::Value* integ = r->body.Find("integration");
  return integ != nullptr ? *integ : json::Value();
}

Result<json::Value> PortClient::CreateIntegration(const json::Value& body) {
  auto r = Call("POST", "/integration", {}, &body, false, false);
  if (!r.ok()) return r.error();
  if (r->status == 409) return GetIntegration();  // created meanwhile: treat as existing (§3.6)
  if (r->status != 200 && r->status != 201) return Error(CodeFor(r->status), ErrorText(*r), "POST integration");
  const json::Value* integ = r->body.Find("integration");
  return integ != nullptr ? *integ : json::Value();
}

Result<json::Value> PortClient::PatchIntegration(const json::Value& body) {
  // A PATCH of the same fields is safe to repeat, so it is retried like an idempotent call.
  auto r = Call("PATCH", "/integration/" + Quote(options_.integration_identifier), {}, &body, true, false);
  if (!r.ok()) return r.error();
  if (r->status != 200) return Error(CodeFor(r->status), ErrorText(*r), "PATCH integration");
  const json::Value* integ = r->body.Find("integration");
  return integ != nullptr ? *integ : json::Value();
}

Result<json::Value> PortClient::PatchIntegrationConfig(const json::Value& config) {
  json::Value body = json::Value::Object();
  body.Set("config", config);
  auto r = Call("PATCH", "/integration/" + Quote(options_.integration_identifier) + "/config", {}, &body, true, false);
  if (!r.ok()) return r.error();
  if (r->status != 200) return Error(CodeFor(r->status), ErrorText(*r), "PATCH integration config");
  const json::Value* integ = r->body.Find("integration");
  return integ != nullptr ? *integ : json::Value();
}

Status PortClient::PatchResyncState(const json::Value& body) {
  auto r =
      Call("PATCH", "/integration/" + Quote(options_.integration_identifier) + "/resync-state", {}, &body, true, false);
  if (!r.ok()) return r.error();
  if (r->status != 200) return Error(CodeFor(r->status), ErrorText(*r), "PATCH resync-state");
  return {};
}

Result<json::Value> PortClient::GetBlueprint(std::string_view id) {
  auto r = Call("GET", "/blueprints/" + std::string(id), {}, nullptr, true, false);
  if (!r.ok()) return r.error();
  if (r->status == 404) return json::Value();
  if (r->status != 200) return Error(CodeFor(r->status), ErrorText(*r), "GET blueprint " + std::string(id));
  const json::Value* bp = r->body.Find("blueprint");
  return bp != nullptr ? *bp : json::Value();
}

Status PortClient::CreateBlueprint(const json::Value& blueprint) {
  auto r = Call("POST", "/blueprints", {}, &blueprint, false, true);
  if (!r.ok()) return r.error();
  if (r->status != 200 && r->status != 201) return Error(CodeFor(r->status), ErrorText(*r), "POST blueprint");
  return {};
}

Status PortClient::PatchBlueprint(std::string_view id, const json::Value& blueprint) {
  auto r = Call("PATCH", "/blueprints/" + std::string(id), {}, &blueprint, true, true);
  if (!r.ok()) return r.error();
  if (r->status != 200) return Error(CodeFor(r->status), ErrorText(*r), "PATCH blueprint " + std::string(id));
  return {};
}

Status PortClient::DeleteBlueprint(std::string_view id) {
  auto r = Call("DELETE", "/blueprints/" + std::string(id), {}, nullptr, true, true);
  if (!r.ok()) return r.error();
  if (r->status != 200 && r->status != 404) {
    return Error(CodeFor(r->status), ErrorText(*r), "DELETE blueprint " + std::string(id));
  }
  return {};
}

model::EntityResult PortClient::UpsertEntity(std::string_view blueprint, const json::Value& entity,
                                             const model::WriteOptions& options) {
  model::EntityResult res;
  std::string path = "/blueprints/" + std::string(blueprint) +
                     "/entities?upsert=true&merge=" + BoolParam(options.merge) +
                     "&create_missing_related_entities=" + BoolParam(options.create_missing_related_entities) +
                     "&validation_only=false";
  const json::Value* id = entity.Find("identifier");
  if (id != nullptr && id->IsString()) res.identifier = std::string(id->AsString());
  auto r = Call("POST", path, {}, &entity, true, true);
  if (!r.ok()) {
    res.status = 0;
    res.message = r.error().message;
    return res;
  }
  res.status = r->status;
  if (r->status == 200 || r->status == 201) {
    res.ok = true;
    res.created = r->status == 201;
    if (const json::Value* e = r->body.Find("entity")) {
      if (const json::Value* cid = e->Find("identifier"); cid != nullptr && cid->IsString()) {
        res.identifier = std::string(cid->AsString());
      }
    }
    return res;
  }
  if (const json::Value* e = r->body.Find("error"); e != nullptr && e->IsString())
    res.error = std::string(e->AsString());
  if (const json::Value* m = r->body.Find("message"); m != nullptr && m->IsString()) {
    res.message = std::string(m->AsString());
  }
  return res;
}

void PortClient::UpsertChunk(std::string_view blueprint, const std::vector<json::Value>& entities, size_t begin,
                             size_t end, const model::WriteOptions& options, std::vector<model::EntityResult>& out) {
  json::Value body = json::Value::Object();
  json::Value list = json::Value::Array();
  for (size_t i = begin; i < end; ++i) list.Append(entities[i]);
  body.Set("entities", std::move(list));
  std::string path = "/blueprints/" + std::string(blueprint) +
                     "/entities/bulk?upsert=true&merge=" + BoolParam(options.merge) +
                     "&create_missing_related_entities=" + BoolParam(options.create_missing_related_entities) +
                     "&validation_only=false";
  auto r = Call("POST", path, {}, &body, true, true);
  auto fail_all = [&](int status, const std::string& error, const std::string& message) {
    for (size_t i = begin; i < end; ++i) {
      out[i].ok = false;
      out[i].status = status;
      out[i].error = error;
      out[i].message = message;
    }
  };
  if (!r.ok()) {
    fail_all(0, "transport", r.error().message);
    return;
  }
  if (r->status == 413 && end - begin > 1) {
    // Too large for one request: halve until it fits (a single oversized entity fails on its own).
    size_t mid = begin + (end - begin) / 2;
    UpsertChunk(blueprint, entities, begin, mid, options, out);
    UpsertChunk(blueprint, entities, mid, end, options, out);
    return;
  }
  if (r->status != 200 && r->status != 207) {
    std::string error, message;
    if (const json::Value* e = r->body.Find("error"); e != nullptr && e->IsString()) error = std::string(e->AsString());
    if (const json::Value* m = r->body.Find("message"); m != nullptr && m->IsString())
      message = std::string(m->AsString());
    fail_all(r->status, error, message.empty() ? ErrorText(*r) : message);
    return;
  }
  // 200/207: per-item results by request index (§3.5.2). An index missing from both lists is a failure.
  std::vector<char> seen(end - begin, 0);
  if (const json::Value* ok = r->body.Find("entities"); ok != nullptr && ok->IsArray()) {
    for (const auto& e : ok->Items()) {
      const json::Value* idx = e.Find("index");
      if (idx == nullptr || !idx->IsNumber()) continue;
      auto k = static_cast<size_t>(idx->AsNumber());
      if (k >= end - begin) continue;
      auto& res = out[begin + k];
      res.ok = true;
      res.status = 200;
      if (const json::Value* c = e.Find("created"); c != nullptr) res.created = c->AsBool();
      if (const json::Value* id = e.Find("identifier"); id != nullptr && id->IsString()) {
        res.identifier = std::string(id->AsString());
      }
      seen[k] = 1;
    }
  }
  if (const json::Value* errs = r->body.Find("errors"); errs != nullptr && errs->IsArray()) {
    for (const auto& e : errs->Items()) {
      const json::Value* idx = e.Find("index");
      if (idx == nullptr || !idx->IsNumber()) continue;
      auto k = static_cast<size_t>(idx->AsNumber());
      if (k >= end - begin) continue;
      auto& res = out[begin + k];
      res.ok = false;
      if (const json::Value* s = e.Find("statusCode"); s != nullptr && s->IsNumber()) {
        res.status = static_cast<int>(s->AsNumber());
      }
      if (const json::Value* c = e.Find("error"); c != nullptr && c->IsString()) res.error = std::string(c->AsString());
      if (const json::Value* m = e.Find("message"); m != nullptr && m->IsString()) {
        res.message = std::string(m->AsString());
      }
      seen[k] = 1;
    }
  }
  for (size_t k = 0; k < seen.size(); ++k) {
    if (!seen[k]) {
      out[begin + k].ok = false;
      out[begin + k].message = "Port's bulk response did not mention this entity";
    }
  }
}

Result<std::vector<model::EntityResult>> PortClient::UpsertEntities(std::string_view blueprint,
                                                                    const std::vector<json::Value>& entities,
                                                                    const model::WriteOptions& options) {
  std::vector<model::EntityResult> out(entities.size());
  for (size_t i = 0; i < entities.size(); ++i) {
    const json::Value* id = entities[i].Find("identifier");
    if (id != nullptr && id->IsString()) out[i].identifier = std::string(id->AsString());
  }
  auto chunks = ChunkEntities(entities, options_.batch_max_length, options_.batch_max_bytes);
  ParallelFor(chunks.size(), options_.bulk_concurrency,
              [&](size_t c) { UpsertChunk(blueprint, entities, chunks[c].first, chunks[c].second, options, out); });
  return out;
}

Result<std::vector<json::Value>> PortClient::Search(const json::Value& query, const std::vector<std::string>& include) {
  json::Value body = json::Value::Object();
  body.Set("combinator", json::Value::String("and"));
  json::Value rules = json::Value::Array();
  // An `and` query is spliced in flat (same meaning): a search engine answers a flat identifier/blueprint `and`
  // from its index, where a nested group may cost a scan.
  const json::Value* combinator = query.IsObject() ? query.Find("combinator") : nullptr;
  const json::Value* inner = query.IsObject() ? query.Find("rules") : nullptr;
  if (combinator != nullptr && combinator->IsString() && combinator->AsString() == "and" && inner != nullptr &&
      inner->IsArray()) {
    for (const auto& rule : inner->Items()) rules.Append(rule);
  } else {
    rules.Append(query);
  }
  // Ownership rules (§3.5.5): never see, and so never touch, another datasource's entities.
  for (const std::string& v : {DatasourcePrefix(), DatasourceSuffix()}) {
    json::Value rule = json::Value::Object();
    rule.Set("property", json::Value::String("$datasource"));
    rule.Set("operator", json::Value::String("contains"));
    rule.Set("value", json::Value::String(v));
    rules.Append(std::move(rule));
  }
  body.Set("rules", std::move(rules));
  std::string path = "/entities/search?exclude_calculated_properties=true";
  for (const auto& f : include) path += "&include=" + Quote(f);
  auto r = Call("POST", path, {}, &body, true, true);
  if (!r.ok()) return r.error();
  if (r->status != 200) return Error(CodeFor(r->status), ErrorText(*r), "POST entities/search");
  std::vector<json::Value> out;
  if (const json::Value* es = r->body.Find("entities"); es != nullptr && es->IsArray()) {
    out.assign(es->Items().begin(), es->Items().end());
  }
  return out;
}

Result<std::vector<model::EntityRef>> PortClient::OwnedEntities() {
  std::vector<model::EntityRef> out;
  json::Value from;
  while (true) {
    json::Value body = json::Value::Object();
    body.Set("datasource_prefix", json::Value::String(DatasourcePrefix()));
    body.Set("datasource_suffix", json::Value::String(DatasourceSuffix()));
    body.Set("limit", json::Value::Number(5000));
    if (from.IsString()) body.Set("from", from);
    auto r = Call("POST", "/blueprints/entities/datasource-entities", {}, &body, true, true);
    if (!r.ok()) return r.error();
    if (r->status != 200) return Error(CodeFor(r->status), ErrorText(*r), "POST datasource-entities");
    if (const json::Value* es = r->body.Find("entities"); es != nullptr && es->IsArray()) {
      for (const auto& e : es->Items()) {
        model::EntityRef ref;
        if (const json::Value* id = e.Find("identifier"); id != nullptr && id->IsString()) {
          ref.identifier = std::string(id->AsString());
        }
        if (const json::Value* bp = e.Find("blueprint"); bp != nullptr && bp->IsString()) {
          ref.blueprint = std::string(bp->AsString());
        }
        if (const json::Value* u = e.Find("updatedAt"); u != nullptr && u->IsString()) {
          ref.updated_at = std::string(u->AsString());
        }
        out.push_back(std::move(ref));
      }
    }
    const json::Value* next = r->body.Find("next");
    if (next == nullptr || !next->IsString() || next->AsString().empty()) break;
    if (from.IsString() && from.AsString() == next->AsString()) {
      return Error(ErrorCode::UNAVAILABLE, "Port returned the same datasource cursor twice", "datasource-entities");
    }
    from = *next;
  }
  return out;
}

Result<std::vector<std::string>> PortClient::DeleteEntities(std::string_view blueprint,
                                                            const std::vector<std::string>& ids,
                                                            bool delete_dependents) {
  std::vector<std::string> deleted;
  for (size_t begin = 0; begin < ids.size(); begin += options_.delete_batch) {
    size_t end = std::min(ids.size(), begin + options_.delete_batch);
    json::Value body = json::Value::Object();
    json::Value list = json::Value::Array();
    for (size_t i = begin; i < end; ++i) list.Append(json::Value::String(ids[i]));
    body.Set("entities", std::move(list));
    auto r = Call("POST",
                  "/blueprints/" + std::string(blueprint) +
                      "/bulk/entities/delete?delete_dependents=" + BoolParam(delete_dependents),
                  {}, &body, true, true);
    if (!r.ok()) return r.error();
    if (r->status != 200) {
      return Error(CodeFor(r->status), ErrorText(*r), "bulk delete of " + std::string(blueprint));
    }
    if (const json::Value* d = r->body.Find("deletedEntities"); d != nullptr && d->IsArray()) {
      for (const auto& id : d->Items()) {
        if (id.IsString()) deleted.emplace_back(id.AsString());
      }
    }
  }
  return deleted;
}

}  // namespace sp::port

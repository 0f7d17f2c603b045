// port-sim control endpoints under /_sim/ (no auth, never faulted, never logged): fault configuration,
// token revocation, resync-request hook, request log, counters and the state dump. Nothing here ever
// shows the client secret or a token.
#include "catalog/timestamp.hpp"
#include "port-sim/sim_impl.hpp"

namespace sp::port_sim {
namespace {

json::Value Num(double d) {
  return json::Value::Number(d);
}

const char* kKnownRoutes[] = {"*",  "A1", "I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "I9", "O1", "B0",
                              "B1", "B2", "B3", "B4", "B5", "B6", "E1", "E2", "E3", "E4", "E5", "E6", "E7"};

std::optional<Answer> ReadInt(const json::Value& v, const std::string& where, int64_t min, int64_t max, int64_t& out) {
  if (!v.IsNumber() || v.AsNumber() < static_cast<double>(min) || v.AsNumber() > static_cast<double>(max) ||
      v.AsNumber() != static_cast<double>(static_cast<int64_t>(v.AsNumber()))) {
    return Fail(400, "bad_request",
                where + " must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  out = static_cast<int64_t>(v.AsNumber());
  return std::nullopt;
}

std::optional<Answer> ApplyRoute(const json::Value& spec, const std::string& where, RouteFaults& f) {
  if (!spec.IsObject()) return Fail(400, "bad_request", where + " must be an object");
  for (const auto& m : spec.Members()) {
    const std::string k(m.key.AsString());
    const std::string at = where + "." + k;
    int64_t n = 0;
    if (k == "retry_after" || k == "ratelimit_reset") {
      if (!m.value.IsString()) return Fail(400, "bad_request", at + " must be a string");
      (k == "retry_after" ? f.retry_after : f.ratelimit_reset) = std::string(m.value.AsString());
      continue;
    }
    if (k == "latency_ms") {
      if (auto bad = ReadInt(m.value, at, 0, 600000, n)) return bad;
      f.latency_ms = n;
    } else if (k == "fail_status") {
      if (auto bad = ReadInt(m.value, at, 400, 599, n)) return bad;
      f.fail_status = static_cast<int>(n);
    } else if (k == "fail_count" || k == "rate_limit_count" || k == "reset_count" || k == "stall_count") {
      if (auto bad = ReadInt(m.value, at, 0, 1000000, n)) return bad;
      int& field = k == "fail_count"         ? f.fail_count
                   : k == "rate_limit_count" ? f.rate_limit_count
                   : k == "reset_count"      ? f.reset_count
                                             : f.stall_count;
      field = static_cast<int>(n);
    } else {
      return Fail(400, "bad_request", "unknown fault knob " + at);
    }
  }
  return std::nullopt;
}

json::Value RouteJson(const RouteFaults& f) {
  json::Value v = json::Value::Object();
  v.Set("latency_ms", Num(static_cast<double>(f.latency_ms)));
  v.Set("fail_count", Num(f.fail_count));
  v.Set("fail_status", Num(f.fail_status));
  v.Set("rate_limit_count", Num(f.rate_limit_count));
  v.Set("retry_after", json::Value::String(f.retry_after));
  v.Set("ratelimit_reset", json::Value::String(f.ratelimit_reset));
  v.Set("reset_count", Num(f.reset_count));
  v.Set("stall_count", Num(f.stall_count));
  return v;
}

}  // namespace

std::optional<Answer> PortSim::Impl::ApplyConfig(const json::Value& config) {
  if (!config.IsObject()) return Fail(400, "bad_request", "config must be a JSON object");
  // validate everything first so that a bad request changes nothing
  std::map<std::string, RouteFaults> next_faults;
  {
    std::lock_guard lock(mu);
    next_faults = faults;
  }
  int64_t next_token_failures = -1, next_token_status = -1;
  for (const auto& m : config.Members()) {
    const std::string k(m.key.AsString());
    if (k == "routes") {
      if (!m.value.IsObject()) return Fail(400, "bad_request", "routes must be an object");
      for (const auto& r : m.value.Members()) {
        const std::string route(r.key.AsString());
        bool known = false;
        for (const char* name : kKnownRoutes) known = known || route == name;
        if (!known)
          return Fail(400, "bad_request",
                      "routes." + route + ": unknown route (use A1, I1..I9, O1, B0..B6, E1..E7 or *)");
        if (auto bad = ApplyRoute(r.value, "routes." + route, next_faults[route])) return bad;
      }
    } else if (k == "token_failures") {
      if (auto bad = ReadInt(m.value, k, 0, 1000000, next_token_failures)) return bad;
    } else if (k == "token_failure_status") {
      if (auto bad = ReadInt(m.value, k, 400, 599, next_token_status)) return bad;
    } else if (k == "feature_flags") {
      if (!m.value.IsArray()) return Fail(400, "bad_request", "feature_flags must be an array of strings");
      for (const auto& f : m.value.Items()) {
        if (!f.IsString()) return Fail(400, "bad_request", "feature_flags must be an array of strings");
      }
    } else if (k == "revoke_tokens") {
      if (!m.value.IsBool()) return Fail(400, "bad_request", "revoke_tokens must be a boolean");
    } else if (k == "clear") {
      if (!m.value.IsBool()) return Fail(400, "bad_request", "clear must be a boolean");
      if (m.value.AsBool()) next_faults.clear();
    } else {
      return Fail(400, "bad_request", "unknown config key \"" + k + "\"");
    }
  }
  std::lock_guard lock(mu);
  faults = std::move(next_faults);
  if (next_token_failures >= 0) token_failures = static_cast<int>(next_token_failures);
  if (next_token_status >= 0) token_failure_status = static_cast<int>(next_token_status);
  if (const json::Value* flags = config.Find("feature_flags")) feature_flags = *flags;
  if (const json::Value* revoke = config.Find("revoke_tokens"); revoke != nullptr && revoke->AsBool()) tokens.clear();
  return std::nullopt;
}

json::Value PortSim::Impl::ConfigJson() {
  std::lock_guard lock(mu);
  json::Value out = json::Value::Object();
  json::Value routes = json::Value::Object();
  for (const auto& [name, f] : faults) routes.Set(name, RouteJson(f));
  out.Set("routes", std::move(routes));
  out.Set("token_failures", Num(token_failures));
  out.Set("token_failure_status", Num(token_failure_status));
  out.Set("feature_flags", feature_flags);
  out.Set("token_lifetime_seconds", Num(options.token_lifetime_seconds));
  return out;
}

Answer PortSim::Impl::Control(Call& call) {
  const std::string what = call.params.empty() ? "" : call.params[0];
  const std::string& method = call.request.method;
  if (what == "config" && method == "GET") return Ok(ConfigJson());
  if (what == "config" && method == "POST") {
    if (auto bad = ApplyConfig(call.body)) return *bad;
    return Ok(ConfigJson());
  }
  if (what == "revoke-tokens" && method == "POST") {
    std::lock_guard lock(mu);
    const size_t n = tokens.size();
    tokens.clear();
    json::Value out = json::Value::Object();
    out.Set("revoked", Num(static_cast<double>(n)));
    return Ok(std::move(out));
  }
  if (what == "resync-request" && method == "POST") {
    const json::Value* id = call.body.IsObject() ? call.body.Find("integration") : nullptr;
    if (id == nullptr || !id->IsString()) return Fail(400, "bad_request", "body must be {\"integration\": \"<id>\"}");
    std::lock_guard lock(mu);
    const std::string key(id->AsString());
    if (integrations.count(key) == 0) return Fail(404, "not_found", "integration \"" + key + "\" was not found");
    json::Value req = json::Value::Object();
    req.Set("id", json::Value::String(NewId("rr_")));
    req.Set("updatedAt", json::Value::String(catalog::FormatTimestamp(catalog::NowMicros())));
    resync_requests[key].push_back(req);
    json::Value out = json::Value::Object();
    out.Set("request", std::move(req));
    return Ok(std::move(out));
  }
  if (what == "log" && method == "DELETE") {
    std::lock_guard lock(mu);
    log.clear();
    return Ok(json::Value::Object());
  }
  if (what == "log" && method == "GET") {
    const auto routes = QueryAll(call, "route");
    std::lock_guard lock(mu);
    json::Value arr = json::Value::Array();
    for (const auto& entry : log) {
      bool keep = routes.empty();
      for (const auto& r : routes) keep = keep || entry.Find("route")->AsString() == r;
      if (keep) arr.Append(entry);
    }
    json::Value out = json::Value::Object();
    out.Set("requests", std::move(arr));
    return Ok(std::move(out));
  }
  if (what == "stats" && method == "GET") {
    std::lock_guard lock(mu);
    json::Value out = json::Value::Object();
    out.Set("token_requests", Num(static_cast<double>(token_requests)));
    out.Set("tokens_issued", Num(static_cast<double>(tokens_issued)));
    out.Set("live_tokens", Num(static_cast<double>(tokens.size())));
    out.Set("requests", Num(static_cast<double>(log_seq)));
    out.Set("peak_concurrency", Num(static_cast<double>(peak_concurrency)));
    json::Value routes = json::Value::Object();
    for (const auto& [name, st] : stats) {
      json::Value v = json::Value::Object();
      v.Set("count", Num(static_cast<double>(st.count)));
      v.Set("peak_concurrency", Num(static_cast<double>(st.peak_concurrency)));
      routes.Set(name, std::move(v));
    }
    out.Set("routes", std::move(routes));
    return Ok(std::move(out));
  }
  if (what == "state" && method == "GET") {
    auto dump = catalog->Export();
    if (!dump.ok()) return Fail(dump.error());
    json::Value out = *dump;
    std::lock_guard lock(mu);
    json::Value ints = json::Value::Array();
    for (const auto& [id, rec] : integrations) ints.Append(rec);
    out.Set("integrations", std::move(ints));
    json::Value reqs = json::Value::Object();
    for (const auto& [id, list] : resync_requests) reqs.Set(id, json::Value::Array(list));
    out.Set("resync_requests", std::move(reqs));
    return Ok(std::move(out));
  }
  return Fail(404, "not_found", "no control route " + method + " /_sim/" + what);
}

}  // namespace sp::port_sim

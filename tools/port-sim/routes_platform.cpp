// port-sim routes around the catalog: token (A1), organization (O1), integration record (I1-I9) and
// blueprints (B0-B6), following port-api.md §2, §3.2-§3.4 and §9.1-§9.3.
#include "catalog/timestamp.hpp"
#include "port-sim/sim_impl.hpp"

namespace sp::port_sim {
namespace {

json::Value Str(std::string_view s) {
  return json::Value::String(s);
}

std::string NowIso() {
  return catalog::FormatTimestamp(catalog::NowMicros());
}

Answer IntegrationNotFound(const std::string& id) {
  return Fail(404, "not_found", "integration \"" + id + "\" was not found");
}

json::Value Wrap(std::string_view key, json::Value v) {
  json::Value out = json::Value::Object();
  out.Set(key, std::move(v));
  return out;
}

// I5 body: only the fields Ocean sends (§3.2), each with its type; status from the fixed set.
std::optional<Answer> CheckResyncState(const json::Value& body) {
  if (!body.IsObject()) return Fail(400, "bad_request", "resync-state body must be a JSON object");
  const json::Value* status = body.Find("status");
  if (status == nullptr || !status->IsString() ||
      (status->AsString() != "running" && status->AsString() != "completed" && status->AsString() != "failed" &&
       status->AsString() != "aborted")) {
    return Fail(422, "invalid_request", "status must be one of running, completed, failed, aborted");
  }
  for (const auto& m : body.Members()) {
    const std::string_view k = m.key.AsString();
    if (k == "status") continue;
    if (k == "lastResyncStart" || k == "lastResyncEnd" || k == "nextResync") {
      if (!m.value.IsNull() && !(m.value.IsString() && catalog::ParseTimestamp(m.value.AsString()))) {
        return Fail(422, "invalid_request", std::string(k) + " must be an ISO-8601 date-time or null");
      }
    } else if (k == "intervalInMinuets") {  // sic: the spelling Port accepts (§3.2 I5)
      if (!m.value.IsNull() && !(m.value.IsNumber() && m.value.AsNumber() >= 0)) {
        return Fail(422, "invalid_request", "intervalInMinuets must be a non-negative number or null");
      }
    } else {
      return Fail(400, "bad_request", "unknown resync-state field \"" + std::string(k) + "\"");
    }
  }
  return std::nullopt;
}

}  // namespace

Answer PortSim::Impl::Token(Call& call) {
  const json::Value* id = call.body.IsObject() ? call.body.Find("clientId") : nullptr;
  const json::Value* secret = call.body.IsObject() ? call.body.Find("clientSecret") : nullptr;
  if (id == nullptr || secret == nullptr || !id->IsString() || !secret->IsString()) {
    return Fail(400, "bad_request", "body must be {\"clientId\": string, \"clientSecret\": string}");
  }
  if (id->AsString() != options.client_id || secret->AsString() != options.client_secret) {
    return Fail(401, "unauthorized", "invalid client credentials");
  }
  std::string token;
  {
    std::lock_guard lock(mu);
    token = NewId("portsim_");
    for (int i = 0; i < 3; ++i) token += NewId("");
    tokens[token] = Clock::now() + std::chrono::seconds(options.token_lifetime_seconds);
    ++tokens_issued;
  }
  json::Value out = json::Value::Object();
  out.Set("accessToken", Str(token));
  out.Set("expiresIn", json::Value::Number(options.token_lifetime_seconds));
  out.Set("tokenType", Str("Bearer"));
  return Ok(std::move(out));
}

Answer PortSim::Impl::Organization(Call&) {
  json::Value org = json::Value::Object();
  org.Set("id", Str("org_portsim"));
  org.Set("name", Str("port-sim"));
  {
    std::lock_guard lock(mu);
    org.Set("featureFlags", feature_flags);
  }
  return Ok(Wrap("organization", std::move(org)));
}

Answer PortSim::Impl::Integration(Call& call) {
  const std::string& r = call.route;
  if (r == "I7") {
    return Ok(Wrap("integrations", json::Value::Array()));
  }
  std::lock_guard lock(mu);
  if (r == "I2") {
    const json::Value* id = call.body.IsObject() ? call.body.Find("installationId") : nullptr;
    if (id == nullptr || !id->IsString() || id->AsString().empty()) {
      return Fail(400, "bad_request", "installationId must be a non-empty string");
    }
    const std::string key(id->AsString());
    if (integrations.count(key) > 0) {
      return Fail(409, "identifier_taken", "integration \"" + key + "\" already exists");
    }
    const std::string now = NowIso();
    json::Value rec = json::Value::Object();
    rec.Set("identifier", Str(key));
    rec.Set("installationType", Str("OnPrem"));
    rec.Set("arePortResourcesInitialized", json::Value::Bool(false));
    for (const auto& m : call.body.Members()) rec.Set(m.key, m.value);
    if (rec.Find("config") == nullptr) rec.Set("config", json::Value::Object());
    json::Value state = json::Value::Object();
    for (const char* k : {"status", "lastResyncStart", "lastResyncEnd", "nextResync", "intervalInMinuets"}) {
      state.Set(k, json::Value());
    }
    state.Set("updatedAt", Str(now));
    rec.Set("resyncState", std::move(state));
    rec.Set("createdAt", Str(now));
    rec.Set("updatedAt", Str(now));
    integrations[key] = rec;
    return Ok(Wrap("integration", std::move(rec)));
  }
  const std::string& id = call.params.at(0);
  auto it = integrations.find(id);
  if (it == integrations.end()) return IntegrationNotFound(id);
  json::Value& rec = it->second;
  const std::string now = NowIso();
  auto request_resync = [&] {
    // [inferred] §9.2 rule 6: a new mapping without x-skip-resync asks the integration to resync
    json::Value req = json::Value::Object();
    req.Set("id", Str(NewId("rr_")));
    req.Set("updatedAt", Str(now));
    resync_requests[id].push_back(std::move(req));
  };
  const bool skip_resync = [&] {
    const std::string* h = call.request.Header("x-skip-resync");
    return h != nullptr && *h == "true";
  }();
  if (r == "I1") return Ok(Wrap("integration", rec));
  if (r == "I9") {
    integrations.erase(it);
    return Ok(json::Value::Object());
  }
  if (r == "I3") {
    if (!call.body.IsObject()) return Fail(400, "bad_request", "body must be a JSON object");
    for (const auto& m : call.body.Members()) {
      if (m.key.AsString() == "installationId" || m.key.AsString() == "identifier") continue;
      rec.Set(m.key, m.value);
    }
    if (call.body.Find("config") != nullptr && !skip_resync) request_resync();
    rec.Set("updatedAt", Str(now));
    return Ok(Wrap("integration", rec));
  }
  if (r == "I4") {
    const json::Value* config = call.body.IsObject() ? call.body.Find("config") : nullptr;
    if (config == nullptr || !config->IsObject()) return Fail(400, "bad_request", "body must be {\"config\": object}");
    rec.Set("config", *config);
    rec.Set("updatedAt", Str(now));
    if (!skip_resync) request_resync();
    return Ok(Wrap("integration", rec));
  }
  if (r == "I5") {
    if (auto bad = CheckResyncState(call.body)) return *bad;
    json::Value state = rec.Find("resyncState") != nullptr && rec.Find("resyncState")->IsObject()
                            ? *rec.Find("resyncState")
                            : json::Value::Object();
    for (const auto& m : call.body.Members()) state.Set(m.key, m.value);
    state.Set("updatedAt", Str(now));  // §9.2 rule 5: Ocean reads it back and crashes without it
    rec.Set("resyncState", std::move(state));
    rec.Set("updatedAt", Str(now));
    return Ok(Wrap("integration", rec));
  }
  if (r == "I6") {
    auto& reqs = resync_requests[id];
    return Ok(Wrap("request", reqs.empty() ? json::Value() : reqs.back()));
  }
  if (r == "I8") {
    const json::Value* examples = call.body.IsObject() ? call.body.Find("examples") : nullptr;
    if (examples == nullptr || !examples->IsArray())
      return Fail(400, "bad_request", "body must be {\"examples\": array}");
    return Ok(json::Value::Object());
  }
  return Fail(404, "not_found", "no route");
}

Answer PortSim::Impl::Blueprints(Call& call) {
  const std::string& r = call.route;
  if (r == "B0") {
    auto list = catalog->ListBlueprints();
    if (!list.ok()) return Fail(list.error());
    json::Value arr = json::Value::Array();
    for (auto& b : *list) arr.Append(std::move(b));
    return Ok(Wrap("blueprints", std::move(arr)));
  }
  if (r == "B2") {
    auto created = catalog->CreateBlueprint(call.body);
    if (!created.ok()) return Fail(created.error());
    return Ok(Wrap("blueprint", std::move(*created)), 201);
  }
  if (r == "B6") {
    std::lock_guard lock(mu);
    auto it = migrations.find(call.params.at(0));
    if (it == migrations.end()) return Fail(404, "not_found", "migration \"" + call.params.at(0) + "\" was not found");
    return Ok(Wrap("migration", it->second));
  }
  const std::string& bp = call.params.at(0);
  if (r == "B1") {
    auto got = catalog->GetBlueprint(bp);
    if (!got.ok()) return Fail(got.error());
    return Ok(Wrap("blueprint", std::move(*got)));
  }
  if (r == "B3") {
    auto patched = catalog->PatchBlueprint(bp, call.body);
    if (!patched.ok()) return Fail(patched.error());
    return Ok(Wrap("blueprint", std::move(*patched)));
  }
  if (r == "B4") {
    auto deleted = catalog->DeleteBlueprint(bp);
    if (!deleted.ok()) return Fail(deleted.error());
    return Ok(json::Value::Object());
  }
  if (r == "B5") {
    bool delete_blueprint = false;
    if (auto bad = QueryBool(call, "delete_blueprint", delete_blueprint)) return *bad;
    auto deleted = catalog->DeleteAllEntities(bp, delete_blueprint);
    if (!deleted.ok()) return Fail(deleted.error());
    std::lock_guard lock(mu);
    json::Value migration = json::Value::Object();
    const std::string id = NewId("mig_");
    migration.Set("id", Str(id));
    migration.Set("actor", Str("port-sim"));
    migration.Set("sourceBlueprint", Str(bp));
    migration.Set("mapping", json::Value());
    migration.Set("status", Str("COMPLETED"));
    migrations[id] = migration;
    return Ok(Wrap("migrationId", Str(id)));
  }
  return Fail(404, "not_found", "no route");
}

}  // namespace sp::port_sim

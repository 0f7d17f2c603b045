#include "app/resources_init.hpp"

#include <spdlog/spdlog.h>

namespace sp::app {
namespace {

json::Value Without(const json::Value& bp, std::initializer_list<const char*> keys) {
  json::Value out = bp;
  for (const char* k : keys) out.Erase(k);
  return out;
}

bool IsEmptyConfig(const json::Value* config) {
  return config == nullptr || !config->IsObject() || config->Empty();
}

bool BoolField(const json::Value& record, std::string_view key) {
  const json::Value* v = record.IsObject() ? record.Find(key) : nullptr;
  return v != nullptr && v->IsBool() && v->AsBool();
}

}  // namespace

BlueprintStore PortBlueprintStore(port::PortClient& client) {
  BlueprintStore s;
  s.get = [&client](std::string_view id) { return client.GetBlueprint(id); };
  s.create = [&client](const json::Value& b) { return client.CreateBlueprint(b); };
  s.patch = [&client](std::string_view id, const json::Value& b) { return client.PatchBlueprint(id, b); };
  s.remove = [&client](std::string_view id) { return client.DeleteBlueprint(id); };
  return s;
}

Result<json::Value> SetUpPortIntegration(port::PortClient& client, const PortSetupOptions& options) {
  const auto& po = client.options();
  // The fields Ocean registers with and keeps in sync (§3.2 I2/I3); a ONCE run has no changelog destination.
  json::Value wanted = json::Value::Object();
  wanted.Set("installationAppType", json::Value::String(po.integration_type));
  wanted.Set("version", json::Value::String(po.integration_version));
  wanted.Set("changelogDestination", json::Value::Object());
  wanted.Set("actionsProcessingEnabled", json::Value::Bool(false));
  wanted.Set("incrementalSyncEnabled", json::Value::Bool(false));

  auto record = client.GetIntegration();
  if (!record.ok()) return record.error();
  if (record->IsNull()) {
    if (options.dry_run) return json::Value();
    json::Value body = json::Value::Object();
    body.Set("installationId", json::Value::String(po.integration_identifier));
    for (const auto& m : wanted.Members()) body.Set(m.key, m.value);
    body.Set("config", options.default_mapping.IsObject() ? options.default_mapping : json::Value::Object());
    body.Set("createPortResourcesOrigin", json::Value::String("Default"));
    spdlog::info("Registering integration {} in Port", po.integration_identifier);
    auto created = client.CreateIntegration(body);
    if (!created.ok()) return created.error();
    record = std::move(created);
  } else if (!options.dry_run) {
    bool drift = false;
    for (const auto& m : wanted.Members()) {
      const json::Value* have = record->IsObject() ? record->Find(m.key.AsString()) : nullptr;
      drift = drift || have == nullptr || !(*have == m.value);
    }
    if (drift) {
      auto patched = client.PatchIntegration(wanted);
      if (!patched.ok()) return patched.error();
      if (patched->IsObject() && patched->Find("config") != nullptr) record = std::move(patched);
    }
  }
  if (options.dry_run || !options.initialize_resources || BoolField(*record, "arePortResourcesInitialized")) {
    return record;
  }
  if (IsEmptyConfig(record->IsObject() ? record->Find("config") : nullptr) && options.default_mapping.IsObject()) {
    spdlog::info("The integration has no mapping in Port: storing the default one");
    auto stored = client.PatchIntegrationConfig(options.default_mapping);
    if (!stored.ok()) return stored.error();
    if (stored->IsObject() && stored->Find("config") != nullptr) {
      record = std::move(stored);
    } else if (record->IsObject()) {
      record->Set("config", options.default_mapping);
    }
  }
  if (options.default_blueprints.IsArray()) {
    auto init = InitializeBlueprints(options.default_blueprints, PortBlueprintStore(client));
    // Unlike Ocean, a failed initialization is not marked done, so the next start tries again.
    if (!init.ok()) return init.error();
  }
  json::Value done = json::Value::Object();
  done.Set("arePortResourcesInitialized", json::Value::Bool(true));
  done.Set("version", json::Value::String(po.integration_version));
  auto marked = client.PatchIntegration(done);
  if (!marked.ok()) return marked.error();
  if (record->IsObject()) record->Set("arePortResourcesInitialized", json::Value::Bool(true));
  return record;
}

Result<InitReport> InitializeBlueprints(const json::Value& blueprints, const BlueprintStore& store) {
  InitReport report;
  if (!blueprints.IsArray()) return Error(ErrorCode::INVALID_ARGUMENT, "default blueprints must be a JSON array");
  std::vector<json::Value> todo;
  for (const auto& bp : blueprints.Items()) {
    const json::Value* id = bp.Find("identifier");
    if (id == nullptr || !id->IsString())
      return Error(ErrorCode::INVALID_ARGUMENT, "a default blueprint has no identifier");
    auto existing = store.get(id->AsString());
    if (!existing.ok()) return existing.error();
    if (!existing->IsNull()) {
      report.existing.emplace_back(id->AsString());
      continue;
    }
    todo.push_back(bp);
  }
  auto rollback = [&](const Error& why) -> Error {
    for (const auto& id : report.created) (void)store.remove(id);
    spdlog::error("Creating the default blueprints failed, removed the {} created in this run: {}",
                  report.created.size(), why.ToString());
    return why;
  };
  for (const auto& bp : todo) {
    json::Value bare = Without(bp, {"relations", "teamInheritance", "ownership", "calculationProperties",
                                    "mirrorProperties", "aggregationProperties"});
    if (auto st = store.create(bare); !st.ok()) return rollback(st.error());
    report.created.emplace_back(bp.Find("identifier")->AsString());
  }
  for (const auto& bp : todo) {
    json::Value with_relations = Without(bp, {"calculationProperties", "mirrorProperties", "aggregationProperties"});
    if (auto st = store.patch(bp.Find("identifier")->AsString(), with_relations); !st.ok()) return rollback(st.error());
  }
  for (const auto& bp : todo) {
    if (bp.Find("calculationProperties") == nullptr && bp.Find("mirrorProperties") == nullptr &&
        bp.Find("aggregationProperties") == nullptr) {
      continue;
    }
    if (auto st = store.patch(bp.Find("identifier")->AsString(), bp); !st.ok()) return rollback(st.error());
  }
  return report;
}

}  // namespace sp::app

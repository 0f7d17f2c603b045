#include "app/resources_init.hpp"

#include <spdlog/spdlog.h>

namespace sp::app {
namespace {

json::Value Without(const json::Value& bp, std::initializer_list<const char*> keys) {
  json::Value out = bp;
  for (const char* k : keys) out.Erase(k);
  return out;
}

}  // namespace

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

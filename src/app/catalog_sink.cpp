#include "app/catalog_sink.hpp"

#include <span>

namespace sp::app {
namespace {

Error ToError(const catalog::ApiError& e, const std::string& where) {
  ErrorCode code = e.status == 404   ? ErrorCode::NOT_FOUND
                   : e.status >= 500 ? ErrorCode::UNAVAILABLE
                                     : ErrorCode::INVALID_ARGUMENT;
  return Error(code, std::to_string(e.status) + " " + e.error + ": " + e.message, where);
}

}  // namespace

Result<std::vector<model::EntityResult>> CatalogSink::Upsert(std::string_view blueprint,
                                                             const std::vector<json::Value>& entities,
                                                             const model::WriteOptions& options) {
  catalog::UpsertOptions opts;
  opts.upsert = true;
  opts.merge = options.merge;
  opts.create_missing_related_entities = options.create_missing_related_entities;
  auto res = catalog_.UpsertEntities(blueprint, std::span<const json::Value>(entities), opts, datasource_);
  std::vector<model::EntityResult> out(entities.size());
  if (!res.ok()) {
    // A whole-call rejection (unknown blueprint, storage failure) fails every entity of the call, as a bulk
    // request to Port would.
    for (size_t i = 0; i < entities.size(); ++i) {
      const json::Value* id = entities[i].Find("identifier");
      out[i].identifier = id != nullptr && id->IsString() ? std::string(id->AsString()) : "";
      out[i].status = res.error().status;
      out[i].error = res.error().error;
      out[i].message = res.error().message;
    }
    return out;
  }
  for (const auto& item : res.value()) {
    if (item.index >= out.size()) continue;
    auto& r = out[item.index];
    r.identifier = item.identifier;
    if (item.error) {
      r.status = item.error->status;
      r.error = item.error->error;
      r.message = item.error->message;
    } else {
      r.ok = true;
      r.created = item.created;
      r.status = item.created ? 201 : 200;
    }
  }
  return out;
}

Result<std::vector<json::Value>> CatalogSink::Lookup(std::string_view blueprint,
                                                     const std::vector<std::string>& identifiers) {
  std::vector<json::Value> out;
  for (size_t begin = 0; begin < identifiers.size(); begin += 200) {
    size_t end = std::min(identifiers.size(), begin + 200);
    json::Value ids = json::Value::Array();
    for (size_t i = begin; i < end; ++i) ids.Append(json::Value::String(identifiers[i]));
    auto rule = [](const char* prop, const char* op, json::Value v) {
      json::Value r = json::Value::Object();
      r.Set("property", json::Value::String(prop));
      r.Set("operator", json::Value::String(op));
      r.Set("value", std::move(v));
      return r;
    };
    json::Value rules = json::Value::Array();
    rules.Append(rule("$identifier", "in", std::move(ids)));
    rules.Append(rule("$blueprint", "=", json::Value::String(blueprint)));
    rules.Append(rule("$datasource", "contains", json::Value::String(prefix_)));
    rules.Append(rule("$datasource", "contains", json::Value::String(suffix_)));
    json::Value query = json::Value::Object();
    query.Set("combinator", json::Value::String("and"));
    query.Set("rules", std::move(rules));
    auto found = catalog_.Search(query);
    if (!found.ok()) return ToError(found.error(), "lookup " + std::string(blueprint));
    for (auto& e : found.value()) out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<model::EntityRef>> CatalogSink::Owned() {
  std::vector<model::EntityRef> out;
  catalog::DatasourceQuery q;
  q.prefix = prefix_;
  q.suffix = suffix_;
  while (true) {
    auto page = catalog_.DatasourceEntities(q);
    if (!page.ok()) return ToError(page.error(), "owned entities");
    for (const auto& e : page.value().entities) {
      model::EntityRef ref;
      if (const json::Value* v = e.Find("identifier"); v != nullptr && v->IsString())
        ref.identifier = std::string(v->AsString());
      if (const json::Value* v = e.Find("blueprint"); v != nullptr && v->IsString())
        ref.blueprint = std::string(v->AsString());
      if (const json::Value* v = e.Find("updatedAt"); v != nullptr && v->IsString())
        ref.updated_at = std::string(v->AsString());
      out.push_back(std::move(ref));
    }
    if (!page.value().next) break;
    q.cursor = *page.value().next;
  }
  return out;
}

Result<std::vector<std::string>> CatalogSink::Delete(std::string_view blueprint, const std::vector<std::string>& ids,
                                                     bool delete_dependents) {
  catalog::DeleteOptions opts;
  opts.delete_dependents = delete_dependents;
  auto res = catalog_.DeleteEntities(blueprint, std::span<const std::string>(ids), opts);
  if (!res.ok()) return ToError(res.error(), "delete " + std::string(blueprint));
  return res.value().deleted;
}

Result<json::Value> CatalogSink::Blueprint(std::string_view identifier) {
  auto bp = catalog_.GetBlueprint(identifier);
  if (!bp.ok()) {
    if (bp.error().status == 404) return json::Value();
    return ToError(bp.error(), "blueprint " + std::string(identifier));
  }
  return bp.value();
}

}  // namespace sp::app

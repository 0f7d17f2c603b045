// port-sim entity routes E1-E7 over the catalog (port-api.md §3.5, §9.4-§9.6). The writer's User-Agent is
// the datasource of what it writes (§1.2).
#include "port-sim/sim_impl.hpp"

namespace sp::port_sim {
namespace {

constexpr size_t kMaxBulkEntities = 20;        // [Port docs] §3.5.2
constexpr size_t kMaxBulkBytes = 1024 * 1024;  // [Port docs] §3.5.2: 413 above
constexpr size_t kMaxBulkDeleteIds = 100;      // [inferred] §9.5 rule 20

json::Value Str(std::string_view s) {
  return json::Value::String(s);
}
json::Value Num(double d) {
  return json::Value::Number(d);
}

std::optional<Answer> ParseUpsertFlags(const Call& call, catalog::UpsertOptions& options) {
  for (auto [name, field] : {std::pair<const char*, bool*>{"upsert", &options.upsert},
                             {"merge", &options.merge},
                             {"create_missing_related_entities", &options.create_missing_related_entities},
                             {"validation_only", &options.validation_only}}) {
    if (auto bad = QueryBool(call, name, *field)) return bad;
  }
  return std::nullopt;
}

}  // namespace

Answer PortSim::Impl::Entities(Call& call) {
  const std::string& r = call.route;
  if (r == "E5") {
    catalog::SearchOptions opts;
    opts.include = QueryAll(call, "include");
    bool exclude_calculated = false;  // accepted and ignored: the catalog has no calculated properties
    if (auto bad = QueryBool(call, "exclude_calculated_properties", exclude_calculated)) return *bad;
    auto found = catalog->Search(call.body, opts);
    if (!found.ok()) return Fail(found.error());
    json::Value out = json::Value::Object();
    json::Value arr = json::Value::Array();
    for (auto& e : *found) arr.Append(std::move(e));
    out.Set("entities", std::move(arr));
    return Ok(std::move(out));
  }
  if (r == "E6") {
    if (!call.body.IsObject()) return Fail(400, "bad_request", "body must be a JSON object");
    catalog::DatasourceQuery query;
    for (const auto& m : call.body.Members()) {
      const std::string_view k = m.key.AsString();
      if (k == "datasource_prefix" || k == "datasource_suffix" || k == "before" || k == "from") {
        if (m.value.IsNull() && k != "datasource_prefix") continue;
        if (!m.value.IsString()) return Fail(400, "bad_request", std::string(k) + " must be a string");
        const std::string v(m.value.AsString());
        if (k == "datasource_prefix") query.prefix = v;
        if (k == "datasource_suffix") query.suffix = v;
        if (k == "before") query.before = v;
        if (k == "from") query.cursor = v;
      } else if (k == "limit") {
        if (!m.value.IsNumber() || m.value.AsNumber() < 1 ||
            m.value.AsNumber() != static_cast<double>(static_cast<int64_t>(m.value.AsNumber()))) {
          return Fail(400, "bad_request", "limit must be a positive integer");
        }
        query.limit = static_cast<size_t>(m.value.AsNumber());
      } else {
        return Fail(400, "bad_request", "unknown field \"" + std::string(k) + "\"");
      }
    }
    if (call.body.Find("datasource_prefix") == nullptr) {
      return Fail(400, "bad_request", "datasource_prefix is required");
    }
    auto page = catalog->DatasourceEntities(query);
    if (!page.ok()) return Fail(page.error());
    json::Value out = json::Value::Object();
    json::Value arr = json::Value::Array();
    for (auto& e : page->entities) arr.Append(std::move(e));
    out.Set("entities", std::move(arr));
    out.Set("next", page->next ? Str(*page->next) : json::Value());
    return Ok(std::move(out));
  }
  const std::string& bp = call.params.at(0);
  if (r == "E1") {
    catalog::UpsertOptions opts;
    if (auto bad = ParseUpsertFlags(call, opts)) return *bad;
    std::vector<json::Value> items{call.body};
    auto results = catalog->UpsertEntities(bp, items, opts, call.user_agent);
    if (!results.ok()) return Fail(results.error());
    auto& item = results->at(0);
    if (item.error) return Fail(*item.error);
    json::Value out = json::Value::Object();
    out.Set("entity", std::move(item.entity));
    return Ok(std::move(out), item.created ? 201 : 200);
  }
  if (r == "E2") {
    if (call.request.body.size() > kMaxBulkBytes) {
      return Fail(
          413, "bad_request",
          "request body is " + std::to_string(call.request.body.size()) + " bytes; the limit is 1 MiB (1048576 bytes)");
    }
    catalog::UpsertOptions opts;
    if (auto bad = ParseUpsertFlags(call, opts)) return *bad;
    const json::Value* entities = call.body.IsObject() ? call.body.Find("entities") : nullptr;
    if (entities == nullptr || !entities->IsArray()) {
      return Fail(400, "bad_request", "body must be {\"entities\": [...]}");
    }
    call.batch_size = static_cast<int64_t>(entities->Size());
    if (entities->Size() > kMaxBulkEntities) {
      return Fail(422, "too_many_entities",
                  "a bulk request holds at most 20 entities, got " + std::to_string(entities->Size()));
    }
    auto results = catalog->UpsertEntities(bp, entities->Items(), opts, call.user_agent);
    if (!results.ok()) return Fail(results.error());
    json::Value ok_items = json::Value::Array();
    json::Value errors = json::Value::Array();
    for (auto& item : *results) {
      json::Value v = json::Value::Object();
      v.Set("identifier", Str(item.identifier));
      v.Set("index", Num(static_cast<double>(item.index)));
      if (item.error) {
        v.Set("statusCode", Num(item.error->status));
        v.Set("error", Str(item.error->error));
        v.Set("message", Str(item.error->message));
        errors.Append(std::move(v));
      } else {
        v.Set("created", json::Value::Bool(item.created));
        ok_items.Append(std::move(v));
      }
    }
    const int status = errors.Empty() ? 200 : 207;
    json::Value out = json::Value::Object();
    out.Set("entities", std::move(ok_items));
    out.Set("errors", std::move(errors));
    return Ok(std::move(out), status);
  }
  if (r == "E3" || r == "E4") {
    catalog::DeleteOptions opts;
    if (auto bad = QueryBool(call, "delete_dependents", opts.delete_dependents)) return *bad;
    std::vector<std::string> ids;
    if (r == "E3") {
      ids.push_back(call.params.at(1));
    } else {
      const json::Value* list = call.body.IsObject() ? call.body.Find("entities") : nullptr;
      if (list == nullptr || !list->IsArray())
        return Fail(400, "bad_request", "body must be {\"entities\": [\"<id>\", ...]}");
      call.batch_size = static_cast<int64_t>(list->Size());
      if (list->Size() > kMaxBulkDeleteIds) {
        return Fail(422, "too_many_entities",
                    "a bulk delete holds at most 100 identifiers, got " + std::to_string(list->Size()));
      }
      for (const auto& v : list->Items()) {
        if (!v.IsString()) return Fail(400, "bad_request", "entities must be an array of identifier strings");
        ids.emplace_back(v.AsString());
      }
    }
    auto result = catalog->DeleteEntities(bp, ids, opts);
    if (!result.ok()) return Fail(result.error());
    if (r == "E3") {
      if (!result->errors.empty()) return Fail(result->errors[0].second);
      return Ok(json::Value::Object());
    }
    json::Value out = json::Value::Object();
    json::Value deleted = json::Value::Array();
    for (const auto& id : result->deleted) deleted.Append(Str(id));
    out.Set("deletedEntities", std::move(deleted));
    return Ok(std::move(out));
  }
  if (r == "E7") {
    auto e = catalog->GetEntity(bp, call.params.at(1));
    if (!e.ok()) return Fail(e.error());
    json::Value out = json::Value::Object();
    out.Set("entity", std::move(*e));
    return Ok(std::move(out));
  }
  return Fail(404, "not_found", "no route");
}

}  // namespace sp::port_sim

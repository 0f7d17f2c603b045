#include "port/sink.hpp"

#include <algorithm>

#include "base/parallel.hpp"

namespace sp::port {
namespace {

constexpr size_t kLookupChunk = 50;  // identifiers per search (Ocean's size, §5.2 step 4d)
constexpr int kLookupConcurrency = 4;

json::Value Rule(const char* property, const char* op, json::Value value) {
  json::Value r = json::Value::Object();
  r.Set("property", json::Value::String(property));
  r.Set("operator", json::Value::String(op));
  r.Set("value", std::move(value));
  return r;
}

// One flat `and` of identifier, blueprint and ownership rules: the same meaning as PortClient::Search's nested
// form, in the shape a search engine can answer from its (blueprint, identifier) index instead of a scan.
json::Value LookupQuery(PortClient& client, std::string_view blueprint, const std::vector<std::string>& identifiers,
                        size_t begin, size_t end) {
  json::Value ids = json::Value::Array();
  for (size_t i = begin; i < end; ++i) ids.Append(json::Value::String(identifiers[i]));
  json::Value rules = json::Value::Array();
  rules.Append(Rule("$identifier", "in", std::move(ids)));
  rules.Append(Rule("$blueprint", "=", json::Value::String(blueprint)));
  rules.Append(Rule("$datasource", "contains", json::Value::String(client.DatasourcePrefix())));
  rules.Append(Rule("$datasource", "contains", json::Value::String(client.DatasourceSuffix())));
  json::Value query = json::Value::Object();
  query.Set("combinator", json::Value::String("and"));
  query.Set("rules", std::move(rules));
  return query;
}

Result<std::vector<json::Value>> SearchChunk(PortClient& client, const json::Value& query) {
  std::string path = "/entities/search?exclude_calculated_properties=true";
  for (const char* f : {"identifier", "blueprint", "title", "icon", "team", "properties", "relations"}) {
    path += std::string("&include=") + f;
  }
  auto r = client.Call("POST", path, {}, &query, true, true);
  if (!r.ok()) return r.error();
  if (r->status != 200) {
    return Error(r->status == 401 ? ErrorCode::UNAUTHENTICATED : ErrorCode::UNAVAILABLE,
                 "HTTP " + std::to_string(r->status), "POST entities/search");
  }
  std::vector<json::Value> out;
  if (const json::Value* es = r->body.Find("entities"); es != nullptr && es->IsArray()) {
    out.assign(es->Items().begin(), es->Items().end());
  }
  return out;
}

}  // namespace

Result<std::vector<model::EntityResult>> PortSink::Upsert(std::string_view blueprint,
                                                          const std::vector<json::Value>& entities,
                                                          const model::WriteOptions& options) {
  return client_.UpsertEntities(blueprint, entities, options);
}

Result<std::vector<json::Value>> PortSink::Lookup(std::string_view blueprint,
                                                  const std::vector<std::string>& identifiers) {
  // One search per chunk, restricted to our own entities (ownership rules, §3.5.5); the chunks of one call
  // run concurrently so a page costs one round trip, not one per chunk.
  size_t chunks = (identifiers.size() + kLookupChunk - 1) / kLookupChunk;
  std::vector<Result<std::vector<json::Value>>> found(chunks, std::vector<json::Value>{});
  ParallelFor(chunks, kLookupConcurrency, [&](size_t c) {
    size_t begin = c * kLookupChunk;
    size_t end = std::min(identifiers.size(), begin + kLookupChunk);
    found[c] = SearchChunk(client_, LookupQuery(client_, blueprint, identifiers, begin, end));
  });
  std::vector<json::Value> out;
  for (auto& f : found) {
    if (!f.ok()) return f.error();
    for (auto& e : *f) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace sp::port

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

// Identifier and blueprint rules of one chunk; PortClient::Search adds the ownership rules to the same `and`.
json::Value LookupQuery(std::string_view blueprint, const std::vector<std::string>& identifiers, size_t begin,
                        size_t end) {
  json::Value ids = json::Value::Array();
  for (size_t i = begin; i < end; ++i) ids.Append(json::Value::String(identifiers[i]));
  json::Value rules = json::Value::Array();
  rules.Append(Rule("$identifier", "in", std::move(ids)));
  rules.Append(Rule("$blueprint", "=", json::Value::String(blueprint)));
  json::Value query = json::Value::Object();
  query.Set("combinator", json::Value::String("and"));
  query.Set("rules", std::move(rules));
  return query;
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
    found[c] = client_.Search(LookupQuery(blueprint, identifiers, begin, end),
                              {"identifier", "blueprint", "title", "icon", "team", "properties", "relations"});
  });
  std::vector<json::Value> out;
  for (auto& f : found) {
    if (!f.ok()) return f.error();
    for (auto& e : *f) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace sp::port

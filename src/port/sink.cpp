#include "port/sink.hpp"

namespace sp::port {

Result<std::vector<model::EntityResult>> PortSink::Upsert(std::string_view blueprint,
                                                          const std::vector<json::Value>& entities,
                                                          const model::WriteOptions& options) {
  return client_.UpsertEntities(blueprint, entities, options);
}

Result<std::vector<json::Value>> PortSink::Lookup(std::string_view blueprint,
                                                  const std::vector<std::string>& identifiers) {
  // One search per chunk of 50 identifiers (Ocean's size, §5.2 step 4d), restricted to our own entities.
  std::vector<json::Value> out;
  for (size_t begin = 0; begin < identifiers.size(); begin += 50) {
    size_t end = std::min(identifiers.size(), begin + 50);
    json::Value ids = json::Value::Array();
    for (size_t i = begin; i < end; ++i) ids.Append(json::Value::String(identifiers[i]));
    json::Value in_rule = json::Value::Object();
    in_rule.Set("property", json::Value::String("$identifier"));
    in_rule.Set("operator", json::Value::String("in"));
    in_rule.Set("value", std::move(ids));
    json::Value bp_rule = json::Value::Object();
    bp_rule.Set("property", json::Value::String("$blueprint"));
    bp_rule.Set("operator", json::Value::String("="));
    bp_rule.Set("value", json::Value::String(blueprint));
    json::Value query = json::Value::Object();
    query.Set("combinator", json::Value::String("and"));
    json::Value rules = json::Value::Array();
    rules.Append(std::move(in_rule));
    rules.Append(std::move(bp_rule));
    query.Set("rules", std::move(rules));
    auto found = client_.Search(query, {"identifier", "blueprint", "title", "icon", "team", "properties", "relations"});
    if (!found.ok()) return found.error();
    for (auto& e : *found) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace sp::port

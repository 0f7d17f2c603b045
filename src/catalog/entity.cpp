#include "catalog/entity.hpp"

#include "catalog/timestamp.hpp"

namespace sp::catalog {

json::Value EntityToJson(const EntityRecord& e, const Blueprint* blueprint, bool with_datasource) {
  json::Value out = json::Value::Object();
  out.Reserve(with_datasource ? 11 : 10);
  out.Set("identifier", json::Value::String(e.identifier));
  out.Set("title", e.title);
  out.Set("icon", e.icon);
  out.Set("blueprint", json::Value::String(e.blueprint));
  out.Set("team", e.team.IsArray() ? e.team : json::Value::Array());
  json::Value props = e.properties.IsObject() ? e.properties : json::Value::Object();
  json::Value rels = e.relations.IsObject() ? e.relations : json::Value::Object();
  if (blueprint != nullptr) {
    for (const auto& p : blueprint->properties) {
      if (props.Find(p.name) == nullptr) props.Set(p.name, json::Value());
    }
    for (const auto& r : blueprint->relations) {
      if (rels.Find(r.name) == nullptr) rels.Set(r.name, r.many ? json::Value::Array() : json::Value());
    }
  }
  out.Set("properties", std::move(props));
  out.Set("relations", std::move(rels));
  out.Set("createdAt", json::Value::String(FormatTimestamp(e.created_us)));
  out.Set("updatedAt", json::Value::String(FormatTimestamp(e.updated_us)));
  if (with_datasource) out.Set("datasource", json::Value::String(e.datasource));
  return out;
}

json::Value ProjectEntity(const json::Value& entity, const std::vector<std::string>& include) {
  if (include.empty()) return entity;
  json::Value out = json::Value::Object();
  for (const auto& field : include) {
    const size_t dot = field.find('.');
    if (dot == std::string::npos) {
      const json::Value* v = entity.Find(field);
      out.Set(field, v != nullptr ? *v : json::Value());
      continue;
    }
    const std::string head = field.substr(0, dot);
    const std::string key = field.substr(dot + 1);
    const json::Value* group = entity.Find(head);
    const json::Value* v = group != nullptr && group->IsObject() ? group->Find(key) : nullptr;
    json::Value* target = out.MutableFind(head);
    if (target == nullptr || !target->IsObject()) {
      out.Set(head, json::Value::Object());
      target = out.MutableFind(head);
    }
    target->Set(key, v != nullptr ? *v : json::Value());
  }
  return out;
}

}  // namespace sp::catalog

#include "catalog/search.hpp"

#include <string_view>

#include "catalog/timestamp.hpp"

namespace sp::catalog {
namespace {

std::optional<SearchOperator> OperatorFromName(std::string_view name) {
  static const std::pair<std::string_view, SearchOperator> kOps[] = {
      {"=", SearchOperator::EQ},
      {"!=", SearchOperator::NEQ},
      {"in", SearchOperator::IN},
      {"notIn", SearchOperator::NOT_IN},
      {"contains", SearchOperator::CONTAINS},
      {"doesNotContains", SearchOperator::NOT_CONTAINS},
      {"containsAny", SearchOperator::CONTAINS_ANY},
      {"beginsWith", SearchOperator::BEGINS_WITH},
      {"endsWith", SearchOperator::ENDS_WITH},
      {">", SearchOperator::GT},
      {">=", SearchOperator::GTE},
      {"<", SearchOperator::LT},
      {"<=", SearchOperator::LTE},
      {"between", SearchOperator::BETWEEN},
      {"notBetween", SearchOperator::NOT_BETWEEN},
      {"isEmpty", SearchOperator::IS_EMPTY},
      {"isNotEmpty", SearchOperator::IS_NOT_EMPTY},
      {"relatedTo", SearchOperator::RELATED_TO},
  };
  for (const auto& [n, op] : kOps) {
    if (n == name) return op;
  }
  return std::nullopt;
}

bool IsTimeField(std::string_view property) {
  return property == "$createdAt" || property == "$updatedAt";
}

CatalogResult<SearchRule> CompileRule(const json::Value& v, const std::string& where) {
  if (!v.IsObject()) return BadRequest(where + " must be an object");
  SearchRule rule;
  if (const json::Value* combinator = v.Find("combinator")) {
    if (!combinator->IsString() || (combinator->AsString() != "and" && combinator->AsString() != "or")) {
      return BadRequest(where + ".combinator must be \"and\" or \"or\"");
    }
    rule.is_group = true;
    rule.is_and = combinator->AsString() == "and";
    const json::Value* rules = v.Find("rules");
    if (rules == nullptr || !rules->IsArray()) return BadRequest(where + ".rules must be an array");
    for (size_t i = 0; i < rules->Size(); ++i) {
      auto child = CompileRule((*rules)[i], where + ".rules[" + std::to_string(i) + "]");
      if (!child.ok()) return child.error();
      rule.rules.push_back(std::move(child.value()));
    }
    return rule;
  }
  const json::Value* op = v.Find("operator");
  if (op == nullptr || !op->IsString() || !OperatorFromName(op->AsString())) {
    return BadRequest(where + ".operator is missing or not a supported operator");
  }
  rule.op = *OperatorFromName(op->AsString());
  const json::Value* value = v.Find("value");
  if (rule.op == SearchOperator::RELATED_TO) {
    const json::Value* bp = v.Find("blueprint");
    if (bp == nullptr || !bp->IsString()) return BadRequest(where + ".blueprint must be a string for relatedTo");
    rule.related_blueprint = std::string(bp->AsString());
    if (value != nullptr && value->IsString()) {
      rule.related_values.emplace_back(value->AsString());
    } else if (value != nullptr && value->IsArray()) {
      for (const auto& item : value->Items()) {
        if (!item.IsString()) return BadRequest(where + ".value must be a string or an array of strings");
        rule.related_values.emplace_back(item.AsString());
      }
    } else {
      return BadRequest(where + ".value must be a string or an array of strings");
    }
    if (const json::Value* dir = v.Find("direction"); dir != nullptr && !dir->IsNull()) {
      if (!dir->IsString() || (dir->AsString() != "upstream" && dir->AsString() != "downstream")) {
        return BadRequest(where + ".direction must be \"upstream\" or \"downstream\"");
      }
      rule.downstream = dir->AsString() == "downstream";
    }
    return rule;
  }
  const json::Value* property = v.Find("property");
  if (property == nullptr || !property->IsString() || property->AsString().empty()) {
    return BadRequest(where + ".property must be a non-empty string");
  }
  rule.property = std::string(property->AsString());
  if (rule.op != SearchOperator::IS_EMPTY && rule.op != SearchOperator::IS_NOT_EMPTY && value == nullptr) {
    return BadRequest(where + ".value is required for operator " + std::string(op->AsString()));
  }
  if (value != nullptr) rule.value = *value;
  switch (rule.op) {
    case SearchOperator::IN:
    case SearchOperator::NOT_IN:
    case SearchOperator::CONTAINS_ANY:
      if (!rule.value.IsArray())
        return BadRequest(where + ".value must be an array for " + std::string(op->AsString()));
      break;
    case SearchOperator::BETWEEN:
    case SearchOperator::NOT_BETWEEN: {
      const json::Value* from = rule.value.IsObject() ? rule.value.Find("from") : nullptr;
      const json::Value* to = rule.value.IsObject() ? rule.value.Find("to") : nullptr;
      if (from == nullptr || to == nullptr || !from->IsString() || !to->IsString()) {
        return BadRequest(where + ".value must be {\"from\": <date-time>, \"to\": <date-time>}");
      }
      rule.from_us = ParseTimestamp(from->AsString());
      rule.to_us = ParseTimestamp(to->AsString());
      if (!rule.from_us || !rule.to_us) return BadRequest(where + ".value.from/to must be ISO-8601 date-times");
      break;
    }
    default: break;
  }
  return rule;
}

json::Value FieldValue(const EntityRecord& e, std::string_view property) {
  if (!property.empty() && property[0] == '$') {
    if (property == "$identifier") return json::Value::String(e.identifier);
    if (property == "$blueprint") return json::Value::String(e.blueprint);
    if (property == "$datasource") return json::Value::String(e.datasource);
    if (property == "$title") return e.title;
    if (property == "$icon") return e.icon;
    if (property == "$team") return e.team;
    if (property == "$createdAt") return json::Value::String(FormatTimestamp(e.created_us));
    if (property == "$updatedAt") return json::Value::String(FormatTimestamp(e.updated_us));
    return json::Value();
  }
  if (const json::Value* v = e.properties.IsObject() ? e.properties.Find(property) : nullptr) return *v;
  if (const json::Value* v = e.relations.IsObject() ? e.relations.Find(property) : nullptr) return *v;
  return json::Value();
}

std::optional<int64_t> TimeOf(const EntityRecord& e, std::string_view property) {
  if (property == "$createdAt") return e.created_us;
  if (property == "$updatedAt") return e.updated_us;
  return std::nullopt;
}

bool Contains(const json::Value& field, const json::Value& needle) {
  if (field.IsString() && needle.IsString()) return field.AsString().find(needle.AsString()) != std::string_view::npos;
  if (field.IsArray()) {
    for (const auto& item : field.Items()) {
      if (item == needle) return true;
    }
  }
  return false;
}

// Ordering comparison for >, <, ...: timestamps by instant, numbers by value, strings by bytes.
std::optional<int> Order(const EntityRecord& e, const SearchRule& rule, const json::Value& field) {
  if (IsTimeField(rule.property) && rule.value.IsString()) {
    auto rhs = ParseTimestamp(rule.value.AsString());
    if (!rhs) return std::nullopt;
    const int64_t lhs = *TimeOf(e, rule.property);
    return lhs < *rhs ? -1 : (lhs > *rhs ? 1 : 0);
  }
  if ((field.IsNumber() && rule.value.IsNumber()) || (field.IsString() && rule.value.IsString())) {
    return json::Value::Compare(field, rule.value);
  }
  return std::nullopt;
}

bool Equal(const EntityRecord& e, const SearchRule& rule, const json::Value& field) {
  if (IsTimeField(rule.property) && rule.value.IsString()) {
    auto rhs = ParseTimestamp(rule.value.AsString());
    return rhs && *rhs == *TimeOf(e, rule.property);
  }
  return field == rule.value;
}

bool IsEmptyValue(const json::Value& v) {
  return v.IsNull() || (v.IsString() && v.AsString().empty()) || ((v.IsArray() || v.IsObject()) && v.Empty());
}

bool MatchRule(const SearchRule& rule, const EntityRecord& e) {
  if (rule.is_group) {
    if (rule.is_and) {
      for (const auto& r : rule.rules) {
        if (!MatchRule(r, e)) return false;
      }
      return true;
    }
    for (const auto& r : rule.rules) {
      if (MatchRule(r, e)) return true;
    }
    return false;
  }
  if (rule.op == SearchOperator::RELATED_TO) return rule.resolved.count(EntityKey(e.blueprint, e.identifier)) > 0;
  const json::Value field = FieldValue(e, rule.property);
  switch (rule.op) {
    case SearchOperator::EQ: return Equal(e, rule, field);
    case SearchOperator::NEQ: return !Equal(e, rule, field);
    case SearchOperator::IN:
    case SearchOperator::NOT_IN: {
      bool found = false;
      for (const auto& item : rule.value.Items())
        found = found || item == field || (field.IsArray() && Contains(field, item));
      return rule.op == SearchOperator::IN ? found : !found;
    }
    case SearchOperator::CONTAINS: return Contains(field, rule.value);
    case SearchOperator::NOT_CONTAINS: return !Contains(field, rule.value);
    case SearchOperator::CONTAINS_ANY:
      for (const auto& item : rule.value.Items()) {
        if (Contains(field, item)) return true;
      }
      return false;
    case SearchOperator::BEGINS_WITH:
      return field.IsString() && rule.value.IsString() && field.AsString().starts_with(rule.value.AsString());
    case SearchOperator::ENDS_WITH:
      return field.IsString() && rule.value.IsString() && field.AsString().ends_with(rule.value.AsString());
    case SearchOperator::GT:
    case SearchOperator::GTE:
    case SearchOperator::LT:
    case SearchOperator::LTE: {
      auto order = Order(e, rule, field);
      if (!order) return false;
      if (rule.op == SearchOperator::GT) return *order > 0;
      if (rule.op == SearchOperator::GTE) return *order >= 0;
      if (rule.op == SearchOperator::LT) return *order < 0;
      return *order <= 0;
    }
    case SearchOperator::BETWEEN:
    case SearchOperator::NOT_BETWEEN: {
      std::optional<int64_t> t = TimeOf(e, rule.property);
      if (!t && field.IsString()) t = ParseTimestamp(field.AsString());
      const bool inside = t && *t >= *rule.from_us && *t <= *rule.to_us;
      return rule.op == SearchOperator::BETWEEN ? inside : !inside;
    }
    case SearchOperator::IS_EMPTY: return IsEmptyValue(field);
    case SearchOperator::IS_NOT_EMPTY: return !IsEmptyValue(field);
    case SearchOperator::RELATED_TO: return false;
  }
  return false;
}

}  // namespace

std::string EntityKey(std::string_view blueprint, std::string_view identifier) {
  std::string key;
  key.reserve(blueprint.size() + identifier.size() + 1);
  key.append(blueprint).push_back('\x1f');
  key.append(identifier);
  return key;
}

CatalogResult<SearchQuery> SearchQuery::Compile(const json::Value& query) {
  if (!query.IsObject() || query.Find("combinator") == nullptr) {
    return BadRequest("search query must be an object with \"combinator\" and \"rules\"");
  }
  auto root = CompileRule(query, "query");
  if (!root.ok()) return root.error();
  SearchQuery q;
  q.root_ = std::move(root.value());
  if (q.root_.is_and) {
    for (const auto& r : q.root_.rules) {
      if (r.is_group) continue;
      if (r.property == "$blueprint" && r.op == SearchOperator::EQ && r.value.IsString()) {
        q.blueprint_hint_ = std::string(r.value.AsString());
      }
      if (r.property == "$identifier" && r.op == SearchOperator::EQ && r.value.IsString()) {
        q.identifier_hint_ = std::vector<std::string>{std::string(r.value.AsString())};
      }
      if (r.property == "$identifier" && r.op == SearchOperator::IN) {
        std::vector<std::string> ids;
        for (const auto& item : r.value.Items()) {
          if (item.IsString()) ids.emplace_back(item.AsString());
        }
        q.identifier_hint_ = std::move(ids);
      }
    }
  }
  return q;
}

bool SearchQuery::Matches(const EntityRecord& entity) const {
  return MatchRule(root_, entity);
}

}  // namespace sp::catalog

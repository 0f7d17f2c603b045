// Catalog entity writes (E1/E2): the rules of port-api.md §9.4, one item at a time inside one transaction.
#include <set>

#include "catalog/catalog.hpp"
#include "catalog/detail/catalog_state.hpp"
#include "catalog/search.hpp"

namespace sp::catalog {
namespace {

constexpr std::string_view kEntityKeys[] = {"identifier", "blueprint",  "title",    "icon",
                                            "team",       "properties", "relations"};

ApiError Mismatch(std::string message) {
  return Unprocessable("blueprint_schema_mismatch", std::move(message));
}

// Outcome of one item: a Port rejection (item error) or a storage failure (whole call fails).
struct ItemOutcome {
  UpsertItemResult result;
  std::optional<Error> storage;
};

class ItemWriter {
 public:
  ItemWriter(Catalog::State& state, const Blueprint& bp, const UpsertOptions& options, std::string_view datasource)
      : state_(state), bp_(bp), options_(options), datasource_(datasource) {}

  ItemOutcome Write(size_t index, const json::Value& item);

 private:
  // Resolves a search-query object to the identifiers it matches inside `blueprint`.
  CatalogResult<std::vector<std::string>> Resolve(const json::Value& query, const std::string& blueprint);
  std::optional<ApiError> ApplyProperties(const json::Value& supplied, EntityRecord& rec, const std::string& where);
  std::optional<ApiError> ApplyRelations(const json::Value& supplied, EntityRecord& rec, const std::string& where);
  std::optional<ApiError> ApplyTeam(const json::Value& team, EntityRecord& rec, const std::string& where);

  Catalog::State& state_;
  const Blueprint& bp_;
  const UpsertOptions& options_;
  std::string_view datasource_;
  std::optional<Error> storage_;  // a storage failure seen inside a helper
  std::vector<EntityRef> supplied_targets_;
};

CatalogResult<std::vector<std::string>> ItemWriter::Resolve(const json::Value& query, const std::string& blueprint) {
  auto compiled = SearchQuery::Compile(query);
  if (!compiled.ok()) return compiled.error();
  auto entities = state_.LoadEntities(std::string_view(blueprint));
  if (!entities.ok()) {
    storage_ = entities.error();
    return StorageError(entities.error().message);
  }
  std::vector<std::string> ids;
  for (const auto& e : *entities) {
    if (compiled->Matches(e)) ids.push_back(e.identifier);
  }
  return ids;
}

std::optional<ApiError> ItemWriter::ApplyTeam(const json::Value& team, EntityRecord& rec, const std::string& where) {
  json::Value names = json::Value::Array();
  if (team.IsString()) {
    names.Append(team);
  } else if (team.IsArray()) {
    for (const auto& t : team.Items()) {
      if (!t.IsString()) return BadRequest(where + ".team must be a string or an array of strings");
      names.Append(t);
    }
  } else if (!team.IsNull()) {
    return BadRequest(where +
                      ".team must be a string, an array of strings or null (team search queries are not "
                      "supported by this catalog)");
  }
  if (!state_.options.teams.empty()) {
    for (const auto& t : names.Items()) {
      bool known = false;
      for (const auto& allowed : state_.options.teams) known = known || allowed == t.AsString();
      if (!known)
        return Unprocessable("team_not_found",
                             where + ".team: team \"" + std::string(t.AsString()) + "\" does not exist");
    }
  }
  rec.team = std::move(names);
  return std::nullopt;
}

std::optional<ApiError> ItemWriter::ApplyProperties(const json::Value& supplied, EntityRecord& rec,
                                                    const std::string& where) {
  if (supplied.IsNull()) return std::nullopt;
  if (!supplied.IsObject()) return BadRequest(where + ".properties must be an object");
  for (const auto& m : supplied.Members()) {
    const std::string name(m.key.AsString());
    const PropertySpec* spec = bp_.FindProperty(name);
    if (spec == nullptr) {
      return Mismatch(where + ".properties." + name + ": property \"" + name + "\" is not defined in blueprint \"" +
                      bp_.identifier + "\"");
    }
    if (m.value.IsNull()) {
      rec.properties.Erase(name);
      continue;
    }
    if (auto problem = CheckPropertyValue(*spec, m.value)) {
      return Mismatch(where + ".properties." + name + " " + *problem);
    }
    rec.properties.Set(name, m.value);
  }
  return std::nullopt;
}

std::optional<ApiError> ItemWriter::ApplyRelations(const json::Value& supplied, EntityRecord& rec,
                                                   const std::string& where) {
  if (supplied.IsNull()) return std::nullopt;
  if (!supplied.IsObject()) return BadRequest(where + ".relations must be an object");
  for (const auto& m : supplied.Members()) {
    const std::string name(m.key.AsString());
    const std::string at = where + ".relations." + name;
    const RelationSpec* spec = bp_.FindRelation(name);
    if (spec == nullptr) {
      return Mismatch(at + ": relation \"" + name + "\" is not defined in blueprint \"" + bp_.identifier + "\"");
    }
    json::Value value = m.value;
    if (value.IsObject()) {  // a search query, resolved server-side (§4.4)
      auto ids = Resolve(value, spec->target);
      if (!ids.ok()) return ids.error();
      if (spec->many) {
        json::Value arr = json::Value::Array();
        for (const auto& id : *ids) arr.Append(json::Value::String(id));
        value = std::move(arr);
      } else if (ids->size() > 1) {
        return Unprocessable("relation_many_violation", at + ": the search query matched " +
                                                            std::to_string(ids->size()) +
                                                            " entities but the relation is not \"many\"");
      } else {
        value = ids->empty() ? json::Value() : json::Value::String((*ids)[0]);
      }
    }
    if (value.IsNull()) {
      rec.relations.Erase(name);
      continue;
    }
    if (spec->many) {
      if (!value.IsArray()) {
        return Unprocessable("relation_many_violation",
                             at + ": relation is \"many\", expected an array of identifiers");
      }
      json::Value unique = json::Value::Array();
      std::set<std::string> seen;
      for (const auto& t : value.Items()) {
        if (!t.IsString() || t.AsString().empty())
          return Mismatch(at + ": related identifiers must be non-empty strings");
        if (seen.insert(std::string(t.AsString())).second) unique.Append(t);
      }
      value = std::move(unique);
    } else if (!value.IsString()) {
      return Unprocessable("relation_many_violation",
                           at + ": relation is not \"many\", expected one identifier, got " + value.TypeName());
    } else if (value.AsString().empty()) {
      return Mismatch(at + ": related identifier must be a non-empty string");
    }
    if (value.IsArray()) {
      for (const auto& t : value.Items()) supplied_targets_.emplace_back(spec->target, t.AsString());
    } else {
      supplied_targets_.emplace_back(spec->target, value.AsString());
    }
    rec.relations.Set(name, std::move(value));
  }
  return std::nullopt;
}

ItemOutcome ItemWriter::Write(size_t index, const json::Value& item) {
  ItemOutcome out;
  out.result.index = index;
  out.result.identifier = "unknown";
  auto fail = [&](ApiError e) {
    out.result.error = std::move(e);
    if (storage_) out.storage = storage_;
    return out;
  };
  const std::string where = "entities[" + std::to_string(index) + "]";
  if (!item.IsObject()) return fail(BadRequest(where + " must be a JSON object"));
  for (const auto& m : item.Members()) {
    bool known = false;
    for (auto k : kEntityKeys) known = known || k == m.key.AsString();
    if (!known) return fail(BadRequest(where + ": unknown field \"" + std::string(m.key.AsString()) + "\""));
  }
  if (const json::Value* b = item.Find("blueprint");
      b != nullptr && !(b->IsString() && b->AsString() == bp_.identifier)) {
    return fail(BadRequest(where + ".blueprint must be \"" + bp_.identifier + "\" (the blueprint of the route)"));
  }
  // identifier: a string, or a search query naming exactly one existing entity (§9.4 rule 11)
  const json::Value* id_value = item.Find("identifier");
  std::string identifier;
  if (id_value != nullptr && id_value->IsObject()) {
    auto ids = Resolve(*id_value, bp_.identifier);
    if (!ids.ok()) return fail(ids.error());
    if (ids->empty()) return fail(NotFound(where + ".identifier: the search query matched no entity"));
    if (ids->size() > 1) {
      return fail(Unprocessable("invalid_identifier", where + ".identifier: the search query matched " +
                                                          std::to_string(ids->size()) + " entities, expected one"));
    }
    identifier = (*ids)[0];
  } else if (id_value == nullptr || !id_value->IsString() || !IsValidIdentifier(id_value->AsString())) {
    if (id_value != nullptr && id_value->IsString()) out.result.identifier = std::string(id_value->AsString());
    return fail(Unprocessable("invalid_identifier",
                              where + ".identifier must be a non-empty string of letters, digits and @_.:/\\=-"));
  } else {
    identifier = std::string(id_value->AsString());
  }
  out.result.identifier = identifier;
  for (const char* key : {"title", "icon"}) {
    const json::Value* v = item.Find(key);
    if (v != nullptr && !v->IsString() && !v->IsNull()) {
      return fail(BadRequest(where + "." + key + " must be a string or null"));
    }
  }

  auto existing = state_.LoadEntity(bp_.identifier, identifier);
  if (!existing.ok()) {
    storage_ = existing.error();
    return fail(StorageError(existing.error().message));
  }
  if (existing.value() && !options_.upsert) {
    return fail(Conflict("identifier_taken", "entity \"" + identifier + "\" already exists in blueprint \"" +
                                                 bp_.identifier + "\" (use upsert=true)"));
  }
  const int64_t now = state_.Now();
  EntityRecord rec;
  if (options_.merge && existing.value()) {
    rec = *existing.value();
    // keys the blueprint no longer defines are dropped rather than failing every later merge
    json::Value kept = json::Value::Object();
    for (const auto& m : rec.properties.Members()) {
      if (bp_.FindProperty(m.key.AsString()) != nullptr) kept.Set(m.key, m.value);
    }
    rec.properties = std::move(kept);
  } else {
    rec.blueprint = bp_.identifier;
    rec.identifier = identifier;
    rec.team = json::Value::Array();
    rec.properties = json::Value::Object();
    rec.relations = json::Value::Object();
    rec.created_us = existing.value() ? existing.value()->created_us : now;
  }
  if (const json::Value* v = item.Find("title")) rec.title = *v;
  if (const json::Value* v = item.Find("icon")) rec.icon = *v;
  if (const json::Value* v = item.Find("team")) {
    if (auto err = ApplyTeam(*v, rec, where)) return fail(*err);
  }
  if (const json::Value* v = item.Find("properties")) {
    if (auto err = ApplyProperties(*v, rec, where)) return fail(*err);
  }
  if (const json::Value* v = item.Find("relations")) {
    if (auto err = ApplyRelations(*v, rec, where)) return fail(*err);
  }
  for (const auto& name : bp_.required) {
    if (rec.properties.Find(name) == nullptr) {
      return fail(Mismatch(where + ".properties." + name + ": required property \"" + name + "\" is missing"));
    }
  }
  for (const auto& rel : bp_.relations) {
    const json::Value* v = rec.relations.Find(rel.name);
    if (rel.required && (v == nullptr || (v->IsArray() && v->Empty()))) {
      return fail(Unprocessable("required_relation",
                                where + ".relations." + rel.name + ": relation \"" + rel.name + "\" is required"));
    }
  }
  // relation targets must exist, or become placeholders (§9.4 rule 14)
  std::vector<EntityRef> missing;
  for (const auto& [target_bp, target_id] : supplied_targets_) {
    if (target_bp == bp_.identifier && target_id == identifier) continue;
    auto exists = state_.EntityExists(target_bp, target_id);
    if (!exists.ok()) {
      storage_ = exists.error();
      return fail(StorageError(exists.error().message));
    }
    if (*exists) continue;
    if (!options_.create_missing_related_entities) {
      return fail(NotFound(where + ".relations: related entity \"" + target_id + "\" of blueprint \"" + target_bp +
                           "\" does not exist"));
    }
    if (state_.FindBlueprint(target_bp) == nullptr) {
      return fail(NotFound(where + ".relations: target blueprint \"" + target_bp + "\" does not exist"));
    }
    missing.emplace_back(target_bp, target_id);
  }
  const bool unchanged = existing.value() && existing.value()->title == rec.title &&
                         existing.value()->icon == rec.icon && existing.value()->team == rec.team &&
                         existing.value()->properties == rec.properties && existing.value()->relations == rec.relations;
  rec.updated_us = unchanged && !state_.options.bump_updated_at_on_noop ? existing.value()->updated_us : now;
  rec.datasource = std::string(datasource_);
  out.result.created = !existing.value();
  out.result.entity = EntityToJson(rec, &bp_);
  if (options_.validation_only) return out;

  std::set<EntityRef> created;
  for (const auto& ref : missing) {
    if (!created.insert(ref).second) continue;
    EntityRecord placeholder;
    placeholder.blueprint = ref.first;
    placeholder.identifier = ref.second;
    placeholder.team = json::Value::Array();
    placeholder.properties = json::Value::Object();
    placeholder.relations = json::Value::Object();
    placeholder.created_us = placeholder.updated_us = now;
    placeholder.datasource = std::string(datasource_);  // [inferred] §9.4 rule 14
    if (Status s = state_.SaveEntity(placeholder, false); !s.ok()) {
      out.storage = s.error();
      return out;
    }
  }
  const bool relations_changed = !existing.value() || existing.value()->relations != rec.relations;
  if (Status s = state_.SaveEntity(rec, relations_changed); !s.ok()) out.storage = s.error();
  return out;
}

}  // namespace

CatalogResult<std::vector<UpsertItemResult>> Catalog::UpsertEntities(std::string_view blueprint,
                                                                     std::span<const json::Value> entities,
                                                                     const UpsertOptions& options,
                                                                     std::string_view datasource) {
  std::lock_guard lock(mutex_);
  const Blueprint* bp = state_->FindBlueprint(blueprint);
  if (bp == nullptr) return NotFound("blueprint \"" + std::string(blueprint) + "\" was not found");
  detail::Transaction tx(*state_->db);
  if (Status s = tx.Begin(); !s.ok()) return StorageError(s.error().message);
  state_->rows_written = 0;
  std::vector<UpsertItemResult> results;
  results.reserve(entities.size());
  for (size_t i = 0; i < entities.size(); ++i) {
    ItemWriter writer(*state_, *bp, options, datasource);
    ItemOutcome outcome = writer.Write(i, entities[i]);
    if (outcome.storage) return StorageError("catalog write failed, nothing was written: " + outcome.storage->message);
    results.push_back(std::move(outcome.result));
  }
  if (Status s = tx.Commit(); !s.ok()) return StorageError("catalog commit failed: " + s.error().message);
  return results;
}

}  // namespace sp::catalog

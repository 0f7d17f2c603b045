// Catalog reads: single entity, rule search (E5), datasource listing (E6), export and counts.
#include <deque>
#include <set>

#include "catalog/catalog.hpp"
#include "catalog/detail/catalog_state.hpp"
#include "catalog/search.hpp"

namespace sp::catalog {
namespace {

constexpr size_t kMaxDatasourceLimit = 10000;

std::string Hex(std::string_view s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() * 2);
  for (unsigned char c : s) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view s) {
  if (s.size() % 2 != 0) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); i += 2) {
    const int hi = digit(s[i]), lo = digit(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

// relatedTo (§3.5.5, D23): downstream = entities that (transitively) relate to the value; upstream = entities
// the value (transitively) relates to. [inferred: Port follows relations over any number of hops]
Status ResolveRelatedTo(Catalog::State& state, SearchRule& rule) {
  for (const auto& value : rule.related_values) {
    std::set<EntityRef> seen{{rule.related_blueprint, value}};
    std::deque<EntityRef> queue{{rule.related_blueprint, value}};
    while (!queue.empty()) {
      EntityRef current = std::move(queue.front());
      queue.pop_front();
      auto next = rule.downstream ? state.Dependents(current.first, current.second)
                                  : state.Targets(current.first, current.second);
      if (!next.ok()) return next.error();
      for (auto& ref : *next) {
        if (seen.insert(ref).second) {
          rule.resolved.insert(EntityKey(ref.first, ref.second));
          queue.push_back(std::move(ref));
        }
      }
    }
  }
  return {};
}

}  // namespace

CatalogResult<json::Value> Catalog::GetEntity(std::string_view blueprint, std::string_view identifier) {
  std::lock_guard lock(mutex_);
  const Blueprint* bp = state_->FindBlueprint(blueprint);
  if (bp == nullptr) return NotFound("blueprint \"" + std::string(blueprint) + "\" was not found");
  auto e = state_->LoadEntity(blueprint, identifier);
  if (!e.ok()) return StorageError(e.error().message);
  if (!e.value()) {
    return NotFound("entity \"" + std::string(identifier) + "\" of blueprint \"" + std::string(blueprint) +
                    "\" was not found");
  }
  return EntityToJson(*e.value(), bp);
}

CatalogResult<std::vector<json::Value>> Catalog::Search(const json::Value& query, const SearchOptions& options) {
  auto compiled = SearchQuery::Compile(query);
  if (!compiled.ok()) return compiled.error();
  std::lock_guard lock(mutex_);
  Status resolved;
  compiled->ForEachRelatedTo([&](SearchRule& rule) {
    if (resolved.ok()) resolved = ResolveRelatedTo(*state_, rule);
  });
  if (!resolved.ok()) return StorageError(resolved.error().message);
  std::vector<EntityRecord> candidates;
  const auto& bp_hint = compiled->blueprint_hint();
  const auto& id_hint = compiled->identifier_hint();
  if (bp_hint && id_hint) {
    std::set<std::string> ids(id_hint->begin(), id_hint->end());
    for (const auto& id : ids) {
      auto e = state_->LoadEntity(*bp_hint, id);
      if (!e.ok()) return StorageError(e.error().message);
      if (e.value()) candidates.push_back(std::move(*e.value()));
    }
  } else {
    auto all = bp_hint ? state_->LoadEntities(std::string_view(*bp_hint)) : state_->LoadEntities(std::nullopt);
    if (!all.ok()) return StorageError(all.error().message);
    candidates = std::move(all.value());
  }
  std::vector<json::Value> out;
  for (const auto& e : candidates) {
    if (!compiled->Matches(e)) continue;
    out.push_back(ProjectEntity(EntityToJson(e, state_->FindBlueprint(e.blueprint)), options.include));
  }
  return out;
}

CatalogResult<DatasourcePage> Catalog::DatasourceEntities(const DatasourceQuery& query) {
  std::optional<int64_t> before;
  if (query.before) {
    before = ParseTimestamp(*query.before);
    if (!before) return BadRequest("before must be an ISO-8601 date-time, got \"" + *query.before + "\"");
  }
  if (query.limit == 0 || query.limit > kMaxDatasourceLimit) {
    return BadRequest("limit must be between 1 and " + std::to_string(kMaxDatasourceLimit));
  }
  std::string after_bp, after_id;
  if (!query.cursor.empty()) {
    auto raw = Unhex(query.cursor);
    const size_t sep = raw ? raw->find('\x1f') : std::string::npos;
    if (sep == std::string::npos) return BadRequest("from is not a cursor returned by this server");
    after_bp = raw->substr(0, sep);
    after_id = raw->substr(sep + 1);
  }
  std::lock_guard lock(mutex_);
  auto stmt = state_->db->Prepare(std::string("SELECT ") + kEntityColumns +
                                  " FROM entities WHERE substr(datasource, 1, length(?1)) = ?1"
                                  " AND (length(?2) = 0 OR (length(datasource) >= length(?2) AND"
                                  "      substr(datasource, length(datasource) - length(?2) + 1) = ?2))"
                                  " AND (?3 IS NULL OR updated_us < ?3)"
                                  " AND (?4 = 0 OR (blueprint, identifier) > (?5, ?6))"
                                  " ORDER BY blueprint, identifier LIMIT ?7");
  if (!stmt.ok()) return StorageError(stmt.error().message);
  auto& s = **stmt;
  s.Bind(1, query.prefix).Bind(2, query.suffix);
  if (before)
    s.Bind(3, *before);
  else
    s.BindNull(3);
  s.Bind(4, static_cast<int64_t>(query.cursor.empty() ? 0 : 1)).Bind(5, after_bp).Bind(6, after_id);
  s.Bind(7, static_cast<int64_t>(query.limit + 1));
  DatasourcePage page;
  std::optional<EntityRef> last;
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return StorageError(row.error().message);
    if (!*row) break;
    auto e = ReadEntityRow(s);
    if (!e.ok()) return StorageError(e.error().message);
    if (page.entities.size() == query.limit) {
      page.next = Hex(EntityKey(last->first, last->second));
      break;
    }
    last = EntityRef{e->blueprint, e->identifier};
    page.entities.push_back(EntityToJson(e.value(), state_->FindBlueprint(e->blueprint)));
  }
  s.Reset();
  return page;
}

CatalogResult<json::Value> Catalog::Export() {
  std::lock_guard lock(mutex_);
  json::Value blueprints = json::Value::Array();
  for (const auto& [id, bp] : state_->blueprints) blueprints.Append(state_->RenderBlueprint(bp));
  auto entities = state_->LoadEntities(std::nullopt);
  if (!entities.ok()) return StorageError(entities.error().message);
  json::Value list = json::Value::Array();
  for (const auto& e : *entities) list.Append(EntityToJson(e, state_->FindBlueprint(e.blueprint), true));
  json::Value out = json::Value::Object();
  out.Set("blueprints", std::move(blueprints));
  out.Set("entities", std::move(list));
  return out;
}

CatalogResult<size_t> Catalog::CountEntities(std::string_view blueprint) {
  std::lock_guard lock(mutex_);
  auto stmt = blueprint.empty() ? state_->db->Prepare("SELECT count(*) FROM entities")
                                : state_->db->Prepare("SELECT count(*) FROM entities WHERE blueprint = ?1");
  if (!stmt.ok()) return StorageError(stmt.error().message);
  if (!blueprint.empty()) (*stmt)->Bind(1, blueprint);
  auto row = (*stmt)->Step();
  if (!row.ok()) return StorageError(row.error().message);
  const auto n = static_cast<size_t>((*stmt)->Int(0));
  (*stmt)->Reset();
  return n;
}

}  // namespace sp::catalog

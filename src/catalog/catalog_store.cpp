// Row-level storage for the catalog: entity rows, relation edges and blueprint rows (see catalog_state.hpp).
#include "catalog/detail/catalog_state.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::catalog {
namespace {

Error Corrupt(std::string_view what) {
  return Error(ErrorCode::INTERNAL, "stored " + std::string(what) + " is not valid JSON", "catalog");
}

}  // namespace

Result<EntityRecord> ReadEntityRow(const detail::Statement& stmt) {
  EntityRecord e;
  e.blueprint = std::string(stmt.Text(0));
  e.identifier = std::string(stmt.Text(1));
  e.title = stmt.IsNull(2) ? json::Value() : json::Value::String(stmt.Text(2));
  e.icon = stmt.IsNull(3) ? json::Value() : json::Value::String(stmt.Text(3));
  auto team = json::Parse(stmt.Text(4));
  if (!team.ok()) return Corrupt("team");
  e.team = std::move(team.value());
  auto props = json::Parse(stmt.Text(5));
  if (!props.ok()) return Corrupt("properties");
  e.properties = std::move(props.value());
  auto rels = json::Parse(stmt.Text(6));
  if (!rels.ok()) return Corrupt("relations");
  e.relations = std::move(rels.value());
  e.created_us = stmt.Int(7);
  e.updated_us = stmt.Int(8);
  e.datasource = std::string(stmt.Text(9));
  return e;
}

json::Value Catalog::State::RenderBlueprint(const Blueprint& bp) const {
  json::Value out = bp.body;
  if (out.Find("schema") == nullptr) {
    json::Value schema = json::Value::Object();
    schema.Set("properties", json::Value::Object());
    schema.Set("required", json::Value::Array());
    out.Set("schema", std::move(schema));
  }
  if (out.Find("relations") == nullptr) out.Set("relations", json::Value::Object());
  auto it = blueprint_times.find(bp.identifier);
  if (it != blueprint_times.end()) {
    out.Set("createdAt", json::Value::String(FormatTimestamp(it->second.first)));
    out.Set("updatedAt", json::Value::String(FormatTimestamp(it->second.second)));
  }
  return out;
}

Result<std::optional<EntityRecord>> Catalog::State::LoadEntity(std::string_view blueprint,
                                                               std::string_view identifier) {
  auto stmt =
      db->Prepare(std::string("SELECT ") + kEntityColumns + " FROM entities WHERE blueprint = ?1 AND identifier = ?2");
  if (!stmt.ok()) return stmt.error();
  (*stmt)->Bind(1, blueprint).Bind(2, identifier);
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<EntityRecord>();
  auto e = ReadEntityRow(**stmt);
  (*stmt)->Reset();
  if (!e.ok()) return e.error();
  return std::optional<EntityRecord>(std::move(e.value()));
}

Result<std::vector<EntityRecord>> Catalog::State::LoadEntities(std::optional<std::string_view> blueprint) {
  auto stmt =
      blueprint
          ? db->Prepare(std::string("SELECT ") + kEntityColumns +
                        " FROM entities WHERE blueprint = ?1 ORDER BY blueprint, identifier")
          : db->Prepare(std::string("SELECT ") + kEntityColumns + " FROM entities ORDER BY blueprint, identifier");
  if (!stmt.ok()) return stmt.error();
  if (blueprint) (*stmt)->Bind(1, *blueprint);
  std::vector<EntityRecord> out;
  for (;;) {
    auto row = (*stmt)->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    auto e = ReadEntityRow(**stmt);
    if (!e.ok()) return e.error();
    out.push_back(std::move(e.value()));
  }
  return out;
}

Result<bool> Catalog::State::EntityExists(std::string_view blueprint, std::string_view identifier) {
  auto stmt = db->Prepare("SELECT 1 FROM entities WHERE blueprint = ?1 AND identifier = ?2");
  if (!stmt.ok()) return stmt.error();
  (*stmt)->Bind(1, blueprint).Bind(2, identifier);
  auto row = (*stmt)->Step();
  if (!row.ok()) return row.error();
  const bool found = *row;
  (*stmt)->Reset();
  return found;
}

Status Catalog::State::CountWrite() {
  ++rows_written;
  if (options.after_row_write && !options.after_row_write(rows_written)) {
    return Error(ErrorCode::UNAVAILABLE, "write failed (injected by the after_row_write test hook)", "catalog");
  }
  return {};
}

Status Catalog::State::SaveEntity(const EntityRecord& e, bool relations_changed) {
  auto stmt = db->Prepare(
      "INSERT INTO entities(blueprint, identifier, title, icon, team, properties, relations, created_us, "
      "updated_us, datasource) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT(blueprint, identifier) DO UPDATE SET title = excluded.title, icon = excluded.icon, "
      "team = excluded.team, properties = excluded.properties, relations = excluded.relations, "
      "created_us = excluded.created_us, updated_us = excluded.updated_us, datasource = excluded.datasource");
  if (!stmt.ok()) return stmt.error();
  auto& s = **stmt;
  s.Bind(1, e.blueprint).Bind(2, e.identifier);
  if (e.title.IsString())
    s.Bind(3, e.title.AsString());
  else
    s.BindNull(3);
  if (e.icon.IsString())
    s.Bind(4, e.icon.AsString());
  else
    s.BindNull(4);
  const std::string team = json::ToJson(e.team);
  const std::string props = json::ToJson(e.properties);
  const std::string rels = json::ToJson(e.relations);
  s.Bind(5, team).Bind(6, props).Bind(7, rels).Bind(8, e.created_us).Bind(9, e.updated_us).Bind(10, e.datasource);
  if (Status st = s.Run(); !st.ok()) return st;
  if (relations_changed) {
    auto del = db->Prepare("DELETE FROM relations WHERE src_blueprint = ?1 AND src_identifier = ?2");
    if (!del.ok()) return del.error();
    (*del)->Bind(1, e.blueprint).Bind(2, e.identifier);
    if (Status st = (*del)->Run(); !st.ok()) return st;
    const Blueprint* bp = FindBlueprint(e.blueprint);
    auto ins = db->Prepare(
        "INSERT OR IGNORE INTO relations(src_blueprint, src_identifier, relation, dst_blueprint, dst_identifier) "
        "VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!ins.ok()) return ins.error();
    for (const auto& m : e.relations.Members()) {
      const RelationSpec* spec = bp != nullptr ? bp->FindRelation(m.key.AsString()) : nullptr;
      if (spec == nullptr) continue;
      auto add = [&](const json::Value& target) -> Status {
        if (!target.IsString()) return {};
        (*ins)->Reset();
        (*ins)
            ->Bind(1, e.blueprint)
            .Bind(2, e.identifier)
            .Bind(3, m.key.AsString())
            .Bind(4, spec->target)
            .Bind(5, target.AsString());
        return (*ins)->Run();
      };
      if (m.value.IsArray()) {
        for (const auto& t : m.value.Items()) {
          if (Status st = add(t); !st.ok()) return st;
        }
      } else if (Status st = add(m.value); !st.ok()) {
        return st;
      }
    }
  }
  return CountWrite();
}

Status Catalog::State::DeleteEntityRow(std::string_view blueprint, std::string_view identifier) {
  for (const char* sql : {"DELETE FROM entities WHERE blueprint = ?1 AND identifier = ?2",
                          "DELETE FROM relations WHERE src_blueprint = ?1 AND src_identifier = ?2",
                          "DELETE FROM relations WHERE dst_blueprint = ?1 AND dst_identifier = ?2"}) {
    auto stmt = db->Prepare(sql);
    if (!stmt.ok()) return stmt.error();
    (*stmt)->Bind(1, blueprint).Bind(2, identifier);
    if (Status st = (*stmt)->Run(); !st.ok()) return st;
  }
  return CountWrite();
}

Result<std::vector<EntityRef>> Catalog::State::Dependents(std::string_view blueprint, std::string_view identifier) {
  auto stmt = db->Prepare(
      "SELECT DISTINCT src_blueprint, src_identifier FROM relations WHERE dst_blueprint = ?1 AND dst_identifier = ?2 "
      "ORDER BY src_blueprint, src_identifier");
  if (!stmt.ok()) return stmt.error();
  (*stmt)->Bind(1, blueprint).Bind(2, identifier);
  std::vector<EntityRef> out;
  for (;;) {
    auto row = (*stmt)->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    EntityRef ref{std::string((*stmt)->Text(0)), std::string((*stmt)->Text(1))};
    if (ref.first == blueprint && ref.second == identifier) continue;
    out.push_back(std::move(ref));
  }
  return out;
}

Result<std::vector<EntityRef>> Catalog::State::Targets(std::string_view blueprint, std::string_view identifier) {
  auto stmt = db->Prepare(
      "SELECT DISTINCT dst_blueprint, dst_identifier FROM relations WHERE src_blueprint = ?1 AND src_identifier = ?2 "
      "ORDER BY dst_blueprint, dst_identifier");
  if (!stmt.ok()) return stmt.error();
  (*stmt)->Bind(1, blueprint).Bind(2, identifier);
  std::vector<EntityRef> out;
  for (;;) {
    auto row = (*stmt)->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.emplace_back(std::string((*stmt)->Text(0)), std::string((*stmt)->Text(1)));
  }
  return out;
}

Status Catalog::State::SaveBlueprint(const Blueprint& bp, int64_t created_us, int64_t updated_us) {
  auto stmt = db->Prepare(
      "INSERT INTO blueprints(identifier, body, created_us, updated_us) VALUES(?1, ?2, ?3, ?4) "
      "ON CONFLICT(identifier) DO UPDATE SET body = excluded.body, updated_us = excluded.updated_us");
  if (!stmt.ok()) return stmt.error();
  const std::string body = json::ToJson(bp.body);
  (*stmt)->Bind(1, bp.identifier).Bind(2, body).Bind(3, created_us).Bind(4, updated_us);
  return (*stmt)->Run();
}

}  // namespace sp::catalog

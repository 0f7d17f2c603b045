// Catalog: opening (format checks, schema) and the blueprint routes B1-B5.
#include "catalog/catalog.hpp"

#include "catalog/detail/catalog_state.hpp"
#include "json/parse.hpp"

namespace sp::catalog {
namespace {

// 'SPCT': marks the file as ours (PRAGMA application_id), so a foreign SQLite file is refused.
constexpr int64_t kApplicationId = 0x53504354;
constexpr int64_t kSchemaVersion = 1;

// Primary-key columns are declared first in WITHOUT ROWID tables: SQLite 3.40's quick_check reports a false
// "NULL value in <table>.<column>" for a NOT NULL column declared between key columns, which made Open()
// refuse healthy files.
constexpr const char* kSchema = R"sql(
CREATE TABLE blueprints(
  identifier TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL);
CREATE TABLE entities(
  blueprint TEXT NOT NULL,
  identifier TEXT NOT NULL,
  title TEXT,
  icon TEXT,
  team TEXT NOT NULL,
  properties TEXT NOT NULL,
  relations TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL,
  datasource TEXT NOT NULL,
  PRIMARY KEY(blueprint, identifier)) WITHOUT ROWID;
CREATE INDEX entities_by_datasource ON entities(datasource);
CREATE TABLE relations(
  src_blueprint TEXT NOT NULL,
  src_identifier TEXT NOT NULL,
  relation TEXT NOT NULL,
  dst_identifier TEXT NOT NULL,
  dst_blueprint TEXT NOT NULL,
  PRIMARY KEY(src_blueprint, src_identifier, relation, dst_identifier)) WITHOUT ROWID;
CREATE INDEX relations_by_target ON relations(dst_blueprint, dst_identifier);
)sql";

Error Refuse(const std::string& path, const std::string& why) {
  return Error(ErrorCode::INVALID_ARGUMENT, path + " " + why, path);
}

// Maps SQLite's first complaint about a file to the message users see.
Error Classify(const std::string& path, const Error& e) {
  if (e.message.find("not a database") != std::string::npos) {
    return Refuse(path, "is not a sentry-port catalog (file is not a database)");
  }
  if (e.message.find("malformed") != std::string::npos) {
    return Refuse(path, "cannot be used: database disk image is malformed");
  }
  return Error(ErrorCode::UNAVAILABLE, path + ": " + e.message, path);
}

Status CheckOrInitialize(detail::Database& db, const std::string& path) {
  auto app = db.QueryInt("PRAGMA application_id");
  if (!app.ok()) return Classify(path, app.error());
  auto tables = db.QueryInt("SELECT count(*) FROM sqlite_master");
  if (!tables.ok()) return Classify(path, tables.error());
  if (*app == 0 && *tables == 0) {
    detail::Transaction tx(db);
    if (Status s = tx.Begin(); !s.ok()) return Classify(path, s.error());
    if (Status s = db.Exec(kSchema); !s.ok()) return Classify(path, s.error());
    if (Status s = db.Exec("PRAGMA application_id = " + std::to_string(kApplicationId)); !s.ok()) return s;
    if (Status s = db.Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion)); !s.ok()) return s;
    return tx.Commit();
  }
  if (*app != kApplicationId) return Refuse(path, "is not a sentry-port catalog (foreign SQLite database)");
  auto version = db.QueryInt("PRAGMA user_version");
  if (!version.ok()) return Classify(path, version.error());
  if (*version > kSchemaVersion) {
    return Refuse(path, "was written by a newer sentry-port (catalog schema " + std::to_string(*version) +
                            ", this build reads up to " + std::to_string(kSchemaVersion) + ")");
  }
  auto check = db.Prepare("PRAGMA quick_check");
  if (!check.ok()) return Classify(path, check.error());
  auto row = (*check)->Step();
  if (!row.ok()) return Classify(path, row.error());
  if (*row && (*check)->Text(0) != "ok") {
    return Refuse(path, "cannot be used: database disk image is malformed (" + std::string((*check)->Text(0)) + ")");
  }
  (*check)->Reset();
  return {};
}

}  // namespace

json::Value ApiError::ToJson() const {
  json::Value out = json::Value::Object();
  out.Set("ok", json::Value::Bool(false));
  out.Set("error", json::Value::String(error));
  out.Set("message", json::Value::String(message));
  return out;
}

Catalog::Catalog(std::unique_ptr<State> state) : state_(std::move(state)) {}
Catalog::~Catalog() = default;

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& path, CatalogOptions options) {
  auto db = detail::Database::Open(path);
  if (!db.ok()) return db.error();
  auto& database = **db;
  if (Status s = database.Exec("PRAGMA busy_timeout = 5000"); !s.ok()) return Classify(path, s.error());
  if (Status s = CheckOrInitialize(database, path); !s.ok()) return s.error();
  if (path != ":memory:" && !path.empty()) {
    if (Status s = database.Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"); !s.ok()) {
      return Classify(path, s.error());
    }
  }
  auto state = std::make_unique<State>();
  state->path = path;
  state->options = std::move(options);
  state->db = std::move(db.value());
  auto stmt = state->db->Prepare("SELECT identifier, body, created_us, updated_us FROM blueprints");
  if (!stmt.ok()) return Classify(path, stmt.error());
  for (;;) {
    auto row = (*stmt)->Step();
    if (!row.ok()) return Classify(path, row.error());
    if (!*row) break;
    auto body = json::Parse((*stmt)->Text(1));
    if (!body.ok()) return Refuse(path, "cannot be used: a stored blueprint is not valid JSON");
    auto bp = ParseBlueprint(body.value());
    if (!bp.ok()) return Refuse(path, "cannot be used: stored blueprint is invalid: " + bp.error().message);
    state->blueprint_times[bp->identifier] = {(*stmt)->Int(2), (*stmt)->Int(3)};
    state->blueprints.emplace(bp->identifier, std::move(bp.value()));
  }
  return std::unique_ptr<Catalog>(new Catalog(std::move(state)));
}

namespace {

// B2/B3: relation targets must be existing blueprints (or the blueprint itself).
std::optional<ApiError> CheckRelationTargets(const Blueprint& bp,
                                             const std::map<std::string, Blueprint, std::less<>>& known) {
  for (const auto& rel : bp.relations) {
    if (rel.target != bp.identifier && known.find(rel.target) == known.end()) {
      return Unprocessable("invalid_blueprint", "blueprint \"" + bp.identifier + "\": relation \"" + rel.name +
                                                    "\" targets blueprint \"" + rel.target +
                                                    "\", which does not exist");
    }
  }
  return std::nullopt;
}

ApiError BlueprintNotFound(std::string_view id) {
  return NotFound("blueprint \"" + std::string(id) + "\" was not found");
}

}  // namespace

CatalogResult<json::Value> Catalog::CreateBlueprint(const json::Value& body) {
  std::lock_guard lock(mutex_);
  auto bp = ParseBlueprint(body);
  if (!bp.ok()) return bp.error();
  if (state_->FindBlueprint(bp->identifier) != nullptr) {
    return Conflict("identifier_taken", "blueprint \"" + bp->identifier + "\" already exists");
  }
  if (auto err = CheckRelationTargets(bp.value(), state_->blueprints)) return *err;
  const int64_t now = state_->Now();
  if (Status s = state_->SaveBlueprint(bp.value(), now, now); !s.ok()) return StorageError(s.error().message);
  state_->blueprint_times[bp->identifier] = {now, now};
  const std::string id = bp->identifier;
  auto& stored = state_->blueprints.insert_or_assign(id, std::move(bp.value())).first->second;
  return state_->RenderBlueprint(stored);
}

CatalogResult<json::Value> Catalog::GetBlueprint(std::string_view identifier) {
  std::lock_guard lock(mutex_);
  const Blueprint* bp = state_->FindBlueprint(identifier);
  if (bp == nullptr) return BlueprintNotFound(identifier);
  return state_->RenderBlueprint(*bp);
}

CatalogResult<json::Value> Catalog::PatchBlueprint(std::string_view identifier, const json::Value& patch) {
  std::lock_guard lock(mutex_);
  const Blueprint* current = state_->FindBlueprint(identifier);
  if (current == nullptr) return BlueprintNotFound(identifier);
  if (!patch.IsObject()) return BadRequest("blueprint patch must be a JSON object");
  json::Value merged = current->body;
  for (const auto& m : patch.Members()) {
    if (m.key.AsString() == "identifier" && !(m.value.IsString() && m.value.AsString() == identifier)) {
      return Unprocessable("invalid_blueprint", "a blueprint's identifier cannot be changed");
    }
    if (m.key.AsString() == "createdAt" || m.key.AsString() == "updatedAt") continue;
    merged.Set(m.key, m.value);
  }
  auto bp = ParseBlueprint(merged);
  if (!bp.ok()) return bp.error();
  if (auto err = CheckRelationTargets(bp.value(), state_->blueprints)) return *err;
  const int64_t now = state_->Now();
  auto& times = state_->blueprint_times[bp->identifier];
  if (Status s = state_->SaveBlueprint(bp.value(), times.first, now); !s.ok()) return StorageError(s.error().message);
  times.second = now;
  const std::string id = bp->identifier;
  auto& stored = state_->blueprints.insert_or_assign(id, std::move(bp.value())).first->second;
  return state_->RenderBlueprint(stored);
}

CatalogResult<bool> Catalog::DeleteBlueprint(std::string_view identifier) {
  std::lock_guard lock(mutex_);
  if (state_->FindBlueprint(identifier) == nullptr) return BlueprintNotFound(identifier);
  auto count = state_->db->Prepare("SELECT count(*) FROM entities WHERE blueprint = ?1");
  if (!count.ok()) return StorageError(count.error().message);
  (*count)->Bind(1, identifier);
  auto row = (*count)->Step();
  if (!row.ok()) return StorageError(row.error().message);
  const int64_t n = (*count)->Int(0);
  (*count)->Reset();
  if (n > 0) {
    return Conflict("has_entities", "blueprint \"" + std::string(identifier) + "\" still has " + std::to_string(n) +
                                        " entities; delete them first (or use all-entities?delete_blueprint=true)");
  }
  auto del = state_->db->Prepare("DELETE FROM blueprints WHERE identifier = ?1");
  if (!del.ok()) return StorageError(del.error().message);
  (*del)->Bind(1, identifier);
  if (Status s = (*del)->Run(); !s.ok()) return StorageError(s.error().message);
  state_->blueprints.erase(state_->blueprints.find(identifier));
  state_->blueprint_times.erase(state_->blueprint_times.find(identifier));
  return true;
}

CatalogResult<std::vector<json::Value>> Catalog::ListBlueprints() {
  std::lock_guard lock(mutex_);
  std::vector<json::Value> out;
  for (const auto& [id, bp] : state_->blueprints) out.push_back(state_->RenderBlueprint(bp));
  return out;
}

}  // namespace sp::catalog

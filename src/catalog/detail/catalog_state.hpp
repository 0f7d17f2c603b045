#pragma once
// Internal: the state behind a Catalog and the row-level storage helpers shared by catalog*.cpp.
// Every helper runs under the Catalog's mutex; storage failures come back as sp::Error (mapped to 500).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "catalog/blueprint.hpp"
#include "catalog/catalog.hpp"
#include "catalog/detail/sqlite.hpp"
#include "catalog/entity.hpp"
#include "catalog/timestamp.hpp"

namespace sp::catalog {

using EntityRef = std::pair<std::string, std::string>;  // (blueprint, identifier)

struct Catalog::State {
  std::string path;
  CatalogOptions options;
  std::unique_ptr<detail::Database> db;
  std::map<std::string, Blueprint, std::less<>> blueprints;  // parsed cache of the blueprints table
  std::map<std::string, std::pair<int64_t, int64_t>, std::less<>> blueprint_times;  // created, updated
  size_t rows_written = 0;  // within the current write call, for the after_row_write hook

  int64_t Now() const { return options.clock ? options.clock() : NowMicros(); }
  const Blueprint* FindBlueprint(std::string_view id) const {
    auto it = blueprints.find(id);
    return it == blueprints.end() ? nullptr : &it->second;
  }
  json::Value RenderBlueprint(const Blueprint& bp) const;

  Result<std::optional<EntityRecord>> LoadEntity(std::string_view blueprint, std::string_view identifier);
  //! All entities, or those of one blueprint, in (blueprint, identifier) order.
  Result<std::vector<EntityRecord>> LoadEntities(std::optional<std::string_view> blueprint);
  Result<bool> EntityExists(std::string_view blueprint, std::string_view identifier);
  //! Writes (insert or update) the row and, when `relations_changed`, its relation edges.
  Status SaveEntity(const EntityRecord& entity, bool relations_changed);
  Status DeleteEntityRow(std::string_view blueprint, std::string_view identifier);
  //! Entities with a relation pointing at (blueprint, identifier), excluding itself.
  Result<std::vector<EntityRef>> Dependents(std::string_view blueprint, std::string_view identifier);
  //! Entities (blueprint, identifier) points at.
  Result<std::vector<EntityRef>> Targets(std::string_view blueprint, std::string_view identifier);
  //! Counts a written row and runs the test hook; an error when the hook asks for a failure.
  Status CountWrite();
  Status SaveBlueprint(const Blueprint& bp, int64_t created_us, int64_t updated_us);
};

//! Decodes the current row of a `SELECT <entity columns>` statement.
Result<EntityRecord> ReadEntityRow(const detail::Statement& stmt);
//! The column list ReadEntityRow expects.
inline constexpr const char* kEntityColumns =
    "blueprint, identifier, title, icon, team, properties, relations, created_us, updated_us, datasource";

}  // namespace sp::catalog

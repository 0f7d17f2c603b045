#pragma once
// EntityRecord: one stored entity, and how it is rendered as Port renders it (port-api.md §3.5, §9.4):
// every schema property and relation of the blueprint appears (null, or [] for a many-relation, when unset),
// `team` is always an array, timestamps are ISO-8601 UTC with milliseconds.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/blueprint.hpp"
#include "json/value.hpp"

namespace sp::catalog {

struct EntityRecord {
  std::string blueprint;
  std::string identifier;
  json::Value title;       //!< string or null
  json::Value icon;        //!< string or null
  json::Value team;        //!< array of team names
  json::Value properties;  //!< object; never holds nulls (a null clears the key)
  json::Value relations;   //!< object: name -> identifier string, or array of identifiers; never nulls
  int64_t created_us = 0;
  int64_t updated_us = 0;
  std::string datasource;  //!< the writer's User-Agent (ownership, §1.2)
};

//! The entity as Port returns it. `blueprint` may be null (then only stored keys appear). With
//! `with_datasource`, adds "datasource" (state dumps and exports, never API answers).
json::Value EntityToJson(const EntityRecord& entity, const Blueprint* blueprint, bool with_datasource = false);

//! Keeps only the `include` fields of a rendered entity: top-level names ("identifier", "title") and
//! "properties.<name>" / "relations.<name>" (missing ones come back as null). An empty list keeps everything.
json::Value ProjectEntity(const json::Value& entity, const std::vector<std::string>& include);

}  // namespace sp::catalog

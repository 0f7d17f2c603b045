#pragma once
// Blueprint: the parsed form of a Port blueprint body (port-api.md §3.4, §9.3) and the value checks that
// entity writes are held to (§9.4 rules 13-14). Parsing checks the body's own shape; whether relation
// targets exist is the catalog's job (it knows the other blueprints).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/api_error.hpp"
#include "json/value.hpp"

namespace sp::catalog {

enum class PropertyType { STRING, NUMBER, BOOLEAN, ARRAY, OBJECT };

//! "string", "number", ...
const char* PropertyTypeName(PropertyType type);

struct PropertySpec {
  std::string name;
  PropertyType type = PropertyType::STRING;
  std::string format;                     //!< "" when none; "date-time", "url", "email", "ipv4", ... for strings
  std::vector<json::Value> enum_values;   //!< empty: any value of the type
  std::optional<PropertyType> item_type;  //!< arrays: `items.type` when given
  std::string item_format;                //!< arrays: `items.format` when given
};

struct RelationSpec {
  std::string name;
  std::string target;  //!< blueprint identifier
  bool many = false;
  bool required = false;
};

struct Blueprint {
  std::string identifier;
  json::Value body;  //!< the stored JSON (what B1 returns), without createdAt/updatedAt
  std::vector<PropertySpec> properties;
  std::vector<std::string> required;  //!< schema.required
  std::vector<RelationSpec> relations;

  const PropertySpec* FindProperty(std::string_view name) const;
  const RelationSpec* FindRelation(std::string_view name) const;
};

//! Parses and checks a blueprint body: identifier (a valid identifier), schema.properties (known types, enum
//! lists, items), schema.required (names of defined properties), relations (target string, many/required
//! booleans), mirrorProperties (path must start with a defined relation). Errors are 422 `invalid_blueprint`
//! naming the offending key; a body that is not an object is 400 `bad_request`.
CatalogResult<Blueprint> ParseBlueprint(const json::Value& body);

//! Port's identifier rule: non-empty, only letters, digits and `@ _ . : / \ = -`.
bool IsValidIdentifier(std::string_view identifier);

//! Checks a non-null property value against its spec (type, items type, format, enum). Returns a description
//! of the first problem ("must be a string, got number"), or nullopt when the value fits.
std::optional<std::string> CheckPropertyValue(const PropertySpec& spec, const json::Value& value);

//! Whether `text` satisfies the string `format` (unknown formats accept any string).
bool MatchesFormat(std::string_view format, std::string_view text);

}  // namespace sp::catalog

#pragma once
// The port app config (port-api.md §4.4): the model, and loading it from YAML or JSON text with validation.
//
// Loading compiles every JQ leaf once (Port's dialect, env access off unless LoadOptions::env is given), checks
// kinds and selector keys against a KindTable, and reports every problem with its config path
// (`resources[2].port.entity.mappings.properties.link: line 1, column 14: ...`). Unknown keys are warnings,
// never errors (Port adds fields over time). A loaded AppConfig is immutable and safe to share between threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.hpp"
#include "jq/program.hpp"
#include "json/value.hpp"
#include "mapping/config_issue.hpp"
#include "mapping/kinds.hpp"

namespace sp::mapping {

//! One JQ leaf of the config, compiled.
struct JqExpr {
  std::string path;    //!< config path of the leaf, for messages
  std::string source;  //!< the expression as written
  jq::Program program;
};

struct SearchQuery;

//! A rule of a search query: a leaf {property, operator, value} (each a JQ leaf) or a nested query.
struct SearchRule {
  std::optional<JqExpr> property;
  std::optional<JqExpr> op;  //!< `operator` in the config
  std::optional<JqExpr> value;
  std::shared_ptr<const SearchQuery> nested;  //!< set for a nested {combinator, rules}
};

//! {combinator, rules}: Port resolves it server-side after we evaluate every JQ leaf (port-api.md §4.4).
struct SearchQuery {
  std::optional<JqExpr> combinator;  //!< always set in a loaded config
  std::vector<SearchRule> rules;
};

//! identifier, team and relation values: a JQ leaf or a search query.
using FieldExpr = std::variant<JqExpr, SearchQuery>;

struct EntityMappings {
  std::optional<FieldExpr> identifier;  //!< always set in a loaded config
  std::optional<JqExpr> title;
  std::optional<JqExpr> blueprint;  //!< always set in a loaded config
  std::optional<JqExpr> icon;
  std::optional<FieldExpr> team;
  bool has_properties = false;  //!< `properties` was written (even empty): emitted as an object
  std::vector<std::pair<std::string, JqExpr>> properties;
  bool has_relations = false;
  std::vector<std::pair<std::string, FieldExpr>> relations;

  //! Whether the identifier, team or a relation is a search query (the sync engine's unchanged-entity check
  //! must not compare such entities, port-api.md §5.2-4d).
  bool UsesSearchQuery() const;
};

//! selector: `query` plus the source-specific keys the kind accepts. Typed fields hold the Sentry client's keys
//! (kinds.cpp) with their defaults; `fields` keeps every selector key as written for other kinds.
struct Selector {
  std::optional<JqExpr> query;            //!< default "true"; always set in a loaded config
  std::string tag = "environment";        //!< `tag`: project-tag / issue-tag expansion key
  bool include_members = false;           //!< `includeMembers` (team)
  bool include_archived = true;           //!< `includeArchived` (issue, issue-tag)
  std::vector<std::string> statuses;      //!< `statuses` (issue, issue-tag); empty = all statuses
  std::string stats_period;               //!< `statsPeriod` (issue, issue-tag); "" = the client's default window
  std::vector<std::string> environments;  //!< `environment` (issue, issue-tag); empty = all environments
  //! `maxTagValuesPerProject` (issue-tag): validated non-negative integer; nullopt = not set.
  std::optional<uint64_t> max_tag_values_per_project;
  json::Value fields = json::Value::Object();  //!< the selector object as written (without defaults)
};

struct ResourceConfig {
  size_t index = 0;  //!< position in `resources`
  std::string kind;
  Selector selector;
  std::optional<JqExpr> items_to_parse;  //!< `port.itemsToParse`
  std::string items_to_parse_name = "item";
  bool items_to_parse_top_level_transform = true;
  //! Keys of the array that itemsToParse reads, removed from each derived item when the top-level transform is
  //! on; empty when the expression is not a plain path (then the parent is kept whole). See items_to_parse.hpp.
  std::vector<std::string> items_to_parse_delete_path;
  EntityMappings mappings;

  std::string Path() const { return IndexPath("resources", index); }
};

struct AppConfig {
  bool enable_merge_entity = true;
  bool delete_dependent_entities = true;
  bool create_missing_related_entities = true;
  double entity_deletion_threshold = 0.9;
  std::vector<ResourceConfig> resources;
  json::Value source;  //!< the config as read (what is sent back to Port on integration writes)
};

struct LoadOptions {
  const KindTable* kinds = nullptr;  //!< nullptr: DefaultSentryKinds()
  json::Value env = {};              //!< what JQ's env / $ENV see; null: {} (port-api.md §11 item 13)
  jq::Limits limits = {};            //!< per-evaluation bounds of every compiled leaf
};

//! Outcome of loading: the config when there were no errors, and every error and warning found.
struct ConfigLoad {
  std::shared_ptr<const AppConfig> config;  //!< null when `errors` is not empty
  ConfigIssues errors;
  ConfigIssues warnings;
  ErrorCode code = ErrorCode::INVALID_ARGUMENT;  //!< PARSE when the text itself was malformed

  bool ok() const { return errors.empty(); }
  //! All errors as one Error whose message has one "path: message" line per error (use `errors` for the paths).
  Error ToError() const;
};

//! Loads a port app config from YAML or JSON text.
ConfigLoad LoadAppConfig(std::string_view text, const LoadOptions& options = {});
//! Loads a port app config already parsed (e.g. `integration.config` from Port's API).
ConfigLoad LoadAppConfigValue(const json::Value& value, const LoadOptions& options = {});

}  // namespace sp::mapping

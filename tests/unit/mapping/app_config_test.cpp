#include "mapping/app_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace sp::mapping {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kMinimal = R"(
resources:
  - kind: project
    selector:
      query: 'true'
    port:
      entity:
        mappings:
          identifier: .slug
          blueprint: '"sentryProject"'
)";

// The first error of a load that must fail.
ConfigIssue FirstError(std::string_view text) {
  ConfigLoad load = LoadAppConfig(text);
  EXPECT_FALSE(load.ok()) << "expected an error for:\n" << text;
  EXPECT_EQ(load.config, nullptr);
  return load.errors.empty() ? ConfigIssue{} : load.errors.front();
}

TEST(AppConfig, LoadsMinimalWithDefaults) {
  ConfigLoad load = LoadAppConfig(kMinimal);
  ASSERT_TRUE(load.ok()) << load.ToError().ToString();
  EXPECT_TRUE(load.warnings.empty());
  const AppConfig& c = *load.config;
  EXPECT_TRUE(c.enable_merge_entity);
  EXPECT_TRUE(c.delete_dependent_entities);
  EXPECT_TRUE(c.create_missing_related_entities);
  EXPECT_DOUBLE_EQ(c.entity_deletion_threshold, 0.9);
  ASSERT_EQ(c.resources.size(), 1u);
  const ResourceConfig& r = c.resources[0];
  EXPECT_EQ(r.kind, "project");
  EXPECT_EQ(r.selector.tag, "environment");
  EXPECT_FALSE(r.selector.include_members);
  EXPECT_TRUE(r.selector.include_archived);
  EXPECT_EQ(r.items_to_parse_name, "item");
  EXPECT_TRUE(r.items_to_parse_top_level_transform);
  EXPECT_FALSE(r.items_to_parse.has_value());
  EXPECT_FALSE(r.mappings.title.has_value());
  EXPECT_FALSE(r.mappings.has_properties);
  EXPECT_FALSE(r.mappings.UsesSearchQuery());
  EXPECT_EQ(r.selector.query->path, "resources[0].selector.query");
}

TEST(AppConfig, MissingSelectorDefaultsToTrue) {
  ConfigLoad load = LoadAppConfig(R"({"resources": [{"kind": "user", "port": {"entity": {"mappings":
      {"identifier": ".email", "blueprint": "\"sentryUser\""}}}}]})");
  ASSERT_TRUE(load.ok()) << load.ToError().ToString();
  EXPECT_EQ(load.config->resources[0].selector.query->source, "true");
}

TEST(AppConfig, ReadsTopLevelFlagsAndSelectorOptions) {
  ConfigLoad load = LoadAppConfig(R"(
enableMergeEntity: false
deleteDependentEntities: false
createMissingRelatedEntities: false
entityDeletionThreshold: 0.5
resources:
  - kind: issue
    selector:
      query: .status != "ignored"
      includeArchived: false
      statuses: [unresolved, resolved]
      statsPeriod: 14d
      environment: production
    port:
      entity:
        mappings:
          identifier: .id
          blueprint: '"sentryIssue"'
  - kind: team
    selector: {includeMembers: true}
    port: {entity: {mappings: {identifier: .slug, blueprint: '"sentryTeam"'}}}
)");
  ASSERT_TRUE(load.ok()) << load.ToError().ToString();
  const AppConfig& c = *load.config;
  EXPECT_FALSE(c.enable_merge_entity);
  EXPECT_FALSE(c.delete_dependent_entities);
  EXPECT_FALSE(c.create_missing_related_entities);
  EXPECT_DOUBLE_EQ(c.entity_deletion_threshold, 0.5);
  const Selector& s = c.resources[0].selector;
  EXPECT_FALSE(s.include_archived);
  EXPECT_EQ(s.statuses, (std::vector<std::string>{"unresolved", "resolved"}));
  EXPECT_EQ(s.stats_period, "14d");
  EXPECT_EQ(s.environments, std::vector<std::string>{"production"});
  EXPECT_TRUE(c.resources[1].selector.include_members);
}

TEST(AppConfig, MaxTagValuesPerProjectForIssueTag) {
  ConfigLoad load = LoadAppConfig(R"(
resources:
  - kind: issue-tag
    selector: {tag: release, maxTagValuesPerProject: 25}
    port: {entity: {mappings: {identifier: .slug, blueprint: '"p"'}}}
  - kind: issue-tag
    selector: {maxTagValuesPerProject: 0}
    port: {entity: {mappings: {identifier: .id, blueprint: '"i"'}}}
  - kind: project-tag
    port: {entity: {mappings: {identifier: .slug, blueprint: '"p"'}}}
  - kind: project
    selector: {maxTagValuesPerProject: 5}
    port: {entity: {mappings: {identifier: .slug, blueprint: '"p"'}}}
)");
  ASSERT_TRUE(load.ok()) << load.ToError().ToString();
  const AppConfig& c = *load.config;
  EXPECT_EQ(c.resources[0].selector.max_tag_values_per_project, std::optional<uint64_t>(25));
  EXPECT_EQ(c.resources[0].selector.fields.Find("maxTagValuesPerProject")->AsNumber(), 25);
  EXPECT_EQ(c.resources[1].selector.max_tag_values_per_project, std::optional<uint64_t>(0));
  EXPECT_EQ(c.resources[2].selector.max_tag_values_per_project, std::nullopt);
  // Only issue-tag knows the key (the Sentry client's strategy threshold): elsewhere it is an unknown key (a warning).
  EXPECT_EQ(c.resources[3].selector.max_tag_values_per_project, std::nullopt);
  ASSERT_EQ(load.warnings.size(), 1u);
  EXPECT_EQ(load.warnings[0].path, "resources[3].selector.maxTagValuesPerProject");
}

TEST(AppConfig, UnknownKindListsSupportedKinds) {
  ConfigIssue e = FirstError(R"(
resources:
  - kind: projects
    port: {entity: {mappings: {identifier: .slug, blueprint: '"p"'}}}
)");
  EXPECT_EQ(e.path, "resources[0].kind");
  EXPECT_THAT(e.message, HasSubstr("unknown kind 'projects'; supported kinds: project, issue, project-tag, "
                                   "issue-tag, user, team (line 3, column 11)"));
}

TEST(AppConfig, CallerKindTableReplacesTheDefault) {
  KindTable kinds = {{.name = "release"}};
  ConfigLoad load = LoadAppConfig(kMinimal, {.kinds = &kinds});
  ASSERT_FALSE(load.ok());
  EXPECT_THAT(load.errors[0].message, HasSubstr("supported kinds: release"));
}

TEST(AppConfig, MissingIdentifierAndBlueprint) {
  ConfigLoad load = LoadAppConfig(R"(
resources:
  - kind: project
    port: {entity: {mappings: {title: .name}}}
)");
  ASSERT_EQ(load.errors.size(), 2u);
  EXPECT_EQ(load.errors[0].path, "resources[0].port.entity.mappings.identifier");
  EXPECT_THAT(load.errors[0].message, HasSubstr("missing"));
  EXPECT_EQ(load.errors[1].path, "resources[0].port.entity.mappings.blueprint");
  EXPECT_THAT(load.errors[1].message, HasSubstr("missing"));
}

TEST(AppConfig, JqCompileErrorHasConfigPathAndColumn) {
  ConfigLoad load = LoadAppConfig(R"(
resources:
  - kind: user
    port: {entity: {mappings: {identifier: .email, blueprint: '"u"'}}}
  - kind: team
    port: {entity: {mappings: {identifier: .slug, blueprint: '"t"'}}}
  - kind: project
    port:
      entity:
        mappings:
          identifier: .slug
          blueprint: '"sentryProject"'
          properties:
            link: .organization.links + "/projects/" +
)");
  ASSERT_EQ(load.errors.size(), 1u) << load.ToError().ToString();
  EXPECT_EQ(load.errors[0].path, "resources[2].port.entity.mappings.properties.link");
  EXPECT_THAT(load.errors[0].message, StartsWith("line 1, column "));
  EXPECT_THAT(load.ToError().ToString(),
              StartsWith("resources[2].port.entity.mappings.properties.link: line 1, column "));
  EXPECT_EQ(load.code, ErrorCode::INVALID_ARGUMENT);
}

TEST(AppConfig, CollectsEveryError) {
  ConfigLoad load = LoadAppConfig(R"(
entityDeletionThreshold: 2
resources:
  - kind: nope
    port: {entity: {mappings: {identifier: '.a | (', blueprint: '"p"'}}}
)");
  EXPECT_EQ(load.errors.size(), 3u) << load.ToError().ToString();
}

TEST(AppConfig, ThresholdOutsideRange) {
  for (const char* value : {"1.5", "-0.1", "'0.5'", "true"}) {
    ConfigIssue e = FirstError(std::string("entityDeletionThreshold: ") + value + "\nresources: []\n");
    EXPECT_EQ(e.path, "entityDeletionThreshold");
    EXPECT_THAT(e.message, HasSubstr("must be a number between 0 and 1")) << value;
  }
  ConfigLoad edge = LoadAppConfig("entityDeletionThreshold: 1\nresources: []\n");
  EXPECT_TRUE(edge.ok());
  EXPECT_DOUBLE_EQ(edge.config->entity_deletion_threshold, 1.0);
}

TEST(AppConfig, WrongTypes) {
  struct Case {
    const char* text;
    const char* path;
    const char* message;
  } cases[] = {
      {"resources: {kind: project}", "resources", "expected a list of resources, got a mapping"},
      {"resources: [3]", "resources[0]", "expected a mapping with kind, selector and port, got a number"},
      {"enableMergeEntity: 'yes'\nresources: []", "enableMergeEntity",
       "expected a boolean (true or false), got a string"},
      {"resources: [{kind: project, port: {entity: {mappings: {identifier: .a, blueprint: '\"p\"', properties: .x}}}}]",
       "resources[0].port.entity.mappings.properties",
       "expected a mapping of property names to JQ expressions, got a string"},
      {"resources: [{kind: project, port: {entity: {mappings: {identifier: .a, blueprint: '\"p\"', relations: [1]}}}}]",
       "resources[0].port.entity.mappings.relations",
       "expected a mapping of relation names to JQ expressions or search queries, got a list"},
      {"resources: [{kind: project, port: {entity: {mappings: {identifier: .a, blueprint: '\"p\"', "
       "properties: {x: [1]}}}}}]",
       "resources[0].port.entity.mappings.properties.x", "expected a JQ expression (string), got a list"},
      {"resources: [{kind: project, port: {entity: {mappings: {identifier: {a: 1}, blueprint: '\"p\"'}}}}]",
       "resources[0].port.entity.mappings.identifier", "or a search query {combinator, rules}, got a mapping"},
      {"resources: [{kind: team, selector: {includeMembers: 'yes'}, port: {entity: {mappings: {identifier: .a, "
       "blueprint: '\"p\"'}}}}]",
       "resources[0].selector.includeMembers", "expected a boolean, got a string"},
      {"resources: [{kind: issue, selector: {statuses: [open]}, port: {entity: {mappings: {identifier: .a, "
       "blueprint: '\"p\"'}}}}]",
       "resources[0].selector.statuses", "unknown value 'open'; allowed: unresolved, resolved, ignored"},
      {"resources: [{kind: issue, selector: {statsPeriod: 3 days}, port: {entity: {mappings: {identifier: .a, "
       "blueprint: '\"p\"'}}}}]",
       "resources[0].selector.statsPeriod", "must be a number followed by s, m, h, d or w"},
      {"resources: [{kind: project, port: {itemsToParseName: '', entity: {mappings: {identifier: .a, "
       "blueprint: '\"p\"'}}}}]",
       "resources[0].port.itemsToParseName", "expected a non-empty string"},
      {"resources: [{kind: project, port: {entity: {mappings: {identifier: .a, blueprint: '\"p\"', "
       "team: {combinator: '\"and\"'}}}}}]",
       "resources[0].port.entity.mappings.team.rules", "missing"},
      {"resources: [{kind: project, port: {entity: {mappings: {identifier: .a, blueprint: '\"p\"', "
       "relations: {t: {combinator: '\"and\"', rules: [{property: '\"p\"', value: .x}]}}}}}}]",
       "resources[0].port.entity.mappings.relations.t.rules[0].operator", "missing"},
      {"resources: [{kind: project}]", "resources[0].port", "missing"},
      {"resources: [{kind: issue-tag, selector: {maxTagValuesPerProject: -1}, port: {entity: {mappings: "
       "{identifier: .a, blueprint: '\"p\"'}}}}]",
       "resources[0].selector.maxTagValuesPerProject", "must be a non-negative integer, got -1 (line 1"},
      {"resources: [{kind: issue-tag, selector: {maxTagValuesPerProject: 2.5}, port: {entity: {mappings: "
       "{identifier: .a, blueprint: '\"p\"'}}}}]",
       "resources[0].selector.maxTagValuesPerProject", "must be a non-negative integer, got 2.5"},
      {"resources: [{kind: issue-tag, selector: {maxTagValuesPerProject: '10'}, port: {entity: {mappings: "
       "{identifier: .a, blueprint: '\"p\"'}}}}]",
       "resources[0].selector.maxTagValuesPerProject", "expected a non-negative integer, got a string"},
      {"resources: [{kind: issue-tag, selector: {maxTagValuesPerProject: 1e300}, port: {entity: {mappings: "
       "{identifier: .a, blueprint: '\"p\"'}}}}]",
       "resources[0].selector.maxTagValuesPerProject", "must be a non-negative integer"},
  };
  for (const Case& c : cases) {
    ConfigIssue e = FirstError(c.text);
    EXPECT_EQ(e.path, c.path) << c.text;
    EXPECT_THAT(e.message, HasSubstr(c.message)) << c.text;
  }
}

TEST(AppConfig, TypeErrorsCarryTheSourceLine) {
  ConfigIssue e = FirstError("resources:\n  - kind: project\n    port:\n      entity:\n        mappings: 7\n");
  EXPECT_EQ(e.path, "resources[0].port.entity.mappings");
  EXPECT_THAT(e.message, HasSubstr("expected a mapping, got a number (line 5, column 19)"));
}

TEST(AppConfig, MalformedYamlHasLineAndColumn) {
  ConfigLoad load = LoadAppConfig("resources:\n  - kind: project\n    port: [unclosed\n");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.code, ErrorCode::PARSE);
  EXPECT_EQ(load.errors[0].path, "");
  EXPECT_THAT(load.errors[0].message, StartsWith("line "));
  EXPECT_THAT(load.errors[0].message, HasSubstr(", column "));
  EXPECT_EQ(load.ToError().code, ErrorCode::PARSE);
}

TEST(AppConfig, ValidYamlThatIsNotAMapping) {
  EXPECT_THAT(FirstError("- a\n- b\n").message,
              HasSubstr("the port app config must be a mapping (object), got a list"));
  EXPECT_THAT(FirstError("just text").message, HasSubstr("must be a mapping (object), got a string"));
  EXPECT_THAT(FirstError("").message, HasSubstr("the port app config is empty"));
  EXPECT_THAT(FirstError("# only a comment\n").message, HasSubstr("is empty"));
}

TEST(AppConfig, UnknownKeysAreWarnings) {
  ConfigLoad load = LoadAppConfig(R"(
someNewPortFlag: true
resources:
  - kind: user
    selector: {query: 'true', includeMembers: true}
    extra: 1
    port:
      entity:
        mappings: {identifier: .email, blueprint: '"u"', colour: .c}
)");
  ASSERT_TRUE(load.ok()) << load.ToError().ToString();
  ASSERT_EQ(load.warnings.size(), 4u);
  EXPECT_EQ(load.warnings[0].path, "someNewPortFlag");
  EXPECT_EQ(load.warnings[1].path, "resources[0].extra");
  EXPECT_EQ(load.warnings[2].path, "resources[0].selector.includeMembers");
  EXPECT_THAT(load.warnings[2].message, HasSubstr("unknown selector key for kind 'user' (ignored); known keys: query"));
  EXPECT_EQ(load.warnings[3].path, "resources[0].port.entity.mappings.colour");
}

TEST(AppConfig, EmptyResourcesWarn) {
  ConfigLoad load = LoadAppConfig("resources: []\n");
  ASSERT_TRUE(load.ok());
  ASSERT_EQ(load.warnings.size(), 1u);
  EXPECT_THAT(load.warnings[0].message, HasSubstr("nothing will be synced"));
}

TEST(AppConfig, SearchQueriesAreCompiledLeafByLeaf) {
  ConfigLoad load = LoadAppConfig(R"(
resources:
  - kind: project-tag
    port:
      entity:
        mappings:
          identifier: {combinator: '"and"', rules: [{property: '"slug"', operator: '"="', value: .slug},
                        {combinator: '"or"', rules: [{property: '"a"', operator: '"="', value: '"b"'}]}]}
          blueprint: '"sentryProject"'
          team: .owner
)");
  ASSERT_TRUE(load.ok()) << load.ToError().ToString();
  const EntityMappings& m = load.config->resources[0].mappings;
  EXPECT_TRUE(m.UsesSearchQuery());
  const SearchQuery& q = std::get<SearchQuery>(*m.identifier);
  ASSERT_EQ(q.rules.size(), 2u);
  EXPECT_EQ(q.rules[0].value->path, "resources[0].port.entity.mappings.identifier.rules[0].value");
  ASSERT_NE(q.rules[1].nested, nullptr);
  EXPECT_EQ(q.rules[1].nested->rules[0].property->source, "\"a\"");
}

TEST(AppConfig, ItemsToParseDeletePathIsExtracted) {
  ConfigLoad load = LoadAppConfig(R"(
resources:
  - kind: issue-tag
    port:
      itemsToParse: .__tags
      itemsToParseName: tag
      itemsToParseTopLevelTransform: false
      entity: {mappings: {identifier: .id, blueprint: '"i"'}}
)");
  ASSERT_TRUE(load.ok()) << load.ToError().ToString();
  const ResourceConfig& r = load.config->resources[0];
  EXPECT_EQ(r.items_to_parse_delete_path, std::vector<std::string>{"__tags"});
  EXPECT_EQ(r.items_to_parse_name, "tag");
  EXPECT_FALSE(r.items_to_parse_top_level_transform);
}

TEST(AppConfig, LoadsFromAValue) {
  json::Value v = json::Value::Object();
  v.Set("resources", json::Value::Array());
  ConfigLoad load = LoadAppConfigValue(v);
  EXPECT_TRUE(load.ok());
  EXPECT_FALSE(LoadAppConfigValue(json::Value::Array()).ok());
}

}  // namespace
}  // namespace sp::mapping

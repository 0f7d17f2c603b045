#include "mapping/entity_mapper.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::mapping {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const AppConfig> Load(std::string_view text, const LoadOptions& options = {}) {
  ConfigLoad load = LoadAppConfig(text, options);
  EXPECT_TRUE(load.ok()) << load.ToError().ToString();
  return load.config;
}

std::vector<json::Value> Items(std::string_view json_array) {
  json::Value v = json::Parse(json_array).value();
  return {v.Items().begin(), v.Items().end()};
}

std::string Mapping(std::string_view selector, std::string_view mappings) {
  return "resources:\n  - kind: project\n    selector: {query: '" + std::string(selector) +
         "'}\n    port:\n      entity:\n        mappings: " + std::string(mappings) + "\n";
}

TEST(EntityMapper, EmitsOnlyMappedKeysInPortOrder) {
  auto config = Load(Mapping("true", R"({blueprint: '"p"', relations: {r: .r}, identifier: .id, icon: '"Sentry"'})"));
  KindMapper mapper(config, 0);
  KindMapper::Batch b = mapper.MapBatch(Items(R"([{"id": "a", "r": "x"}])"));
  ASSERT_EQ(b.entities.size(), 1u);
  EXPECT_EQ(json::ToJson(b.entities[0]), R"({"identifier":"a","icon":"Sentry","blueprint":"p","relations":{"r":"x"}})");
  EXPECT_FALSE(b.report.kind_failed);
}

TEST(EntityMapper, SelectorFalseFiltersOut) {
  auto config = Load(Mapping(".keep", R"({identifier: .id, blueprint: '"p"'})"));
  KindMapper::Batch b = KindMapper(config, 0).MapBatch(Items(R"([{"id":"a","keep":true},{"id":"b","keep":false}])"));
  EXPECT_EQ(b.entities.size(), 1u);
  EXPECT_EQ(b.report.counters.filtered_out, 1u);
  EXPECT_FALSE(b.report.kind_failed);
  EXPECT_TRUE(b.report.diagnostics.empty());
}

TEST(EntityMapper, LiveEventsGetTheEntitiesTheSelectorRejected) {
  auto config = Load(Mapping(".status != \"resolved\"", R"({identifier: .id, blueprint: '"p"', title: .t})"));
  VectorSink kept, rejected;
  BatchReport report = KindMapper(config, 0).MapBatch(
      Items(R"([{"id":"a","status":"unresolved","t":"A"},{"id":"b","status":"resolved","t":"B"},
               {"status":"resolved"}])"),
      kept, &rejected);
  ASSERT_EQ(kept.entities.size(), 1u);
  ASSERT_EQ(rejected.entities.size(), 1u);
  EXPECT_EQ(json::ToJson(rejected.entities[0]), R"({"identifier":"b","title":"B","blueprint":"p"})");
  EXPECT_EQ(report.counters.filtered_out, 2u);
  EXPECT_FALSE(report.kind_failed);
}

TEST(EntityMapper, SelectorThatIsNotABooleanFailsTheKind) {
  struct Case {
    const char* query;
    const char* message;
  } cases[] = {
      {"\"true\"", "must produce a boolean, got string \"true\""},
      {".missing", "must produce a boolean, got null"},
      {"empty", "produced no output"},
      {"error(\"boom\")", "failed: boom"},
      {".id | tonumber", "failed: "},
  };
  for (const Case& c : cases) {
    auto config = Load(Mapping(c.query, R"({identifier: .id, blueprint: '"p"'})"));
    KindMapper::Batch b = KindMapper(config, 0).MapBatch(Items(R"([{"id":"a"},{"id":"b"}])"));
    EXPECT_TRUE(b.entities.empty()) << c.query;
    EXPECT_TRUE(b.report.kind_failed) << c.query;
    EXPECT_EQ(b.report.counters.selector_errors, 2u) << c.query;
    ASSERT_EQ(b.report.diagnostics.size(), 1u) << c.query;
    const Diagnostic& d = b.report.diagnostics[0];
    EXPECT_EQ(d.severity, Severity::ERROR);
    EXPECT_EQ(d.path, "resources[0].selector.query");
    EXPECT_EQ(d.count, 2u);
    EXPECT_THAT(d.message, HasSubstr(c.message)) << c.query;
  }
}

TEST(EntityMapper, FieldErrorBecomesNullAndIsReportedOncePerFieldPerBatch) {
  auto config = Load(Mapping("true", R"({identifier: .id, blueprint: '"p"', title: .t.x,
      properties: {a: .a.b, ok: .id}})"));
  KindMapper mapper(config, 0);
  KindMapper::Batch b = mapper.MapBatch(Items(R"([{"id":"1","t":"s","a":5},{"id":"2","t":"s","a":6},
      {"id":"3","t":{"x":"fine"},"a":{"b":1}}])"));
  ASSERT_EQ(b.entities.size(), 3u);
  EXPECT_EQ(json::ToJson(b.entities[0]),
            R"({"identifier":"1","title":null,"blueprint":"p","properties":{"a":null,"ok":"1"}})");
  EXPECT_EQ(json::ToJson(b.entities[2]),
            R"({"identifier":"3","title":"fine","blueprint":"p","properties":{"a":1,"ok":"3"}})");
  EXPECT_EQ(b.report.counters.field_errors, 4u);
  EXPECT_FALSE(b.report.kind_failed);  // a null field is a warning, not a kind failure
  ASSERT_EQ(b.report.diagnostics.size(), 2u);
  EXPECT_EQ(b.report.diagnostics[0].path, "resources[0].port.entity.mappings.title");
  EXPECT_EQ(b.report.diagnostics[0].count, 2u);
  EXPECT_THAT(b.report.diagnostics[0].message, HasSubstr("Cannot index string"));
  EXPECT_THAT(b.report.diagnostics[0].message, HasSubstr("(expression: .t.x)"));
  EXPECT_EQ(b.report.diagnostics[1].path, "resources[0].port.entity.mappings.properties.a");
  EXPECT_EQ(b.report.diagnostics[0].severity, Severity::WARNING);
  // A new batch reports again.
  KindMapper::Batch again = mapper.MapBatch(Items(R"([{"id":"4","t":"s","a":{"b":2}}])"));
  ASSERT_EQ(again.report.diagnostics.size(), 1u);
  EXPECT_EQ(again.report.diagnostics[0].count, 1u);
}

TEST(EntityMapper, NullFieldIsReportedOncePerFieldPerBatchLikeOcean) {
  auto config = Load(Mapping("true", R"({identifier: .id, blueprint: '"p"', title: .name, team: .team,
      properties: {url: .links.url, fine: .id, broken: .id.x}, relations: {owner: .owner}})"));
  KindMapper mapper(config, 0);
  KindMapper::Batch b = mapper.MapBatch(
      Items(R"([{"id":"1","name":"one"},{"id":"2"},{"id":"3","links":{"url":"u"},"owner":"o","team":"t"}])"));
  ASSERT_EQ(b.entities.size(), 3u);
  EXPECT_EQ(json::ToJson(b.entities[1]),
            R"({"identifier":"2","title":null,"blueprint":"p","team":null,)"
            R"("properties":{"url":null,"fine":"2","broken":null},"relations":{"owner":null}})");
  // title, team, url and owner are null twice each; broken fails three times (an error, reported as such only).
  EXPECT_EQ(b.report.counters.null_fields, 8u);
  EXPECT_EQ(b.report.counters.field_errors, 3u);
  EXPECT_FALSE(b.report.kind_failed);
  std::vector<std::string> nulls;
  for (const Diagnostic& d : b.report.diagnostics) {
    if (!d.null_value) continue;
    nulls.push_back(d.path + " x" + std::to_string(d.count));
    EXPECT_EQ(d.severity, Severity::WARNING);
    EXPECT_THAT(d.message, HasSubstr("Unable to find valid data"));
    EXPECT_THAT(d.message, HasSubstr("(null, missing, or misconfigured)"));
  }
  const std::string m = "resources[0].port.entity.mappings.";
  EXPECT_EQ(nulls, (std::vector<std::string>{m + "team x2", m + "properties.url x2", m + "relations.owner x2",
                                             m + "title x2"}));
  EXPECT_EQ(b.report.diagnostics.size(), 5u);  // the four null reports and the error of properties.broken
  // A null identifier drops the entity; it is reported as that, not as a null field.
  KindMapper::Batch dropped = mapper.MapBatch(Items(R"([{"name":"x"}])"));
  ASSERT_EQ(dropped.report.diagnostics.size(), 1u);
  EXPECT_FALSE(dropped.report.diagnostics[0].null_value);
  EXPECT_EQ(dropped.report.counters.null_fields, 0u);
}

TEST(EntityMapper, ItemsToParseIsRebatchedInGroupsOf200) {
  auto config = Load(R"(
resources:
  - kind: project-tag
    port:
      itemsToParse: .values
      entity: {mappings: {identifier: .slug + "-" + (.item | tostring), blueprint: '"t"', properties: {n: .none}}}
)");
  KindMapper mapper(config, 0);
  std::string items = R"([{"slug":"a","values":[)";
  for (int i = 0; i < 450; ++i) items += (i ? "," : "") + std::to_string(i);
  items += R"(]},{"slug":"b","values":[1,2]},{"slug":"c","values":7}])";
  std::vector<size_t> sizes;
  std::vector<std::string> firsts;
  KindCounters total;
  uint64_t null_reports = 0;
  mapper.MapInBatches(Items(items), KindMapper::kItemsToParseBatchSize, [&](KindMapper::Batch&& batch) {
    sizes.push_back(batch.entities.size());
    firsts.push_back(batch.entities.empty() ? "" : std::string(batch.entities[0].Find("identifier")->AsString()));
    total += batch.report.counters;
    for (const Diagnostic& d : batch.report.diagnostics) null_reports += d.null_value ? 1 : 0;
  });
  // 452 derived items: 200, 200, then the rest of this raw batch (50 + 2); the non-array item is invalid.
  EXPECT_EQ(sizes, (std::vector<size_t>{200, 200, 52}));
  EXPECT_EQ(firsts, (std::vector<std::string>{"a-0", "a-200", "a-400"}));
  EXPECT_EQ(total.raw, 3u);
  EXPECT_EQ(total.expanded, 452u);
  EXPECT_EQ(total.mapped, 452u);
  EXPECT_EQ(total.invalid, 1u);
  EXPECT_EQ(null_reports, 3u);  // properties.n is null everywhere: reported once per batch of 200
  // Exactly 200 derived items make one batch, not a second empty one; a kind without itemsToParse is one batch.
  sizes.clear();
  std::string exact = R"([{"slug":"a","values":[)";
  for (int i = 0; i < 200; ++i) exact += (i ? "," : "") + std::to_string(i);
  exact += "]}]";
  mapper.MapInBatches(Items(exact), 200, [&](KindMapper::Batch&& batch) { sizes.push_back(batch.entities.size()); });
  EXPECT_EQ(sizes, (std::vector<size_t>{200}));
  auto plain = Load(Mapping("true", R"({identifier: .id, blueprint: '"p"'})"));
  sizes.clear();
  std::string many = "[";
  for (int i = 0; i < 450; ++i) many += std::string(i ? "," : "") + R"({"id":")" + std::to_string(i) + "\"}";
  many += "]";
  KindMapper(plain, 0).MapInBatches(Items(many), 200,
                                    [&](KindMapper::Batch&& batch) { sizes.push_back(batch.entities.size()); });
  EXPECT_EQ(sizes, (std::vector<size_t>{450}));
}

TEST(EntityMapper, LoopingExpressionsHitTheEngineLimitsAndBecomeFieldErrors) {
  LoadOptions options;
  options.limits.max_steps = 100000;
  auto config = Load(Mapping("true", R"({identifier: .id, blueprint: '"p"',
      properties: {spin: 'def f: f; f', deep: 'def r: [r]; r', big: '[range(1e9)] | length'}})"),
                     options);
  KindMapper::Batch b = KindMapper(config, 0).MapBatch(Items(R"([{"id":"1"}])"));
  ASSERT_EQ(b.entities.size(), 1u);
  EXPECT_EQ(json::ToJson(*b.entities[0].Find("properties")), R"({"spin":null,"deep":null,"big":null})");
  EXPECT_EQ(b.report.counters.field_errors, 3u);
  EXPECT_EQ(b.report.diagnostics.size(), 3u);
}

TEST(EntityMapper, FalsyIdentifierOrBlueprintIsInvalidAndFailsTheKind) {
  auto config = Load(Mapping("true", R"({identifier: .id, blueprint: .bp})"));
  KindMapper::Batch b = KindMapper(config, 0).MapBatch(Items(R"([{"id":"a","bp":"p"},{"id":0,"bp":"p"},
      {"id":[],"bp":"p"},{"id":"b","bp":""},{"id":"c"},{"id":{},"bp":"p"}])"));
  EXPECT_EQ(b.entities.size(), 1u);
  EXPECT_EQ(b.report.counters.invalid, 5u);
  EXPECT_TRUE(b.report.kind_failed);
  ASSERT_EQ(b.report.diagnostics.size(), 2u);
  EXPECT_EQ(b.report.diagnostics[0].path, "resources[0].port.entity.mappings.identifier");
  EXPECT_EQ(b.report.diagnostics[0].count, 3u);
  EXPECT_EQ(b.report.diagnostics[1].path, "resources[0].port.entity.mappings.blueprint");
  EXPECT_EQ(b.report.diagnostics[1].count, 2u);
}

TEST(EntityMapper, SearchQueryIdentifierAndTeamAreEvaluatedLeafByLeaf) {
  auto config = Load(Mapping("true", R"({identifier: {combinator: '"and"', rules: [{property: '"$title"',
      operator: '"="', value: .name}, {combinator: '"or"', rules: [{property: '"x"', operator: '"="', value: .bad.x}]}]},
      blueprint: '"p"', team: .team})"));
  KindMapper::Batch b = KindMapper(config, 0).MapBatch(Items(R"([{"name":"n","bad":1,"team":["t1"]}])"));
  ASSERT_EQ(b.entities.size(), 1u);
  EXPECT_EQ(
      json::ToJson(b.entities[0]),
      R"({"identifier":{"combinator":"and","rules":[{"property":"$title","operator":"=","value":"n"},)"
      R"({"combinator":"or","rules":[{"property":"x","operator":"=","value":null}]}]},"blueprint":"p","team":["t1"]})");
  ASSERT_EQ(b.report.diagnostics.size(), 1u);
  EXPECT_EQ(b.report.diagnostics[0].path, "resources[0].port.entity.mappings.identifier.rules[1].rules[0].value");
}

TEST(EntityMapper, EnvIsEmptyUnlessTheCallerPassesOne) {
  std::string text = Mapping("true", R"({identifier: .id, blueprint: '"p"', properties: {home: env.HOME, e: $ENV.X}})");
  KindMapper::Batch closed = KindMapper(Load(text), 0).MapBatch(Items(R"([{"id":"1"}])"));
  EXPECT_EQ(json::ToJson(*closed.entities[0].Find("properties")), R"({"home":null,"e":null})");
  LoadOptions options;
  options.env = json::Parse(R"({"HOME":"/h","X":"x"})").value();
  KindMapper::Batch open = KindMapper(Load(text, options), 0).MapBatch(Items(R"([{"id":"1"}])"));
  EXPECT_EQ(json::ToJson(*open.entities[0].Find("properties")), R"({"home":"/h","e":"x"})");
}

TEST(EntityMapper, MappersForKindFollowConfigOrder) {
  auto config = Load(R"(
resources:
  - {kind: user, port: {entity: {mappings: {identifier: .email, blueprint: '"sentryUser"'}}}}
  - {kind: team, port: {entity: {mappings: {identifier: .slug, blueprint: '"t"'}}}}
  - {kind: user, port: {entity: {mappings: {identifier: .email, blueprint: '"_user"'}}}}
)");
  std::vector<KindMapper> users = MappersForKind(config, "user");
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].resource().index, 0u);
  EXPECT_EQ(users[1].resource().index, 2u);
  EXPECT_TRUE(MappersForKind(config, "issue").empty());
}

TEST(EntityMapper, ReportsMerge) {
  BatchReport a, b;
  a.counters.raw = 2;
  a.diagnostics.push_back({Severity::WARNING, "p", "m", 2});
  b.counters.raw = 3;
  b.kind_failed = true;
  b.diagnostics.push_back({Severity::WARNING, "p", "other text", 1});
  b.diagnostics.push_back({Severity::ERROR, "p", "e", 1});
  a.Merge(b);
  EXPECT_EQ(a.counters.raw, 5u);
  EXPECT_TRUE(a.kind_failed);
  ASSERT_EQ(a.diagnostics.size(), 2u);
  EXPECT_EQ(a.diagnostics[0].count, 3u);
  EXPECT_EQ(a.diagnostics[0].ToString(), "warning: p: m [3 items]");
}

TEST(EntityMapper, BatchesMapConcurrentlyWithTheSameResults) {
  auto config = Load(Mapping(".n % 3 != 0", R"({identifier: .id | tostring, blueprint: '"p"',
      properties: {sq: .n * .n, bad: .n.x}})"));
  KindMapper mapper(config, 0);
  std::vector<json::Value> items;
  for (int i = 0; i < 300; ++i) {
    json::Value v = json::Value::Object();
    v.Set("id", json::Value::Number(i));
    v.Set("n", json::Value::Number(i));
    items.push_back(v);
  }
  KindMapper::Batch expected = mapper.MapBatch(items);
  std::vector<KindMapper::Batch> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] { results[t] = mapper.MapBatch(items); });
  }
  for (std::thread& t : threads) t.join();
  for (const KindMapper::Batch& r : results) {
    ASSERT_EQ(r.entities.size(), expected.entities.size());
    EXPECT_EQ(json::ToJson(json::Value::Array(r.entities)), json::ToJson(json::Value::Array(expected.entities)));
    EXPECT_EQ(r.report.counters.field_errors, 200u);
    EXPECT_EQ(r.report.counters.filtered_out, 100u);
  }
}

}  // namespace
}  // namespace sp::mapping

// `sentry-port sync` into port-sim: first resync into an empty Port (defaults, registration, User-Agent,
// resync state), unchanged second resync, stale deletion that spares other datasources, the mapping read from
// the integration, dry run against Port, query flags, and tolerance of sparse Port answers.
#include <algorithm>
#include <sstream>

#include "json/parse.hpp"
#include "json/write.hpp"
#include "sync_port_fixture.hpp"

namespace sp::testing {
namespace {

double Seq(const json::Value& entry) {
  return entry.Find("seq")->AsNumber();
}

std::string Param(const json::Value& entry, const char* name) {
  const json::Value* p = entry.Find("params")->Find(name);
  return p != nullptr && p->IsString() ? std::string(p->AsString()) : std::string("<absent>");
}

std::string StrField(const json::Value* obj, const char* key) {
  const json::Value* v = obj != nullptr ? obj->Find(key) : nullptr;
  return v != nullptr && v->IsString() ? std::string(v->AsString()) : std::string();
}

TEST_F(SyncPort, FirstResyncIntoAnEmptyPortCreatesDefaultsRegistersAndWrites) {
  // One team: with two, a project of both teams makes the default mapping's search relation (project-tag's
  // team, not "many" in the default blueprint) match two entities, which Port refuses (422), as it would Ocean's.
  teams_ = 1;
  TearDown();
  SetUp();
  JobRun run = Sync();
  ASSERT_EQ(run.code, 0) << run.err << run.out;

  // Default blueprints, staged: every bare creation before any patch, relations only from the patches on.
  auto b2 = Log("B2");
  auto b3 = Log("B3");
  ASSERT_EQ(b2.size(), 4u);
  ASSERT_GE(b3.size(), 4u);
  for (const auto& e : b2) {
    const json::Value* body = e.Find("body");
    EXPECT_EQ(body->Find("relations"), nullptr) << json::ToJson(*body);
    EXPECT_EQ(body->Find("mirrorProperties"), nullptr);
    EXPECT_EQ(body->Find("aggregationProperties"), nullptr);
    EXPECT_EQ(e.Find("status")->AsNumber(), 201);
    EXPECT_LT(Seq(e), Seq(b3.front()));
  }
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NE(b3[i].Find("body")->Find("relations"), nullptr) << "stage 2 adds the relations";
    EXPECT_EQ(b3[i].Find("body")->Find("aggregationProperties"), nullptr) << "stage 3 adds the rest";
  }
  json::Value state = PortControl("GET", "/_sim/state");
  std::set<std::string> blueprints;
  for (const auto& b : state.Find("blueprints")->Items())
    blueprints.insert(std::string(b.Find("identifier")->AsString()));
  EXPECT_EQ(blueprints, (std::set<std::string>{"sentryUser", "sentryTeam", "sentryProject", "sentryIssue"}));

  // Registration with Ocean's fields; the default mapping stored on the integration.
  auto i2 = Log("I2");
  ASSERT_EQ(i2.size(), 1u);
  const json::Value* reg = i2[0].Find("body");
  EXPECT_EQ(StrField(reg, "installationId"), "my-sentry-integration");
  EXPECT_EQ(StrField(reg, "installationAppType"), "sentry");
  EXPECT_EQ(StrField(reg, "version"), "0.1.0");
  ASSERT_NE(reg->Find("changelogDestination"), nullptr);
  EXPECT_TRUE(reg->Find("changelogDestination")->IsObject());
  EXPECT_TRUE(reg->Find("changelogDestination")->Empty()) << "ONCE sends {} (port-api.md §3.2)";
  ASSERT_NE(reg->Find("actionsProcessingEnabled"), nullptr);
  EXPECT_FALSE(reg->Find("actionsProcessingEnabled")->AsBool());
  ASSERT_NE(reg->Find("incrementalSyncEnabled"), nullptr);
  EXPECT_FALSE(reg->Find("incrementalSyncEnabled")->AsBool());
  EXPECT_EQ(StrField(reg, "createPortResourcesOrigin"), "Default");
  EXPECT_EQ(i2[0].Find("user_agent")->AsString(), "port-ocean/sentry/0.1.0/my-sentry-integration")
      << "integration calls carry no feature segment (§1.2)";
  json::Value integ = Integration();
  const json::Value* cfg = integ.Find("config");
  ASSERT_NE(cfg, nullptr);
  ASSERT_NE(cfg->Find("resources"), nullptr);
  std::vector<std::string> kinds;
  for (const auto& r : cfg->Find("resources")->Items()) kinds.emplace_back(r.Find("kind")->AsString());
  EXPECT_EQ(kinds, (std::vector<std::string>{"user", "team", "project-tag", "issue-tag"}));
  ASSERT_NE(integ.Find("arePortResourcesInitialized"), nullptr);
  EXPECT_TRUE(integ.Find("arePortResourcesInitialized")->AsBool());

  // Entities of every blueprint, owned through our User-Agent.
  auto e2 = Log("E2");
  ASSERT_FALSE(e2.empty());
  for (const auto& e : e2) {
    EXPECT_EQ(e.Find("user_agent")->AsString(), kOurAgent);
    EXPECT_EQ(Param(e, "upsert"), "true");
    EXPECT_EQ(Param(e, "merge"), "true");
    EXPECT_EQ(Param(e, "create_missing_related_entities"), "true");
    EXPECT_EQ(Param(e, "validation_only"), "false");
    EXPECT_LE(e.Find("batch_size")->AsNumber(), 20);
    EXPECT_EQ(e.Find("status")->AsNumber(), 200) << json::ToJson(e);
  }
  auto entities = Entities();
  std::map<std::string, size_t> per_blueprint;
  for (const auto& [key, e] : entities) {
    EXPECT_EQ(e.Find("datasource")->AsString(), kOurAgent) << key;
    per_blueprint[std::string(e.Find("blueprint")->AsString())]++;
  }
  for (const char* bp : {"sentryUser", "sentryTeam", "sentryProject", "sentryIssue"}) {
    EXPECT_GT(per_blueprint[bp], 0u) << bp;
  }
  EXPECT_EQ(per_blueprint["sentryTeam"], static_cast<size_t>(teams_));
  EXPECT_GE(per_blueprint["sentryIssue"], static_cast<size_t>(projects_ * issues_per_project_) / 2);

  // Resync state: running before the first write, completed after the last; Ocean's field names.
  auto i5 = Log("I5");
  ASSERT_EQ(i5.size(), 2u);
  const json::Value* start = i5[0].Find("body");
  const json::Value* end = i5[1].Find("body");
  EXPECT_EQ(StrField(start, "status"), "running");
  EXPECT_FALSE(StrField(start, "lastResyncStart").empty());
  ASSERT_NE(start->Find("lastResyncEnd"), nullptr);
  EXPECT_TRUE(start->Find("lastResyncEnd")->IsNull());
  ASSERT_NE(start->Find("intervalInMinuets"), nullptr) << "Ocean's spelling";
  EXPECT_TRUE(start->Find("intervalInMinuets")->IsNull()) << "no scheduled interval configured";
  ASSERT_NE(start->Find("nextResync"), nullptr);
  EXPECT_TRUE(start->Find("nextResync")->IsNull());
  EXPECT_EQ(StrField(end, "status"), "completed");
  EXPECT_FALSE(StrField(end, "lastResyncEnd").empty());
  EXPECT_EQ(end->Find("lastResyncStart"), nullptr);
  EXPECT_LT(Seq(i5[0]), Seq(e2.front()));
  EXPECT_GT(Seq(i5[1]), Seq(e2.back()));
  EXPECT_EQ(StrField(integ.Find("resyncState"), "status"), "completed");

  // The secret never shows, anywhere.
  for (const std::string* text : {&run.out, &run.err, &run.logs}) {
    EXPECT_EQ(text->find(kClientSecret), std::string::npos);
  }

  // Unchanged second resync, with a scheduled interval this time: only the kind whose relation is a search
  // query (project-tag's team, resolved by Port) is re-sent, as Ocean does; nothing is deleted or re-created.
  ClearLog();
  config::Settings s = MakeSettings();
  s.scheduled_resync_interval_minutes = 60;
  JobRun again = Sync(s, {});
  ASSERT_EQ(again.code, 0) << again.err << again.out;
  for (const auto& e : Log("E2")) {
    EXPECT_NE(std::string(e.Find("path")->AsString()).find("/sentryProject/"), std::string::npos)
        << "unchanged entities are not re-sent: " << e.Find("path")->AsString();
  }
  EXPECT_TRUE(Log("E4").empty());
  EXPECT_TRUE(Log("B2").empty()) << "existing blueprints are left alone";
  EXPECT_TRUE(Log("B3").empty());
  EXPECT_TRUE(Log("I2").empty());
  EXPECT_EQ(Entities().size(), entities.size());
  auto i5b = Log("I5");
  ASSERT_EQ(i5b.size(), 2u);
  for (const auto& e : i5b) {
    const json::Value* body = e.Find("body");
    ASSERT_NE(body->Find("intervalInMinuets"), nullptr);
    EXPECT_EQ(body->Find("intervalInMinuets")->AsNumber(), 60);
    EXPECT_FALSE(StrField(body, "nextResync").empty()) << "with an interval, nextResync is on the grid";
  }
}

TEST_F(SyncPort, UnchangedSecondResyncWritesNothing) {
  app::SyncJobOptions o;
  o.profile = "seed";
  o.mapping_file = MappingFile(SeedMapping());
  ASSERT_EQ(Sync(o).code, 0);
  auto before = Entities();
  ClearLog();
  JobRun again = Sync(o);
  ASSERT_EQ(again.code, 0) << again.err << again.out;
  EXPECT_TRUE(Log("E1").empty());
  EXPECT_TRUE(Log("E2").empty()) << "an unchanged resync writes nothing";
  EXPECT_TRUE(Log("E4").empty()) << "and deletes nothing";
  EXPECT_FALSE(Log("E5").empty()) << "it compared with Port instead";
  auto after = Entities();
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [key, e] : before) {
    ASSERT_EQ(after.count(key), 1u) << key;
    EXPECT_EQ(json::ToJson(*after[key].Find("properties")), json::ToJson(*e.Find("properties"))) << key;
  }
}

TEST_F(SyncPort, StaleIssuesAreDeletedAndOtherDatasourcesNeverTouched) {
  app::SyncJobOptions o;
  o.profile = "seed";
  o.mapping_file = MappingFile(SeedMapping("", "      issueQuery: 'is:unresolved'\n"));
  ASSERT_EQ(Sync(o).code, 0);
  // Someone else's entities in the same blueprints: another installation, the UI, our gitops feature.
  const std::string other_install = "port-ocean/sentry/0.1.0/other-sentry/exporter";
  PortUpsert("sentryIssue", R"({"identifier":"foreign-1","title":"theirs"})", other_install);
  PortUpsert("sentryIssue", R"({"identifier":"foreign-2","title":"from the UI"})", "Mozilla/5.0");
  PortUpsert("sentryProject", R"({"identifier":"foreign-3"})", "port-ocean/sentry/0.1.0/my-sentry-integration/gitops");

  auto ours = Ids("sentryIssue");
  ASSERT_GE(ours.size(), 3u);
  std::vector<std::string> gone(ours.begin(), std::next(ours.begin(), 2));
  for (const auto& id : gone) ResolveIssue(id);

  ClearLog();
  JobRun run = Sync(o);
  ASSERT_EQ(run.code, 0) << run.err << run.out;
  std::set<std::string> expected_deleted;
  for (const auto& id : gone) expected_deleted.insert(Key("sentryIssue", id));
  EXPECT_EQ(WrittenIds("E4"), expected_deleted);
  auto now = Ids("sentryIssue");
  for (const auto& id : gone) EXPECT_EQ(now.count(id), 0u) << id;
  EXPECT_EQ(now.size(), ours.size() - gone.size());
  auto all = Entities();
  EXPECT_EQ(all.count(Key("sentryIssue", "foreign-1")), 1u);
  EXPECT_EQ(all.count(Key("sentryIssue", "foreign-2")), 1u);
  EXPECT_EQ(all.count(Key("sentryProject", "foreign-3")), 1u);
  for (const auto& e : Log("E4")) {
    EXPECT_EQ(Param(e, "delete_dependents"), "true") << "deleteDependentEntities: true";
    EXPECT_EQ(e.Find("user_agent")->AsString(), kOurAgent);
  }
}

TEST_F(SyncPort, QueryFlagsFollowTheMapping) {
  app::SyncJobOptions o;
  o.profile = "seed";
  std::string yaml = SeedMapping("enableMergeEntity: false\n", "      issueQuery: 'is:unresolved'\n");
  yaml.replace(yaml.find("createMissingRelatedEntities: true"), 34, "createMissingRelatedEntities: false");
  yaml.replace(yaml.find("deleteDependentEntities: true"), 29, "deleteDependentEntities: false");
  o.mapping_file = MappingFile(yaml);
  JobRun first = Sync(o);
  ASSERT_EQ(first.code, 0) << first.err << first.out;
  auto e2 = Log("E2");
  ASSERT_FALSE(e2.empty());
  for (const auto& e : e2) {
    EXPECT_EQ(Param(e, "create_missing_related_entities"), "false");
    EXPECT_EQ(Param(e, "merge"), "false");
    EXPECT_EQ(Param(e, "upsert"), "true");
  }
  auto ours = Ids("sentryIssue");
  ASSERT_FALSE(ours.empty());
  ResolveIssue(*ours.begin());
  ClearLog();
  JobRun second = Sync(o);
  ASSERT_EQ(second.code, 0) << second.err << second.out;
  auto e4 = Log("E4");
  ASSERT_FALSE(e4.empty());
  for (const auto& e : e4) EXPECT_EQ(Param(e, "delete_dependents"), "false");
  EXPECT_EQ(Ids("sentryIssue").count(*ours.begin()), 0u);
}

TEST_F(SyncPort, MappingIsReadFromThePortIntegrationAndNeverClobbered) {
  // An integration someone configured in Port: only projects, a custom title.
  std::string config =
      R"({"installationId":"my-sentry-integration","installationAppType":"sentry","version":"0.0.9",)"
      R"("changelogDestination":{},"config":{"deleteDependentEntities":true,"createMissingRelatedEntities":true,)"
      R"("resources":[{"kind":"project","selector":{"query":"true"},"port":{"entity":{"mappings":{)"
      R"("identifier":".slug","title":"\"P-\" + .name","blueprint":"\"sentryProject\""}}}}]}})";
  PortApi("POST", "/v1/integration", config, "port-ocean/sentry/0.0.9/my-sentry-integration");
  json::Value stored = *Integration().Find("config");
  ClearLog();
  app::SyncJobOptions o;
  o.profile = "seed";
  JobRun run = Sync(o);
  ASSERT_EQ(run.code, 0) << run.err << run.out;
  EXPECT_TRUE(Log("I2").empty());
  EXPECT_TRUE(Log("I4").empty());
  EXPECT_EQ(json::ToJson(*Integration().Find("config")), json::ToJson(stored)) << "the user's mapping stays";
  EXPECT_EQ(Ids("sentryProject").size(), static_cast<size_t>(projects_));
  EXPECT_TRUE(Ids("sentryIssue").empty()) << "the stored mapping has no issue resource";
  for (const auto& [key, e] : Entities()) EXPECT_EQ(e.Find("title")->AsString().substr(0, 2), "P-") << key;
}

TEST_F(SyncPort, AnExistingIntegrationWithoutMappingGetsTheDefaultOne) {
  PortApi("POST", "/v1/integration",
          R"({"installationId":"my-sentry-integration","installationAppType":"sentry","version":"0.1.0",)"
          R"("changelogDestination":{},"config":{}})",
          "port-ocean/sentry/0.1.0/my-sentry-integration");
  app::SyncJobOptions o;
  o.profile = "seed";
  JobRun run = Sync(o);
  ASSERT_EQ(run.code, 0) << run.err << run.out;
  auto i4 = Log("I4");
  ASSERT_EQ(i4.size(), 1u) << "an empty stored config gets the default mapping (port-api.md §8.2 4b)";
  json::Value integ = Integration();
  ASSERT_NE(integ.Find("config")->Find("resources"), nullptr);
  EXPECT_EQ(integ.Find("config")->Find("resources")->Size(), 2u);
  EXPECT_TRUE(integ.Find("arePortResourcesInitialized")->AsBool());
  EXPECT_FALSE(Ids("sentryIssue").empty());
}

TEST_F(SyncPort, SparsePortAnswersAreTolerated) {
  // An integration record without config, resyncState or anything optional, and resync-state answers without
  // resyncState.updatedAt (which crashes Ocean, port-api.md §9.7 item 27h).
  RewritePort([](const net::HttpRequest& req, net::HttpResponse& resp) {
    bool integration = req.path.rfind("/v1/integration/", 0) == 0;
    if (!integration || resp.status != 200) return false;
    if (req.path.find("/resync-state") != std::string::npos) {
      resp.body = R"({"ok":true})";
      return true;
    }
    resp.body = R"({"ok":true,"integration":{"identifier":"my-sentry-integration"}})";
    return true;
  });
  PortApi("POST", "/v1/integration", R"({"installationId":"my-sentry-integration","installationAppType":"sentry"})",
          "port-ocean/sentry/0.1.0/my-sentry-integration");
  app::SyncJobOptions o;
  o.profile = "seed";  // no --mapping: the stored config is missing, so the default one is stored and used
  JobRun run = Sync(o);
  EXPECT_EQ(run.code, 0) << run.err << run.out;
  EXPECT_EQ(Log("I4").size(), 1u);
  EXPECT_EQ(Ids("sentryProject").size(), static_cast<size_t>(projects_));
  EXPECT_FALSE(Ids("sentryIssue").empty());
  EXPECT_EQ(Log("I5").size(), 2u);
}

TEST_F(SyncPort, DryRunWritesNothingAndPredictsTheRealRun) {
  app::SyncJobOptions o;
  o.profile = "seed";
  o.mapping_file = MappingFile(SeedMapping("", "      issueQuery: 'is:unresolved'\n"));
  ASSERT_EQ(Sync(o).code, 0);
  // Changes of every sort: two issues resolved (deletes), one new issue (create), project titles (updates).
  auto ours = Ids("sentryIssue");
  ASSERT_GE(ours.size(), 3u);
  ResolveIssue(*ours.begin());
  ResolveIssue(*std::next(ours.begin()));
  SentryControl("/_sim/issues", R"({"project":")" + SentryProjects()[0].first + R"(","title":"brand new"})");
  std::string yaml = SeedMapping("", "      issueQuery: 'is:unresolved'\n");
  yaml.replace(yaml.find("title: .name"), 12, "title: '.name + \" (renamed)\"'");
  o.mapping_file = MappingFile(yaml);

  auto before = Entities();
  ClearLog();
  app::SyncJobOptions dry = o;
  dry.dry_run = true;
  JobRun plan = Sync(dry);
  ASSERT_EQ(plan.code, 0) << plan.err << plan.out;
  for (const char* route : {"E1", "E2", "E3", "E4", "B2", "B3", "B4", "I2", "I3", "I4", "I5"}) {
    EXPECT_TRUE(Log(route).empty()) << "a dry run never calls " << route;
  }
  EXPECT_EQ(Entities().size(), before.size());
  std::map<std::string, std::set<std::string>> predicted;
  std::istringstream lines(plan.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string action, bp, id;
    words >> action >> bp >> id;
    if (action == "create" || action == "update" || action == "delete") predicted[action].insert(Key(bp, id));
  }
  EXPECT_EQ(predicted["create"].size(), 1u);
  EXPECT_EQ(predicted["update"].size(), static_cast<size_t>(projects_));
  EXPECT_EQ(predicted["delete"].size(), 2u);

  ClearLog();
  JobRun real = Sync(o);
  ASSERT_EQ(real.code, 0) << real.err << real.out;
  std::set<std::string> written = WrittenIds("E2");
  std::set<std::string> expected_writes = predicted["create"];
  expected_writes.insert(predicted["update"].begin(), predicted["update"].end());
  EXPECT_EQ(written, expected_writes);
  EXPECT_EQ(WrittenIds("E4"), predicted["delete"]);
  auto after = Entities();
  for (const auto& key : predicted["create"]) EXPECT_EQ(before.count(key) + after.count(key), 1u) << key;
}

}  // namespace
}  // namespace sp::testing

// Full resyncs from sentry-sim (over loopback HTTP) into the embedded catalog: what is written, that an
// unchanged second resync writes nothing, that stale entities are deleted, and that nothing is deleted for a
// kind that could not be read.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "app/catalog_sink.hpp"
#include "app/resources_init.hpp"
#include "catalog/catalog.hpp"
#include "json/parse.hpp"
#include "mapping/app_config.hpp"
#include "mapping/defaults.hpp"
#include "net/http_client.hpp"
#include "sentry/client.hpp"
#include "sentry/kinds/registry.hpp"
#include "simulator.hpp"
#include "sync/engine.hpp"

namespace sp {
namespace {

constexpr const char* kDatasource = "port-ocean/sentry/0.1.0/my-sentry-integration/exporter";

class SyncLocal : public ::testing::Test {
 protected:
  void SetUp() override {
    sentry_sim::SimulatorOptions o;
    o.generator.projects = 3;
    o.generator.issues_per_project = 120;
    o.generator.members = 8;
    o.generator.teams = 3;
    sim_ = std::make_unique<sentry_sim::Simulator>(o);
    ASSERT_TRUE(sim_->Start().ok());
    sentry::SentryClientOptions so;
    so.host = sim_->base_url();
    so.token = sim_->token();
    so.organization = sim_->org_slug();
    so.retry.base_delay = std::chrono::milliseconds(1);
    so.retry.max_attempts = 3;
    client_ = std::make_unique<sentry::SentryClient>(so, http_);
    ASSERT_TRUE(client_->Connect().ok());
    auto cat = catalog::Catalog::Open(":memory:");
    ASSERT_TRUE(cat.ok());
    catalog_ = std::move(cat).value();
    app::BlueprintStore store;
    store.get = [this](std::string_view id) -> Result<json::Value> {
      auto r = catalog_->GetBlueprint(id);
      return r.ok() ? r.value() : json::Value();
    };
    store.create = [this](const json::Value& b) -> Status {
      auto r = catalog_->CreateBlueprint(b);
      return r.ok() ? Status() : Status(Error(ErrorCode::INVALID_ARGUMENT, r.error().message));
    };
    store.patch = [this](std::string_view id, const json::Value& b) -> Status {
      auto r = catalog_->PatchBlueprint(id, b);
      return r.ok() ? Status() : Status(Error(ErrorCode::INVALID_ARGUMENT, r.error().message));
    };
    store.remove = [this](std::string_view id) -> Status {
      (void)catalog_->DeleteBlueprint(id);
      return {};
    };
    auto init = app::InitializeBlueprints(json::Parse(mapping::DefaultBlueprints()).value(), store);
    ASSERT_TRUE(init.ok()) << init.error().ToString();
    EXPECT_EQ(init->created.size(), 4u);
    sink_ = std::make_unique<app::CatalogSink>(*catalog_, ":memory:", kDatasource, "port-ocean/sentry/",
                                               "/my-sentry-integration/exporter");
    auto load = mapping::LoadAppConfig(mapping::DefaultMapping());
    ASSERT_TRUE(load.ok());
    config_ = load.config;
  }
  void TearDown() override { sim_->Stop(); }

  sync::SyncReport Resync(std::shared_ptr<const mapping::AppConfig> config = nullptr,
                          sentry::SentryClient* client = nullptr) {
    sentry::SentryClient& c = client != nullptr ? *client : *client_;
    return sync::RunResync(
        config ? config : config_, [&c](std::string_view kind) { return sentry::kinds::MakeKind(kind, c); }, *sink_,
        sync::SyncOptions{});
  }

  void Control(const std::string& body, const std::string& path = "/_sim/config") {
    net::ClientRequest r;
    r.method = "POST";
    r.url = sim_->base_url() + path;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}};
    auto resp = http_.Send(r);
    ASSERT_TRUE(resp.ok());
    ASSERT_TRUE(resp->status == 200 || resp->status == 201) << resp->body;
  }

  size_t Count(const char* blueprint) { return catalog_->CountEntities(blueprint).value(); }

  net::HttpClient http_;
  std::unique_ptr<sentry_sim::Simulator> sim_;
  std::unique_ptr<sentry::SentryClient> client_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<app::CatalogSink> sink_;
  std::shared_ptr<const mapping::AppConfig> config_;
};

TEST_F(SyncLocal, FirstResyncWritesEveryKindSecondWritesNothing) {
  auto first = Resync();
  ASSERT_TRUE(first.Complete()) << first.fatal;
  for (const auto& k : first.kinds) {
    EXPECT_EQ(k.failed, 0u) << k.kind << ": " << (k.upsert_errors.empty() ? "" : k.upsert_errors[0]);
    EXPECT_GT(k.created, 0u) << k.kind;
  }
  EXPECT_EQ(Count("sentryUser"), 8u);
  EXPECT_EQ(Count("sentryTeam"), 3u);
  EXPECT_GT(Count("sentryProject"), 0u);
  EXPECT_GT(Count("sentryIssue"), 0u);
  EXPECT_EQ(first.deleted, 0u);

  auto second = Resync();
  ASSERT_TRUE(second.Complete());
  for (const auto& k : second.kinds) {
    EXPECT_EQ(k.created, 0u) << k.kind;
    // A relation given as a search query (project-tag's team) is resolved by the target, so it cannot be
    // compared locally and is re-sent, as Ocean does (port-api.md §5.2-4d). Everything else is skipped.
    if (config_->resources[k.resource_index].mappings.UsesSearchQuery()) continue;
    EXPECT_EQ(k.updated, 0u) << k.kind;
    EXPECT_GT(k.unchanged, 0u) << k.kind;
  }
  EXPECT_EQ(second.deleted, 0u);
}

TEST_F(SyncLocal, StaleEntitiesAreDeletedButNotWhenTheirKindFailed) {
  ASSERT_TRUE(Resync().Complete());
  size_t issues = Count("sentryIssue");
  // An issue we own that Sentry no longer has.
  json::Value ghost = json::Parse(R"({"identifier":"999999999","title":"gone","blueprint":"sentryIssue"})").value();
  catalog::UpsertOptions uo;
  uo.upsert = true;
  ASSERT_TRUE(catalog_->UpsertEntities("sentryIssue", std::span<const json::Value>(&ghost, 1), uo, kDatasource).ok());
  ASSERT_EQ(Count("sentryIssue"), issues + 1);

  // A token that may not read issues (403 on every project's issues): the ghost must survive, because what we
  // could not read we cannot call stale.
  Control(
      R"({"token":"sntryi_noevents","type":"integration","scopes":["org:read","project:read","member:read","team:read"]})",
      "/_sim/tokens");
  sentry::SentryClientOptions so = client_->options();
  so.token = "sntryi_noevents";
  sentry::SentryClient limited(so, http_);
  ASSERT_TRUE(limited.Connect().ok());
  auto failed = Resync(nullptr, &limited);
  EXPECT_FALSE(failed.Complete());
  EXPECT_EQ(Count("sentryIssue"), issues + 1);
  bool skipped = false;
  for (const auto& s : failed.plan.skipped) skipped = skipped || s.blueprint == "sentryIssue";
  EXPECT_TRUE(skipped) << "the skipped deletion must be reported with its reason";

  // A healthy resync deletes it.
  auto ok = Resync();
  ASSERT_TRUE(ok.Complete());
  EXPECT_EQ(Count("sentryIssue"), issues);
  EXPECT_EQ(ok.deleted, 1u);
}

TEST_F(SyncLocal, DryRunPredictsAndWritesNothing) {
  sync::SyncOptions dry;
  dry.dry_run = true;
  auto plan = sync::RunResync(
      config_, [this](std::string_view kind) { return sentry::kinds::MakeKind(kind, *client_); }, *sink_, dry);
  EXPECT_EQ(Count("sentryIssue"), 0u);
  uint64_t predicted = 0;
  for (const auto& k : plan.kinds) predicted += k.created;
  EXPECT_GT(predicted, 0u);
  auto real = Resync();
  uint64_t created = 0;
  for (const auto& k : real.kinds) created += k.created;
  EXPECT_EQ(created, predicted);
}

TEST_F(SyncLocal, SelectorReturningANonBooleanBlocksDeletionForItsKind) {
  ASSERT_TRUE(Resync().Complete());
  json::Value ghost = json::Parse(R"({"identifier":"ghost@example.com","blueprint":"sentryUser"})").value();
  catalog::UpsertOptions uo;
  uo.upsert = true;
  ASSERT_TRUE(catalog_->UpsertEntities("sentryUser", std::span<const json::Value>(&ghost, 1), uo, kDatasource).ok());
  std::string yaml(mapping::DefaultMapping());
  auto pos = yaml.find("query: 'true'");
  ASSERT_NE(pos, std::string::npos);
  yaml.replace(pos, std::string("query: 'true'").size(), "query: '\"yes\"'");
  auto load = mapping::LoadAppConfig(yaml);
  ASSERT_TRUE(load.ok());
  auto report = Resync(load.config);
  EXPECT_FALSE(report.Complete());
  EXPECT_EQ(Count("sentryUser"), 9u) << "the ghost user must survive a broken selector";
}

TEST_F(SyncLocal, NullReportsAndErrorsOfOneFieldStaySeparateAcrossBatches) {
  // A field that is null for some items and fails for others, over several pages (so several batches),
  // keeps both reports: the null one is Ocean's "Unable to find valid data" warning, the other the jq error.
  auto load = mapping::LoadAppConfig(R"(resources:
  - kind: issue
    selector:
      query: 'true'
    port:
      entity:
        mappings:
          identifier: .id
          blueprint: '"sentryIssue"'
          properties:
            level: 'if .level == "error" then null else error("no level here") end'
)");
  ASSERT_TRUE(load.ok());
  auto report = Resync(load.config);
  ASSERT_EQ(report.kinds.size(), 1u);
  const auto& diags = report.kinds[0].diagnostics;
  const mapping::Diagnostic* null_report = nullptr;
  const mapping::Diagnostic* error_report = nullptr;
  for (const auto& d : diags) {
    if (d.path.find("properties.level") == std::string::npos) continue;
    (d.null_value ? null_report : error_report) = &d;
  }
  ASSERT_NE(null_report, nullptr) << "no null report for the error-level issues";
  ASSERT_NE(error_report, nullptr) << "no error report for the other levels";
  EXPECT_NE(error_report->message.find("no level here"), std::string::npos) << error_report->message;
  EXPECT_EQ(null_report->count + error_report->count, report.kinds[0].counters.mapped);
}

TEST(SyncLocalFile, CatalogWithRelationsReopens) {
  // Regression: a catalog file holding relations must pass Open()'s integrity check afterwards.
  char dir_template[] = "/tmp/sp-catalog-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  std::string path = std::string(dir_template) + "/c.db";
  {
    auto cat = catalog::Catalog::Open(path);
    ASSERT_TRUE(cat.ok());
    auto& c = *cat.value();
    ASSERT_TRUE(c.CreateBlueprint(
                     json::Parse(R"({"identifier":"p","title":"p","schema":{"properties":{}},"relations":{}})").value())
                    .ok());
    ASSERT_TRUE(
        c.CreateBlueprint(
             json::Parse(
                 R"({"identifier":"i","title":"i","schema":{"properties":{}},"relations":{"project":{"target":"p","many":false,"required":false}}})")
                 .value())
            .ok());
    catalog::UpsertOptions uo;
    uo.upsert = true;
    uo.create_missing_related_entities = true;
    json::Value e = json::Parse(R"({"identifier":"1","blueprint":"i","relations":{"project":"web"}})").value();
    auto res = c.UpsertEntities("i", std::span<const json::Value>(&e, 1), uo, kDatasource);
    ASSERT_TRUE(res.ok());
    ASSERT_FALSE(res.value()[0].error.has_value());
  }
  auto again = catalog::Catalog::Open(path);
  EXPECT_TRUE(again.ok()) << again.error().ToString();
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  rmdir(dir_template);
}

}  // namespace
}  // namespace sp

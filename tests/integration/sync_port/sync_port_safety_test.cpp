// Deletion safety against port-sim: entityDeletionThreshold at and just above the boundary (on the full owned
// set), an empty mapping, a selector that does not return a boolean, and a resync killed mid-way then rerun.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "json/write.hpp"
#include "mapping/app_config.hpp"
#include "port/client.hpp"
#include "port/sink.hpp"
#include "sentry/client.hpp"
#include "sentry/kinds/registry.hpp"
#include "sync/engine.hpp"
#include "sync_port_fixture.hpp"

namespace sp::testing {
namespace {

std::string Exact(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

class SyncPortSafety : public SyncPort {
 protected:
  // Runs the seed mapping once and adds `ghosts` stale issues of ours; returns how many entities we own.
  size_t Prepare(int ghosts) {
    app::SyncJobOptions o;
    o.profile = "seed";
    o.mapping_file = MappingFile(SeedMapping());
    EXPECT_EQ(Sync(o).code, 0);
    AddGhosts(ghosts);
    size_t owned = 0;
    for (const auto& [key, e] : Entities()) owned += e.Find("datasource")->AsString() == kOurAgent ? 1 : 0;
    return owned;
  }
  void AddGhosts(int ghosts) {
    for (int i = 0; i < ghosts; ++i) {
      PortUpsert("sentryIssue", R"({"identifier":"ghost-)" + std::to_string(i) + R"(","title":"gone"})", kOurAgent);
    }
  }
  JobRun SyncWith(const std::string& top, const std::string& selector = "") {
    app::SyncJobOptions o;
    o.profile = "seed";
    o.mapping_file = MappingFile(SeedMapping(top, selector));
    return Sync(o);
  }
  size_t Ghosts() {
    size_t n = 0;
    for (const auto& id : Ids("sentryIssue")) n += id.rfind("ghost-", 0) == 0 ? 1 : 0;
    return n;
  }
};

TEST_F(SyncPortSafety, ThresholdEqualToTheRateDeletes) {
  size_t owned = Prepare(2);
  // rate = 2 / owned, where owned counts projects and issues together (the full owned set).
  double rate = 2.0 / static_cast<double>(owned);
  ClearLog();
  JobRun run = SyncWith("entityDeletionThreshold: " + Exact(rate) + "\n");
  ASSERT_EQ(run.code, 0) << run.err << run.out;
  EXPECT_EQ(Ghosts(), 0u) << "rate == threshold deletes\n" << run.out;
  EXPECT_EQ(WrittenIds("E4"), (std::set<std::string>{Key("sentryIssue", "ghost-0"), Key("sentryIssue", "ghost-1")}));
}

TEST_F(SyncPortSafety, ThresholdJustBelowTheRateDeletesNothingAndSaysWhy) {
  size_t owned = Prepare(2);
  double rate = 2.0 / static_cast<double>(owned);
  ClearLog();
  JobRun run = SyncWith("entityDeletionThreshold: " + Exact(std::nextafter(rate, 0.0)) + "\n");
  EXPECT_EQ(Ghosts(), 2u) << "rate just above the threshold deletes nothing\n" << run.out;
  EXPECT_TRUE(Log("E4").empty());
  EXPECT_NE(run.out.find("deletion skipped: sentryIssue"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("entityDeletionThreshold"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(std::to_string(owned) + " owned"), std::string::npos)
      << "the rate is computed over every owned entity\n"
      << run.out;
}

TEST_F(SyncPortSafety, EmptyMappingDeletesNothing) {
  Prepare(2);
  auto before = Entities();
  ClearLog();
  app::SyncJobOptions o;
  o.profile = "seed";
  o.mapping_file = MappingFile("entityDeletionThreshold: 1\nresources: []\n");
  JobRun run = Sync(o);
  EXPECT_TRUE(Log("E4").empty()) << run.out << run.err;
  EXPECT_TRUE(Log("E2").empty());
  EXPECT_EQ(Entities().size(), before.size());
}

TEST_F(SyncPortSafety, SelectorReturningANonBooleanBlocksDeletionOfItsKind) {
  Prepare(1);
  PortUpsert("sentryProject", R"({"identifier":"ghost-project"})", kOurAgent);
  ClearLog();
  JobRun run = SyncWith("entityDeletionThreshold: 1\n", "");
  ASSERT_EQ(run.code, 0);
  EXPECT_EQ(Ghosts(), 0u);
  AddGhosts(1);
  PortUpsert("sentryProject", R"({"identifier":"ghost-project"})", kOurAgent);
  std::string yaml = SeedMapping("entityDeletionThreshold: 1\n");
  auto pos = yaml.rfind("query: 'true'");  // the issue resource's selector
  yaml.replace(pos, 13, "query: '\"yes\"'");
  app::SyncJobOptions o;
  o.profile = "seed";
  o.mapping_file = MappingFile(yaml);
  ClearLog();
  JobRun broken = Sync(o);
  EXPECT_EQ(broken.code, 1) << broken.out << broken.err;
  EXPECT_EQ(Ghosts(), 1u) << "no issue may be deleted when the issue selector is broken";
  EXPECT_EQ(Ids("sentryProject").count("ghost-project"), 0u) << "projects were fine: their stale one goes";
}

// The resync is stopped half-way (what a newer resync or a kill does), then run again.
TEST_F(SyncPortSafety, ResyncStoppedMidWayDeletesNothingAndTheRerunConverges) {
  app::SyncJobOptions o;
  o.profile = "seed";
  o.mapping_file = MappingFile(SeedMapping("entityDeletionThreshold: 1\n", "      issueQuery: 'is:unresolved'\n"));
  ASSERT_EQ(Sync(o).code, 0);
  auto first = Ids("sentryIssue");
  auto projects = Ids("sentryProject");
  ASSERT_GE(first.size(), 4u);
  std::vector<std::string> resolved(first.begin(), std::next(first.begin(), 2));
  for (const auto& id : resolved) ResolveIssue(id);
  std::set<std::string> live = first;
  for (const auto& id : resolved) live.erase(id);

  // The engine itself, with the same Port client the job uses, cancelled after its first written batch.
  auto load =
      mapping::LoadAppConfig(SeedMapping("entityDeletionThreshold: 1\n", "      issueQuery: 'is:unresolved'\n"));
  ASSERT_TRUE(load.ok());
  net::HttpClient http;
  port::PortClientOptions po;
  po.base_url = port_url_;
  po.client_id = kClientId;
  po.client_secret = kClientSecret;
  port::PortClient client(po, http);
  port::PortSink sink(client, port_url_);
  sentry::SentryClientOptions so;
  so.host = sentry_url_;
  so.token = sentry_->token();
  so.organization = sentry_->org_slug();
  sentry::SentryClient sentry_client(so, http);
  ASSERT_TRUE(sentry_client.Connect().ok());
  std::atomic<bool> cancel{false};
  sync::SyncOptions opts;
  opts.skip_unchanged = false;  // every batch is a write, so the stop lands between writes
  opts.cancel = &cancel;
  opts.on_progress = [&](std::string_view, uint64_t, uint64_t) { cancel = true; };
  ClearLog();
  auto report = sync::RunResync(
      load.config, [&](std::string_view kind) { return sentry::kinds::MakeKind(kind, sentry_client); }, sink, opts);
  EXPECT_TRUE(report.aborted);
  EXPECT_TRUE(Log("E4").empty()) << "a stopped resync never deletes";
  auto mid = Ids("sentryIssue");
  for (const auto& id : first) EXPECT_EQ(mid.count(id), 1u) << "nothing live was deleted: " << id;
  EXPECT_EQ(Ids("sentryProject"), projects);

  JobRun again = Sync(o);
  ASSERT_EQ(again.code, 0) << again.err << again.out;
  EXPECT_EQ(Ids("sentryIssue"), live) << "the rerun converges to what Sentry has";
  EXPECT_EQ(Ids("sentryProject"), projects);
}

// The real process, killed with SIGKILL while its bulk writes are in flight, then run again.
TEST_F(SyncPortSafety, KilledProcessLeavesEverythingLiveAndTheRerunConverges) {
  const std::string binary = SP_SENTRY_PORT_BINARY;  // the build's sentry-port (CMakeLists.txt)
  ASSERT_TRUE(std::filesystem::exists(binary)) << binary;
  app::SyncJobOptions o;
  o.profile = "seed";
  o.mapping_file = MappingFile(SeedMapping("entityDeletionThreshold: 1\n", "      issueQuery: 'is:unresolved'\n"));
  ASSERT_EQ(Sync(o).code, 0);
  auto first = Ids("sentryIssue");
  auto projects = Ids("sentryProject");
  ASSERT_GE(first.size(), 4u);
  std::vector<std::string> resolved(first.begin(), std::next(first.begin(), 2));
  for (const auto& id : resolved) ResolveIssue(id);
  std::set<std::string> live = first;
  for (const auto& id : resolved) live.erase(id);
  // A new project title makes every project a write; each bulk write then hangs for a while.
  std::string yaml = SeedMapping("entityDeletionThreshold: 1\n", "      issueQuery: 'is:unresolved'\n");
  yaml.replace(yaml.find("title: .name"), 12, "title: '.name + \" (v2)\"'");
  std::string mapping = MappingFile(yaml);
  PortFaults(R"({"routes":{"E2":{"latency_ms":5000}}})");
  ClearLog();

  auto e2_count = [this] {
    json::Value stats = Stats();
    const json::Value* routes = stats.Find("routes");
    const json::Value* e2 = routes != nullptr ? routes->Find("E2") : nullptr;
    return e2 != nullptr ? e2->Find("count")->AsNumber() : 0.0;
  };
  const double e2_before = e2_count();
  std::vector<std::string> args = {binary, "sync", "--profile", "seed", "--mapping", mapping};
  std::vector<std::string> env = {"OCEAN__PORT__CLIENT_ID=" + std::string(kClientId),
                                  "OCEAN__PORT__CLIENT_SECRET=" + std::string(kClientSecret),
                                  "OCEAN__PORT__BASE_URL=" + port_url_,
                                  "OCEAN__INTEGRATION__CONFIG__SENTRY_HOST=" + sentry_url_,
                                  "OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN=" + sentry_->token(),
                                  "OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION=" + sentry_->org_slug(),
                                  "SENTRY_PORT__LOCAL_CATALOG=" + temp_dir_ + "/unused.db",
                                  "ASAN_OPTIONS=detect_leaks=0",
                                  "PATH=/usr/bin:/bin"};
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  // Kill it once a bulk write has reached Port (and is being held there).
  bool writing = false;
  for (int i = 0; i < 3000 && !writing; ++i) {
    writing = e2_count() > e2_before;
    if (!writing) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(writing) << "the process never reached its writes";
  EXPECT_TRUE(WIFSIGNALED(status));
  PortFaults(R"({"clear":true})");

  EXPECT_FALSE(Log("E2").empty()) << "killed while writing";
  EXPECT_TRUE(Log("E4").empty()) << "a killed resync deleted something";
  auto after_kill = Ids("sentryIssue");
  for (const auto& id : first) EXPECT_EQ(after_kill.count(id), 1u) << "live issue " << id << " went missing";
  EXPECT_EQ(Ids("sentryProject"), projects);
  EXPECT_EQ(std::string(Integration().Find("resyncState")->Find("status")->AsString()), "running")
      << "the killed run could not report its end";

  o.mapping_file = mapping;
  JobRun again = Sync(o);
  ASSERT_EQ(again.code, 0) << again.err << again.out;
  EXPECT_EQ(Ids("sentryIssue"), live) << "the rerun converges to what Sentry has";
  EXPECT_EQ(Ids("sentryProject"), projects);
  for (const auto& [key, e] : Entities()) {
    if (e.Find("blueprint")->AsString() == "sentryProject") {
      EXPECT_NE(std::string(e.Find("title")->AsString()).find("(v2)"), std::string::npos) << key;
    }
  }
  EXPECT_EQ(std::string(Integration().Find("resyncState")->Find("status")->AsString()), "completed");
}

}  // namespace
}  // namespace sp::testing

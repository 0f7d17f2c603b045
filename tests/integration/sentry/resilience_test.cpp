// Rate limits and faults against sentry-sim: tiny windows with low concurrency limits are respected from the first
// request on (the simulator's own max-in-flight record), 429 storms from two syncs sharing one org budget are
// waited out, and 5xx, resets, truncated bodies and stalled connections are retried until the data is complete.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "sim_fixture.hpp"

namespace sp::sentry {
namespace {

using testing::CollectSink;
using testing::FirstProblem;
using testing::Str;

// Smaller organization: these tests make one call per issue under tight limits.
class SentryResilience : public testing::SimFixture {
 protected:
  void Configure(sentry_sim::SimulatorOptions& o) override {
    o.generator.projects = 2;
    o.generator.issues_per_project = 120;
    o.generator.members = 7;
    o.generator.teams = 3;
  }

  // Reads the default six kinds (team with members, issue-tag as `strategy`); returns "kind:id" keys.
  std::set<std::string> ReadAll(SentryClient& client, const char* strategy = "auto") {
    std::set<std::string> keys;
    struct Kind {
      const char* name;
      std::string selector;
    };
    std::vector<Kind> kinds = {{"project", "{}"},
                               {"issue", "{}"},
                               {"project-tag", R"({"tag":"environment"})"},
                               {"issue-tag", std::string(R"({"tagStrategy":")") + strategy + "\"}"},
                               {"user", "{}"},
                               {"team", R"({"includeMembers":true})"}};
    for (const auto& k : kinds) {
      CollectSink sink;
      auto report = Fetch(k.name, k.selector.c_str(), sink, &client);
      EXPECT_TRUE(report.ok()) << k.name;
      if (!report.ok()) continue;
      EXPECT_TRUE(report->Complete()) << k.name << ": " << FirstProblem(*report);
      for (const auto& i : sink.items) {
        std::string key = std::string(k.name) + ":" + Str(i, "id");
        if (const json::Value* t = i.Find("__tags")) {
          if (t->IsObject()) key += "/" + Str(*t, "name");
          if (t->IsArray()) {
            for (const auto& v : t->Items()) key += "/" + Str(v, "name");
          }
        }
        if (const json::Value* m = i.Find("__members"); m != nullptr && m->IsArray()) {
          key += "/members=" + std::to_string(m->Items().size());
        }
        keys.insert(key);
      }
    }
    return keys;
  }

  // Max in flight the simulator recorded per route bucket ("org:default:issue_tag_values:GET:<id>").
  std::map<std::string, int64_t> SimMaxInFlight() {
    std::map<std::string, int64_t> out;
    json::Value stats = ControlJson("stats");
    if (const json::Value* m = stats.Find("max_in_flight"); m != nullptr && m->IsObject()) {
      for (const auto& member : m->Members())
        out[std::string(member.key.AsString())] = static_cast<int64_t>(member.value.AsNumber());
    }
    return out;
  }

  int64_t SimRejections() {
    json::Value stats = ControlJson("stats");
    const json::Value* n = stats.Find("rate_limited_total");
    return n != nullptr && n->IsNumber() ? static_cast<int64_t>(n->AsNumber()) : -1;
  }
};

// Concurrency limit of a simulator bucket key, as configured in the test below.
int LimitOf(const std::string& bucket) {
  if (bucket.find(":issue_tag_values:") != std::string::npos) return 2;
  if (bucket.find(":project_tag_values:") != std::string::npos) return 2;
  if (bucket.find(":org_issues:") != std::string::npos || bucket.find(":members:") != std::string::npos) {
    return 1000;  // no concurrency limit on these endpoints ("None")
  }
  return 3;  // the shared default bucket
}

TEST_F(SentryResilience, ConcurrencyNeverAboveTheBucketLimit) {
  // Report-only concurrency (open-source Sentry's default): nothing rejects an excess, so only the client's
  // own caps keep the simulator's in-flight record within the limits, including the very first burst.
  SetSimConfig(R"({"enforce_concurrency":false,"rate_limits":{
      "issue_tag_values":{"org":{"limit":60,"window":1,"concurrent":2}},
      "project_tag_values":{"org":{"limit":20,"window":1,"concurrent":2}},
      "org_issues":{"org":{"limit":30,"window":1,"concurrent":0}},
      "default":{"org":{"limit":30,"window":1,"concurrent":3}}}})");
  ASSERT_EQ(Control("POST", "/_sim/reset-stats").status, 200);
  auto keys = ReadAll(*client_, "per-issue");
  EXPECT_GT(keys.size(), 240u);
  auto peaks = SimMaxInFlight();
  ASSERT_FALSE(peaks.empty());
  bool saw_tags = false;
  for (const auto& [bucket, peak] : peaks) {
    EXPECT_LE(peak, LimitOf(bucket)) << bucket;
    saw_tags = saw_tags || bucket.find(":issue_tag_values:") != std::string::npos;
  }
  EXPECT_TRUE(saw_tags);
  EXPECT_LE(client_->rate_limits().PeakInFlight("organizations/{org}/issues/{id}/tags/{key}/values/"), 2);
  EXPECT_LE(client_->rate_limits().PeakInFlight("default"), 3);
}

TEST_F(SentryResilience, StormFromTwoSyncsSharingTheOrgBudgetIsWaitedOut) {
  // Integration tokens share one org-wide budget (§4.1): two syncs at once trip each other's windows and, with
  // concurrency enforced, each other's concurrency. Both must wait the storm out and read everything.
  SetSimConfig(R"({"enforce_concurrency":true,"rate_limits":{
      "issue_tag_values":{"org":{"limit":80,"window":1,"concurrent":3}},
      "org_issues":{"org":{"limit":20,"window":1,"concurrent":0}}}})");
  ASSERT_EQ(Control("POST", "/_sim/reset-stats").status, 200);
  auto second = MakeClient(sim_->token());
  ASSERT_TRUE(second->Connect().ok());
  std::set<std::string> a, b;
  std::thread other([&] {
    CollectSink sink;
    auto report = Fetch("issue-tag", R"({"tagStrategy":"per-issue"})", sink, second.get());
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->Complete()) << FirstProblem(*report);
    for (const auto& i : sink.items) b.insert(Str(i, "id"));
  });
  {
    CollectSink sink;
    auto report = Fetch("issue-tag", R"({"tagStrategy":"per-issue"})", sink);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->Complete()) << FirstProblem(*report);
    for (const auto& i : sink.items) a.insert(Str(i, "id"));
  }
  other.join();
  CollectSink issues;
  ASSERT_TRUE(Fetch("issue", "{}", issues).ok());
  EXPECT_EQ(a.size(), issues.items.size());
  EXPECT_GT(a.size(), 100u);
  EXPECT_EQ(a, b);
  EXPECT_GT(SimRejections(), 0) << "no storm happened: the test proves nothing";
  for (const auto& [bucket, peak] : SimMaxInFlight()) {
    if (bucket.find(":issue_tag_values:") != std::string::npos) {
      EXPECT_LE(peak, 3) << bucket;
    }
  }
}

TEST_F(SentryResilience, FaultsOnEveryRouteAreRetriedToTheSameResult) {
  SetSimConfig(R"({"budget_multiplier":20})");
  auto clean = ReadAll(*client_, "per-issue");
  ASSERT_FALSE(clean.empty());
  // 5xx from the app and the edge, resets and truncated bodies, on every route: about one call in five.
  SetSimConfig(R"({"faults":{"*":{"500":0.04,"502":0.04,"503":0.04,"504":0.04,"reset":0.04,"malformed":0.04}}})");
  ASSERT_EQ(Control("POST", "/_sim/reset-stats").status, 200);
  // More attempts than the default so that a run of faults on one request (random here) cannot fail the test.
  auto faulty_client = MakeClient(sim_->token(), [](SentryClientOptions& o) { o.retry.max_attempts = 12; });
  ASSERT_TRUE(faulty_client->Connect().ok());
  auto faulty = ReadAll(*faulty_client, "per-issue");
  EXPECT_EQ(faulty, clean);
  json::Value log = ControlJson("log");
  size_t faults = 0;
  for (const auto& e : log.Items()) faults += Str(e, "decision").rfind("fault:", 0) == 0 ? 1 : 0;
  EXPECT_GT(faults, 20u) << "the scenario must inject faults";
}

TEST_F(SentryResilience, StalledRequestsTimeOutAndAreRetried) {
  SetSimConfig(R"({"budget_multiplier":20})");
  auto clean = ReadAll(*client_);
  auto client =
      MakeClient(sim_->token(), [](SentryClientOptions& o) { o.request_timeout = std::chrono::milliseconds(700); });
  ASSERT_TRUE(client->Connect().ok());
  SetSimConfig(R"({"fail_next":[{"route":"org_issues","kind":"stall","count":1},
      {"route":"members","kind":"stall","count":1},{"route":"project_tag_values","kind":"stall","count":1},
      {"route":"org_projects","kind":"reset","count":1},{"route":"team_members","kind":"503","count":2}]})");
  auto stalled = ReadAll(*client);
  EXPECT_EQ(stalled, clean);
  json::Value log = ControlJson("log");
  size_t stalls = 0;
  for (const auto& e : log.Items()) stalls += Str(e, "decision") == "fault:stall" ? 1 : 0;
  EXPECT_EQ(stalls, 3u);
}

}  // namespace
}  // namespace sp::sentry

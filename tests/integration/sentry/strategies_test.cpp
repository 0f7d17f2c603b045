// Both issue-tag strategies (per project value, per issue) yield identical Port entities under the default
// mapping (src/mapping/defaults/port-app-config.yaml), whichever way the strategy is chosen.
#include <gtest/gtest.h>

#include <algorithm>

#include "json/write.hpp"
#include "mapping/defaults.hpp"
#include "mapping/entity_mapper.hpp"
#include "net/http_client.hpp"
#include "sim_fixture.hpp"

namespace sp::sentry {
namespace {

using testing::CollectSink;
using testing::FirstProblem;

class SentryTagStrategies : public testing::SimFixture {
 protected:
  void SetUp() override {
    SimFixture::SetUp();
    // The per-issue runs make one call per issue; Sentry's 300/min would make them wait for minutes.
    SetSimConfig(R"({"budget_multiplier":20})");
    auto load = mapping::LoadAppConfig(mapping::DefaultMapping());
    ASSERT_TRUE(load.ok()) << load.ToError().ToString();
    config_ = load.config;
  }

  // The issue-tag entities of a fresh client's read with `selector`, serialized and sorted.
  std::vector<std::string> Entities(const std::string& selector, std::map<std::string, uint64_t>* calls = nullptr) {
    auto client = MakeClient(sim_->token());
    EXPECT_TRUE(client->Connect().ok());
    CollectSink sink;
    auto report = Fetch("issue-tag", selector.c_str(), sink, client.get());
    EXPECT_TRUE(report.ok());
    if (!report.ok()) return {};
    EXPECT_TRUE(report->Complete()) << selector << ": " << FirstProblem(*report);
    auto mappers = mapping::MappersForKind(config_, "issue-tag");
    EXPECT_EQ(mappers.size(), 1u);
    if (mappers.empty()) return {};
    auto batch = mappers[0].MapBatch(sink.items);
    EXPECT_FALSE(batch.report.kind_failed);
    EXPECT_EQ(batch.entities.size(), sink.items.size());
    std::vector<std::string> out;
    for (const auto& e : batch.entities) out.push_back(json::ToJson(e));
    std::sort(out.begin(), out.end());
    if (calls != nullptr) *calls = client->CallsPerBucket();
    return out;
  }

  // Issues inside the listing window (the simulator spreads them over 400 days; the window is 90).
  size_t IssueCount() {
    CollectSink sink;
    auto report = Fetch("issue", "{}", sink);
    EXPECT_TRUE(report.ok() && report->Complete());
    return sink.items.size();
  }

  std::shared_ptr<const mapping::AppConfig> config_;
};

constexpr const char* kIssueTagBucket = "organizations/{org}/issues/{id}/tags/{key}/values/";

TEST_F(SentryTagStrategies, PerValueAndPerIssueMapToIdenticalEntities) {
  std::map<std::string, uint64_t> value_calls, issue_calls;
  auto per_value = Entities(R"({"tag":"environment","tagStrategy":"per-value"})", &value_calls);
  auto per_issue = Entities(R"({"tag":"environment","tagStrategy":"per-issue"})", &issue_calls);
  size_t issues = IssueCount();
  ASSERT_GT(issues, 500u);
  ASSERT_EQ(per_value.size(), issues);
  EXPECT_EQ(per_value, per_issue);
  // The relation that carries the tags must actually be filled for some issues, or equality proves nothing.
  size_t with_relation = 0;
  for (const auto& e : per_value) with_relation += e.find("\"projectEnvironment\":[\"") != std::string::npos;
  EXPECT_GT(with_relation, 100u);
  EXPECT_EQ(value_calls.count(kIssueTagBucket), 0u);
  EXPECT_GE(issue_calls[kIssueTagBucket], issues);
}

TEST_F(SentryTagStrategies, AutoFallsBackPerProjectAboveTheValueLimit) {
  // maxTagValuesPerProject 0: every project has more values than allowed, so auto reads per issue.
  std::map<std::string, uint64_t> calls;
  auto fallback = Entities(R"({"maxTagValuesPerProject":0})", &calls);
  EXPECT_GE(calls[kIssueTagBucket], IssueCount() / 2) << "auto should have read most projects per issue";
  std::map<std::string, uint64_t> auto_calls;
  auto cheap = Entities("{}", &auto_calls);
  EXPECT_EQ(auto_calls.count(kIssueTagBucket), 0u);
  EXPECT_EQ(fallback, cheap);
}

TEST_F(SentryTagStrategies, AutoReadsPerIssueWhenValuesOutnumberIssues) {
  // A narrow query leaves some projects with fewer issues than environments: one listing per value would cost
  // more calls than one tag call per issue, so auto reads exactly those projects per issue.
  CollectSink projects;
  ASSERT_TRUE(Fetch("project", "{}", projects).ok());
  auto raw_count = [&](const std::string& path) {
    auto r = Control("GET", "/api/0/organizations/" + sim_->org_slug() + path);
    EXPECT_EQ(r.status, 200) << r.body;
    return r;
  };
  for (const char* query : {"level:fatal", "level:fatal is:ignored", "level:info is:resolved", "firstSeen:-2d"}) {
    size_t expected_calls = 0;
    for (const auto& p : projects.items) {
      auto values = Control("GET", "/api/0/projects/" + sim_->org_slug() + "/" + testing::Str(p, "slug") +
                                       "/tags/environment/values/?per_page=100");
      size_t n_values = values.status == 200 ? json::Parse(values.body)->Items().size() : 0;
      auto hits = raw_count("/issues/?project=" + testing::Str(p, "id") + "&query=" + net::UrlEncode(query) +
                            "&statsPeriod=90d&limit=1");
      ASSERT_NE(hits.Header("x-hits"), nullptr);
      size_t n_issues = std::stoul(*hits.Header("x-hits"));
      if (n_values > n_issues) expected_calls += n_issues;
    }
    if (expected_calls == 0) continue;  // no such project for this query; try a narrower one
    std::string selector = std::string(R"({"issueQuery":")") + query + "\"}";
    std::map<std::string, uint64_t> auto_calls;
    auto chosen = Entities(selector, &auto_calls);
    auto per_value = Entities(std::string(R"({"issueQuery":")") + query + R"(","tagStrategy":"per-value"})");
    EXPECT_EQ(auto_calls[kIssueTagBucket], expected_calls) << query;
    EXPECT_EQ(chosen, per_value) << query;
    return;
  }
  FAIL() << "no query left a project with more environments than issues";
}

TEST_F(SentryTagStrategies, NarrowedListingsAgreeToo) {
  // Status shards and an extra search term go through both strategies the same way.
  const char* narrowed = R"("statuses":["unresolved","resolved"],"issueQuery":"level:error")";
  auto per_value = Entities(std::string("{") + narrowed + R"(,"tagStrategy":"per-value"})");
  auto per_issue = Entities(std::string("{") + narrowed + R"(,"tagStrategy":"per-issue"})");
  ASSERT_FALSE(per_value.empty());
  EXPECT_LT(per_value.size(), IssueCount());
  EXPECT_EQ(per_value, per_issue);
}

}  // namespace
}  // namespace sp::sentry

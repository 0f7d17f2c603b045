// Completeness against sentry-sim: short and empty pages that still say results="true" are followed to the end,
// and every issue listing names its query (Sentry's default hides resolved and archived issues).
#include <gtest/gtest.h>

#include <set>

#include "net/http_client.hpp"
#include "sim_fixture.hpp"

namespace sp::sentry {
namespace {

using testing::CollectSink;
using testing::FirstProblem;
using testing::Str;

class SentryCompleteness : public testing::SimFixture {
 protected:
  // Raw requests of the test itself must not be rate limited.
  void SetUp() override {
    SimFixture::SetUp();
    SetSimConfig(R"({"budget_multiplier":100})");
  }

  // The `cursor` attribute of rel="next" when results="true" (written here independently of the client's
  // parser).
  static std::string NextCursor(const std::string& link) {
    const std::string marker = "rel=\"next\"; results=\"true\"; cursor=\"";
    auto at = link.find(marker);
    if (at == std::string::npos) return "";
    at += marker.size();
    return link.substr(at, link.find('"', at) - at);
  }

  struct RawRead {
    std::set<std::string> ids;
    size_t pages = 0;
    size_t short_pages = 0;  // fewer than 100 rows, yet more to come
    size_t empty_pages = 0;  // no row at all, yet more to come
  };

  // Follows one project's issue listing with the same parameters the client sends.
  RawRead ReadProjectIssues(const std::string& project_id) {
    RawRead out;
    std::string cursor;
    for (int guard = 0; guard < 1000; ++guard) {
      std::string url = "/api/0/organizations/" + sim_->org_slug() + "/issues/?project=" + project_id +
                        "&query=&statsPeriod=90d&groupStatsPeriod=&sort=new&limit=100";
      if (!cursor.empty()) url += "&cursor=" + net::UrlEncode(cursor);
      auto r = Control("GET", url);
      EXPECT_EQ(r.status, 200) << r.body;
      auto page = json::Parse(r.body);
      EXPECT_TRUE(page.ok() && page->IsArray());
      if (!page.ok() || !page->IsArray()) return out;
      ++out.pages;
      for (const auto& i : page->Items()) out.ids.insert(Str(i, "id"));
      const std::string* link = r.Header("link");
      std::string next = link != nullptr ? NextCursor(*link) : "";
      if (next.empty()) return out;
      if (page->Items().size() < 100) ++out.short_pages;
      if (page->Items().empty()) ++out.empty_pages;
      cursor = next;
    }
    ADD_FAILURE() << "raw listing did not end";
    return out;
  }

  std::vector<std::string> ProjectIds() {
    CollectSink projects;
    auto report = Fetch("project", "{}", projects);
    EXPECT_TRUE(report.ok() && report->Complete());
    std::vector<std::string> ids;
    for (const auto& p : projects.items) ids.push_back(Str(p, "id"));
    return ids;
  }
};

TEST_F(SentryCompleteness, ShortPagesWithMoreResultsAreFollowed) {
  // §2.5 item 3 / §3.4: post-query filters shorten pages while results="true".
  SetSimConfig(R"({"post_filter_drop":0.4})");
  CollectSink sink;
  auto report = Fetch("issue", "{}", sink);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  ASSERT_TRUE(report->Complete()) << FirstProblem(*report);
  std::set<std::string> got;
  for (const auto& i : sink.items) got.insert(Str(i, "id"));
  EXPECT_EQ(got.size(), sink.items.size()) << "an issue was delivered twice";

  std::set<std::string> expected;
  size_t short_pages = 0;
  for (const auto& id : ProjectIds()) {
    RawRead raw = ReadProjectIssues(id);
    expected.insert(raw.ids.begin(), raw.ids.end());
    short_pages += raw.short_pages;
  }
  ASSERT_GT(short_pages, 0u) << "the scenario must contain short pages that are not the last";
  EXPECT_EQ(got, expected);
}

TEST_F(SentryCompleteness, EmptyPagesWithMoreResultsAreFollowed) {
  // Every row filtered away: each page is [] with results="true" until the last. A client that stops at the
  // first empty page reads one page per project; a complete one reads them all.
  SetSimConfig(R"({"post_filter_drop":1.0})");
  CollectSink sink;
  auto report = Fetch("issue", "{}", sink);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->Complete()) << FirstProblem(*report);
  EXPECT_TRUE(sink.items.empty());
  size_t pages = 0;
  size_t empty_pages = 0;
  for (const auto& id : ProjectIds()) {
    RawRead raw = ReadProjectIssues(id);
    pages += raw.pages;
    empty_pages += raw.empty_pages;
  }
  ASSERT_GT(empty_pages, 0u);
  EXPECT_EQ(client_->CallsPerBucket()["organizations/{org}/issues/"], pages);
}

TEST_F(SentryCompleteness, EveryIssueListingSendsAnExplicitQueryAndWindow) {
  // §0.1: without `query` Sentry lists unresolved issues only; without a window, the last 90 days only.
  CollectSink issues;
  auto a = Fetch("issue", "{}", issues);
  ASSERT_TRUE(a.ok() && a->Complete());
  std::set<std::string> statuses;
  for (const auto& i : issues.items) statuses.insert(Str(i, "status"));
  EXPECT_TRUE(statuses.count("resolved")) << "resolved issues missing: was `query` omitted?";
  EXPECT_TRUE(statuses.count("ignored")) << "archived issues missing";
  for (const char* strategy : {"per-value", "per-issue"}) {
    CollectSink tags;
    std::string selector = std::string(R"({"tagStrategy":")") + strategy + "\"}";
    auto b = Fetch("issue-tag", selector.c_str(), tags);
    ASSERT_TRUE(b.ok() && b->Complete()) << FirstProblem(*b);
    std::set<std::string> tag_statuses;
    for (const auto& i : tags.items) tag_statuses.insert(Str(i, "status"));
    EXPECT_EQ(tag_statuses, statuses) << strategy;
    EXPECT_EQ(tags.items.size(), issues.items.size()) << strategy;
  }
  json::Value log = ControlJson("log?route=org_issues");
  ASSERT_TRUE(log.IsArray());
  ASSERT_GT(log.Items().size(), 10u);
  for (const auto& entry : log.Items()) {
    auto params = net::ParseQuery(Str(entry, "params"));
    bool has_query = false;
    bool has_window = false;
    for (const auto& [k, v] : params) {
      has_query = has_query || k == "query";
      has_window = has_window || k == "statsPeriod" || k == "start";
    }
    EXPECT_TRUE(has_query) << Str(entry, "params");
    EXPECT_TRUE(has_window) << Str(entry, "params");
  }
}

TEST_F(SentryCompleteness, SelectorNarrowsStatusesExplicitly) {
  CollectSink sink;
  auto report = Fetch("issue", R"({"statuses":["resolved"]})", sink);
  ASSERT_TRUE(report.ok() && report->Complete());
  ASSERT_FALSE(sink.items.empty());
  for (const auto& i : sink.items) EXPECT_EQ(Str(i, "status"), "resolved");
  CollectSink no_archived;
  auto r2 = Fetch("issue", R"({"includeArchived":false})", no_archived);
  ASSERT_TRUE(r2.ok() && r2->Complete());
  ASSERT_FALSE(no_archived.items.empty());
  for (const auto& i : no_archived.items) EXPECT_NE(Str(i, "status"), "ignored");
}

}  // namespace
}  // namespace sp::sentry

// Fidelity items of sentry-api.md §7 beyond the basics: the Date header on the simulator clock (§4.5 item 5),
// auto-resolve rendering and its post-search removal (§2.5 item 3, §7.6), 302 resource-moved for renamed
// project slugs (§1.5, §7.2), delayed and reordered webhook delivery (§5.5, §7.7), and the render cache never
// serving rows older than the last mutation.
#include <algorithm>
#include <ctime>

#include "sim_fixture.hpp"

namespace sp::sentry_sim::testing {
namespace {

// Epoch seconds of an IMF-fixdate ("Tue, 20 Jan 2026 13:00:00 GMT"); -1 when malformed.
int64_t HttpDateSeconds(const std::string& s) {
  std::tm tm{};
  const char* end = ::strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return -1;
  return static_cast<int64_t>(::timegm(&tm));
}

class Clock : public SimTest {
  void Configure(SimulatorOptions& o) override { o.rate_limits.budget_multiplier = 1; }
};

TEST_F(Clock, DateHeaderFollowsTheSimulatorClockLikeReset) {
  auto first = Get(Org() + "issues/");
  ASSERT_EQ(first.status, 200);
  ASSERT_TRUE(first.Header("date"));
  int64_t date = HttpDateSeconds(*first.Header("date"));
  ASSERT_GT(date, 0) << *first.Header("date");
  int64_t reset = std::stoll(*first.Header("x-sentry-rate-limit-reset"));
  // Reset is the end of the 1 s window the request fell in, on the same clock as Date.
  EXPECT_GE(reset - date, 0);
  EXPECT_LE(reset - date, 1);

  // The clock is frozen (time_scale 0) and moves only through /_sim/clock: Date moves by exactly that much,
  // including on a 429.
  ASSERT_EQ(Post("/_sim/clock", R"({"advance_ms": 3600000})").status, 200);
  auto later = Get(Org() + "issues/");
  EXPECT_EQ(HttpDateSeconds(*later.Header("date")) - date, 3600);
  EXPECT_EQ(std::stoll(*later.Header("x-sentry-rate-limit-reset")) - reset, 3600);
  net::ClientResponse limited;
  for (int i = 0; i < 20 && limited.status != 429; ++i) limited = Get(Org() + "issues/");
  ASSERT_EQ(limited.status, 429);
  EXPECT_EQ(HttpDateSeconds(*limited.Header("date")) - date, 3600);
  // Errors before authentication carry it too.
  std::string bad = "nope";
  EXPECT_EQ(HttpDateSeconds(*Get(Org(), &bad).Header("date")) - date, 3600);
}

class AutoResolve : public SimTest {};

TEST_F(AutoResolve, OverAgeIssuesRenderResolvedAndLeaveUnresolvedPagesAfterTheSearch) {
  std::string now = Str(Json(Get("/_sim/info")), "now");
  auto all_before = Items(Json(Get(Org() + "issues/?query=&statsPeriod=30d&limit=100")));
  ASSERT_FALSE(all_before.empty());
  for (const auto& is : all_before) EXPECT_EQ(is.Find("statusDetails")->Find("autoResolved"), nullptr);

  ASSERT_EQ(Post("/_sim/config", R"({"auto_resolve_hours": 72})").status, 200);
  // Every issue is rendered again: unresolved ones without an event for 72 h now say resolved/autoResolved.
  size_t auto_resolved = 0, still_unresolved = 0;
  std::vector<std::string> expected_unresolved;
  std::string cursor;
  for (int page = 0; page < 50; ++page) {
    auto r =
        Get(Org() + "issues/?query=&statsPeriod=30d&limit=100&sort=new" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& is : Items(Json(r))) {
      const json::Value* ar = is.Find("statusDetails")->Find("autoResolved");
      std::string last_seen = Str(is, "lastSeen");
      if (ar) {
        ++auto_resolved;
        EXPECT_TRUE(ar->AsBool());
        EXPECT_EQ(Str(is, "status"), "resolved");
      } else if (Str(is, "status") == "unresolved") {
        ++still_unresolved;
        expected_unresolved.push_back(Str(is, "id"));
      }
    }
    auto links = ParseLink(*r.Header("link"));
    if (links[1].results != "true") break;
    cursor = links[1].cursor;
  }
  ASSERT_GT(auto_resolved, 0u);
  ASSERT_GT(still_unresolved, 0u);

  // The default query (is:unresolved) drops auto-resolved rows after pagination: fewer rows, results="true".
  std::vector<std::string> seen;
  bool short_page_with_more = false;
  cursor.clear();
  for (int page = 0; page < 50; ++page) {
    auto r = Get(Org() + "issues/?statsPeriod=30d&limit=25&sort=new" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200);
    auto items = Items(Json(r));
    for (const auto& is : items) {
      EXPECT_EQ(Str(is, "status"), "unresolved");
      seen.push_back(Str(is, "id"));
    }
    auto links = ParseLink(*r.Header("link"));
    if (links[1].results != "true") break;
    short_page_with_more = short_page_with_more || items.size() < 25;
    cursor = links[1].cursor;
  }
  EXPECT_TRUE(short_page_with_more);
  std::sort(seen.begin(), seen.end());
  std::sort(expected_unresolved.begin(), expected_unresolved.end());
  EXPECT_EQ(seen, expected_unresolved);

  // Asking for both statuses keeps them (Sentry filters on the requested status set only).
  bool kept = false;
  for (const auto& is : Items(Json(Get(Org() + "issues/?query=is:unresolved%20is:resolved&statsPeriod=30d"))))
    kept = kept || is.Find("statusDetails")->Find("autoResolved");
  EXPECT_TRUE(kept);
  (void)now;
}

TEST_F(AutoResolve, PerProjectAgesDetailAndBadInput) {
  auto projects = Items(Json(Get(Org() + "projects/")));
  ASSERT_GE(projects.size(), 2u);
  std::string slug = Str(projects[0], "slug");
  ASSERT_EQ(Post("/_sim/config", R"({"auto_resolve_hours": {")" + slug + R"(": 1}})").status, 200);
  bool found = false;
  for (const auto& is : Items(Json(Get(Org() + "issues/?query=is:unresolved%20is:resolved&limit=100")))) {
    bool ar = is.Find("statusDetails")->Find("autoResolved") != nullptr;
    if (ar) {
      EXPECT_EQ(Str(*is.Find("project"), "slug"), slug);  // only the configured project
    }
    if (ar && !found) {
      found = true;
      auto detail = Json(Get(Org() + "issues/" + Str(is, "id") + "/"));
      EXPECT_EQ(Str(detail, "status"), "resolved");
      EXPECT_TRUE(detail.Find("statusDetails")->Find("autoResolved")->AsBool());
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(
      Post("/_sim/config", R"({"auto_resolve_hours": "soon"})").body,
      R"({"error":"auto_resolve_hours: expected a number of hours or an object {\"<project slug or id>\": hours}"})");
  EXPECT_EQ(Post("/_sim/config", R"({"auto_resolve_hours": {"no-such-project": 1}})").body,
            R"({"error":"auto_resolve_hours.no-such-project: unknown project"})");
  EXPECT_EQ(Post("/_sim/config", R"({"auto_resolve_hours": -1})").body,
            R"({"error":"auto_resolve_hours: expected hours >= 0"})");
}

class Rename : public SimTest {};

TEST_F(Rename, OldSlugAnswers302ResourceMoved) {
  auto projects = Items(Json(Get(Org() + "projects/")));
  std::string old_slug = Str(projects[0], "slug"), id = Str(projects[0], "id");
  auto before = Items(Json(Get("/api/0/projects/acme/" + old_slug + "/issues/?query=")));
  ASSERT_FALSE(before.empty());
  std::string old_prefix = Str(before[0], "shortId").substr(0, Str(before[0], "shortId").rfind('-'));

  auto r = Post("/_sim/projects/" + old_slug + "/rename", R"({"slug":"zz-renamed"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"id":")" + id + R"(","slug":"zz-renamed","old_slug":")" + old_slug + "\"}");

  auto moved = Get("/api/0/projects/acme/" + old_slug + "/issues/?query=&limit=5");
  EXPECT_EQ(moved.status, 302);
  EXPECT_FALSE(moved.Header("location"));
  EXPECT_EQ(moved.body, R"({"detail":{"code":"resource-moved","message":"Resource has been moved","extra":{"url":")"
                        R"(/api/0/projects/acme/zz-renamed/issues/?query=&limit=5","slug":"zz-renamed"}}})");
  EXPECT_EQ(Get("/api/0/projects/acme/" + old_slug + "/tags/level/values/").status, 302);
  auto log = Items(Json(Get("/_sim/log?route=project_issues")));
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(Str(log.back(), "decision"), "resource-moved");

  // New slug and id work; cached issue rows show the new slug and short-id prefix.
  auto after = Items(Json(Get("/api/0/projects/acme/zz-renamed/issues/?query=")));
  ASSERT_EQ(after.size(), before.size());
  EXPECT_EQ(Str(*after[0].Find("project"), "slug"), "zz-renamed");
  EXPECT_EQ(Str(after[0], "shortId").rfind("ZZ-RENAMED-", 0), 0u) << Str(after[0], "shortId") << " was " << old_prefix;
  EXPECT_EQ(Get("/api/0/projects/acme/" + id + "/issues/").status, 200);
  auto listed = Items(Json(Get(Org() + "projects/")));
  EXPECT_EQ(Str(listed.back(), "slug"), "zz-renamed");  // the org project list stays ordered by slug

  // Renaming again without a redirect: that old slug is simply gone.
  ASSERT_EQ(Post("/_sim/projects/zz-renamed/rename", R"({"slug":"yy","redirect":false})").status, 200);
  EXPECT_EQ(Get("/api/0/projects/acme/zz-renamed/issues/").status, 404);
  EXPECT_EQ(Get("/api/0/projects/acme/" + old_slug + "/issues/").status, 302);  // the first one still redirects
}

TEST_F(Rename, BadInput) {
  auto projects = Items(Json(Get(Org() + "projects/")));
  std::string a = Str(projects[0], "slug"), b = Str(projects[1], "slug");
  EXPECT_EQ(Post("/_sim/projects/" + a + "/rename", R"({"slug":"Bad Slug"})").body,
            R"({"error":"slug: required, 1-50 characters of [a-z0-9_-]"})");
  EXPECT_EQ(Post("/_sim/projects/" + a + "/rename", "{}").status, 400);
  EXPECT_EQ(Post("/_sim/projects/" + a + "/rename", R"({"slug":")" + b + "\"}").body,
            R"({"error":"slug: ')" + b + R"(' is already used by another project"})");
  EXPECT_EQ(Post("/_sim/projects/nope/rename", R"({"slug":"x"})").body,
            R"({"error":"project: unknown project 'nope'"})");
  EXPECT_EQ(Post("/_sim/projects/" + a + "/move", R"({"slug":"x"})").body,
            R"({"error":"path: expected /_sim/projects/{project}/rename"})");
}

class RenderCache : public SimTest {};

TEST_F(RenderCache, MutationsAreVisibleOnTheNextPage) {
  std::string page = Org() + "issues/?query=&limit=100";
  auto first = Items(Json(Get(page)));
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(Get(page).body, Get(page).body);  // served twice from the cache: identical bytes
  std::string target;
  for (const auto& is : first)
    if (Str(is, "status") == "unresolved") target = Str(is, "id");
  ASSERT_FALSE(target.empty());
  ASSERT_EQ(Post("/_sim/issues/" + target + "/resolve", R"({"resolution_type":"in_next_release"})").status, 200);
  bool seen = false;
  for (const auto& is : Items(Json(Get(page)))) {
    if (Str(is, "id") != target) continue;
    seen = true;
    EXPECT_EQ(Str(is, "status"), "resolved");
    EXPECT_TRUE(is.Find("statusDetails")->Find("inNextRelease")->AsBool());
  }
  EXPECT_TRUE(seen);
}

TEST(RenderCacheBytes, CachedAndUncachedPagesAreIdentical) {
  SimulatorOptions cached;
  cached.generator.projects = 5;
  cached.generator.issues_per_project = 100;
  cached.generator.members = 30;
  cached.generator.teams = 6;
  cached.rate_limits.enabled = false;
  cached.render_cache_mb = 1;  // smaller than two fingerprints' rows: evictions happen during the test
  SimulatorOptions uncached = cached;
  uncached.render_cache_mb = 0;
  Simulator a(cached), b(uncached);
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  net::HttpClient client;
  std::string link;
  auto body = [&](Simulator& s, const std::string& path) {
    net::ClientRequest r;
    r.url = s.base_url() + path;
    r.headers = {{"Authorization", "Bearer " + s.token()}};
    auto res = client.Send(r);
    EXPECT_TRUE(res.ok() && res->status == 200) << path;
    link = res.ok() && res->Header("link") ? *res->Header("link") : "";
    return res.ok() ? res->body : std::string();
  };
  const std::vector<std::string> pages = {
      "/api/0/organizations/acme/issues/?query=&limit=100",
      "/api/0/organizations/acme/issues/?query=&limit=100&collapse=stats&collapse=lifetime",
      "/api/0/organizations/acme/issues/?query=&expand=inbox&expand=owners&groupStatsPeriod=14d",
      "/api/0/organizations/acme/issues/?statsPeriod=30d&sort=freq&limit=50",
  };
  // Whole sweeps, twice: each fingerprint's rows outgrow the 1 MB cache, so rows are stored, evicted and
  // rendered again; every page must match the uncached simulator byte for byte.
  int compared = 0;
  for (int round = 0; round < 2; ++round) {
    for (const auto& p : pages) {
      std::string cursor;
      for (int n = 0; n < 20; ++n) {
        std::string path = p + (cursor.empty() ? "" : "&cursor=" + cursor);
        std::string x = body(a, path);
        auto links = ParseLink(link);
        EXPECT_FALSE(x.empty());
        EXPECT_EQ(x, body(b, path)) << path << " round " << round;
        ++compared;
        if (links.size() < 2 || links[1].results != "true") break;
        cursor = links[1].cursor;
      }
    }
  }
  EXPECT_GT(compared, 16);
  auto projects = json::Parse(body(a, "/api/0/organizations/acme/projects/"));
  ASSERT_TRUE(projects.ok());
  std::string project = "/api/0/projects/acme/" + std::string((*projects)[0].Find("slug")->AsString()) +
                        "/issues/?query=&statsPeriod=14d";
  EXPECT_EQ(body(a, project), body(b, project));
  EXPECT_EQ(body(a, project), body(b, project));
  a.Stop();
  b.Stop();
}

class Delivery : public SimTest {
 protected:
  void Configure(SimulatorOptions& o) override { o.webhook_url = receiver_.url(); }
  Receiver receiver_;
};

TEST_F(Delivery, DelayedWebhooksCanArriveOutOfOrder) {
  std::string id = Str(Json(Get(Org() + "issues/"))[0], "id");
  // In order by default.
  Post("/_sim/issues/" + id + "/comments", R"({"text":"one"})");
  Post("/_sim/issues/" + id + "/resolve?wait=1", "{}");
  auto in_order = receiver_.requests();
  ASSERT_EQ(in_order.size(), 2u);
  EXPECT_EQ(*in_order[0].Header("Sentry-Hook-Resource"), "comment");
  EXPECT_EQ(*in_order[1].Header("Sentry-Hook-Resource"), "issue");
  receiver_.clear();

  // Delayed and reordered: both changes fall inside the delay, the newest is delivered first.
  ASSERT_EQ(Post("/_sim/config", R"({"webhook_delay_ms": 1500, "webhook_reorder": true})").status, 200);
  Post("/_sim/issues/" + id + "/comments", R"({"text":"two"})");
  Post("/_sim/issues/" + id + "/unresolve", "{}");  // no webhook (feature flag off): nothing queued
  Post("/_sim/issues/" + id + "/resolve", "{}");
  sim_->FlushWebhooks(10000);
  auto reordered = receiver_.requests();
  ASSERT_EQ(reordered.size(), 2u);
  EXPECT_EQ(*reordered[0].Header("Sentry-Hook-Resource"), "issue");
  EXPECT_EQ(*reordered[1].Header("Sentry-Hook-Resource"), "comment");
  receiver_.clear();
  ASSERT_EQ(Post("/_sim/config", R"({"webhook_delay_ms": 0, "webhook_reorder": false})").status, 200);

  // issue.created goes out for error issues only, unless organizations:expanded-sentry-apps-webhooks is on.
  Post("/_sim/issues?wait=1", R"({"kind":"performance"})");
  EXPECT_TRUE(receiver_.requests().empty());
  ASSERT_EQ(Post("/_sim/config", R"({"expanded_webhooks": true})").status, 200);
  Post("/_sim/issues?wait=1", R"({"kind":"performance"})");
  auto created = receiver_.requests();
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].body.rfind(R"({"action":"created",)", 0), 0u);
  EXPECT_NE(created[0].body.find(R"("issueCategory":"performance")"), std::string::npos);

  // Redirects are not followed (§5.5): one attempt, recorded with the 302.
  receiver_.clear();
  receiver_.set_status(302);
  receiver_.set_location(receiver_.url() + "/moved");
  Post("/_sim/reset-stats", "");
  Post("/_sim/issues/" + id + "/resolve?wait=1", "{}");
  auto redirected = receiver_.requests();
  ASSERT_EQ(redirected.size(), 1u);
  EXPECT_EQ(redirected[0].path, "/hook");
  auto attempts = Json(Get("/_sim/webhooks"));
  ASSERT_EQ(attempts.Size(), 1u);
  EXPECT_EQ(attempts[0].Find("status")->AsNumber(), 302);

  EXPECT_EQ(Post("/_sim/config", R"({"webhook_delay_ms": -1})").body,
            R"({"error":"webhook_delay_ms: must be between 0 and 60000"})");
}

}  // namespace
}  // namespace sp::sentry_sim::testing

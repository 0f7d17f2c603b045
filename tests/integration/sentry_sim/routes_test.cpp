// Route shapes and Sentry's defaults, over loopback HTTP (sentry-api.md §2, §3, §7.1, §7.3, §7.6).
#include <set>

#include "sim_fixture.hpp"

namespace sp::sentry_sim::testing {
namespace {

class Routes : public SimTest {};

TEST_F(Routes, OrganizationHasRegionLinks) {
  auto r = Get(Org());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(*r.Header("content-type"), "application/json");
  auto v = Json(r);
  EXPECT_EQ(Str(*v.Find("links"), "regionUrl"), "https://us.sentry.io");
  EXPECT_EQ(Str(*v.Find("links"), "organizationUrl"), "https://acme.sentry.io");
  EXPECT_TRUE(v.Find("projects"));
  EXPECT_FALSE(Json(Get(Org() + "?detailed=0")).Find("projects"));
  // The org id works in place of the slug.
  EXPECT_EQ(Get("/api/0/organizations/" + Str(v, "id") + "/").status, 200);
  // No trailing slash: Django's redirect.
  auto noslash = Get("/api/0/organizations/acme");
  EXPECT_EQ(noslash.status, 301);
  EXPECT_EQ(*noslash.Header("location"), "/api/0/organizations/acme/");
  EXPECT_EQ(Get("/api/0/nothing/here/").status, 404);
}

TEST_F(Routes, OrgIssuesDefaultToUnresolvedIn90Days) {
  auto r = Get(Org() + "issues/");
  ASSERT_EQ(r.status, 200);
  auto v = Json(r);
  ASSERT_GT(v.Size(), 0u);
  Micros cutoff = DefaultNow() - 90 * MICROS_PER_DAY;
  for (const auto& issue : v.Items()) {
    EXPECT_EQ(Str(issue, "status"), "unresolved");  // query absent => is:unresolved
    EXPECT_GE(*ParseIso(Str(issue, "lastSeen")), cutoff);
    EXPECT_TRUE(issue.Find("count")->IsString());
    EXPECT_TRUE(issue.Find("userCount")->IsNumber());
    EXPECT_TRUE(issue.Find("lifetime")->IsObject());
  }
  ASSERT_TRUE(r.Header("x-hits"));
  // query= (empty) returns every status.
  std::set<std::string> statuses;
  for (const auto& issue : Items(Json(Get(Org() + "issues/?query=")))) statuses.insert(Str(issue, "status"));
  EXPECT_TRUE(statuses.count("resolved"));
  EXPECT_TRUE(statuses.count("ignored"));
  EXPECT_GT(std::stoi(*Get(Org() + "issues/?query=").Header("x-hits")), std::stoi(*r.Header("x-hits")));
}

TEST_F(Routes, OrgIssuesLimitIsClampedAndPerPageIgnored) {
  EXPECT_LE(Json(Get(Org() + "issues/?query=&limit=500")).Size(), 100u);
  EXPECT_EQ(Json(Get(Org() + "issues/?query=&per_page=3")).Size(), Json(Get(Org() + "issues/?query=")).Size());
  EXPECT_EQ(Json(Get(Org() + "issues/?query=&limit=3")).Size(), 3u);
  EXPECT_EQ(Get(Org() + "issues/?limit=abc").status, 400);
}

TEST_F(Routes, OrgIssuesPaginationSweepsEveryMatchOnce) {
  std::set<std::string> ids;
  std::string cursor;
  int pages = 0;
  size_t expected = std::stoul(*Get(Org() + "issues/?query=&project=-1").Header("x-hits"));
  for (std::string sort : {"date", "new"}) {
    ids.clear();
    cursor.clear();
    pages = 0;
    while (true) {
      auto r =
          Get(Org() + "issues/?query=&project=-1&limit=37&sort=" + sort + (cursor.empty() ? "" : "&cursor=" + cursor));
      ASSERT_EQ(r.status, 200);
      for (const auto& issue : Items(Json(r))) EXPECT_TRUE(ids.insert(Str(issue, "id")).second) << "duplicate";
      auto links = ParseLink(*r.Header("link"));
      ASSERT_EQ(links.size(), 2u);
      EXPECT_EQ(links[0].rel, "previous");
      EXPECT_EQ(links[1].rel, "next");
      EXPECT_TRUE(IsMsCursor(links[1].cursor)) << links[1].cursor;
      if (pages == 0) {
        EXPECT_EQ(links[0].results, "false");
      }
      ++pages;
      if (links[1].results != "true") break;
      cursor = links[1].cursor;
      ASSERT_LT(pages, 100);
    }
    EXPECT_EQ(ids.size(), expected) << sort;
  }
}

TEST_F(Routes, OrgIssuesWindowAndFilters) {
  size_t d90 = std::stoul(*Get(Org() + "issues/?query=").Header("x-hits"));
  size_t d1 = std::stoul(*Get(Org() + "issues/?query=&statsPeriod=1d").Header("x-hits"));
  EXPECT_LT(d1, d90);
  // Retention (90 days) caps a longer window.
  EXPECT_EQ(std::stoul(*Get(Org() + "issues/?query=&statsPeriod=400d").Header("x-hits")), d90);
  for (const auto& i : Items(Json(Get(Org() + "issues/?query=level:warning%20is:resolved")))) {
    EXPECT_EQ(Str(i, "level"), "warning");
    EXPECT_EQ(Str(i, "status"), "resolved");
  }
  for (const auto& i : Items(Json(Get(Org() + "issues/?query=!level:error")))) EXPECT_NE(Str(i, "level"), "error");
  auto v = Json(Get(Org() + "projects/"));
  std::string pid = Str(v[0], "id");
  for (const auto& i : Items(Json(Get(Org() + "issues/?query=&project=" + pid))))
    EXPECT_EQ(Str(*i.Find("project"), "id"), pid);
  size_t with_env = std::stoul(*Get(Org() + "issues/?query=&environment=production").Header("x-hits"));
  EXPECT_LT(with_env, d90);
  EXPECT_GT(with_env, 0u);
  auto bad = Get(Org() + "issues/?query=bogus:1");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, R"({"detail":"Error parsing search query: Invalid key for this search: bogus"})");
  EXPECT_EQ(Get(Org() + "issues/?project=abc").body,
            R"({"detail":"Invalid project parameter. Values must be numbers."})");
  EXPECT_EQ(Get(Org() + "issues/?groupStatsPeriod=90d").body,
            R"({"detail":"Invalid stats_period. Valid choices are '', '24h', '14d' and 'auto'"})");
  EXPECT_EQ(Get(Org() + "issues/?cursor=nope").body, R"({"detail":"Invalid cursor parameter."})");
}

TEST_F(Routes, CollapseStatsTrapDropsSeenStats) {
  auto v = Json(Get(Org() + "issues/?query=&collapse=stats"));
  ASSERT_GT(v.Size(), 0u);
  EXPECT_FALSE(v[0].Find("count"));
  EXPECT_FALSE(v[0].Find("lastSeen"));
  EXPECT_FALSE(v[0].Find("stats"));
  EXPECT_TRUE(v[0].Find("lifetime"));
  auto no_spark = Json(Get(Org() + "issues/?query=&groupStatsPeriod="));
  EXPECT_TRUE(no_spark[0].Find("count"));
  EXPECT_FALSE(no_spark[0].Find("stats"));
  auto base = Json(Get(Org() + "issues/?query=&collapse=base&collapse=lifetime"));
  EXPECT_FALSE(base[0].Find("title"));
  EXPECT_FALSE(base[0].Find("lifetime"));
  EXPECT_TRUE(base[0].Find("lastSeen"));
}

TEST_F(Routes, ProjectIssuesValidateStatsPeriodAndDefaultToUnresolved) {
  std::string slug = Str(Json(Get(Org() + "projects/"))[0], "slug");
  std::string base = "/api/0/projects/acme/" + slug + "/issues/";
  auto r = Get(base);
  ASSERT_EQ(r.status, 200);
  for (const auto& i : Items(Json(r))) EXPECT_EQ(Str(i, "status"), "unresolved");
  auto bad = Get(base + "?statsPeriod=90d");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, R"({"detail":"Invalid stats_period. Valid choices are '', '24h', and '14d'"})");
  EXPECT_EQ(Get(base + "?statsPeriod=14d").status, 200);
  EXPECT_EQ(Get("/api/0/projects/acme/no-such-project/issues/").status, 404);
  // Project route: retention window only, so it sees issues the org route's default 90 d... equal here.
  auto first = Json(r)[0];
  EXPECT_FALSE(first.Find("lifetime"));
  EXPECT_TRUE(first.Find("stats")->Find("24h"));
}

TEST_F(Routes, IssueDetail) {
  std::string id = Str(Json(Get(Org() + "issues/?query="))[0], "id");
  auto v = Json(Get(Org() + "issues/" + id + "/"));
  EXPECT_EQ(Str(v, "id"), id);
  EXPECT_TRUE(v.Find("tags")->IsArray());
  EXPECT_TRUE(v.Find("stats")->Find("30d"));
  EXPECT_EQ(Get(Org() + "groups/" + id + "/").status, 200);
  EXPECT_EQ(Get(Org() + "issues/1/").status, 404);
}

TEST_F(Routes, TagValues) {
  auto projects = Json(Get(Org() + "projects/"));
  int ok = 0, missing = 0;
  for (const auto& p : projects.Items()) {
    auto r = Get("/api/0/projects/acme/" + Str(p, "slug") + "/tags/environment/values/");
    if (r.status == 404) {
      ++missing;
      EXPECT_EQ(r.body, R"({"detail":"The requested resource does not exist"})");
      continue;
    }
    ASSERT_EQ(r.status, 200);
    ++ok;
    auto v = Json(r);
    for (size_t k = 1; k < v.Size(); ++k)
      EXPECT_GE(*ParseIso(Str(v[k - 1], "lastSeen")), *ParseIso(Str(v[k], "lastSeen")));  // -last_seen
    EXPECT_EQ(Str(v[0], "key"), "environment");
    EXPECT_TRUE(v[0].Find("count")->IsNumber());
  }
  EXPECT_GT(ok, 0);
  std::string slug = Str(projects[0], "slug");
  EXPECT_EQ(Get("/api/0/projects/acme/" + slug + "/tags/no_such_key/values/").status, 404);
  EXPECT_EQ(Get("/api/0/projects/acme/" + slug + "/tags/level/values/?per_page=101").body,
            R"({"detail":"Invalid per_page value. Must be between 1 and 100."})");
  // Issue tag values: some issues lack environment (404), default order is -id.
  auto issues = Json(Get(Org() + "issues/?query="));
  int with = 0, without = 0;
  for (const auto& i : issues.Items()) {
    auto r = Get(Org() + "issues/" + Str(i, "id") + "/tags/environment/values/");
    (r.status == 200 ? with : without)++;
    if (r.status != 200) {
      EXPECT_EQ(r.status, 404);
    }
  }
  EXPECT_GT(with, 0);
  EXPECT_GT(without, 0);
  auto lv = Get(Org() + "issues/" + Str(issues[0], "id") + "/tags/level/values/?sort=count");
  EXPECT_EQ(lv.status, 200);
  EXPECT_EQ(Json(lv).Size(), 1u);
}

TEST_F(Routes, MembersTeamsAndTeamMembers) {
  // Members: offset cursors, pending invites without `user`, `?&cursor=` when no other params.
  std::set<std::string> ids;
  bool pending_seen = false;
  std::string cursor;
  for (int page = 0; page < 20; ++page) {
    auto r = Get(Org() + "members/?per_page=7" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200);
    for (const auto& m : Items(Json(r))) {
      ids.insert(Str(m, "id"));
      if (m.Find("pending")->AsBool()) {
        pending_seen = true;
        EXPECT_FALSE(m.Find("user"));
        EXPECT_EQ(Str(m, "inviteStatus"), "pending");
      } else {
        EXPECT_TRUE(m.Find("user")->IsObject());
      }
    }
    auto links = ParseLink(*r.Header("link"));
    if (page == 0) {
      EXPECT_EQ(links[0].cursor, "7:-1:1");
      EXPECT_EQ(links[0].results, "false");
      EXPECT_EQ(links[1].cursor, "7:1:0");
    }
    if (links[1].results != "true") break;
    cursor = links[1].cursor;
  }
  EXPECT_EQ(ids.size(), 30u);
  EXPECT_TRUE(pending_seen);
  auto bare = Get(Org() + "members/");
  EXPECT_NE(bare.Header("link")->find("/members/?&cursor=100:1:0>"), std::string::npos) << *bare.Header("link");
  EXPECT_EQ(Get(Org() + "members/?per_page=0").status, 400);
  EXPECT_EQ(Get(Org() + "members/?per_page=x").body, R"({"detail":"Invalid per_page parameter."})");
  EXPECT_EQ(Json(Get(Org() + "members/?query=bogus:1")).Size(), 0u);

  auto teams = Json(Get(Org() + "teams/"));
  ASSERT_EQ(teams.Size(), 6u);
  EXPECT_TRUE(teams[0].Find("projects")->IsArray());
  EXPECT_TRUE(teams[0].Find("memberCount")->IsNumber());
  EXPECT_FALSE(Json(Get(Org() + "teams/?detailed=0"))[0].Find("projects"));
  for (const auto& t : teams.Items()) {
    auto r = Get("/api/0/teams/acme/" + Str(t, "slug") + "/members/");
    ASSERT_EQ(r.status, 200);
    auto members = Json(r);
    EXPECT_EQ(static_cast<double>(members.Size()), t.Find("memberCount")->AsNumber());
    for (const auto& m : members.Items()) {
      EXPECT_FALSE(m.Find("pending")->AsBool());
      EXPECT_EQ(Str(m, "teamSlug"), Str(t, "slug"));
      EXPECT_TRUE(m.Find("teamRole"));
    }
  }
  EXPECT_EQ(Get("/api/0/teams/acme/no-team/members/").status, 404);
}

TEST_F(Routes, ProjectsListsAndApps) {
  auto r = Get(Org() + "projects/?per_page=2");
  EXPECT_EQ(Json(r).Size(), 2u);
  auto all = Get(Org() + "projects/?all_projects=1");
  EXPECT_EQ(Json(all).Size(), 5u);
  EXPECT_FALSE(all.Header("link"));
  auto v = Json(all);
  for (size_t k = 1; k < v.Size(); ++k) EXPECT_LT(Str(v[k - 1], "slug"), Str(v[k], "slug"));
  EXPECT_FALSE(v[0].Find("organization"));
  EXPECT_EQ(Json(Get(Org() + "projects/?query=bogus:x")).Size(), 0u);
  EXPECT_EQ(Json(Get(Org() + "projects/?query=slug:" + Str(v[1], "slug"))).Size(), 1u);
  EXPECT_EQ(
      Get(Org() + "projects/?statsPeriod=2d").body,
      R"({"error":{"params":{"stats_period":{"message":"Invalid stats_period. Valid choices are '', '1h', '24h', '7d', '14d', '30d', and '90d'"}}}})");
  // Org-less list: organization embedded, DateTimePaginator cursors.
  std::set<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto p = Get("/api/0/projects/?per_page=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& item : Items(Json(p))) {
      seen.insert(Str(item, "slug"));
      EXPECT_EQ(Str(*item.Find("organization")->Find("links"), "regionUrl"), "https://us.sentry.io");
    }
    auto links = ParseLink(*p.Header("link"));
    if (links[1].results != "true") break;
    EXPECT_TRUE(IsMsCursor(links[1].cursor) && links[1].cursor.back() == '0') << links[1].cursor;
    cursor = links[1].cursor;
  }
  EXPECT_EQ(seen.size(), 5u);
  auto apps = Json(Get(Org() + "sentry-apps/"));
  ASSERT_EQ(apps.Size(), 1u);
  EXPECT_EQ(Str(apps[0], "clientSecret").substr(0, 4), "****");
  EXPECT_EQ(apps[0].Find("events")->Items()[0].AsString(), "issue");  // resource names, not issue.created
  auto installs = Json(Get(Org() + "sentry-app-installations/"));
  EXPECT_EQ(Str(installs[0], "uuid"), sim_->installation_uuid());
}

class ForeignLinkHost : public SimTest {
  void Configure(SimulatorOptions& o) override {
    o.link_host = "https://sentry.example.invalid";
    o.post_filter_drop = 0.5;
  }
};

TEST_F(ForeignLinkHost, LinksUseTheUrlPrefixAndShortPagesKeepResultsTrue) {
  auto r = Get(Org() + "issues/?query=&limit=10");
  auto links = ParseLink(*r.Header("link"));
  EXPECT_EQ(
      links[1].url.rfind("https://sentry.example.invalid/api/0/organizations/acme/issues/?query=&limit=10&cursor=", 0),
      0u)
      << links[1].url;
  // Follow the cursor attribute on our own base URL: pages are short (rows dropped after pagination) yet
  // results="true" until the end.
  size_t total = 0, short_pages = 0;
  std::string cursor;
  for (int page = 0; page < 200; ++page) {
    auto p = Get(Org() + "issues/?query=&limit=10" + (cursor.empty() ? "" : "&cursor=" + cursor));
    size_t n = Json(p).Size();
    total += n;
    auto l = ParseLink(*p.Header("link"));
    if (l[1].results != "true") break;
    if (n < 10) ++short_pages;
    cursor = l[1].cursor;
  }
  EXPECT_GT(short_pages, 0u);
  EXPECT_GT(total, 0u);
}

TEST(Determinism, SameSeedSameBytes) {
  auto bytes = [](uint64_t seed) {
    SimulatorOptions o;
    o.generator.seed = seed;
    Simulator sim(o);
    std::string all;
    for (const char* path : {"/api/0/organizations/acme/issues/?query=", "/api/0/organizations/acme/members/",
                             "/api/0/organizations/acme/teams/", "/api/0/organizations/acme/projects/"}) {
      net::HttpRequest req;
      req.method = "GET";
      std::string target = path;
      req.target = target;
      req.path = target.substr(0, target.find('?'));
      req.query = target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
      req.headers = {{"Authorization", "Bearer " + sim.token()}};
      req.remote_address = "127.0.0.1:1";
      all += sim.Handle(req).body;
    }
    return all;
  };
  std::string a = bytes(1), b = bytes(1), c = bytes(2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_GT(a.size(), 10000u);
}

}  // namespace
}  // namespace sp::sentry_sim::testing

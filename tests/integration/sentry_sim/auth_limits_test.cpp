// Auth (sentry-api.md §1.3, §1.4, §7.2) and rate limits (§4, §7.4) over loopback HTTP.
#include <future>
#include <thread>

#include "sim_fixture.hpp"

namespace sp::sentry_sim::testing {
namespace {

class Auth : public SimTest {
  void Configure(SimulatorOptions& o) override {
    auto add = [&](const std::string& spec) {
      std::string err;
      auto t = ParseTokenSpec(spec, &err);
      ASSERT_TRUE(t) << err;
      o.extra_tokens.push_back(*t);
    };
    add("other-org,org=globex,label=other");
    add("user-scoped,type=user,org=globex,label=user-globex");
    add("user-acme,type=user,org=acme,teams=payments,label=user-acme");
    add("user-any,type=user,teams=payments,label=user-any");
    add("orgtok,type=org,label=ci");
    add("sso,type=user,org=acme,sso,label=sso");
  }
};

TEST_F(Auth, UnauthenticatedBodies) {
  net::ClientRequest r;
  r.url = Org();
  auto none = Raw(r);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body, R"({"detail":"Authentication credentials were not provided."})");
  r.headers = {{"Authorization", "Bearer nope"}};
  EXPECT_EQ(Raw(r).body, R"({"detail":"Invalid token"})");
  r.headers = {{"Authorization", "Bearer a b"}};
  EXPECT_EQ(Raw(r).body, R"({"detail":"Invalid token header. Token string should not contain spaces."})");
  std::string sso = "sso";
  auto s = Get(Org(), &sso);
  EXPECT_EQ(s.status, 401);
  EXPECT_NE(s.body.find(R"({"detail":{"code":"sso-required")"), std::string::npos);
}

TEST_F(Auth, OtherOrgsAre404NeverForbidden) {
  EXPECT_EQ(Get("/api/0/organizations/globex/").status, 404);
  std::string other = "other-org";
  auto r = Get(Org() + "issues/", &other);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"detail":"The requested resource does not exist"})");
  std::string scoped = "user-scoped";
  auto u = Get(Org(), &scoped);
  EXPECT_EQ(u.status, 401);
  EXPECT_EQ(u.body, R"({"detail":"Unauthorized organization access."})");
  std::string acme = "user-acme";
  EXPECT_EQ(Get("/api/0/projects/", &acme).body,
            R"({"detail":"This token access is limited to organization endpoints."})");
}

TEST_F(Auth, ScopeTable) {
  struct Case {
    std::string path;
    std::string scope;
  };
  std::string issue = Str(Json(Get(Org() + "issues/?query="))[0], "id");
  std::string project = Str(Json(Get(Org() + "projects/"))[0], "slug");
  std::string team = Str(Json(Get(Org() + "teams/"))[0], "slug");
  std::vector<Case> cases = {{Org(), "org:read"},
                             {Org() + "projects/", "org:read"},
                             {"/api/0/projects/", "project:read"},
                             {Org() + "issues/", "event:read"},
                             {"/api/0/projects/acme/" + project + "/issues/", "event:read"},
                             {Org() + "issues/" + issue + "/", "event:read"},
                             {"/api/0/projects/acme/" + project + "/tags/level/values/", "project:read"},
                             {Org() + "issues/" + issue + "/tags/level/values/", "event:read"},
                             {Org() + "members/", "member:read"},
                             {Org() + "teams/", "org:read"},  // not team:read
                             {"/api/0/teams/acme/" + team + "/members/", "team:read"},
                             {Org() + "sentry-apps/", "org:read"}};
  std::set<std::string> all = AllReadScopes();
  int n = 0;
  for (const auto& c : cases) {
    std::string without = "without-" + std::to_string(n), with_write = "write-" + std::to_string(n++);
    std::string scopes, write_scopes;
    for (const auto& s : all) {
      if (s == c.scope) continue;
      scopes += "\"" + s + "\",";
    }
    scopes.pop_back();
    write_scopes = scopes + ",\"" + c.scope.substr(0, c.scope.find(':')) + ":write\"";
    ASSERT_EQ(Post("/_sim/tokens", R"({"token":")" + without + R"(","scopes":[)" + scopes + "]}").status, 201);
    ASSERT_EQ(Post("/_sim/tokens", R"({"token":")" + with_write + R"(","scopes":[)" + write_scopes + "]}").status, 201);
    auto denied = Get(c.path, &without);
    EXPECT_EQ(denied.status, 403) << c.path;
    EXPECT_EQ(denied.body, R"({"detail":"You do not have permission to perform this action."})");
    EXPECT_EQ(Get(c.path, &with_write).status, 200) << c.path << " with write scope";
  }
  std::string ci = "orgtok";
  EXPECT_EQ(Get(Org() + "issues/", &ci).status, 403);
}

TEST_F(Auth, UserTokenSeesMemberProjectsUnlessProjectIsMinusOne) {
  std::string user = "user-any";
  size_t member = std::stoul(*Get(Org() + "issues/?query=", &user).Header("x-hits"));
  size_t all = std::stoul(*Get(Org() + "issues/?query=&project=-1", &user).Header("x-hits"));
  size_t integration = std::stoul(*Get(Org() + "issues/?query=").Header("x-hits"));
  EXPECT_LT(member, all);
  EXPECT_EQ(all, integration);
  // Revocation mid-run: the next call is a 401.
  ASSERT_EQ(Post("/_sim/tokens/revoke", R"({"token":"user-any"})").status, 200);
  EXPECT_EQ(Get(Org(), &user).status, 401);
}

class Limits : public SimTest {
  void Configure(SimulatorOptions& o) override { o.rate_limits.budget_multiplier = 1; }
};

TEST_F(Limits, FixedWindow429AndReset) {
  std::string base = "/api/0/projects/acme/" + Str(Json(Get(Org() + "projects/"))[0], "slug") + "/issues/";
  for (int i = 1; i <= 5; ++i) {
    auto r = Get(base);
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(*r.Header("x-sentry-rate-limit-limit"), "5");
    EXPECT_EQ(*r.Header("x-sentry-rate-limit-remaining"), std::to_string(5 - i));
    EXPECT_EQ(*r.Header("x-sentry-rate-limit-concurrentlimit"), "None");
    EXPECT_EQ(*r.Header("x-sentry-rate-limit-concurrentremaining"), "None");
  }
  auto limited = Get(base);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(*limited.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(limited.body,
            R"({"detail":"You are attempting to use this endpoint too frequently. Limit is 5 requests in 1 seconds"})");
  EXPECT_FALSE(limited.Header("retry-after"));
  EXPECT_EQ(*limited.Header("x-sentry-rate-limit-remaining"), "0");
  int64_t reset = std::stoll(*limited.Header("x-sentry-rate-limit-reset"));
  auto stats = Json(Get("/_sim/stats"));
  EXPECT_EQ(stats.Find("rate_limited_total")->AsNumber(), 1);
  // Other endpoints have their own buckets; the default bucket is shared.
  EXPECT_EQ(Get(Org() + "members/").status, 200);
  auto teams = Get(Org() + "teams/");
  EXPECT_EQ(*teams.Header("x-sentry-rate-limit-limit"), "40");
  EXPECT_EQ(*teams.Header("x-sentry-rate-limit-concurrentlimit"), "25");
  EXPECT_EQ(*Get(Org() + "projects/").Header("x-sentry-rate-limit-remaining"), "37");
  // Move the simulator clock past the window end: the bucket resets.
  ASSERT_EQ(Post("/_sim/clock", R"({"advance_ms": 1000})").status, 200);
  auto after = Get(base);
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(std::stoll(*after.Header("x-sentry-rate-limit-reset")), reset + 1);
  // The edge-proxy switch adds Retry-After.
  Post("/_sim/config", R"({"retry_after": true})");
  for (int i = 0; i < 5; ++i) Get(base);
  EXPECT_TRUE(Get(base).Header("retry-after"));
}

TEST_F(Limits, ConcurrencyCountedAndEnforced) {
  std::string issue = Str(Json(Get(Org() + "issues/?query="))[0], "id");
  std::string path = Org() + "issues/" + issue + "/tags/level/values/";
  // Every response is held for 1.5 s (fixed latency), so parallel calls overlap.
  ASSERT_EQ(
      Post("/_sim/config", R"({"latency_scale":1,"latency":{"issue_tag_values":{"p50":1500,"p99":1500}}})").status,
      200);
  auto burst = [&](int n) {
    std::vector<std::future<int>> futures;
    for (int i = 0; i < n; ++i) futures.push_back(std::async(std::launch::async, [&] { return Get(path).status; }));
    std::vector<int> statuses;
    for (auto& f : futures) statuses.push_back(f.get());
    return statuses;
  };
  auto report_only = burst(8);
  for (int s : report_only) EXPECT_EQ(s, 200);
  auto stats = Json(Get("/_sim/stats"));
  double max_in_flight = 0;
  for (const auto& m : stats.Find("max_in_flight")->Members())
    if (m.key.AsString().find("issue_tag_values") != std::string_view::npos) max_in_flight = m.value.AsNumber();
  EXPECT_GT(max_in_flight, 5);
  Post("/_sim/reset-rate-limits", "");
  Post("/_sim/config", R"({"enforce_concurrency": true})");
  auto enforced = burst(8);
  int rejected = 0;
  for (int s : enforced) rejected += s == 429;
  EXPECT_GT(rejected, 0);
  auto log = Json(Get("/_sim/log?route=issue_tag_values"));
  bool concurrency_decision = false;
  for (const auto& e : log.Items()) concurrency_decision |= Str(e, "decision") == "rate-limited:concurrency";
  EXPECT_TRUE(concurrency_decision);
}

class SelfHosted : public SimTest {
  void Configure(SimulatorOptions& o) override { o.rate_limits.enabled = false; }
};

TEST_F(SelfHosted, NoHeadersNoLimits) {
  std::string base = "/api/0/projects/acme/" + Str(Json(Get(Org() + "projects/"))[0], "slug") + "/issues/";
  for (int i = 0; i < 20; ++i) {
    auto r = Get(base);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.Header("x-sentry-rate-limit-limit"));
  }
}

class Budget : public SimTest {
  void Configure(SimulatorOptions& o) override { o.rate_limits.budget_multiplier = 4; }
};

TEST_F(Budget, MultiplierScalesLimits) {
  EXPECT_EQ(*Get(Org() + "issues/").Header("x-sentry-rate-limit-limit"), "40");
}

}  // namespace
}  // namespace sp::sentry_sim::testing

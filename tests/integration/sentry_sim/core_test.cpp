// Unit tests of the simulator's pure parts: formats, generator, cursors, queries, rate limits, auth, faults,
// and the webhook encoder + signature against the test vectors of sentry-api.md §5.2.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth.hpp"
#include "faults.hpp"
#include "generator.hpp"
#include "issue_text.hpp"
#include "json_out.hpp"
#include "pagination.hpp"
#include "query.hpp"
#include "rate_limits.hpp"
#include "signature.hpp"
#include "sim_util.hpp"
#include "tags.hpp"

namespace sp::sentry_sim {
namespace {

std::string FindHeaderValue(const net::Headers& h, const std::string& name) {
  for (const auto& [k, v] : h)
    if (k == name) return v;
  return "<absent>";
}

TEST(SimUtil, IsoFormsFollowDrfAndPython) {
  Micros t = *ParseIso("2021-07-06T21:13:01.120263Z");
  EXPECT_EQ(FormatIso(t), "2021-07-06T21:13:01.120263Z");
  Micros whole = *ParseIso("2019-04-06T02:00:21Z");
  EXPECT_EQ(FormatIso(whole), "2019-04-06T02:00:21Z");
  EXPECT_EQ(FormatIso(whole, IsoStyle::FIXED_MICROS), "2019-04-06T02:00:21.000000Z");
  EXPECT_EQ(FormatIso(t, IsoStyle::PY_ISOFORMAT), "2021-07-06T21:13:01.120263+00:00");
  EXPECT_EQ(FormatIso(whole, IsoStyle::PY_ISOFORMAT), "2019-04-06T02:00:21+00:00");
  EXPECT_EQ(*ParseIso("2026-01-20T13:00:00.5+00:00") - *ParseIso("2026-01-20T13:00:00Z"), 500000);
  EXPECT_FALSE(ParseIso("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseIso("yesterday"));
  EXPECT_EQ(*ParsePeriod("90d"), 90 * MICROS_PER_DAY);
  EXPECT_EQ(*ParsePeriod("24h"), 86400 * MICROS_PER_SECOND);
  EXPECT_FALSE(ParsePeriod("90"));
  EXPECT_FALSE(ParsePeriod("9x"));
}

TEST(SimUtil, QuotePlusMatchesDjangoUrlencode) {
  EXPECT_EQ(QuotePlus("is:unresolved"), "is%3Aunresolved");
  EXPECT_EQ(QuotePlus("a b/c"), "a+b%2Fc");
  EXPECT_EQ(QuotePlus("-1"), "-1");
}

TEST(JsonOut, WebhookEncoderMatchesTestVectors) {
  auto body = [](const std::string& title) {
    std::string out;
    JsonOut j(out, /*ascii=*/true);
    j.BeginObject().KV("action", "resolved");
    j.Key("installation").BeginObject().KV("uuid", "7a485448-a9e2-4c85-8a3c-4f44175783c9").EndObject();
    j.Key("data").BeginObject().KV("resolution_type", "now").Key("issue").BeginObject();
    j.KV("id", "6066674569").KV("shortId", "CHECKOUT-API-3K").KV("title", title).KV("status", "resolved");
    j.Key("project").BeginObject().KV("id", "4505244102426624").KV("name", "checkout-api");
    j.KV("slug", "checkout-api").KV("platform", "node").EndObject();
    j.EndObject().EndObject();
    j.Key("actor").BeginObject().KV("type", "user").KInt("id", 2817651).KV("name", "Dana Levi").EndObject();
    j.EndObject();
    return out;
  };
  const std::string secret = "d3b07384d113edec49eaa6238ad5ff00c86e4a9f6f1b4c2e8a7d9b3f0e1c2a4b";
  std::string ascii = body("TypeError: Cannot read properties of undefined (reading 'id')");
  EXPECT_EQ(
      ascii,
      R"JSON({"action":"resolved","installation":{"uuid":"7a485448-a9e2-4c85-8a3c-4f44175783c9"},"data":{"resolution_type":"now","issue":{"id":"6066674569","shortId":"CHECKOUT-API-3K","title":"TypeError: Cannot read properties of undefined (reading 'id')","status":"resolved","project":{"id":"4505244102426624","name":"checkout-api","slug":"checkout-api","platform":"node"}}},"actor":{"type":"user","id":2817651,"name":"Dana Levi"}})JSON");
  EXPECT_EQ(SignBody(secret, ascii), "5c721933b84a86cfacc487124e7b85ea4e6830dda76da46ffc7d67ff9bf820e1");
  std::string unicode = body("Ошибка: café – timeout ⏱");
  EXPECT_NE(unicode.find(R"("\u041e\u0448\u0438\u0431\u043a\u0430: caf\u00e9 \u2013 timeout \u23f1")"),
            std::string::npos);
  EXPECT_EQ(SignBody(secret, unicode), "ec1c693bcc3d5f38964a168a7bb3757046a6bfcfacb14b194bffd46b8d86177e");
}

TEST(JsonOut, AstralCharactersBecomeSurrogatePairs) {
  std::string out;
  AppendJsonString(out, "💥\"\n\x01", true);
  EXPECT_EQ(out, R"("\ud83d\udca5\"\n\u0001")");
  out.clear();
  AppendJsonString(out, "café", false);
  EXPECT_EQ(out, "\"café\"");
}

TEST(Signature, IndependentOfOurEncoder) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string key = "k", msg = "hello";
  HMAC(EVP_sha256(), key.data(), 1, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac, &len);
  ASSERT_EQ(len, 32u);
  std::string sig = SignBody(key, msg);
  ASSERT_EQ(sig.size(), 64u);
  char first[3];
  std::snprintf(first, sizeof first, "%02x", mac[0]);
  EXPECT_EQ(sig.substr(0, 2), first);
}

TEST(Generator, SameSeedSameData) {
  GeneratorOptions o;
  ASSERT_TRUE(ApplyPreset("small", o).ok());
  Dataset a = Generate(o), b = Generate(o);
  ASSERT_EQ(a.issues.size(), 200u);
  ASSERT_EQ(a.projects.size(), 5u);
  for (size_t i = 0; i < a.issues.size(); ++i) {
    EXPECT_EQ(a.issues[i].id, b.issues[i].id);
    EXPECT_EQ(a.issues[i].last_seen, b.issues[i].last_seen);
    EXPECT_EQ(RenderIssueText(a, static_cast<uint32_t>(i)).title, RenderIssueText(b, static_cast<uint32_t>(i)).title);
  }
  o.seed = 2;
  Dataset c = Generate(o);
  EXPECT_NE(a.issues[0].last_seen, c.issues[0].last_seen);
}

TEST(Generator, DistributionsCoverTheTraps) {
  GeneratorOptions o;
  ASSERT_TRUE(ApplyPreset("medium", o).ok());
  Dataset d = Generate(o);
  ASSERT_EQ(d.issues.size(), 20000u);
  Micros now = DefaultNow();
  size_t unresolved = 0, old = 0, no_env = 0, non_ascii = 0, pending = 0;
  for (uint32_t i = 0; i < d.issues.size(); ++i) {
    const Issue& is = d.issues[i];
    EXPECT_LT(is.first_seen, is.last_seen);
    EXPECT_EQ(std::to_string(is.id).size(), 10u);
    unresolved += is.status == IssueStatus::UNRESOLVED;
    old += is.last_seen < now - 90 * MICROS_PER_DAY;
    no_env += IssueEnvironments(d, o.seed, i).empty();
    for (unsigned char ch : RenderIssueText(d, i).title) {
      if (ch >= 0x80) {
        ++non_ascii;
        break;
      }
    }
  }
  for (const auto& m : d.members) pending += m.pending;
  EXPECT_GT(unresolved, 9000u);
  EXPECT_LT(unresolved, 13000u);
  EXPECT_GT(old, 1000u);
  EXPECT_GT(no_env, 2000u);
  EXPECT_GT(non_ascii, 500u);
  EXPECT_GT(pending, 3u);
  EXPECT_EQ(d.ShortId(d.issues[0]).rfind(ToUpper(d.projects[d.issues[0].project].slug) + "-", 0), 0u);
  EXPECT_EQ(Base32(32 * 3 + 19), "3K");
  // Orders are descending.
  for (size_t k = 1; k < d.by_last_seen.size(); ++k)
    EXPECT_GE(d.issues[d.by_last_seen[k - 1]].last_seen / 1000, d.issues[d.by_last_seen[k]].last_seen / 1000);
}

TEST(Pagination, CursorFormats) {
  auto c = ParseCursor("1768310400000:0:0");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->value, 1768310400000);
  EXPECT_EQ(FormatCursor(*c), "1768310400000:0:0");
  EXPECT_EQ(FormatCursor(*ParseCursor("100:-1:1")), "100:-1:1");
  EXPECT_TRUE(ParseCursor("12.5:1:0"));
  EXPECT_FALSE(ParseCursor("abc"));
  EXPECT_FALSE(ParseCursor("1:2"));
  EXPECT_FALSE(ParseCursor("1:2:x"));
}

TEST(Pagination, LinkHeaderTemplate) {
  PageLinks l{{100, -1, true}, false, {100, 1, false}, true};
  EXPECT_EQ(BuildLinkHeader("https://sentry.io", "/api/0/organizations/acme/members/", {}, l),
            "<https://sentry.io/api/0/organizations/acme/members/?&cursor=100:-1:1>; rel=\"previous\"; "
            "results=\"false\"; cursor=\"100:-1:1\", <https://sentry.io/api/0/organizations/acme/members/"
            "?&cursor=100:1:0>; rel=\"next\"; results=\"true\"; cursor=\"100:1:0\"");
  Params p = {{"project", "1"}, {"query", "is:unresolved"}, {"cursor", "x"}, {"project", "2"}};
  std::string h = BuildLinkHeader("http://h", "/p/", p, l);
  EXPECT_NE(h.find("<http://h/p/?project=1&project=2&query=is%3Aunresolved&cursor=100:-1:1>"), std::string::npos);
}

TEST(Pagination, KeysetWalksTiesWithOffsets) {
  // Scores: 50 50 50 40 40 30 20 10 (descending); every row matches.
  std::vector<int64_t> s = {50, 50, 50, 40, 40, 30, 20, 10};
  auto score = [&](size_t p) { return s[p]; };
  auto all = [](size_t) { return true; };
  std::vector<size_t> seen;
  std::optional<Cursor> cur;
  int pages = 0;
  while (true) {
    auto page = PaginateKeyset(s.size(), score, all, cur, 2);
    for (size_t p : page.positions) seen.push_back(p);
    ++pages;
    if (pages == 1) {
      EXPECT_EQ(FormatCursor(page.links.prev), "50:1:1");  // ties after the first row are counted
      EXPECT_FALSE(page.links.prev_results);
    }
    if (!page.links.next_results) break;
    cur = page.links.next;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(seen, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(pages, 4);
}

TEST(Pagination, KeysetHonoursFiltersAndCap) {
  std::vector<int64_t> s(50);
  for (size_t i = 0; i < s.size(); ++i) s[i] = 1000 - static_cast<int64_t>(i);
  auto odd = [](size_t p) { return p % 2 == 1; };
  std::vector<size_t> seen;
  std::optional<Cursor> cur;
  while (true) {
    auto page = PaginateKeyset(
        s.size(), [&](size_t p) { return s[p]; }, odd, cur, 4, 10);
    seen.insert(seen.end(), page.positions.begin(), page.positions.end());
    if (!page.links.next_results) break;
    cur = page.links.next;
  }
  ASSERT_EQ(seen.size(), 10u);
  EXPECT_EQ(seen.front(), 1u);
  EXPECT_EQ(seen.back(), 19u);
}

TEST(Pagination, OffsetFirstPagePrevCursor) {
  std::string err;
  auto p = PaginateOffset(250, 100, std::nullopt, &err);
  ASSERT_TRUE(p);
  EXPECT_EQ(FormatCursor(p->links.prev), "100:-1:1");
  EXPECT_FALSE(p->links.prev_results);
  EXPECT_EQ(FormatCursor(p->links.next), "100:1:0");
  EXPECT_TRUE(p->links.next_results);
  auto last = PaginateOffset(250, 100, Cursor{100, 2, false}, &err);
  EXPECT_EQ(last->begin, 200u);
  EXPECT_EQ(last->end, 250u);
  EXPECT_FALSE(last->links.next_results);
  EXPECT_FALSE(PaginateOffset(250, 100, Cursor{100, -1, true}, &err));
  EXPECT_EQ(err, "Pagination offset cannot be negative");
}

TEST(Query, ParsesIssueSyntax) {
  std::string err;
  Micros now = DefaultNow();
  auto q = ParseIssueQuery("is:unresolved !level:[info,warning] lastSeen:-24h \"TypeError\" cart", now, &err);
  ASSERT_TRUE(q) << err;
  ASSERT_EQ(q->terms.size(), 4u);
  EXPECT_EQ(q->terms[0].kind, IssueTermKind::STATUS);
  EXPECT_TRUE(q->terms[1].negate);
  EXPECT_EQ(q->terms[1].values, (std::vector<std::string>{"info", "warning"}));
  EXPECT_EQ(q->terms[2].bound, now - 86400 * MICROS_PER_SECOND);
  EXPECT_EQ(q->terms[3].values[0], "TypeError cart");
  auto merged = ParseIssueQuery("is:unresolved is:resolved", now, &err);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->terms.size(), 1u);
  EXPECT_TRUE(ParseIssueQuery("", now, &err)->terms.empty());
}

TEST(Query, RejectsUnknownSyntaxWithSentrysPrefix) {
  std::string err;
  Micros now = DefaultNow();
  EXPECT_FALSE(ParseIssueQuery("bogus:1", now, &err));
  EXPECT_EQ(err, "Error parsing search query: Invalid key for this search: bogus");
  EXPECT_FALSE(ParseIssueQuery("is:sleeping", now, &err));
  EXPECT_EQ(err.rfind("Error parsing search query: Invalid value for \"is\" search", 0), 0u);
  EXPECT_FALSE(ParseIssueQuery("lastSeen:-3x", now, &err));
  EXPECT_EQ(err, "Error parsing search query: Invalid format for \"lastSeen\" search: -3x");
  EXPECT_FALSE(ParseIssueQuery("title:\"open", now, &err));
  EXPECT_EQ(err, "Error parsing search query: Unterminated quoted string");
}

TEST(RateLimiter, FixedWindowHeadersAndReset) {
  RateLimiter rl(DefaultRateLimitOptions());
  int64_t t0 = 1768914127500;  // inside the window [..127, ..128)
  for (int i = 1; i <= 5; ++i) {
    auto d = rl.Begin("project_issues", "GET", Category::ORG, "1", t0, 0);
    ASSERT_TRUE(d.allowed);
    EXPECT_EQ(FindHeaderValue(d.header_list, "X-Sentry-Rate-Limit-Remaining"), std::to_string(5 - i));
    EXPECT_EQ(FindHeaderValue(d.header_list, "X-Sentry-Rate-Limit-Reset"), "1768914128");
    EXPECT_EQ(FindHeaderValue(d.header_list, "X-Sentry-Rate-Limit-ConcurrentLimit"), "None");
    EXPECT_EQ(FindHeaderValue(d.header_list, "X-Sentry-Rate-Limit-ConcurrentRemaining"), "None");
    rl.Finish(d.bucket, 0);
  }
  auto d = rl.Begin("project_issues", "GET", Category::ORG, "1", t0, 0);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.body,
            R"({"detail":"You are attempting to use this endpoint too frequently. Limit is 5 requests in 1 seconds"})");
  EXPECT_EQ(FindHeaderValue(d.header_list, "X-Sentry-Rate-Limit-Remaining"), "0");
  EXPECT_EQ(rl.Rejections(), 1);
  // Next window.
  auto next = rl.Begin("project_issues", "GET", Category::ORG, "1", t0 + 600, 0);
  EXPECT_TRUE(next.allowed);
  EXPECT_EQ(FindHeaderValue(next.header_list, "X-Sentry-Rate-Limit-Reset"), "1768914129");
  // Other ids and the shared default bucket.
  EXPECT_TRUE(rl.Begin("project_issues", "GET", Category::ORG, "2", t0, 0).allowed);
  auto a = rl.Begin("teams", "GET", Category::ORG, "1", t0, 0);
  auto b = rl.Begin("org_projects", "GET", Category::ORG, "1", t0, 0);
  EXPECT_EQ(a.bucket, b.bucket);
  EXPECT_EQ(FindHeaderValue(b.header_list, "X-Sentry-Rate-Limit-Remaining"), "38");
}

TEST(RateLimiter, TagValuesWindowIsAlignedToSixtySeconds) {
  RateLimiter rl(DefaultRateLimitOptions());
  auto d = rl.Begin("issue_tag_values", "GET", Category::ORG, "1", 1768914127000, 0);
  EXPECT_EQ(FindHeaderValue(d.header_list, "X-Sentry-Rate-Limit-Reset"), "1768914180");
  EXPECT_EQ(FindHeaderValue(d.header_list, "X-Sentry-Rate-Limit-Limit"), "300");
  EXPECT_EQ(FindHeaderValue(d.header_list, "X-Sentry-Rate-Limit-ConcurrentRemaining"), "4");
}

TEST(RateLimiter, ConcurrencyReportOnlyVersusEnforced) {
  auto opts = DefaultRateLimitOptions();
  RateLimiter report(opts);
  std::vector<RateDecision> held;
  for (int i = 0; i < 7; ++i) held.push_back(report.Begin("issue_tag_values", "GET", Category::ORG, "1", 0, 0));
  for (const auto& d : held) EXPECT_TRUE(d.allowed);
  EXPECT_EQ(FindHeaderValue(held.back().header_list, "X-Sentry-Rate-Limit-ConcurrentRemaining"), "0");
  EXPECT_EQ(report.MaxInFlight().begin()->second, 7);
  opts.enforce_concurrency = true;
  RateLimiter enforce(opts);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(enforce.Begin("issue_tag_values", "GET", Category::ORG, "1", 0, 0).allowed);
  auto rejected = enforce.Begin("issue_tag_values", "GET", Category::ORG, "1", 0, 0);
  EXPECT_FALSE(rejected.allowed);
  EXPECT_EQ(rejected.body, R"({"detail":"You are attempting to go above the allowed concurrency for this endpoint. )"
                           R"(Concurrency limit is 5"})");
  // A delayed response holds its slot until its release time.
  enforce.Finish(rejected.bucket.empty() ? "" : rejected.bucket, 100);
  EXPECT_FALSE(enforce.Begin("issue_tag_values", "GET", Category::ORG, "1", 0, 50).allowed);
  EXPECT_TRUE(enforce.Begin("issue_tag_values", "GET", Category::ORG, "1", 0, 150).allowed);
}

TEST(RateLimiter, SelfHostedAndMultiplier) {
  auto opts = DefaultRateLimitOptions();
  opts.enabled = false;
  RateLimiter off(opts);
  auto d = off.Begin("project_issues", "GET", Category::ORG, "1", 0, 0);
  EXPECT_TRUE(d.allowed);
  EXPECT_FALSE(d.headers);
  opts = DefaultRateLimitOptions();
  opts.budget_multiplier = 10;
  RateLimiter big(opts);
  EXPECT_EQ(FindHeaderValue(big.Begin("project_issues", "GET", Category::ORG, "1", 0, 0).header_list,
                            "X-Sentry-Rate-Limit-Limit"),
            "50");
}

TEST(Auth, HeaderParsingBodies) {
  TokenRegistry reg;
  TokenInfo good;
  good.label = "default";
  reg.Add("good", good);
  TokenInfo expired;
  expired.label = "old";
  expired.expired = true;
  reg.Add("old", expired);
  EXPECT_EQ(reg.Authenticate(nullptr).body, BODY_NO_CREDENTIALS);
  std::string h = "Bearer";
  EXPECT_EQ(reg.Authenticate(&h).body, R"({"detail":"Invalid token header. No credentials provided."})");
  h = "Bearer a b";
  EXPECT_EQ(reg.Authenticate(&h).body, R"({"detail":"Invalid token header. Token string should not contain spaces."})");
  h = "Bearer nope";
  EXPECT_EQ(reg.Authenticate(&h).body, R"({"detail":"Invalid token"})");
  h = "Bearer sntrys_nope";
  EXPECT_EQ(reg.Authenticate(&h).body, R"({"detail":"Invalid org token"})");
  h = "Bearer old";
  EXPECT_EQ(reg.Authenticate(&h).body, R"({"detail":"Token expired"})");
  h = "bEaReR good";
  auto ok = reg.Authenticate(&h);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.token->label, "default");
  EXPECT_TRUE(reg.Revoke("good"));
  EXPECT_EQ(reg.Authenticate(&h).status, 401);
}

TEST(Auth, ScopesAndTokenSpecs) {
  EXPECT_TRUE(HasScope({"org:write"}, "org:read"));
  EXPECT_FALSE(HasScope({"team:read"}, "org:read"));
  std::string err;
  auto spec = ParseTokenSpec("abc,type=user,scopes=org:read+event:read,teams=payments+web,label=u1", &err);
  ASSERT_TRUE(spec) << err;
  EXPECT_EQ(spec->first, "abc");
  EXPECT_EQ(spec->second.type, TokenType::USER);
  EXPECT_EQ(spec->second.scopes.size(), 2u);
  EXPECT_EQ(spec->second.teams.size(), 2u);
  EXPECT_FALSE(ParseTokenSpec("abc,type=robot", &err));
  EXPECT_EQ(err, "unknown token type 'robot' (integration, user or org)");
  EXPECT_FALSE(ParseTokenSpec("abc,colour=red", &err));
}

TEST(Faults, FailNextAndDeterminism) {
  FaultOptions o;
  o.seed = 7;
  o.faults["*"].probability[FaultKind::STATUS_503] = 0.3;
  FaultInjector a(o), b(o);
  int n503 = 0;
  for (uint64_t i = 0; i < 200; ++i) {
    auto da = a.Decide("org_issues", i), db = b.Decide("org_issues", i);
    EXPECT_EQ(da.kind, db.kind);
    EXPECT_EQ(da.error_id, db.error_id);
    n503 += da.kind == FaultKind::STATUS_503;
  }
  EXPECT_GT(n503, 30);
  EXPECT_LT(n503, 100);
  FaultInjector c(FaultOptions{});
  c.FailNext("org_issues", FaultKind::RESET, 2);
  EXPECT_EQ(c.Decide("members", 0).kind, FaultKind::NONE);
  EXPECT_EQ(c.Decide("org_issues", 1).kind, FaultKind::RESET);
  EXPECT_EQ(c.Decide("org_issues", 2).kind, FaultKind::RESET);
  EXPECT_EQ(c.Decide("org_issues", 3).kind, FaultKind::NONE);
  c.FailNext("members", FaultKind::QUERY_TIMEOUT, 1);
  EXPECT_EQ(c.Decide("members", 4).kind, FaultKind::STATUS_500);  // query timeouts exist on search routes only
}

TEST(Faults, LatencyScalesAndIsZeroByDefault) {
  FaultOptions o;
  o.latency = DefaultLatencies();
  FaultInjector none(o);
  EXPECT_EQ(none.Decide("org_issues", 1).delay.count(), 0);
  o.latency_scale = 1.0;
  FaultInjector on(o);
  int64_t total = 0;
  for (uint64_t i = 0; i < 100; ++i) total += on.Decide("org", i).delay.count();
  EXPECT_GT(total / 100, 40);
  EXPECT_LT(total / 100, 300);
}

}  // namespace
}  // namespace sp::sentry_sim

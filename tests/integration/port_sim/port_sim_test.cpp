// port-sim over real loopback HTTP with a raw HttpClient: auth, every route family, Port's error answers,
// each fault knob and the request log.
#include "port-sim/port_sim.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "json/parse.hpp"
#include "json/write.hpp"
#include "net/http_client.hpp"

namespace sp::port_sim {
namespace {

constexpr const char* kUa = "port-ocean/sentry/0.3.153/my-sentry/exporter";
constexpr const char* kSecret = "sup3r-s3cret-value";

struct Reply {
  int status = 0;
  json::Value body;
  net::ClientResponse raw;
};

class PortSimTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start(int token_lifetime = 3600, std::string faults = {}) {
    sim_.reset();
    PortSimOptions options;
    options.client_id = "client-1";
    options.client_secret = kSecret;
    options.token_lifetime_seconds = token_lifetime;
    options.faults_json = std::move(faults);
    options.threads = 4;
    auto sim = PortSim::Start(options);
    ASSERT_TRUE(sim.ok()) << sim.error().ToString();
    sim_ = std::move(sim.value());
    token_.clear();
  }

  Result<net::ClientResponse> Raw(const std::string& method, const std::string& target, const std::string& body,
                                  bool auth = true) {
    net::ClientRequest req;
    req.method = method;
    req.url = sim_->base_url() + target;
    req.body = body;
    req.headers.emplace_back("User-Agent", kUa);
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    if (auth) {
      if (token_.empty()) FetchToken();
      req.headers.emplace_back("Authorization", "Bearer " + token_);
    }
    return client_.Send(req);
  }

  Reply Call(const std::string& method, const std::string& target, const std::string& body = {}, bool auth = true) {
    auto r = Raw(method, target, body, auth);
    EXPECT_TRUE(r.ok()) << method << " " << target << ": " << (r.ok() ? "" : r.error().ToString());
    Reply out;
    if (!r.ok()) return out;
    out.status = r->status;
    out.raw = r.value();
    auto parsed = json::Parse(r->body);
    EXPECT_TRUE(parsed.ok()) << "non-JSON body from " << target << ": " << r->body;
    if (parsed.ok()) out.body = parsed.value();
    EXPECT_NE(r->Header("x-trace-id"), nullptr) << target;
    return out;
  }

  void FetchToken() {
    auto r = Call("POST", "/v1/auth/access_token",
                  std::string(R"({"clientId":"client-1","clientSecret":")") + kSecret + "\"}", false);
    ASSERT_EQ(r.status, 200);
    token_ = std::string(r.body.Find("accessToken")->AsString());
  }

  void CreateBlueprints() {
    ASSERT_EQ(Call("POST", "/v1/blueprints", R"({"identifier":"project","schema":{"properties":{
      "platform":{"type":"string"},"status":{"type":"string","enum":["active","disabled"]}}}})")
                  .status,
              201);
    ASSERT_EQ(Call("POST", "/v1/blueprints", R"({"identifier":"issue","schema":{"properties":{
      "status":{"type":"string"}}},"relations":{"project":{"target":"project","many":false}}})")
                  .status,
              201);
  }

  static std::string ErrorCode(const Reply& r) {
    const json::Value* e = r.body.Find("error");
    return e != nullptr && e->IsString() ? std::string(e->AsString()) : "";
  }

  json::Value Log(const std::string& route = {}) {
    return Call("GET", "/_sim/log" + (route.empty() ? "" : "?route=" + route), {}, false).body;
  }

  net::HttpClient client_;
  std::unique_ptr<PortSim> sim_;
  std::string token_;
};

TEST(PortSimListen, RefusesNonLoopbackAddresses) {
  EXPECT_TRUE(ParseListenAddress("127.0.0.1:0").ok());
  EXPECT_TRUE(ParseListenAddress("localhost:8080").ok());
  EXPECT_TRUE(ParseListenAddress("[::1]:0").ok());
  for (const char* bad : {"0.0.0.0:0", "10.1.2.3:80", "example.com:80", "127.0.0.1", "127.0.0.1:99999"}) {
    auto r = ParseListenAddress(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
  EXPECT_NE(ParseListenAddress("0.0.0.0:0").error().message.find("loopback"), std::string::npos);
}

TEST_F(PortSimTest, TokenAndAuth) {
  auto wrong = Call("POST", "/v1/auth/access_token", R"({"clientId":"client-1","clientSecret":"nope"})", false);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(ErrorCode(wrong), "unauthorized");
  EXPECT_FALSE(wrong.body.Find("ok")->AsBool());

  auto good = Call("POST", "/v1/auth/access_token",
                   std::string(R"({"clientId":"client-1","clientSecret":")") + kSecret + "\"}", false);
  ASSERT_EQ(good.status, 200);
  EXPECT_EQ(good.body.Find("tokenType")->AsString(), "Bearer");
  EXPECT_EQ(good.body.Find("expiresIn")->AsNumber(), 3600);

  auto missing = Call("GET", "/v1/organization", {}, false);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(ErrorCode(missing), "unauthorized");
  auto org = Call("GET", "/v1/organization");
  ASSERT_EQ(org.status, 200);
  EXPECT_EQ(json::ToJson(*org.body.Find("organization")->Find("featureFlags")), "[]");

  // server-side revocation before the client's local expiry
  ASSERT_EQ(Call("POST", "/_sim/revoke-tokens", "{}", false).status, 200);
  EXPECT_EQ(Call("GET", "/v1/organization").status, 401);
  token_.clear();
  EXPECT_EQ(Call("GET", "/v1/organization").status, 200);
}

TEST_F(PortSimTest, TokensExpire) {
  Start(1);
  EXPECT_EQ(Call("GET", "/v1/organization").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  EXPECT_EQ(Call("GET", "/v1/organization").status, 401);
}

TEST_F(PortSimTest, TokenRouteFailsNTimesAndIsCounted) {
  ASSERT_EQ(Call("POST", "/_sim/config", R"({"token_failures":2,"token_failure_status":503})", false).status, 200);
  const std::string body = std::string(R"({"clientId":"client-1","clientSecret":")") + kSecret + "\"}";
  EXPECT_EQ(Call("POST", "/v1/auth/access_token", body, false).status, 503);
  EXPECT_EQ(Call("POST", "/v1/auth/access_token", body, false).status, 503);
  EXPECT_EQ(Call("POST", "/v1/auth/access_token", body, false).status, 200);
  auto stats = Call("GET", "/_sim/stats", {}, false).body;
  EXPECT_EQ(stats.Find("token_requests")->AsNumber(), 3);
  EXPECT_EQ(stats.Find("tokens_issued")->AsNumber(), 1);
}

TEST_F(PortSimTest, UnknownRouteAndMalformedJson) {
  auto unknown = Call("GET", "/v1/nothing/here");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCode(unknown), "not_found");
  auto malformed = Call("POST", "/v1/blueprints", R"({"identifier": )");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(ErrorCode(malformed), "bad_request");
  EXPECT_NE(malformed.body.Find("message")->AsString().find("byte"), std::string_view::npos);
  auto bad_flag = Call("POST", "/v1/blueprints/x/entities?upsert=yes", R"({"identifier":"a"})");
  EXPECT_EQ(bad_flag.status, 400);
}

TEST_F(PortSimTest, IntegrationRecordAndResyncState) {
  auto absent = Call("GET", "/v1/integration/my-sentry?oceanCoreVersion=0.48.12&isPolling=false");
  EXPECT_EQ(absent.status, 404);
  EXPECT_EQ(ErrorCode(absent), "not_found");
  auto created = Call("POST", "/v1/integration", R"({"installationId":"my-sentry","installationAppType":"sentry",
    "version":"0.3.153","changelogDestination":{},"config":{"resources":[]}})");
  ASSERT_EQ(created.status, 200);
  EXPECT_EQ(created.body.Find("integration")->Find("installationAppType")->AsString(), "sentry");
  EXPECT_EQ(Call("POST", "/v1/integration", R"({"installationId":"my-sentry"})").status, 409);

  auto patched = Call("PATCH", "/v1/integration/my-sentry", R"({"version":"0.3.154"})");
  ASSERT_EQ(patched.status, 200);
  EXPECT_EQ(patched.body.Find("integration")->Find("version")->AsString(), "0.3.154");

  auto state = Call("PATCH", "/v1/integration/my-sentry/resync-state",
                    R"({"status":"running","lastResyncStart":"2026-08-20T11:22:33.123456+00:00","lastResyncEnd":null,
                        "nextResync":null,"intervalInMinuets":60})");
  ASSERT_EQ(state.status, 200);
  const json::Value* rs = state.body.Find("integration")->Find("resyncState");
  EXPECT_EQ(rs->Find("status")->AsString(), "running");
  EXPECT_EQ(rs->Find("intervalInMinuets")->AsNumber(), 60);
  EXPECT_TRUE(rs->Find("updatedAt")->IsString());
  EXPECT_EQ(Call("PATCH", "/v1/integration/my-sentry/resync-state", R"({"status":"done"})").status, 422);
  EXPECT_EQ(
      Call("PATCH", "/v1/integration/my-sentry/resync-state", R"({"status":"failed","lastResyncEnd":"soon"})").status,
      422);
  EXPECT_EQ(
      Call("PATCH", "/v1/integration/my-sentry/resync-state", R"({"status":"failed","intervalInMinutes":5})").status,
      400);

  EXPECT_TRUE(Call("GET", "/v1/integration/my-sentry/resync-request").body.Find("request")->IsNull());
  ASSERT_EQ(Call("POST", "/_sim/resync-request", R"({"integration":"my-sentry"})", false).status, 200);
  EXPECT_TRUE(
      Call("GET", "/v1/integration/my-sentry/resync-request").body.Find("request")->Find("updatedAt")->IsString());
  EXPECT_EQ(Call("GET", "/v1/integration/provision-enabled").status, 200);
  auto cfg = Call("PATCH", "/v1/integration/my-sentry/config", R"({"config":{"resources":[{"kind":"project"}]}})");
  EXPECT_EQ(cfg.status, 200);
  EXPECT_EQ(
      Call("GET", "/v1/integration/my-sentry").body.Find("integration")->Find("config")->Find("resources")->Size(), 1u);
}

TEST_F(PortSimTest, BlueprintRoutes) {
  CreateBlueprints();
  auto dup = Call("POST", "/v1/blueprints", R"({"identifier":"project"})");
  EXPECT_EQ(dup.status, 409);
  auto bad_target = Call("POST", "/v1/blueprints", R"({"identifier":"x","relations":{"r":{"target":"ghost"}}})");
  EXPECT_EQ(bad_target.status, 422);
  EXPECT_EQ(Call("GET", "/v1/blueprints/ghost").status, 404);
  auto got = Call("GET", "/v1/blueprints/issue");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body.Find("blueprint")->Find("relations")->Find("project")->Find("target")->AsString(), "project");
  EXPECT_EQ(Call("PATCH", "/v1/blueprints/project", R"({"title":"Project"})").status, 200);
  EXPECT_EQ(Call("DELETE", "/v1/blueprints/issue").status, 200);
  EXPECT_EQ(Call("GET", "/v1/blueprints/issue").status, 404);
}

TEST_F(PortSimTest, SingleUpsertAnswersLikePort) {
  CreateBlueprints();
  auto created = Call("POST", "/v1/blueprints/project/entities?upsert=true&merge=true", R"({"identifier":"checkout",
    "blueprint":"project","properties":{"platform":"go"}})");
  EXPECT_EQ(created.status, 201);
  EXPECT_TRUE(created.body.Find("ok")->AsBool());
  EXPECT_EQ(created.body.Find("entity")->Find("identifier")->AsString(), "checkout");
  EXPECT_EQ(Call("POST", "/v1/blueprints/project/entities?upsert=true", R"({"identifier":"checkout"})").status, 200);
  auto taken = Call("POST", "/v1/blueprints/project/entities", R"({"identifier":"checkout"})");
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(ErrorCode(taken), "identifier_taken");
  auto missing = Call("POST", "/v1/blueprints/issue/entities?upsert=true&create_missing_related_entities=false",
                      R"({"identifier":"1","relations":{"project":"ghost"}})");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorCode(missing), "not_found");
  auto enum_bad = Call("POST", "/v1/blueprints/project/entities?upsert=true",
                       R"({"identifier":"p","properties":{"status":"weird"}})");
  EXPECT_EQ(enum_bad.status, 422);
  EXPECT_EQ(ErrorCode(enum_bad), "blueprint_schema_mismatch");
  EXPECT_EQ(Call("POST", "/v1/blueprints/ghost/entities?upsert=true", R"({"identifier":"p"})").status, 404);
  auto many =
      Call("POST", "/v1/blueprints/issue/entities?upsert=true", R"({"identifier":"1","relations":{"project":["a"]}})");
  EXPECT_EQ(ErrorCode(many), "relation_many_violation");
}

TEST_F(PortSimTest, BulkUpsert207WithIndexAndLimits) {
  CreateBlueprints();
  auto mixed =
      Call("POST", "/v1/blueprints/issue/entities/bulk?upsert=true&merge=true&create_missing_related_entities=false",
           R"({"entities":[{"identifier":"1","blueprint":"issue"},
                                    {"identifier":"2","blueprint":"issue","relations":{"project":"ghost"}},
                                    {"identifier":"bad id","blueprint":"issue"}]})");
  ASSERT_EQ(mixed.status, 207);
  ASSERT_EQ(mixed.body.Find("entities")->Size(), 1u);
  EXPECT_EQ((*mixed.body.Find("entities"))[0].Find("index")->AsNumber(), 0);
  EXPECT_TRUE((*mixed.body.Find("entities"))[0].Find("created")->AsBool());
  const json::Value& errors = *mixed.body.Find("errors");
  ASSERT_EQ(errors.Size(), 2u);
  EXPECT_EQ(errors[0].Find("index")->AsNumber(), 1);
  EXPECT_EQ(errors[0].Find("statusCode")->AsNumber(), 404);
  EXPECT_EQ(errors[0].Find("error")->AsString(), "not_found");
  EXPECT_EQ(errors[1].Find("index")->AsNumber(), 2);
  EXPECT_EQ(errors[1].Find("statusCode")->AsNumber(), 422);

  auto all_ok = Call("POST", "/v1/blueprints/issue/entities/bulk?upsert=true&create_missing_related_entities=true",
                     R"({"entities":[{"identifier":"2","relations":{"project":"ghost"}}]})");
  EXPECT_EQ(all_ok.status, 200);

  std::string twenty_one = R"({"entities":[)";
  for (int i = 0; i < 21; ++i)
    twenty_one += std::string(i ? "," : "") + R"({"identifier":"e)" + std::to_string(i) + "\"}";
  twenty_one += "]}";
  auto too_many = Call("POST", "/v1/blueprints/issue/entities/bulk?upsert=true", twenty_one);
  EXPECT_EQ(too_many.status, 422);

  std::string huge =
      R"({"entities":[{"identifier":"big","properties":{"status":")" + std::string(1100000, 'x') + "\"}}]}";
  auto too_big = Call("POST", "/v1/blueprints/issue/entities/bulk?upsert=true", huge);
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(ErrorCode(too_big), "bad_request");
  EXPECT_EQ(Call("GET", "/v1/blueprints/issue/entities/big").status, 404);
  // the size limit is checked before the body is parsed
  EXPECT_EQ(Call("POST", "/v1/blueprints/issue/entities/bulk?upsert=true", std::string(1100000, '[')).status, 413);
}

TEST_F(PortSimTest, DeletesSearchAndDatasource) {
  CreateBlueprints();
  ASSERT_EQ(Call("POST", "/v1/blueprints/project/entities/bulk?upsert=true",
                 R"({"entities":[{"identifier":"checkout"},{"identifier":"cart"},{"identifier":"solo"}]})")
                .status,
            200);
  ASSERT_EQ(Call("POST", "/v1/blueprints/issue/entities?upsert=true",
                 R"({"identifier":"1","relations":{"project":"checkout"}})")
                .status,
            201);
  auto refused = Call("DELETE", "/v1/blueprints/project/entities/checkout?delete_dependents=false");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(ErrorCode(refused), "has_dependents");
  EXPECT_EQ(Call("DELETE", "/v1/blueprints/project/entities/ghost").status, 404);
  auto bulk = Call("POST", "/v1/blueprints/project/bulk/entities/delete?delete_dependents=false",
                   R"({"entities":["checkout","solo","ghost"]})");
  ASSERT_EQ(bulk.status, 200);
  EXPECT_EQ(json::ToJson(*bulk.body.Find("deletedEntities")), R"(["solo"])");

  auto search = Call(
      "POST", "/v1/entities/search?include=identifier&include=relations.project&exclude_calculated_properties=true",
      R"({"combinator":"and","rules":[{"property":"$blueprint","operator":"=","value":"issue"},
                       {"property":"$datasource","operator":"contains","value":"port-ocean/sentry/"},
                       {"property":"$datasource","operator":"contains","value":"/my-sentry/exporter"}]})");
  ASSERT_EQ(search.status, 200);
  EXPECT_EQ(json::ToJson(*search.body.Find("entities")), R"([{"identifier":"1","relations":{"project":"checkout"}}])");
  EXPECT_EQ(Call("POST", "/v1/entities/search", R"({"combinator":"nand","rules":[]})").status, 400);

  auto cascade = Call("DELETE", "/v1/blueprints/project/entities/checkout?delete_dependents=true");
  EXPECT_EQ(cascade.status, 200);
  EXPECT_EQ(Call("GET", "/v1/blueprints/issue/entities/1").status, 404);

  std::vector<std::string> seen;
  std::string cursor;
  for (int guard = 0; guard < 5; ++guard) {
    std::string body =
        R"({"datasource_prefix":"port-ocean/sentry/","datasource_suffix":"/my-sentry/exporter","limit":1)";
    if (!cursor.empty()) body += R"(,"from":")" + cursor + "\"";
    auto page = Call("POST", "/v1/blueprints/entities/datasource-entities", body + "}");
    ASSERT_EQ(page.status, 200);
    for (const auto& e : page.body.Find("entities")->Items()) seen.emplace_back(e.Find("identifier")->AsString());
    if (page.body.Find("next")->IsNull()) break;
    cursor = std::string(page.body.Find("next")->AsString());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"cart"}));
  EXPECT_EQ(
      Call("POST", "/v1/blueprints/entities/datasource-entities", R"({"datasource_prefix":"x","before":"not a date"})")
          .status,
      400);
}

TEST_F(PortSimTest, RateLimitFaultsCarryRetryHeaders) {
  FetchToken();
  ASSERT_EQ(Call("POST", "/_sim/config", R"({"routes":{"O1":{"rate_limit_count":1,"retry_after":"2"},
                                                        "B1":{"rate_limit_count":1,"ratelimit_reset":"1700000000"}}})",
                 false)
                .status,
            200);
  auto limited = Call("GET", "/v1/organization");
  EXPECT_EQ(limited.status, 429);
  ASSERT_NE(limited.raw.Header("retry-after"), nullptr);
  EXPECT_EQ(*limited.raw.Header("retry-after"), "2");
  EXPECT_EQ(Call("GET", "/v1/organization").status, 200);
  auto reset = Call("GET", "/v1/blueprints/x");
  EXPECT_EQ(reset.status, 429);
  ASSERT_NE(reset.raw.Header("x-ratelimit-reset"), nullptr);
  EXPECT_EQ(*reset.raw.Header("x-ratelimit-reset"), "1700000000");
  EXPECT_EQ(Call("GET", "/v1/blueprints/x").status, 404);
}

TEST_F(PortSimTest, FailNextNRequestsOfARoute) {
  FetchToken();
  for (int status : {500, 502, 503, 504}) {
    ASSERT_EQ(Call("POST", "/_sim/config",
                   R"({"routes":{"O1":{"fail_count":2,"fail_status":)" + std::to_string(status) + "}}}", false)
                  .status,
              200);
    EXPECT_EQ(Call("GET", "/v1/organization").status, status);
    auto second = Call("GET", "/v1/organization");
    EXPECT_EQ(second.status, status);
    EXPECT_FALSE(second.body.Find("ok")->AsBool());
    EXPECT_EQ(Call("GET", "/v1/organization").status, 200);
  }
  EXPECT_EQ(Call("POST", "/_sim/config", R"({"routes":{"Z9":{"fail_count":1}}})", false).status, 400);
  EXPECT_EQ(Call("POST", "/_sim/config", R"({"routes":{"O1":{"fail_status":200}}})", false).status, 400);
}

TEST_F(PortSimTest, ConnectionResetIsATransportError) {
  FetchToken();
  ASSERT_EQ(Call("POST", "/_sim/config", R"({"routes":{"O1":{"reset_count":1}}})", false).status, 200);
  // a fresh client: curl silently retries a request once when a *reused* connection dies without an answer
  net::HttpClient fresh;
  net::ClientRequest req;
  req.url = sim_->base_url() + "/v1/organization";
  req.headers.emplace_back("Authorization", "Bearer " + token_);
  auto reset = fresh.Send(req);
  EXPECT_FALSE(reset.ok()) << "status " << (reset.ok() ? reset->status : 0);
  auto log = Log("O1");
  ASSERT_GE(log.Find("requests")->Size(), 1u);
  EXPECT_EQ((*log.Find("requests"))[0].Find("fault")->AsString(), "reset");
  EXPECT_EQ(Call("GET", "/v1/organization").status, 200);
}

TEST_F(PortSimTest, StalledRequestsNeverAnswer) {
  FetchToken();
  ASSERT_EQ(Call("POST", "/_sim/config", R"({"routes":{"O1":{"stall_count":1}}})", false).status, 200);
  net::HttpClient fresh;
  net::ClientRequest req;
  req.url = sim_->base_url() + "/v1/organization";
  req.headers.emplace_back("Authorization", "Bearer " + token_);
  req.timeout = std::chrono::milliseconds(300);
  EXPECT_FALSE(fresh.Send(req).ok());
  EXPECT_EQ(Call("GET", "/v1/organization").status, 200);
}

TEST_F(PortSimTest, LatencyAndConcurrencyPeak) {
  FetchToken();
  ASSERT_EQ(Call("POST", "/_sim/config", R"({"routes":{"O1":{"latency_ms":300}}})", false).status, 200);
  std::vector<std::thread> threads;
  std::vector<int> statuses(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto r = Raw("GET", "/v1/organization", {});
      statuses[i] = r.ok() ? r->status : -1;
    });
  }
  for (auto& t : threads) t.join();
  for (int s : statuses) EXPECT_EQ(s, 200);
  auto stats = Call("GET", "/_sim/stats", {}, false).body;
  EXPECT_EQ(stats.Find("routes")->Find("O1")->Find("count")->AsNumber(), 4);
  EXPECT_GE(stats.Find("routes")->Find("O1")->Find("peak_concurrency")->AsNumber(), 2);
}

TEST_F(PortSimTest, RequestLogRecordsWhatTestsNeedAndNoSecrets) {
  CreateBlueprints();
  ASSERT_EQ(Call("POST", "/v1/blueprints/project/entities/bulk?upsert=true&merge=false&ocean_info_event_type=resync",
                 R"({"entities":[{"identifier":"a"},{"identifier":"b"}]})")
                .status,
            200);
  auto log = Log("E2");
  ASSERT_EQ(log.Find("requests")->Size(), 1u);
  const json::Value& entry = (*log.Find("requests"))[0];
  EXPECT_EQ(entry.Find("method")->AsString(), "POST");
  EXPECT_EQ(entry.Find("path")->AsString(), "/v1/blueprints/project/entities/bulk");
  EXPECT_EQ(entry.Find("batch_size")->AsNumber(), 2);
  EXPECT_EQ(entry.Find("status")->AsNumber(), 200);
  EXPECT_EQ(entry.Find("user_agent")->AsString(), kUa);
  EXPECT_EQ(entry.Find("params")->Find("merge")->AsString(), "false");
  EXPECT_EQ(entry.Find("params")->Find("ocean_info_event_type")->AsString(), "resync");
  EXPECT_EQ(entry.Find("headers")->Find("authorization")->AsString(), "<redacted>");
  EXPECT_GT(entry.Find("body_size")->AsNumber(), 0);

  const std::string everything = json::ToJson(Log()) + json::ToJson(Call("GET", "/_sim/state", {}, false).body) +
                                 json::ToJson(Call("GET", "/_sim/stats", {}, false).body) +
                                 json::ToJson(Call("GET", "/_sim/config", {}, false).body);
  EXPECT_EQ(everything.find(kSecret), std::string::npos);
  EXPECT_EQ(everything.find(token_), std::string::npos);

  auto state = Call("GET", "/_sim/state", {}, false).body;
  ASSERT_EQ(state.Find("entities")->Size(), 2u);
  EXPECT_EQ((*state.Find("entities"))[0].Find("datasource")->AsString(), kUa);
  EXPECT_EQ(state.Find("blueprints")->Size(), 2u);
}

}  // namespace
}  // namespace sp::port_sim

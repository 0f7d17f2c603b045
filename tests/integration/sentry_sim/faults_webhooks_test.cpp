// Fault injection (sentry-api.md §7.2, §7.5) and the webhook emitter (§5, §7.7): deliveries reach a test
// HttpServer, and their signatures are checked with `openssl dgst -sha256 -hmac` over the exact body bytes.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "sim_fixture.hpp"

namespace sp::sentry_sim::testing {
namespace {

class Faults : public SimTest {};

TEST_F(Faults, FailNextEachKind) {
  ASSERT_EQ(Post("/_sim/config", R"({"fail_next":{"route":"org_issues","status":503,"count":2}})").status, 200);
  for (int i = 0; i < 2; ++i) {
    auto r = Get(Org() + "issues/");
    EXPECT_EQ(r.status, 503);
    EXPECT_NE(r.body.find("<html>"), std::string::npos);
  }
  EXPECT_EQ(Get(Org() + "issues/").status, 200);

  Post("/_sim/config", R"({"fail_next":[{"route":"members","status":500},{"route":"members","status":502},)"
                       R"({"route":"members","status":504},{"route":"members","kind":"malformed"},)"
                       R"({"route":"org_issues","kind":"query_timeout"}]})");
  auto e500 = Get(Org() + "members/");
  EXPECT_EQ(e500.status, 500);
  const std::string prefix = R"({"detail":"Internal Error","errorId":")";
  EXPECT_TRUE(e500.body.rfind(prefix, 0) == 0 && e500.body.size() == prefix.size() + 34 &&
              IsLowerHex(e500.body.substr(prefix.size(), 32), 32) && e500.body.substr(prefix.size() + 32) == "\"}")
      << e500.body;
  EXPECT_EQ(Get(Org() + "members/").status, 502);
  EXPECT_EQ(Get(Org() + "members/").status, 504);
  auto malformed = Get(Org() + "members/");
  EXPECT_EQ(malformed.status, 200);
  EXPECT_FALSE(json::Parse(malformed.body).ok());
  auto timeout = Get(Org() + "issues/");
  EXPECT_EQ(timeout.status, 400);
  EXPECT_EQ(timeout.body.rfind(R"({"detail":"Query timeout.)", 0), 0u);
  EXPECT_EQ(Get(Org() + "members/").status, 200);
}

TEST_F(Faults, ResetAndStallAreTransportFailures) {
  Post("/_sim/config", R"({"fail_next":[{"route":"org","kind":"reset"},{"route":"org","kind":"stall"}]})");
  net::ClientRequest r;
  r.url = sim_->base_url() + Org();
  r.headers = {{"Authorization", "Bearer " + sim_->token()}};
  r.timeout = std::chrono::milliseconds(500);
  // Fresh clients: curl silently retries a request whose reused connection was reset.
  EXPECT_FALSE(net::HttpClient().Send(r).ok());  // reset
  EXPECT_FALSE(net::HttpClient().Send(r).ok());  // stalled past the client timeout
  auto ok = net::HttpClient().Send(r);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  auto log = Json(Get("/_sim/log?route=org"));
  std::set<std::string> decisions;
  for (const auto& e : log.Items()) decisions.insert(Str(e, "decision"));
  EXPECT_TRUE(decisions.count("fault:reset"));
  EXPECT_TRUE(decisions.count("fault:stall"));
}

TEST_F(Faults, ProbabilitiesAreDeterministicPerSeed) {
  auto run = [](uint64_t seed) {
    SimulatorOptions o;
    o.generator.seed = seed;
    o.faults.faults["*"].probability[FaultKind::STATUS_503] = 0.3;
    o.faults.faults["*"].probability[FaultKind::STATUS_500] = 0.1;
    o.rate_limits.enabled = false;
    Simulator sim(o);
    std::string statuses;
    for (int i = 0; i < 60; ++i) {
      net::HttpRequest req;
      req.method = "GET";
      req.path = "/api/0/organizations/acme/";
      req.headers = {{"Authorization", "Bearer " + sim.token()}};
      statuses += std::to_string(sim.Handle(req).status) + ",";
    }
    return statuses;
  };
  std::string a = run(3);
  EXPECT_EQ(a, run(3));
  EXPECT_NE(a.find("503"), std::string::npos);
  EXPECT_NE(a.find("200"), std::string::npos);
}

// A webhook receiver: records every request.
const char* SECRET = "d3b07384d113edec49eaa6238ad5ff00c86e4a9f6f1b4c2e8a7d9b3f0e1c2a4b";

// Independent HMAC: the openssl command line over the exact bytes, written to a temp file.
std::string OpensslHmac(const std::string& body) {
  auto path = std::filesystem::temp_directory_path() / ("ssim_body_" + std::to_string(::getpid()) + ".bin");
  {
    std::ofstream out(path, std::ios::binary);
    out << body;
  }
  std::string cmd = std::string("openssl dgst -sha256 -hmac ") + SECRET + " -r " + path.string();
  FILE* p = ::popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr);
  char buf[256] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, p);
  ::pclose(p);
  std::filesystem::remove(path);
  return std::string(buf, n).substr(0, 64);
}

class Webhooks : public SimTest {
 protected:
  void Configure(SimulatorOptions& o) override {
    o.webhook_url = receiver_.url();
    o.webhook_secret = SECRET;
  }
  net::HttpRequest Only() {
    auto reqs = receiver_.requests();
    EXPECT_EQ(reqs.size(), 1u);
    receiver_.clear();
    return reqs.empty() ? net::HttpRequest{} : reqs[0];
  }
  static void CheckSigned(const net::HttpRequest& r, const std::string& resource) {
    EXPECT_EQ(*r.Header("Content-Type"), "application/json");
    EXPECT_TRUE(IsLowerHex(*r.Header("Request-ID"), 32));
    EXPECT_EQ(*r.Header("Sentry-Hook-Resource"), resource);
    EXPECT_TRUE(AllDigits(*r.Header("Sentry-Hook-Timestamp")) && r.Header("Sentry-Hook-Timestamp")->size() == 10);
    EXPECT_EQ(*r.Header("Sentry-Hook-Signature"), OpensslHmac(r.body));
    for (unsigned char c : r.body) ASSERT_LT(c, 0x80) << "webhook bodies are pure ASCII";
  }
  Receiver receiver_;
};

TEST_F(Webhooks, IssueCreatedWithNonAsciiTitle) {
  auto r = Post("/_sim/issues?wait=1", R"({"title":"Ошибка: café – timeout ⏱ 💥","project":")" +
                                           Str(Json(Get(Org() + "projects/"))[0], "slug") + "\"}");
  ASSERT_EQ(r.status, 201);
  std::string id = Str(Json(r), "id");
  auto hook = Only();
  CheckSigned(hook, "issue");
  EXPECT_EQ(hook.body.rfind(R"({"action":"created","installation":{"uuid":")" + sim_->installation_uuid() +
                                R"("},"data":{"issue":{"url":")",
                            0),
            0u)
      << hook.body.substr(0, 200);
  EXPECT_NE(hook.body.find(R"("title":"\u041e\u0448\u0438\u0431\u043a\u0430: caf\u00e9 \u2013 timeout \u23f1 )"
                           R"(\ud83d\udca5")"),
            std::string::npos);
  EXPECT_NE(hook.body.find(R"("permalink":null)"), std::string::npos);
  EXPECT_NE(hook.body.find(R"(+00:00")"), std::string::npos);  // created: isoformat dates
  EXPECT_NE(hook.body.find(R"("actor":{"type":"application","id":"sentry","name":"Sentry"}})"), std::string::npos);
  // The new issue is visible through the API.
  EXPECT_EQ(Get(Org() + "issues/" + id + "/").status, 200);
}

TEST_F(Webhooks, WorkflowActionsAndGating) {
  std::string id = Str(Json(Get(Org() + "issues/"))[0], "id");
  ASSERT_EQ(Post("/_sim/issues/" + id + "/resolve?wait=1", R"({"resolution_type":"in_next_release"})").status, 200);
  auto resolved = Only();
  CheckSigned(resolved, "issue");
  EXPECT_EQ(resolved.body.rfind(R"({"action":"resolved",)", 0), 0u);
  EXPECT_NE(resolved.body.find(R"("data":{"resolution_type":"in_next_release","issue":{)"), std::string::npos);
  EXPECT_TRUE(ContainsDigitsBetween(resolved.body, R"("actor":{"type":"user","id":)", R"(,"name":)"));
  {
    size_t at = resolved.body.find(R"("lastSeen":")");
    ASSERT_NE(at, std::string::npos);
    std::string value = resolved.body.substr(at + 12, 27);
    EXPECT_EQ(value[19], '.');  // workflow webhooks: always 6 fraction digits and Z
    EXPECT_EQ(value[26], 'Z') << value;
  }

  std::string team = Str(Json(Get(Org() + "teams/"))[0], "slug");
  Post("/_sim/issues/" + id + "/assign?wait=1", R"({"assignee":"#)" + team + "\"}");
  auto assigned = Only();
  CheckSigned(assigned, "issue");
  EXPECT_TRUE(ContainsDigitsBetween(assigned.body, R"("assignee":{"type":"team","name":")" + team + R"(","id":)",
                                    R"(}},"actor")"));
  Post("/_sim/issues/" + id + "/assign?wait=1", R"({"assignee":""})");
  EXPECT_TRUE(receiver_.requests().empty());  // unassignment sends nothing

  Post("/_sim/issues/" + id + "/archive?wait=1", "{}");
  auto ignored = Only();
  EXPECT_EQ(ignored.body.rfind(R"({"action":"ignored",)", 0), 0u);
  EXPECT_NE(ignored.body.find(R"("substatus":"archived_until_escalating")"), std::string::npos);

  Post("/_sim/issues/" + id + "/unresolve?wait=1", "{}");
  EXPECT_TRUE(receiver_.requests().empty());  // organizations:webhooks-unresolved is off
  Post("/_sim/config", R"({"webhooks_unresolved": true, "legacy_archived": true})");
  Post("/_sim/issues/" + id + "/unresolve?wait=1", "{}");
  EXPECT_EQ(Only().body.rfind(R"({"action":"unresolved",)", 0), 0u);
  Post("/_sim/issues/" + id + "/archive?wait=1", "{}");
  EXPECT_EQ(Only().body.rfind(R"({"action":"archived",)", 0), 0u);

  Post("/_sim/issues/" + id + "/comments?wait=1", R"({"text":"Rolled back 2.14.1 — ça marche"})");
  auto comment = Only();
  CheckSigned(comment, "comment");
  EXPECT_TRUE(
      ContainsDigitsBetween(comment.body, R"("data":{"comment_id":)", R"(,"issue_id":)" + id + R"(,"project_slug":)"));
  EXPECT_NE(comment.body.find(R"(\u2014 \u00e7a marche)"), std::string::npos);
}

TEST_F(Webhooks, SenderFaultsAndNoRetries) {
  std::string id = Str(Json(Get(Org() + "issues/"))[0], "id");
  auto once = [&](const std::string& fault) {
    Post("/_sim/config", R"({"webhook_fault_next":{"kind":")" + fault + R"("}})");
    Post("/_sim/issues/" + id + "/resolve?wait=1", "{}");
    auto reqs = receiver_.requests();
    receiver_.clear();
    return reqs;
  };
  auto bad = once("bad_signature");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(*bad[0].Header("Sentry-Hook-Signature"), OpensslHmac(bad[0].body));
  auto dup = once("duplicate");
  ASSERT_EQ(dup.size(), 2u);
  EXPECT_EQ(dup[0].body, dup[1].body);
  EXPECT_NE(*dup[0].Header("Request-ID"), *dup[1].Header("Request-ID"));
  auto fresh = once("stale_timestamp");
  ASSERT_EQ(fresh.size(), 1u);
  auto normal = once("bad_signature");  // any delivery for a reference timestamp
  EXPECT_GE(
      std::stoll(*normal[0].Header("Sentry-Hook-Timestamp")) - std::stoll(*fresh[0].Header("Sentry-Hook-Timestamp")),
      3600);
  auto cut = once("truncated_body");
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_FALSE(json::Parse(cut[0].body).ok());
  auto wrong = once("wrong_installation");
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_EQ(wrong[0].body.find(sim_->installation_uuid()), std::string::npos);
  EXPECT_EQ(*wrong[0].Header("Sentry-Hook-Signature"), OpensslHmac(wrong[0].body));
  EXPECT_EQ(Post("/_sim/config", R"({"webhook_fault_next":{"kind":"explode"}})").status, 400);

  // Internal integrations: a failing receiver gets exactly one attempt.
  receiver_.set_status(500);
  Post("/_sim/reset-stats", "");
  Post("/_sim/issues/" + id + "/resolve?wait=1", "{}");
  auto attempts = Json(Get("/_sim/webhooks"));
  ASSERT_EQ(attempts.Size(), 1u);
  EXPECT_EQ(attempts[0].Find("status")->AsNumber(), 500);
}

TEST_F(Webhooks, ControlErrorsNameTheField) {
  EXPECT_EQ(Post("/_sim/issues/1/resolve", "{}").body, R"({"error":"issue: unknown issue id '1'"})");
  EXPECT_EQ(Post("/_sim/config", "{bad").status, 400);
  EXPECT_EQ(Post("/_sim/config", R"({"fail_next":{"kind":"boom"}})").status, 400);
  std::string id = Str(Json(Get(Org() + "issues/"))[0], "id");
  EXPECT_EQ(Post("/_sim/issues/" + id + "/assign", R"({"assignee":"#nope"})").body,
            R"({"error":"assignee: unknown team '#nope'"})");
}

TEST(Binary, ServesOnLoopbackAndRefusesOtherAddresses) {
  std::string bin = SENTRY_SIM_BIN;
  std::string refuse = bin + " --listen 0.0.0.0:0 2>&1";
  FILE* p = ::popen(refuse.c_str(), "r");
  char buf[512] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, p);
  int rc = ::pclose(p);
  EXPECT_NE(rc, 0);
  EXPECT_NE(std::string(buf, n).find("loopback only"), std::string::npos);
  for (const char* bad : {" --webhook-delay-ms 70000", " --auto-resolve-hours -1"}) {
    std::string cmd = bin + bad + " 2>&1";
    FILE* b = ::popen(cmd.c_str(), "r");
    size_t m = std::fread(buf, 1, sizeof buf - 1, b);
    EXPECT_NE(::pclose(b), 0) << bad;
    std::string flag = std::string(bad).substr(1, std::string(bad).find(' ', 1) - 1);
    EXPECT_NE(std::string(buf, m).find(flag), std::string::npos) << std::string(buf, m);
  }

  auto dir = std::filesystem::temp_directory_path() / ("ssim_bin_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string port_file = (dir / "port").string();
  std::string cmd = bin + " --listen 127.0.0.1:0 --port-file " + port_file + " --seed 1 --preset small > " +
                    (dir / "out").string() + " 2>&1 & echo $!";
  FILE* s = ::popen(cmd.c_str(), "r");
  n = std::fread(buf, 1, sizeof buf - 1, s);
  ::pclose(s);
  int pid = std::stoi(std::string(buf, n));
  std::string port;
  for (int i = 0; i < 300 && port.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(port_file);
    std::getline(in, port);
  }
  ASSERT_FALSE(port.empty());
  net::HttpClient client;
  net::ClientRequest r;
  r.url = "http://127.0.0.1:" + port + "/api/0/organizations/acme/";
  r.headers = {{"Authorization", "Bearer sntryi_0000000000000000000000000000000000000000000000000000000000000001"}};
  auto res = client.Send(r);
  ::kill(pid, SIGTERM);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 200);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sp::sentry_sim::testing

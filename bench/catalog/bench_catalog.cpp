// Bulk upserts into the catalog: entities/s in-process (the sync engine's local target) and through port-sim
// over loopback HTTP (E2, 20 entities per request). Prints figures; never asserts on time.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"
#include "net/http_client.hpp"
#include "port-sim/port_sim.hpp"

namespace {

using sp::json::Value;
constexpr const char* kUa = "port-ocean/sentry/0.3.153/bench/exporter";

Value Parse(const std::string& text) {
  return sp::json::Parse(text).value();
}

const char* kProject = R"({"identifier":"project","schema":{"properties":{"platform":{"type":"string"}}}})";
const char* kIssue = R"({"identifier":"issue","schema":{"properties":{
  "link":{"type":"string","format":"url"},"status":{"type":"string","enum":["resolved","unresolved","ignored"]},
  "isUnhandled":{"type":"boolean"},"count":{"type":"number"},"firstSeen":{"type":"string","format":"date-time"}}},
  "relations":{"project":{"target":"project","many":false}}})";

Value Issue(int i) {
  return Parse(R"({"identifier":"issue-)" + std::to_string(i) + R"(","blueprint":"issue","title":"Error )" +
               std::to_string(i) + R"( in checkout","properties":{"link":"https://sentry.io/issues/)" +
               std::to_string(i) + R"(","status":"unresolved","isUnhandled":true,"count":)" + std::to_string(i % 977) +
               R"(,"firstSeen":"2026-08-20T11:22:33.123Z"},"relations":{"project":"p)" + std::to_string(i % 50) +
               "\"}}");
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void InProcess(const std::string& label, const std::string& path, int total, int batch, bool merge) {
  auto catalog = sp::catalog::Catalog::Open(path).value();
  (void)catalog->CreateBlueprint(Parse(kProject));
  (void)catalog->CreateBlueprint(Parse(kIssue));
  std::vector<Value> projects;
  for (int i = 0; i < 50; ++i) projects.push_back(Parse(R"({"identifier":"p)" + std::to_string(i) + "\"}"));
  (void)catalog->UpsertEntities("project", projects, {.upsert = true}, kUa);
  std::vector<Value> items;
  for (int i = 0; i < total; ++i) items.push_back(Issue(i));
  for (int pass = 0; pass < 2; ++pass) {  // pass 0 creates, pass 1 updates the same entities
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();  // CPU time: a loaded machine shrinks wall-clock figures
    size_t failed = 0;
    for (int i = 0; i < total; i += batch) {
      const size_t n = static_cast<size_t>(std::min(batch, total - i));
      auto r = catalog->UpsertEntities("issue", std::span<const Value>(items.data() + i, n),
                                       {.upsert = true, .merge = merge}, kUa);
      if (!r.ok()) ++failed;
    }
    const double s = Seconds(start);
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    std::printf(
        "catalog in-process %-8s %-7s batch=%-4d %s: %d entities, wall %.2f s = %.0f/s, cpu %.2f s = %.0f/s per "
        "core%s\n",
        label.c_str(), merge ? "merge" : "replace", batch, pass == 0 ? "create" : "update", total, s, total / s, cpu,
        total / cpu, failed ? " (FAILED batches)" : "");
  }
}

void OverHttp(int total, int threads) {
  sp::port_sim::PortSimOptions options;
  options.client_id = "bench";
  options.client_secret = "bench-secret";
  options.threads = 4;
  auto sim = sp::port_sim::PortSim::Start(options).value();
  sp::net::HttpClient client;
  auto send = [&](const std::string& method, const std::string& target, const std::string& body,
                  const std::string& token) {
    sp::net::ClientRequest req;
    req.method = method;
    req.url = sim->base_url() + target;
    req.body = body;
    req.headers.emplace_back("Content-Type", "application/json");
    req.headers.emplace_back("User-Agent", kUa);
    if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
    return client.Send(req);
  };
  auto tok = send("POST", "/v1/auth/access_token", R"({"clientId":"bench","clientSecret":"bench-secret"})", "");
  const std::string token(Parse(tok->body).Find("accessToken")->AsString());
  (void)send("POST", "/v1/blueprints", kProject, token);
  (void)send("POST", "/v1/blueprints", kIssue, token);
  std::string projects = R"({"entities":[)";
  for (int i = 0; i < 20; ++i)
    projects += std::string(i ? "," : "") + R"({"identifier":"p)" + std::to_string(i) + "\"}";
  (void)send("POST", "/v1/blueprints/project/entities/bulk?upsert=true", projects + "]}", token);
  std::string projects2 = R"({"entities":[)";
  for (int i = 20; i < 40; ++i)
    projects2 += std::string(i > 20 ? "," : "") + R"({"identifier":"p)" + std::to_string(i) + "\"}";
  (void)send("POST", "/v1/blueprints/project/entities/bulk?upsert=true", projects2 + "]}", token);
  std::string projects3 = R"({"entities":[)";
  for (int i = 40; i < 50; ++i)
    projects3 += std::string(i > 40 ? "," : "") + R"({"identifier":"p)" + std::to_string(i) + "\"}";
  (void)send("POST", "/v1/blueprints/project/entities/bulk?upsert=true", projects3 + "]}", token);

  std::vector<std::string> bodies;
  for (int i = 0; i < total; i += 20) {
    Value arr = Value::Array();
    for (int j = i; j < std::min(total, i + 20); ++j) arr.Append(Issue(j));
    Value body = Value::Object();
    body.Set("entities", std::move(arr));
    bodies.push_back(sp::json::ToJson(body));
  }
  std::atomic<size_t> next{0}, failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < bodies.size(); i = next++) {
        auto r = send("POST", "/v1/blueprints/issue/entities/bulk?upsert=true&merge=true", bodies[i], token);
        if (!r.ok() || r->status != 200) ++failures;
      }
    });
  }
  for (auto& t : pool) t.join();
  const double s = Seconds(start);
  std::printf(
      "port-sim over HTTP  E2 batch=20 concurrency=%d: %d entities in %.3f s = %.0f entities/s (%zu failed requests)\n",
      threads, total, s, total / s, failures.load());
  sim->Stop();
}

}  // namespace

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 100000;
  char tmpl[] = "/tmp/sp-bench-catalog-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 1;
  const std::string dir = tmpl;
  InProcess("memory", ":memory:", total, 20, false);
  InProcess("file-wal", dir + "/a.db", total, 20, false);
  InProcess("file-wal", dir + "/b.db", total, 20, true);
  InProcess("file-wal", dir + "/c.db", total, 1000, false);
  OverHttp(std::min(total, 40000), 8);
  std::filesystem::remove_all(dir);
  return 0;
}

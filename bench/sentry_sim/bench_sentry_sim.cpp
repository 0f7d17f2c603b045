// bench_sentry_sim: how fast the simulator serves 100-issue pages of the org issue search over loopback HTTP
// on one server thread, plus generation time of the presets. Prints figures; never asserts on time.
//
// Usage: bench_sentry_sim [--preset medium] [--seconds 3] [--clients 4]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "generator.hpp"
#include "net/http_client.hpp"
#include "simulator.hpp"

using namespace sp::sentry_sim;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  std::string preset = "medium";
  double seconds = 3;
  int clients = 4;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--preset"))
      preset = argv[i + 1];
    else if (!std::strcmp(argv[i], "--seconds"))
      seconds = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--clients"))
      clients = std::atoi(argv[i + 1]);
  }
  for (const char* p : {"small", "medium", "large"}) {
    GeneratorOptions g;
    (void)ApplyPreset(p, g);
    auto t0 = Clock::now();
    Dataset d = Generate(g);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::printf("generate %-6s  %7zu issues  %5zu projects  %8.1f ms\n", p, d.issues.size(), d.projects.size(), ms);
  }

  SimulatorOptions o;
  if (!ApplyPreset(preset, o.generator).ok()) return 2;
  o.threads = 1;  // one server thread
  o.rate_limits.enabled = false;
  o.log_capacity = 1000;
  Simulator sim(o);
  if (!sim.Start().ok()) return 1;
  // Follow the cursor through the whole organization, like a full sync does, round-robin across clients.
  std::atomic<int64_t> pages{0}, bytes{0}, errors{0};
  std::atomic<bool> stop{false};
  auto worker = [&](int w) {
    sp::net::HttpClient client;
    std::string cursor;
    while (!stop) {
      sp::net::ClientRequest r;
      r.url = sim.base_url() + "/api/0/organizations/acme/issues/?project=-1&query=&limit=100&sort=new" +
              (cursor.empty() ? "" : "&cursor=" + cursor);
      r.headers = {{"Authorization", "Bearer " + sim.token()}};
      auto res = client.Send(r);
      if (!res.ok() || res->status != 200) {
        ++errors;
        continue;
      }
      ++pages;
      bytes += static_cast<int64_t>(res->body.size());
      const std::string* link = res->Header("link");
      cursor.clear();
      if (link) {
        auto next = link->find("rel=\"next\"; results=\"true\"; cursor=\"");
        if (next != std::string::npos) {
          size_t start = next + std::strlen("rel=\"next\"; results=\"true\"; cursor=\"");
          cursor = link->substr(start, link->find('"', start) - start);
        }
      }
      (void)w;
    }
  };
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int w = 0; w < clients; ++w) threads.emplace_back(worker, w);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("serve %s org issues, 100/page, 1 server thread, %d clients: %.0f pages/s, %.1f MB/s, %lld errors\n",
              preset.c_str(), clients, static_cast<double>(pages) / secs, static_cast<double>(bytes) / secs / 1e6,
              static_cast<long long>(errors));

  // Handler only (no sockets): the simulator's own cost per page.
  sp::net::HttpRequest req;
  req.method = "GET";
  req.path = "/api/0/organizations/acme/issues/";
  req.query = "project=-1&query=&limit=100&sort=new";
  req.headers = {{"Authorization", "Bearer " + sim.token()}};
  int64_t n = 0, b = 0;
  auto h0 = Clock::now();
  while (std::chrono::duration<double>(Clock::now() - h0).count() < seconds / 2) {
    b += static_cast<int64_t>(sim.Handle(req).body.size());
    ++n;
  }
  double hs = std::chrono::duration<double>(Clock::now() - h0).count();
  std::printf("handler only: %.0f pages/s, %.1f MB/s (%.0f bytes/page)\n", static_cast<double>(n) / hs,
              static_cast<double>(b) / hs / 1e6, static_cast<double>(b) / static_cast<double>(n));
  sim.Stop();
  return 0;
}

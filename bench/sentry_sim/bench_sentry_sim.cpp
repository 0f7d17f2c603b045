// bench_sentry_sim: how fast the simulator serves 100-issue pages of the org issue search (issue 5's benchmark:
// >= 2,000 pages/s on one core). Phases: preset generation; the handler alone walking the whole org by cursor
// with a cold render cache (best of three), then warm, timed on the calling thread's CPU clock (one core, no sockets);
// and the same walk over loopback HTTP on one server thread. Prints figures, wall and CPU time and the load average;
// never asserts on time.
//
// Usage: bench_sentry_sim [--preset medium] [--seconds 3] [--clients 4] [--cache-mb 256] [--skip-generate]
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "generator.hpp"
#include "net/http_client.hpp"
#include "simulator.hpp"

using namespace sp::sentry_sim;
using Clock = std::chrono::steady_clock;

namespace {

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return tv(ru.ru_utime) + tv(ru.ru_stime);
}

std::string NextCursor(const std::string* link) {
  if (!link) return "";
  const char* marker = "rel=\"next\"; results=\"true\"; cursor=\"";
  auto next = link->find(marker);
  if (next == std::string::npos) return "";
  size_t start = next + std::strlen(marker);
  return link->substr(start, link->find('"', start) - start);
}

const char* PAGE_QUERY = "project=-1&query=&limit=100&sort=new";

// Walks every page of the org issue search through Handle() (no sockets), until `seconds` have passed (at
// least one whole walk). Returns pages, bytes, wall and thread CPU seconds.
struct Figures {
  int64_t pages = 0, bytes = 0;
  double wall = 0, cpu = 0;
};

Figures WalkHandler(Simulator& sim, double seconds, bool one_walk) {
  sp::net::HttpRequest req;
  req.method = "GET";
  req.path = "/api/0/organizations/" + sim.org_slug() + "/issues/";
  req.headers = {{"Authorization", "Bearer " + sim.token()}};
  Figures f;
  auto w0 = Clock::now();
  double c0 = ThreadCpuSeconds();
  std::string cursor;
  while (true) {
    req.query = std::string(PAGE_QUERY) + (cursor.empty() ? "" : "&cursor=" + cursor);
    auto resp = sim.Handle(req);
    ++f.pages;
    f.bytes += static_cast<int64_t>(resp.body.size());
    cursor = NextCursor(sp::net::FindHeader(resp.headers, "Link"));
    if (cursor.empty() && one_walk) break;
    if (std::chrono::duration<double>(Clock::now() - w0).count() >= seconds && (cursor.empty() || !one_walk)) break;
  }
  f.wall = std::chrono::duration<double>(Clock::now() - w0).count();
  f.cpu = ThreadCpuSeconds() - c0;
  return f;
}

void Print(const char* what, const Figures& f) {
  std::printf("%-34s %6lld pages  %7.0f pages/s wall  %7.0f pages/s CPU  %6.1f MB/s CPU  (%.0f bytes/page)\n", what,
              static_cast<long long>(f.pages), static_cast<double>(f.pages) / f.wall,
              static_cast<double>(f.pages) / f.cpu, static_cast<double>(f.bytes) / f.cpu / 1e6,
              static_cast<double>(f.bytes) / static_cast<double>(f.pages));
}

}  // namespace

int main(int argc, char** argv) {
  std::string preset = "medium";
  double seconds = 3;
  int clients = 4;
  size_t cache_mb = 256;
  bool skip_generate = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--skip-generate") {
      skip_generate = true;
      continue;
    }
    if (i + 1 >= argc) break;
    if (a == "--preset")
      preset = argv[++i];
    else if (a == "--seconds")
      seconds = std::atof(argv[++i]);
    else if (a == "--clients")
      clients = std::atoi(argv[++i]);
    else if (a == "--cache-mb")
      cache_mb = static_cast<size_t>(std::atol(argv[++i]));
  }
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0) load[0] = -1;
  std::printf("load average %.2f %.2f %.2f on %u cores (figures are noisy when the machine is busy)\n", load[0],
              load[1], load[2], std::thread::hardware_concurrency());
  if (!skip_generate) {
    for (const char* p : {"small", "medium", "large"}) {
      GeneratorOptions g;
      (void)ApplyPreset(p, g);
      auto t0 = Clock::now();
      double c0 = ThreadCpuSeconds();
      Dataset d = Generate(g);
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      std::printf("generate %-6s  %7zu issues  %5zu projects  %8.1f ms wall  %8.1f ms CPU\n", p, d.issues.size(),
                  d.projects.size(), ms, (ThreadCpuSeconds() - c0) * 1000);
    }
  }

  SimulatorOptions o;
  if (!ApplyPreset(preset, o.generator).ok()) return 2;
  o.threads = 1;  // one server thread
  o.rate_limits.enabled = false;
  o.log_capacity = 1000;
  o.render_cache_mb = cache_mb;
  Simulator sim(o);
  if (!sim.Start().ok()) return 1;

  // Handler alone on this thread: the simulator's own cost per page on one core. Cold: best of three whole
  // walks, each after a config POST (any control mutation empties the render cache).
  Figures cold;
  for (int k = 0; k < 3; ++k) {
    sp::net::HttpRequest clear;
    clear.method = "POST";
    clear.path = "/_sim/config";
    clear.body = "{}";
    (void)sim.Handle(clear);
    Figures f = WalkHandler(sim, 0, true);
    if (k == 0 || f.cpu < cold.cpu) cold = f;
  }
  Print(("handler, cold cache, " + preset + ":").c_str(), cold);
  Print(("handler, warm cache, " + preset + ":").c_str(), WalkHandler(sim, seconds / 2, false));

  // Over loopback HTTP: clients follow the cursor through the org, round-robin on one server thread.
  std::atomic<int64_t> pages{0}, bytes{0}, errors{0};
  std::atomic<double> client_cpu{0};
  std::atomic<bool> stop{false};
  auto worker = [&]() {
    sp::net::HttpClient client;
    std::string cursor;
    while (!stop) {
      sp::net::ClientRequest r;
      r.url = sim.base_url() + "/api/0/organizations/" + sim.org_slug() + "/issues/?" + PAGE_QUERY +
              (cursor.empty() ? "" : "&cursor=" + cursor);
      r.headers = {{"Authorization", "Bearer " + sim.token()}};
      auto res = client.Send(r);
      if (!res.ok() || res->status != 200) {
        ++errors;
        continue;
      }
      ++pages;
      bytes += static_cast<int64_t>(res->body.size());
      cursor = NextCursor(res->Header("link"));
    }
    double mine = ThreadCpuSeconds(), seen = client_cpu.load();
    while (!client_cpu.compare_exchange_weak(seen, seen + mine)) {
    }
  };
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  double p0 = ProcessCpuSeconds();
  for (int w = 0; w < clients; ++w) threads.emplace_back(worker);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  // The server thread's CPU: the process's minus the clients' (the main thread sleeps meanwhile).
  double server_cpu = ProcessCpuSeconds() - p0 - client_cpu.load();
  std::printf(
      "HTTP %s, 100/page, 1 server thread, %d clients: %.0f pages/s wall, %.1f MB/s wall, %lld errors; "
      "server CPU %.2f s => %.0f pages/s and %.1f MB/s per server core (clients used %.2f s CPU)\n",
      preset.c_str(), clients, static_cast<double>(pages) / secs, static_cast<double>(bytes) / secs / 1e6,
      static_cast<long long>(errors), server_cpu, static_cast<double>(pages) / server_cpu,
      static_cast<double>(bytes) / server_cpu / 1e6, client_cpu.load());
  sim.Stop();
  return 0;
}

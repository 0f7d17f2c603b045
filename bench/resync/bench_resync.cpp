// bench_resync: a full ONCE resync (`sentry-port sync --target port`, profile "seed": kinds project and issue)
// of a generated Sentry organization into an empty port-sim, then the same resync again (nothing changed), with
// both simulators answering instantly or after a fixed latency. The simulators and each sync run as separate
// processes, so wall, CPU and peak RSS are the sync's own (wait4). Prints figures and targets; never asserts.
//
//   bench_resync                      100 projects x 500 issues at 0 ms and at 50 ms (what `make bench` runs)
//   bench_resync --scaling            peak RSS at 20,000 vs 200,000 issues (0 ms, first run)
//   bench_resync --projects N --issues-per-project M --latency-ms L   one custom shape
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "json/parse.hpp"
#include "json/value.hpp"
#include "net/http_client.hpp"
#include "process.hpp"

#ifndef SP_SENTRY_PORT_BIN
#define SP_SENTRY_PORT_BIN "sentry-port"
#endif
#ifndef SP_SENTRY_SIM_BIN
#define SP_SENTRY_SIM_BIN "sentry-sim"
#endif
#ifndef SP_PORT_SIM_BIN
#define SP_PORT_SIM_BIN "port-sim"
#endif

namespace {

namespace fs = std::filesystem;
using sp::bench::Child;
using sp::bench::ChildUsage;

struct Programs {
  std::string sentry_port = SP_SENTRY_PORT_BIN;
  std::string sentry_sim = SP_SENTRY_SIM_BIN;
  std::string port_sim = SP_PORT_SIM_BIN;
};

struct Shape {
  int projects = 100;
  int issues_per_project = 500;
  int latency_ms = 0;
  bool second_run = true;
};

using Counts = std::map<std::string, int64_t>;

struct RunFigures {
  ChildUsage usage;
  Counts sentry_calls;
  Counts port_calls;
  std::vector<std::string> summary;  // the sync's summary table
};

const char* kClientId = "bench-client-id";
const char* kClientSecret = "bench-client-secret";
const char* kSentryToken = "sntryi_0000000000000000000000000000000000000000000000000000000000000001";

sp::Result<sp::json::Value> CallJson(sp::net::HttpClient& http, const std::string& method, const std::string& url,
                                     const std::string& body = "") {
  sp::net::ClientRequest req;
  req.method = method;
  req.url = url;
  req.body = body;
  if (!body.empty()) req.headers.emplace_back("content-type", "application/json");
  auto res = http.Send(req);
  if (!res.ok()) return res.error();
  if (res->status != 200) {
    return sp::Error(sp::ErrorCode::UNAVAILABLE, "HTTP " + std::to_string(res->status) + ": " + res->body, url);
  }
  return sp::json::Parse(res->body);
}

// Per-route call counts from a simulator's /_sim/stats (`count_key`: "calls" for sentry-sim, "count" for port-sim).
Counts RouteCounts(const sp::json::Value& stats, const char* count_key) {
  Counts out;
  const sp::json::Value* routes = stats.Find("routes");
  if (routes == nullptr || !routes->IsObject()) return out;
  for (const auto& m : routes->Members()) {
    const sp::json::Value* n = m.value.Find(count_key);
    if (n != nullptr && n->IsNumber()) out[std::string(m.key.AsString())] = static_cast<int64_t>(n->AsNumber());
  }
  return out;
}

Counts Minus(const Counts& after, const Counts& before) {
  Counts out;
  for (const auto& [k, v] : after) {
    auto it = before.find(k);
    int64_t d = v - (it == before.end() ? 0 : it->second);
    if (d != 0) out[k] = d;
  }
  return out;
}

int64_t Total(const Counts& c) {
  int64_t t = 0;
  for (const auto& [k, v] : c) t += v;
  return t;
}

std::string Join(const Counts& c) {
  std::string out;
  for (const auto& [k, v] : c) out += (out.empty() ? "" : ", ") + k + " " + std::to_string(v);
  return out.empty() ? "-" : out;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// The simulators of one shape, started once; each Sync() is one `sentry-port sync` process against them.
class Rig {
 public:
  Rig(const Programs& programs, const Shape& shape, const fs::path& dir)
      : programs_(programs), shape_(shape), dir_(dir) {}

  bool Start() {
    std::string sentry_port_file = (dir_ / "sentry.port").string();
    std::string port_port_file = (dir_ / "port.port").string();
    if (!sentry_.Spawn(
            {programs_.sentry_sim, "--listen", "127.0.0.1:0", "--port-file", sentry_port_file, "--projects",
             std::to_string(shape_.projects), "--issues-per-project", std::to_string(shape_.issues_per_project),
             "--members", "10", "--teams", "3", "--threads", "2", "--token", kSentryToken, "--self-hosted"},
            {}, (dir_ / "sentry-sim.log").string())) {
      std::fprintf(stderr, "bench_resync: cannot start %s\n", programs_.sentry_sim.c_str());
      return false;
    }
    std::string faults = "{\"routes\":{\"*\":{\"latency_ms\":" + std::to_string(shape_.latency_ms) + "}}}";
    if (!port_.Spawn({programs_.port_sim, "--listen", "127.0.0.1:0", "--port-file", port_port_file, "--client-id",
                      kClientId, "--client-secret", kClientSecret, "--threads", "4", "--faults", faults},
                     {}, (dir_ / "port-sim.log").string())) {
      std::fprintf(stderr, "bench_resync: cannot start %s\n", programs_.port_sim.c_str());
      return false;
    }
    auto sp = sp::bench::WaitForPortFile(sentry_port_file, std::chrono::seconds(60));
    auto pp = sp::bench::WaitForPortFile(port_port_file, std::chrono::seconds(60));
    if (!sp || !pp) {
      std::fprintf(stderr, "bench_resync: the simulators did not start (logs in %s)\n", dir_.c_str());
      return false;
    }
    sentry_url_ = "http://127.0.0.1:" + std::to_string(*sp);
    port_url_ = "http://127.0.0.1:" + std::to_string(*pp);
    if (shape_.latency_ms > 0) {
      // A fixed latency on every Sentry route (p50 = p99: no spread), as port-sim's latency_ms is.
      std::string l =
          "{\"p50\":" + std::to_string(shape_.latency_ms) + ",\"p99\":" + std::to_string(shape_.latency_ms) + "}";
      std::string lat = "{\"*\":" + l;
      for (const char* r : {"org", "org_projects", "projects", "members", "teams", "team_members", "sentry_apps",
                            "sentry_app_installations", "org_issues", "project_issues", "project_tag_values",
                            "issue_tag_values", "issue_detail"}) {
        lat += std::string(",\"") + r + "\":" + l;
      }
      lat += "}";
      auto r = CallJson(http_, "POST", sentry_url_ + "/_sim/config", "{\"latency_scale\":1,\"latency\":" + lat + "}");
      if (!r.ok()) {
        std::fprintf(stderr, "bench_resync: configuring sentry-sim latency: %s\n", r.error().ToString().c_str());
        return false;
      }
    }
    return true;
  }

  bool Sync(int run, RunFigures& out) {
    auto sentry_before = Stats(sentry_url_, "calls");
    auto port_before = Stats(port_url_, "count");
    std::string log = (dir_ / ("sync-" + std::to_string(run) + ".log")).string();
    std::string summary = (dir_ / ("sync-" + std::to_string(run) + ".out")).string();
    Child sync;
    std::vector<std::string> env = {
        "OCEAN__PORT__BASE_URL=" + port_url_,
        std::string("OCEAN__PORT__CLIENT_ID=") + kClientId,
        std::string("OCEAN__PORT__CLIENT_SECRET=") + kClientSecret,
        "OCEAN__INTEGRATION__CONFIG__SENTRY_HOST=" + sentry_url_,
        std::string("OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN=") + kSentryToken,
        "OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION=acme",
        "OCEAN__INTEGRATION__IDENTIFIER=bench-sentry",
        "APPLICATION__LOG_LEVEL=WARNING",
        "SENTRY_PORT__LOG_FORMAT=text",
    };
    if (!sync.Spawn({programs_.sentry_port, "sync", "--target", "port", "--profile", "seed"}, env, summary)) {
      std::fprintf(stderr, "bench_resync: cannot start %s\n", programs_.sentry_port.c_str());
      return false;
    }
    out.usage = sync.Wait();
    out.sentry_calls = Minus(Stats(sentry_url_, "calls"), sentry_before);
    out.port_calls = Minus(Stats(port_url_, "count"), port_before);
    std::ifstream in(summary);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) out.summary.push_back(line);
    }
    (void)log;
    return true;
  }

 private:
  Counts Stats(const std::string& base, const char* key) {
    auto s = CallJson(http_, "GET", base + "/_sim/stats");
    return s.ok() ? RouteCounts(*s, key) : Counts{};
  }

  const Programs& programs_;
  Shape shape_;
  fs::path dir_;
  sp::net::HttpClient http_;
  Child sentry_;
  Child port_;
  std::string sentry_url_;
  std::string port_url_;
};

void PrintRun(const char* label, const RunFigures& f, bool show_summary) {
  const auto& u = f.usage;
  std::printf("  %-14s wall %7.2f s   CPU %6.2f s (user %.2f, sys %.2f)   peak RSS %6.1f MB   exit %d\n", label,
              u.wall_seconds, u.user_seconds + u.system_seconds, u.user_seconds, u.system_seconds,
              static_cast<double>(u.peak_rss_kb) / 1024.0, u.exit_code);
  std::printf("  %-14s Sentry calls %lld: %s\n", "", static_cast<long long>(Total(f.sentry_calls)),
              Join(f.sentry_calls).c_str());
  std::printf("  %-14s Port calls %lld: %s\n", "", static_cast<long long>(Total(f.port_calls)),
              Join(f.port_calls).c_str());
  if (show_summary || u.exit_code != 0) {
    for (const auto& line : f.summary) std::printf("  %-14s | %s\n", "", line.c_str());
  }
}

// Runs one shape (first run, then optionally the unchanged second run); false when something could not start.
bool RunShape(const Programs& programs, const Shape& shape, std::vector<RunFigures>& runs) {
  char templ[] = "/tmp/bench_resync.XXXXXX";
  char* dir = mkdtemp(templ);
  if (dir == nullptr) return false;
  bool ok = true;
  {
    Rig rig(programs, shape, dir);
    ok = rig.Start();
    for (int run = 1; ok && run <= (shape.second_run ? 2 : 1); ++run) {
      RunFigures f;
      ok = rig.Sync(run, f);
      if (ok) runs.push_back(std::move(f));
    }
  }
  if (ok) fs::remove_all(dir);
  return ok;
}

void PrintTargets(int latency_ms) {
  if (latency_ms == 0) {
    std::printf("  targets: wall <= 2 s, CPU <= 1 s, peak RSS <= 64 MB; unchanged run writes nothing (no E2)\n");
    std::printf(
        "  Ocean (same shape, this machine): 90-96 s wall, 86-92 s CPU, 226-277 MB; 501 Sentry calls, "
        "~4,160 Port calls\n");
  } else {
    std::printf("  targets: wall <= 20 s, peak RSS <= 64 MB\n");
    std::printf("  Ocean (same shape, this machine, 50 ms): 189-208 s wall\n");
  }
}

int RunDefault(const Programs& programs, std::vector<int> latencies, int projects, int issues) {
  int failures = 0;
  for (int latency : latencies) {
    Shape shape{projects, issues, latency, true};
    std::printf("\n%d projects x %d issues, simulators' latency %d ms (load average %s)\n", projects, issues, latency,
                LoadAverage().c_str());
    std::vector<RunFigures> runs;
    if (!RunShape(programs, shape, runs)) ++failures;
    for (size_t i = 0; i < runs.size(); ++i) {
      PrintRun(i == 0 ? "first run" : "unchanged run", runs[i], i == 0);
      if (runs[i].usage.exit_code != 0) ++failures;
    }
    PrintTargets(latency);
  }
  return failures;
}

int RunScaling(const Programs& programs) {
  std::printf("\nPeak RSS vs size (0 ms, first run; target: 200,000 issues <= 1.2 x 20,000 issues)\n");
  long rss[2] = {0, 0};
  int failures = 0;
  int projects[2] = {40, 400};
  for (int i = 0; i < 2; ++i) {
    std::vector<RunFigures> runs;
    Shape shape{projects[i], 500, 0, false};
    if (!RunShape(programs, shape, runs) || runs.empty()) {
      ++failures;
      continue;
    }
    std::printf("  %7d issues (%d projects x 500): load average %s\n", projects[i] * 500, projects[i],
                LoadAverage().c_str());
    PrintRun("first run", runs[0], false);
    rss[i] = runs[0].usage.peak_rss_kb;
    if (runs[0].usage.exit_code != 0) ++failures;
  }
  if (rss[0] > 0 && rss[1] > 0) {
    std::printf("  peak RSS ratio 200,000 / 20,000 issues: %.2f x (target <= 1.2 x)\n",
                static_cast<double>(rss[1]) / static_cast<double>(rss[0]));
  }
  return failures;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_resync: full ONCE resync against sentry-sim and port-sim (child processes)"};
  Programs programs;
  bool scaling = false;
  int projects = 100, issues = 500, latency = -1;
  app.add_flag("--scaling", scaling, "peak RSS at 20,000 vs 200,000 issues instead of the default runs");
  app.add_option("--projects", projects, "projects of the generated organization");
  app.add_option("--issues-per-project", issues, "issues per project");
  app.add_option("--latency-ms", latency, "one latency instead of 0 and 50 ms");
  app.add_option("--sentry-port", programs.sentry_port, "the sentry-port binary");
  app.add_option("--sentry-sim", programs.sentry_sim, "the sentry-sim binary");
  app.add_option("--port-sim", programs.port_sim, "the port-sim binary");
  CLI11_PARSE(app, argc, argv);

  std::printf(
      "bench_resync: `sentry-port sync --target port --profile seed` (kinds project, issue) into port-sim;\n"
      "each sync is its own process (wall, CPU = user + sys, peak RSS from wait4: the simulators excluded).\n"
      "sentry-sim runs self-hosted (no rate limits: sentry.io allows 10 issue-list calls/s per org, which\n"
      "alone would take 50 s for the 500 pages of this shape).\n"
      "%ld core(s); figures are noisy when other processes share the cores (load average printed).\n",
      sysconf(_SC_NPROCESSORS_ONLN));
  int failures = scaling ? RunScaling(programs)
                         : RunDefault(programs, latency >= 0 ? std::vector<int>{latency} : std::vector<int>{0, 50},
                                      projects, issues);
  return failures == 0 ? 0 : 1;
}

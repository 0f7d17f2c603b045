// bench_sentry_read: a full read of the default six kinds (user, team with members, project, issue, project-tag,
// issue-tag) of a 100-project, 50,000-issue organization from an in-process sentry-sim over loopback, under
// Sentry's published limits (the simulator's defaults) scaled by a budget multiplier so that the run is short.
//
// Prints calls per route and per kind, wall and CPU time, the lower bound the rate limits set for the calls we
// made (per kind: every bucket's calls beyond its first window cost window/limit seconds; kinds run one after
// the other, as the sync engine runs them), and Port's Ocean call pattern for issue-tag (1 + issue pages + one
// tag call per issue) with its lower bound under the same limits. Never asserts on time.
//
// Usage: bench_sentry_read [--projects 100] [--issues-per-project 500] [--multiplier 6] [--latency-scale X]
//                          [--members 300] [--teams 30]
//   --latency-scale defaults to 1/multiplier: the simulator's latency model shrinks with the budget, so the
//   ratio of latency to window length stays Sentry's.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "json/parse.hpp"
#include "net/http_client.hpp"
#include "sentry/client.hpp"
#include "sentry/kinds/registry.hpp"
#include "simulator.hpp"

namespace {

using SteadyClock = std::chrono::steady_clock;

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return tv(ru.ru_utime) + tv(ru.ru_stime);
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

class CountingSink : public sp::model::RawSink {
 public:
  bool OnBatch(std::string_view, std::vector<sp::json::Value>&& batch) override {
    items += batch.size();
    return true;
  }
  void OnScope(std::string_view, const sp::model::ScopeStatus& s) override {
    if (s.state != sp::model::ScopeState::COMPLETE) ++incomplete;
  }
  std::atomic<uint64_t> items{0};
  std::atomic<uint64_t> incomplete{0};
};

// The simulator route (rate-limit table key) of each client bucket; routes absent from the simulator's overrides
// share its default bucket, as on Sentry.
const std::map<std::string, std::string>& RouteOfBucket() {
  static const std::map<std::string, std::string> m = {
      {"organizations/{org}/", "org"},
      {"organizations/{org}/projects/", "org_projects"},
      {"organizations/{org}/issues/", "org_issues"},
      {"projects/{org}/{project}/tags/{key}/values/", "project_tag_values"},
      {"organizations/{org}/issues/{id}/tags/{key}/values/", "issue_tag_values"},
      {"organizations/{org}/members/", "members"},
      {"organizations/{org}/teams/", "teams"},
      {"teams/{org}/{team}/members/", "team_members"},
  };
  return m;
}

struct Rule {
  double limit = 0;
  double window = 1;
};

// The org-category rule (integration tokens) of a simulator route, scaled like the simulator scales it.
Rule RuleOf(const sp::sentry_sim::RateLimitOptions& o, const std::string& route, double multiplier,
            std::string* bucket) {
  auto it = o.overrides.find(route);
  const auto& limits = it != o.overrides.end() ? it->second : o.defaults;
  *bucket = it != o.overrides.end() ? route : "default";
  Rule r;
  r.limit = std::max(1.0, std::round(limits.org.limit * multiplier));
  r.window = std::max(1, limits.org.window_s);
  return r;
}

// Lower bound for `calls` in a bucket: the first window's allowance may go at once, every further call costs
// window/limit seconds.
double BucketBound(double calls, const Rule& r) {
  return std::max(0.0, calls - r.limit) * r.window / r.limit;
}

struct KindRun {
  std::string kind;
  std::string selector;
  double wall = 0;
  uint64_t items = 0;
  uint64_t incomplete = 0;
  std::map<std::string, uint64_t> calls;  // client bucket -> calls
  double bound = 0;
  std::string bound_bucket;
};

std::map<std::string, uint64_t> Diff(const std::map<std::string, uint64_t>& after,
                                     const std::map<std::string, uint64_t>& before) {
  std::map<std::string, uint64_t> out;
  for (const auto& [k, v] : after) {
    auto it = before.find(k);
    uint64_t d = v - (it == before.end() ? 0 : it->second);
    if (d > 0) out[k] = d;
  }
  return out;
}

uint64_t Total(const std::map<std::string, uint64_t>& m) {
  uint64_t t = 0;
  for (const auto& [_, v] : m) t += v;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int projects = 100;
  int issues_per_project = 500;
  int members = 300;
  int teams = 30;
  double multiplier = 6;
  double latency_scale = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    double v = std::atof(argv[i + 1]);
    if (a == "--projects")
      projects = static_cast<int>(v);
    else if (a == "--issues-per-project")
      issues_per_project = static_cast<int>(v);
    else if (a == "--members")
      members = static_cast<int>(v);
    else if (a == "--teams")
      teams = static_cast<int>(v);
    else if (a == "--multiplier")
      multiplier = v;
    else if (a == "--latency-scale")
      latency_scale = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (latency_scale < 0) latency_scale = 1.0 / multiplier;

  sp::sentry_sim::SimulatorOptions so;
  so.generator.projects = projects;
  so.generator.issues_per_project = issues_per_project;
  so.generator.members = members;
  so.generator.teams = teams;
  so.threads = 2;
  so.rate_limits = sp::sentry_sim::DefaultRateLimitOptions();
  so.rate_limits.budget_multiplier = multiplier;
  so.faults.latency_scale = latency_scale;
  so.log_capacity = 100;
  sp::sentry_sim::Simulator sim(so);
  if (auto st = sim.Start(); !st.ok()) {
    std::fprintf(stderr, "sentry-sim: %s\n", st.error().ToString().c_str());
    return 1;
  }

  std::printf(
      "bench_sentry_read: %d projects x %d issues, %d members, %d teams; Sentry's default limits x%.1f, "
      "latency model x%.3f; load average %s\n",
      projects, issues_per_project, members, teams, multiplier, latency_scale, LoadAverage().c_str());

  sp::net::HttpClient http;
  sp::sentry::SentryClientOptions co;
  co.host = sim.base_url();
  co.token = sim.token();
  co.organization = sim.org_slug();
  sp::sentry::SentryClient client(co, http);

  double cpu0 = ProcessCpuSeconds();
  auto t0 = SteadyClock::now();
  auto connect = client.Connect();
  if (!connect.ok()) {
    std::fprintf(stderr, "connect: %s\n", connect.error().ToString().c_str());
    return 1;
  }

  std::vector<KindRun> runs;
  for (const auto& [kind, selector] :
       std::vector<std::pair<const char*, const char*>>{{"user", "{}"},
                                                        {"team", R"({"includeMembers":true})"},
                                                        {"project", "{}"},
                                                        {"issue", "{}"},
                                                        {"project-tag", R"({"tag":"environment"})"},
                                                        {"issue-tag", R"({"tag":"environment"})"}}) {
    KindRun run;
    run.kind = kind;
    run.selector = selector;
    runs.push_back(std::move(run));
  }
  const auto& limits = so.rate_limits;
  for (auto& run : runs) {
    auto before = client.CallsPerBucket();
    CountingSink sink;
    auto source = sp::sentry::kinds::MakeKind(run.kind, client);
    auto start = SteadyClock::now();
    auto report = source->Fetch(sp::json::Parse(run.selector).value(), sink);
    run.wall = std::chrono::duration<double>(SteadyClock::now() - start).count();
    if (!report.ok()) {
      std::fprintf(stderr, "%s: %s\n", run.kind.c_str(), report.error().ToString().c_str());
      return 1;
    }
    run.items = sink.items;
    run.incomplete = sink.incomplete;
    run.calls = Diff(client.CallsPerBucket(), before);
    // Calls per simulator bucket, then the slowest bucket bounds this kind.
    std::map<std::string, std::pair<double, Rule>> per_bucket;
    for (const auto& [bucket, n] : run.calls) {
      auto it = RouteOfBucket().find(bucket);
      if (it == RouteOfBucket().end()) continue;
      std::string sim_bucket;
      Rule r = RuleOf(limits, it->second, multiplier, &sim_bucket);
      per_bucket[sim_bucket].first += static_cast<double>(n);
      per_bucket[sim_bucket].second = r;
    }
    for (const auto& [b, cr] : per_bucket) {
      double bound = BucketBound(cr.first, cr.second);
      if (bound >= run.bound) {
        run.bound = bound;
        run.bound_bucket = b;
      }
    }
  }
  double wall = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  double cpu = ProcessCpuSeconds() - cpu0;

  std::printf("\n%-12s %9s %9s %9s %10s %10s  %s\n", "kind", "items", "calls", "wall s", "bound s", "wall/bound",
              "bounding bucket / incomplete scopes");
  double bound_total = 0;
  uint64_t issue_tag_calls = 0;
  uint64_t issues = 0;
  for (const auto& r : runs) {
    bound_total += r.bound;
    if (r.kind == "issue-tag") issue_tag_calls = Total(r.calls);
    if (r.kind == "issue") issues = r.items;
    std::printf("%-12s %9llu %9llu %9.2f %10.2f %10s  %s%s\n", r.kind.c_str(), static_cast<unsigned long long>(r.items),
                static_cast<unsigned long long>(Total(r.calls)), r.wall, r.bound,
                r.bound > 0 ? std::to_string(r.wall / r.bound).substr(0, 5).c_str() : "-", r.bound_bucket.c_str(),
                r.incomplete > 0 ? (" / " + std::to_string(r.incomplete) + " INCOMPLETE").c_str() : "");
  }
  std::printf("\ncalls per route (whole read, retries included):\n");
  for (const auto& [bucket, n] : client.CallsPerBucket()) {
    std::printf("  %-52s %9llu\n", bucket.c_str(), static_cast<unsigned long long>(n));
  }

  // Ocean's issue-tag: the project list, every project's issue pages (deprecated project endpoint, §2.6,
  // 5/s), then one issue tag-values call per issue (300 per 60 s). Counted for every issue so that both sides
  // read the same facts (Ocean itself reads unresolved issues only).
  uint64_t pages = 0;
  for (int p = 0; p < projects; ++p) pages += std::max<uint64_t>(1, (issues_per_project + 99) / 100);
  uint64_t ocean_calls = 1 + pages + issues;
  std::string b1, b2;
  Rule pages_rule = RuleOf(limits, "project_issues", multiplier, &b1);
  Rule tags_rule = RuleOf(limits, "issue_tag_values", multiplier, &b2);
  double ocean_bound = std::max(BucketBound(static_cast<double>(pages), pages_rule),
                                BucketBound(static_cast<double>(issues), tags_rule));
  Rule tags_real = RuleOf(limits, "issue_tag_values", 1.0, &b2);
  double ocean_real = BucketBound(static_cast<double>(issues), tags_real);

  std::printf(
      "\nissue-tag calls: ours %llu, Ocean's pattern %llu (1 + %llu issue pages + %llu tag calls): %.1fx fewer "
      "(target >= 20x)\n",
      static_cast<unsigned long long>(issue_tag_calls), static_cast<unsigned long long>(ocean_calls),
      static_cast<unsigned long long>(pages), static_cast<unsigned long long>(issues),
      issue_tag_calls > 0 ? static_cast<double>(ocean_calls) / static_cast<double>(issue_tag_calls) : 0.0);
  double issue_tag_wall = runs.back().wall;
  std::printf(
      "issue-tag time: ours %.1f s; Ocean's lower bound under the same limits %.1f s (%.0fx); at Sentry's "
      "published limits (x1) Ocean needs >= %.0f s (%.1f h), we need about %.0f s\n",
      issue_tag_wall, ocean_bound, issue_tag_wall > 0 ? ocean_bound / issue_tag_wall : 0.0, ocean_real,
      ocean_real / 3600, issue_tag_wall * multiplier);
  std::printf(
      "whole read: wall %.2f s, lower bound %.2f s -> %.2fx of the bound (target <= 1.25x); CPU %.2f s "
      "(client and simulator in one process); limiter waited %lld ms in total; load average %s\n",
      wall, bound_total, bound_total > 0 ? wall / bound_total : 0.0, cpu,
      static_cast<long long>(client.rate_limits().TotalWaited().count()), LoadAverage().c_str());
  // The simulator's own record: 429s it sent (each one a wasted call and a wait).
  sp::net::ClientRequest stats_request;
  stats_request.url = sim.base_url() + "/_sim/stats";
  if (auto stats = http.Send(stats_request); stats.ok() && stats->status == 200) {
    auto parsed = sp::json::Parse(stats->body);
    const sp::json::Value* n = parsed.ok() ? parsed->Find("rate_limited_total") : nullptr;
    std::printf("429 answers from the simulator: %.0f", n != nullptr && n->IsNumber() ? n->AsNumber() : -1.0);
    if (const sp::json::Value* routes = parsed.ok() ? parsed->Find("routes") : nullptr;
        routes != nullptr && routes->IsObject()) {
      for (const auto& m : routes->Members()) {
        const sp::json::Value* r = m.value.Find("rate_limited");
        if (r != nullptr && r->IsNumber() && r->AsNumber() > 0) {
          std::printf(" (%s: %.0f)", std::string(m.key.AsString()).c_str(), r->AsNumber());
        }
      }
    }
    std::printf("\n");
  }
  sim.Stop();
  return 0;
}

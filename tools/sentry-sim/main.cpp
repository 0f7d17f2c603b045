// sentry-sim: the Sentry API + webhook simulator as a command (see docs/sentry-sim.md).
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "simulator.hpp"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) {
  g_stop = 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sp::sentry_sim;
  CLI::App app{"sentry-sim: a faithful Sentry API and webhook simulator (loopback only)"};
  SimulatorOptions o;
  std::string listen = "127.0.0.1:0", port_file, preset = "small", now, tokens_file;
  std::vector<std::string> add_tokens, faults;
  int projects = -1, issues_per_project = -1, members = -1, teams = -1;
  double latency_scale = 0;
  bool self_hosted = false;
  app.add_option("--listen", listen, "address:port to serve on (loopback only)");
  app.add_option("--port-file", port_file, "write the bound port to this file");
  app.add_option("--seed", o.generator.seed, "generator seed");
  app.add_option("--preset", preset, "small | medium | large")->check(CLI::IsMember({"small", "medium", "large"}));
  app.add_option("--projects", projects, "number of projects (overrides the preset)");
  app.add_option("--issues-per-project", issues_per_project, "issues per project (overrides the preset)");
  app.add_option("--members", members, "members (overrides the preset)");
  app.add_option("--teams", teams, "teams (overrides the preset)");
  app.add_option("--org", o.generator.org_slug, "organization slug");
  app.add_option("--region-url", o.generator.region_url, "links.regionUrl");
  app.add_option("--retention-days", o.generator.retention_days, "event retention of the org");
  app.add_option("--now", now, "the data's fixed now (ISO-8601), default 2026-01-20T13:00:00Z");
  app.add_option("--link-host", o.link_host, "scheme://host used in Link headers (default: own address)");
  app.add_flag("--self-hosted", self_hosted, "no rate-limit headers and no limits");
  app.add_option("--budget-multiplier", o.rate_limits.budget_multiplier, "scale every rate limit");
  app.add_flag("--enforce-concurrency", o.rate_limits.enforce_concurrency, "reject above the concurrency limit");
  app.add_flag("--retry-after", o.rate_limits.retry_after, "add Retry-After to 429s");
  app.add_option("--latency-scale", latency_scale, "scale of the latency model (0 = none)");
  app.add_option("--time-scale", o.time_scale, "speed of the rate-limit clock");
  app.add_option("--post-filter-drop", o.post_filter_drop, "probability of dropping issue rows after pagination");
  app.add_option("--fault", faults, "ROUTE:KIND:PROBABILITY, e.g. org_issues:503:0.05 (ROUTE may be *)");
  app.add_option("--webhook-url", o.webhook_url, "deliver webhooks here");
  app.add_option("--webhook-secret", o.webhook_secret, "client secret used to sign webhooks");
  app.add_flag("--legacy-archived", o.legacy_archived, "installation subscribed to issue.archived only");
  app.add_flag("--webhooks-unresolved", o.webhooks_unresolved, "org feature organizations:webhooks-unresolved");
  app.add_flag("--expanded-webhooks", o.expanded_webhooks,
               "org feature organizations:expanded-sentry-apps-webhooks (issue.created for every category)");
  app.add_option("--token", o.token, "the default integration token (all read scopes)");
  app.add_option("--add-token", add_tokens,
                 "extra token: TOKEN,type=user|org|integration,scopes=a+b,teams=x+y,org=slug,label=L,expired");
  app.add_option("--tokens-file", tokens_file, "file with one --add-token spec per line");
  app.add_option("--threads", o.threads, "server worker threads");
  app.add_option("--auto-resolve-hours", o.auto_resolve_hours,
                 "projects' auto-resolve age: older unresolved issues render as autoResolved (0 = off)")
      ->check(CLI::Range(0, 24 * 365 * 10));
  app.add_option("--webhook-delay-ms", o.webhook_delay_ms, "deliver webhooks this long after the change")
      ->check(CLI::Range(0, 60000));
  app.add_flag("--webhook-reorder", o.webhook_reorder,
               "once the oldest webhook is due, deliver the newest queued first");
  app.add_option("--render-cache-mb", o.render_cache_mb, "memory for rendered issue rows (0 = no cache)");
  CLI11_PARSE(app, argc, argv);

  auto fail = [](const std::string& msg) {
    std::fprintf(stderr, "sentry-sim: %s\n", msg.c_str());
    return 2;
  };
  if (auto st = ApplyPreset(preset, o.generator); !st.ok()) return fail(st.error().ToString());
  if (projects >= 0) o.generator.projects = projects;
  if (issues_per_project >= 0) o.generator.issues_per_project = issues_per_project;
  if (members >= 0) o.generator.members = members;
  if (teams >= 0) o.generator.teams = teams;
  if (o.generator.projects < 1) return fail("--projects: must be at least 1");
  if (!now.empty()) {
    auto t = ParseIso(now);
    if (!t) return fail("--now: not an ISO-8601 UTC datetime: '" + now + "'");
    o.generator.now = *t;
  }
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return fail("--listen: expected ADDRESS:PORT, got '" + listen + "'");
  o.listen_address = listen.substr(0, colon);
  if (o.listen_address.size() > 2 && o.listen_address.front() == '[')
    o.listen_address = o.listen_address.substr(1, o.listen_address.size() - 2);
  auto port = ParseInt(listen.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) return fail("--listen: bad port in '" + listen + "'");
  o.port = static_cast<uint16_t>(*port);
  if (!IsLoopback(o.listen_address))
    return fail("--listen: refusing to listen on '" + o.listen_address +
                "': the simulator serves loopback only (127.0.0.0/8 or ::1)");
  o.rate_limits.enabled = !self_hosted;
  o.faults.latency_scale = latency_scale;
  if (!tokens_file.empty()) {
    std::ifstream in(tokens_file);
    if (!in) return fail("--tokens-file: cannot read '" + tokens_file + "'");
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && line[0] != '#') add_tokens.push_back(line);
  }
  for (const auto& spec : add_tokens) {
    std::string err;
    auto t = ParseTokenSpec(spec, &err);
    if (!t) return fail("--add-token: " + err);
    o.extra_tokens.push_back(*t);
  }
  for (const auto& f : faults) {
    auto parts = Split(f, ':');
    auto kind = parts.size() == 3 ? ParseFaultKind(parts[1]) : std::nullopt;
    char* end = nullptr;
    double p = parts.size() == 3 ? std::strtod(parts[2].c_str(), &end) : -1;
    if (!kind || p < 0 || p > 1 || !end || *end != '\0')
      return fail(
          "--fault: expected ROUTE:KIND:PROBABILITY (kinds 500 502 503 504 reset stall malformed "
          "query_timeout), got '" +
          f + "'");
    o.faults.faults[parts[0]].probability[*kind] = p;
  }

  Simulator sim(o);
  if (auto st = sim.Start(); !st.ok()) return fail(st.error().ToString());
  if (!port_file.empty()) {
    if (auto st = sp::net::WritePortFile(port_file, sim.port()); !st.ok()) return fail(st.error().ToString());
  }
  std::printf("sentry-sim listening on %s (org %s, token %s)\n", sim.base_url().c_str(), sim.org_slug().c_str(),
              sim.token().c_str());
  std::fflush(stdout);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  sim.Stop();
  return 0;
}

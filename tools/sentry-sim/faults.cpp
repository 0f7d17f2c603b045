#include "faults.hpp"

#include <cmath>

#include "sim_util.hpp"

namespace sp::sentry_sim {

const char* FaultKindName(FaultKind k) {
  switch (k) {
    case FaultKind::NONE: return "none";
    case FaultKind::STATUS_500: return "500";
    case FaultKind::STATUS_502: return "502";
    case FaultKind::STATUS_503: return "503";
    case FaultKind::STATUS_504: return "504";
    case FaultKind::RESET: return "reset";
    case FaultKind::STALL: return "stall";
    case FaultKind::MALFORMED: return "malformed";
    case FaultKind::QUERY_TIMEOUT: return "query_timeout";
  }
  return "none";
}

std::optional<FaultKind> ParseFaultKind(const std::string& name) {
  for (FaultKind k : {FaultKind::STATUS_500, FaultKind::STATUS_502, FaultKind::STATUS_503, FaultKind::STATUS_504,
                      FaultKind::RESET, FaultKind::STALL, FaultKind::MALFORMED, FaultKind::QUERY_TIMEOUT})
    if (name == FaultKindName(k)) return k;
  return std::nullopt;
}

std::map<std::string, LatencySpec> DefaultLatencies() {
  std::map<std::string, LatencySpec> m;
  for (const char* r : {"org", "org_projects", "projects", "members", "teams", "team_members", "sentry_apps",
                        "sentry_app_installations"})
    m[r] = {80, 400};
  m["org_issues"] = {400, 4000};
  m["project_issues"] = {400, 4000};
  m["project_tag_values"] = {250, 3000};
  m["issue_tag_values"] = {250, 3000};
  m["issue_detail"] = {300, 1500};
  return m;
}

FaultDecision FaultInjector::Decide(const std::string& route, uint64_t request_no) {
  std::lock_guard lock(mu_);
  FaultDecision d;
  Rng rng(Hash(options_.seed, 0xFA17, request_no));
  d.error_id = HexId(rng, 32);
  for (auto it = fail_next_.begin(); it != fail_next_.end(); ++it) {
    if (it->first == "*" || it->first == route) {
      d.kind = it->second;
      fail_next_.erase(it);
      break;
    }
  }
  const FaultRates* rates = nullptr;
  if (auto it = options_.faults.find(route); it != options_.faults.end())
    rates = &it->second;
  else if (auto all = options_.faults.find("*"); all != options_.faults.end())
    rates = &all->second;
  double u = rng.Unit();
  if (d.kind == FaultKind::NONE && rates) {
    double acc = 0;
    for (const auto& [kind, p] : rates->probability) {
      acc += p;
      if (u < acc) {
        d.kind = kind;
        break;
      }
    }
  }
  if (d.kind == FaultKind::QUERY_TIMEOUT && route != "org_issues" && route != "project_issues" &&
      route != "project_tag_values" && route != "issue_tag_values")
    d.kind = FaultKind::STATUS_500;  // Snuba timeouts only exist on search and tag routes
  if (options_.latency_scale > 0) {
    const LatencySpec* spec = nullptr;
    if (auto it = options_.latency.find(route); it != options_.latency.end())
      spec = &it->second;
    else if (auto all = options_.latency.find("*"); all != options_.latency.end())
      spec = &all->second;
    double ms = 0;
    if (spec && spec->p50_ms > 0) {
      // Log-normal: median p50, 99th percentile p99 (z = 2.326).
      double mu = std::log(spec->p50_ms);
      double sigma = spec->p99_ms > spec->p50_ms ? (std::log(spec->p99_ms) - mu) / 2.326 : 0.0;
      double u1 = std::max(rng.Unit(), 1e-12), u2 = rng.Unit();
      double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * M_PI * u2);
      ms = std::exp(mu + sigma * z);
    }
    if (rates && rates->slow_tail_probability > 0 && rng.Unit() < rates->slow_tail_probability)
      ms += rates->slow_tail_ms * (0.8 + 0.4 * rng.Unit());
    d.delay = std::chrono::milliseconds(static_cast<int64_t>(ms * options_.latency_scale));
  }
  return d;
}

void FaultInjector::FailNext(const std::string& route, FaultKind kind, int count) {
  std::lock_guard lock(mu_);
  for (int i = 0; i < count; ++i) fail_next_.emplace_back(route, kind);
}

FaultOptions FaultInjector::options() const {
  std::lock_guard lock(mu_);
  return options_;
}

void FaultInjector::SetOptions(FaultOptions options) {
  std::lock_guard lock(mu_);
  options_ = std::move(options);
}

void FaultInjector::ClearFailNext() {
  std::lock_guard lock(mu_);
  fail_next_.clear();
}

}  // namespace sp::sentry_sim

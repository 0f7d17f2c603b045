// The JSON form of the resync summary (`sentry-port sync --json-summary`). The keys are a contract with the
// scripts that read it (docs/sync-summary.md): add keys, never rename or remove one.
#include <algorithm>

#include "app/summary.hpp"

namespace sp::app {
namespace {

using json::Value;

Value Num(uint64_t n) {
  return Value::Number(static_cast<double>(n));
}

Value Str(std::string_view s) {
  return Value::String(s);
}

// The first kJsonListCap strings of `items`, plus "<key>Total" in `parent` when some were left out.
template <typename T, typename F>
void SetCapped(Value& parent, std::string_view key, const std::vector<T>& items, F&& to_value, uint64_t total = 0) {
  Value list = Value::Array();
  for (size_t i = 0; i < items.size() && i < kJsonListCap; ++i) list.Append(to_value(items[i]));
  parent.Set(key, std::move(list));
  total = std::max<uint64_t>(total, items.size());
  parent.Set(std::string(key) + "Total", Num(total));
}

Value KindJson(const sync::KindReport& k) {
  Value o = Value::Object();
  o.Set("index", Num(k.resource_index));
  o.Set("kind", Str(k.kind));
  Value bps = Value::Array();
  for (const auto& b : k.blueprints) bps.Append(Str(b));
  o.Set("blueprints", std::move(bps));
  o.Set("fetched", Num(k.fetched));
  o.Set("raw", Num(k.counters.raw));
  o.Set("filtered", Num(k.counters.filtered_out));
  o.Set("invalid", Num(k.counters.invalid));
  o.Set("selectorErrors", Num(k.counters.selector_errors));
  o.Set("mapped", Num(k.counters.mapped));
  o.Set("fieldErrors", Num(k.counters.field_errors));
  o.Set("created", Num(k.created));
  o.Set("updated", Num(k.updated));
  o.Set("unchanged", Num(k.unchanged));
  o.Set("failed", Num(k.failed));
  o.Set("deleted", Num(k.deleted));
  o.Set("complete", Value::Bool(!k.kind_failed && k.fetch_error.empty()));
  o.Set("fetchError", k.fetch_error.empty() ? Value() : Str(k.fetch_error));
  SetCapped(o, "failedScopes", k.failed_scopes, [](const model::ScopeStatus& s) {
    Value v = Value::Object();
    v.Set("scope", Str(s.scope));
    v.Set("state", Str(model::ScopeStateName(s.state)));
    v.Set("reason", Str(s.reason));
    return v;
  });
  SetCapped(o, "diagnostics", k.diagnostics, [](const mapping::Diagnostic& d) {
    Value v = Value::Object();
    v.Set("severity", Str(d.severity == mapping::Severity::ERROR ? "error" : "warning"));
    v.Set("path", Str(d.path));
    v.Set("message", Str(d.message));
    v.Set("count", Num(d.count));
    return v;
  });
  SetCapped(
      o, "writeErrors", k.upsert_errors, [](const std::string& e) { return Str(e); }, k.failed);
  return o;
}

Value DeletionsJson(const sync::SyncReport& report) {
  const auto& plan = report.plan;
  Value o = Value::Object();
  o.Set("staleRate", Value::Number(plan.rate));
  o.Set("thresholdExceeded", Value::Bool(plan.threshold_exceeded));
  o.Set("planned", Num(plan.TotalToDelete()));
  o.Set("deleted", Num(report.deleted));
  Value per = Value::Object();
  for (const auto& [bp, s] : plan.per_blueprint) {
    Value b = Value::Object();
    b.Set("owned", Num(s.owned));
    b.Set("stale", Num(s.stale));
    b.Set("toDelete", Num(s.to_delete));
    b.Set("skipped", Num(s.skipped));
    per.Set(bp, std::move(b));
  }
  o.Set("blueprints", std::move(per));
  SetCapped(o, "skipped", plan.skipped, [](const sync::SkippedDeletion& s) {
    Value v = Value::Object();
    v.Set("blueprint", Str(s.blueprint));
    v.Set("identifier", s.identifier.empty() ? Value() : Str(s.identifier));
    v.Set("reason", Str(s.reason));
    return v;
  });
  SetCapped(o, "errors", report.delete_errors, [](const std::string& e) { return Str(e); });
  return o;
}

}  // namespace

json::Value SummaryJson(const SummaryFacts& facts) {
  const auto& report = *facts.report;
  Value o = Value::Object();
  o.Set("summaryVersion", Num(1));
  o.Set("dryRun", Value::Bool(facts.dry_run));
  Value target = Value::Object();
  target.Set("type", Str(facts.target_type));
  target.Set("location", Str(facts.target));
  o.Set("target", std::move(target));
  o.Set("status", Str(ResyncStatus(report)));
  o.Set("exitCode", Num(static_cast<uint64_t>(facts.exit_code)));
  o.Set("stopped", report.fatal.empty() ? Value() : Str(report.fatal));
  Value kinds = Value::Array();
  for (const auto& k : report.kinds) kinds.Append(KindJson(k));
  o.Set("kinds", std::move(kinds));
  o.Set("deletions", DeletionsJson(report));
  Value calls = Value::Object();
  calls.Set("sentry", Num(facts.sentry_calls));
  calls.Set("port", Num(facts.port_calls));
  Value routes = Value::Object();
  for (const auto& [route, n] : facts.sentry_calls_by_route) routes.Set(route, Num(n));
  calls.Set("sentryByRoute", std::move(routes));
  o.Set("apiCalls", std::move(calls));
  o.Set("durationSeconds", Value::Number(static_cast<double>(report.duration.count()) / 1000.0));
  o.Set("peakMemoryBytes", Num(static_cast<uint64_t>(std::max(0L, facts.peak_rss_kb)) * 1024));
  if (facts.dry_run) {
    SetCapped(o, "planned", report.planned, [](const sync::PlannedChange& p) {
      Value v = Value::Object();
      v.Set("action", Str(p.action == sync::PlannedChange::Action::CREATE   ? "create"
                          : p.action == sync::PlannedChange::Action::UPDATE ? "update"
                                                                            : "delete"));
      v.Set("blueprint", Str(p.blueprint));
      v.Set("identifier", Str(p.identifier));
      v.Set("detail", Str(p.detail));
      return v;
    });
  }
  return o;
}

}  // namespace sp::app

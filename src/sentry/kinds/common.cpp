#include "sentry/kinds/common.hpp"

#include <atomic>

#include "base/parallel.hpp"

namespace sp::sentry::kinds {

bool SelectorBool(const json::Value& selector, std::string_view key, bool fallback) {
  const json::Value* v = selector.IsObject() ? selector.Find(key) : nullptr;
  if (v == nullptr || !v->IsBool()) return fallback;
  return v->AsBool();
}

namespace {

Status ReadStringList(const json::Value& selector, std::string_view key, std::vector<std::string>& out) {
  const json::Value* v = selector.Find(key);
  if (v == nullptr || v->IsNull()) return {};
  if (v->IsString()) {
    out.emplace_back(v->AsString());
    return {};
  }
  if (!v->IsArray()) {
    return Error(ErrorCode::INVALID_ARGUMENT, "must be a string or a list of strings", "selector." + std::string(key));
  }
  for (const auto& item : v->Items()) {
    if (!item.IsString()) {
      return Error(ErrorCode::INVALID_ARGUMENT, "must be a list of strings", "selector." + std::string(key));
    }
    out.emplace_back(item.AsString());
  }
  return {};
}

}  // namespace

Result<IssueSelector> ParseIssueSelector(const json::Value& selector) {
  IssueSelector sel;
  if (!selector.IsObject()) return sel;
  sel.include_archived = SelectorBool(selector, "includeArchived", true);
  if (auto st = ReadStringList(selector, "statuses", sel.statuses); !st.ok()) return st.error();
  static constexpr std::string_view kStatuses[] = {"unresolved", "resolved", "ignored", "archived", "reprocessing"};
  for (const auto& s : sel.statuses) {
    bool known = false;
    for (auto k : kStatuses) known = known || s == k;
    if (!known) {
      return Error(ErrorCode::INVALID_ARGUMENT,
                   "unknown status '" + s + "' (valid: unresolved, resolved, ignored, archived, reprocessing)",
                   "selector.statuses");
    }
  }
  if (auto st = ReadStringList(selector, "environment", sel.environments); !st.ok()) return st.error();
  if (const json::Value* p = selector.Find("statsPeriod"); p != nullptr && !p->IsNull()) {
    if (!p->IsString())
      return Error(ErrorCode::INVALID_ARGUMENT, "must be a string like \"90d\"", "selector.statsPeriod");
    sel.stats_period = std::string(p->AsString());
  }
  if (const json::Value* q = selector.Find("issueQuery"); q != nullptr && q->IsString()) {
    sel.query = std::string(q->AsString());
  }
  if (const json::Value* t = selector.Find("tag"); t != nullptr && t->IsString() && !t->AsString().empty()) {
    sel.tag = std::string(t->AsString());
  }
  if (const json::Value* m = selector.Find("maxTagValuesPerProject"); m != nullptr && !m->IsNull()) {
    double n = m->IsNumber() ? m->AsNumber() : -1;
    if (n < 0 || n > 1e9 || n != static_cast<double>(static_cast<int64_t>(n))) {
      return Error(ErrorCode::INVALID_ARGUMENT, "must be a non-negative integer", "selector.maxTagValuesPerProject");
    }
    sel.max_tag_values = static_cast<int>(n);
  }
  return sel;
}

std::string BuildIssueQuery(const IssueSelector& sel, std::string_view status) {
  std::string q;
  auto add = [&q](std::string_view term) {
    if (term.empty()) return;
    if (!q.empty()) q += ' ';
    q += term;
  };
  if (!status.empty()) add("is:" + std::string(status));
  if (!sel.include_archived && status.empty()) add("!is:ignored");
  add(sel.query);
  return q;  // "" is sent as `query=` and means every status
}

void ScopeLog::Add(std::string scope, const CallStatus& status) {
  model::ScopeStatus s;
  s.scope = std::move(scope);
  s.state = status.state;
  s.reason = status.reason;
  {
    std::lock_guard lock(mu_);
    if (status.unauthenticated && !unauthenticated_) {
      unauthenticated_ = true;
      unauth_reason_ = status.reason;
    }
  }
  Add(std::move(s));
}

void ScopeLog::Add(model::ScopeStatus status) {
  sink_.OnScope(kind_, status);
  std::lock_guard lock(mu_);
  scopes_.push_back(std::move(status));
}

bool ScopeLog::unauthenticated() const {
  std::lock_guard lock(mu_);
  return unauthenticated_;
}

std::string ScopeLog::first_unauthenticated_reason() const {
  std::lock_guard lock(mu_);
  return unauth_reason_;
}

void ScopeLog::MoveInto(model::FetchReport& report) {
  std::lock_guard lock(mu_);
  for (auto& s : scopes_) report.scopes.push_back(std::move(s));
  scopes_.clear();
}

Result<model::FetchReport> Finish(ScopeLog& log, model::FetchReport report) {
  if (log.unauthenticated()) {
    return Error(ErrorCode::UNAUTHENTICATED,
                 "Sentry rejected the token (" + log.first_unauthenticated_reason() +
                     "); check OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN",
                 "sentry");
  }
  log.MoveInto(report);
  return report;
}

std::string StringField(const json::Value& v, std::string_view key) {
  const json::Value* f = v.IsObject() ? v.Find(key) : nullptr;
  if (f == nullptr) return {};
  if (f->IsString()) return std::string(f->AsString());
  if (f->IsNumber()) return json::FormatDouble(f->AsNumber());
  return {};
}

std::string ProjectScope(const json::Value& project, std::string_view what) {
  std::string slug = StringField(project, "slug");
  return "project:" + (slug.empty() ? StringField(project, "id") : slug) + "/" + std::string(what);
}

CallStatus ListProjects(SentryClient& client, const std::function<bool(std::vector<json::Value>&&)>& on_page) {
  const json::Value& org = client.organization();
  return client.List("organizations/{org}/projects/", "organizations/" + net::UrlEncode(client.org()) + "/projects/",
                     {{"per_page", "100"}}, [&](std::vector<json::Value>&& page) {
                       if (org.IsObject()) {
                         for (auto& p : page) {
                           if (p.IsObject() && p.Find("organization") == nullptr) p.Set("organization", org);
                         }
                       }
                       return on_page(std::move(page));
                     });
}

model::FetchReport ForEachProject(
    SentryClient& client, std::string_view kind, model::RawSink& sink, ScopeLog& log, size_t shards,
    const std::function<void(const json::Value& project, size_t shard, const Emit& emit)>& work) {
  // Projects are few compared with issues: holding them lets the per-project listings run in parallel.
  std::vector<json::Value> projects;
  log.Add("projects", ListProjects(client, [&](std::vector<json::Value>&& page) {
            for (auto& p : page) projects.push_back(std::move(p));
            return true;
          }));
  std::atomic<uint64_t> items{0};
  std::atomic<bool> aborted{false};
  Emit emit = [&](std::vector<json::Value>&& batch) {
    if (batch.empty()) return !aborted.load();
    items += batch.size();
    if (!sink.OnBatch(kind, std::move(batch))) aborted = true;
    return !aborted.load();
  };
  shards = std::max<size_t>(1, shards);
  ParallelFor(projects.size() * shards, client.options().parallelism, [&](size_t i) {
    if (aborted) return;
    work(projects[i / shards], i % shards, emit);
  });
  model::FetchReport report;
  report.items = items;
  report.aborted = aborted;
  return report;
}

// The statuses to list separately (empty string = one listing for all statuses).
std::vector<std::string> StatusShards(const IssueSelector& sel) {
  if (sel.statuses.empty()) return {""};
  std::vector<std::string> out;
  for (const auto& s : sel.statuses) {
    if (!sel.include_archived && (s == "ignored" || s == "archived")) continue;
    out.push_back(s);
  }
  return out;
}

// Lists a project's values of `tag` (all pages). A 404 means the project never had the tag (§2.8): that is
// "no values", written out here on purpose, not an error.
CallStatus ListProjectTagValues(SentryClient& client, const json::Value& project, const std::string& tag,
                                std::vector<json::Value>& out) {
  CallStatus st =
      client.List("projects/{org}/{project}/tags/{key}/values/",
                  "projects/" + net::UrlEncode(client.org()) + "/" + net::UrlEncode(StringField(project, "slug")) +
                      "/tags/" + net::UrlEncode(tag) + "/values/",
                  {{"per_page", "100"}}, [&](std::vector<json::Value>&& page) {
                    for (auto& v : page) out.push_back(std::move(v));
                    return true;
                  });
  if (st.not_found) {
    st.state = model::ScopeState::COMPLETE;
    st.reason.clear();
  }
  return st;
}

CallStatus ListProjectIssues(SentryClient& client, const json::Value& project, const IssueSelector& sel,
                             std::string_view status, std::string_view environment,
                             const std::function<bool(std::vector<json::Value>&&)>& on_page) {
  // §2.15: explicit project id, explicit query, explicit window; sort=new keeps the keyset stable while
  // paginating (first seen never moves, §2.5 item 5); the sparkline is not needed.
  Params params = {{"project", StringField(project, "id")},
                   {"query", BuildIssueQuery(sel, status)},
                   {"statsPeriod", sel.stats_period},
                   {"groupStatsPeriod", ""},
                   {"sort", "new"},
                   {"limit", "100"}};
  if (!environment.empty()) {
    params.emplace_back("environment", std::string(environment));
  } else {
    for (const auto& env : sel.environments) params.emplace_back("environment", env);
  }
  return client.List("organizations/{org}/issues/", "organizations/" + net::UrlEncode(client.org()) + "/issues/",
                     params, on_page);
}

}  // namespace sp::sentry::kinds

// issue-tag (§2.8, §2.9): every issue plus `__tags`, the list of its values of one tag (default `environment`),
// sorted by name, whichever way they were read.
//
// Ocean makes one call per issue to the issue tag-values endpoint, whose org budget is 300 calls a minute, 5 at
// a time (§2.9): a 100,000-issue organization takes hours. We ask the other way round (§2.9's cheaper design):
// learn the project's values once (§2.8), list its issues once, then list its issues filtered by each value; an
// issue's tags are the values whose listing returned it. That is O(values + pages) calls per project, on the
// issue-search budget. A project is read per issue instead when per-value could not be complete or would cost
// more (docs/sentry-client.md, "Fewer calls").
#include <algorithm>
#include <unordered_map>

#include "base/parallel.hpp"
#include "sentry/kinds/common.hpp"
#include "sentry/kinds/registry.hpp"

namespace sp::sentry::kinds {
namespace {

// §2.8: at most 1000 values of a project's tag are reachable by pagination; a list that long may be cut short,
// and an issue whose only value was cut would lose its tags.
constexpr size_t kMaxReachableValues = 1000;
constexpr size_t kBatch = 100;

void SortTagsByName(json::Value& tags) {
  std::vector<json::Value> v(tags.Items().begin(), tags.Items().end());
  std::stable_sort(v.begin(), v.end(), [](const json::Value& a, const json::Value& b) {
    return StringField(a, "name") < StringField(b, "name");
  });
  tags = json::Value::Array(std::move(v));
}

// A tag value in the shape of §2.8's items, from an issue of the listing filtered by that value: its seen
// stats are the issue's within the filter.
json::Value TagFromIssue(const std::string& tag, const std::string& value, const json::Value& issue) {
  json::Value t = json::Value::Object();
  t.Set("key", json::Value::String(tag));
  t.Set("name", json::Value::String(value));
  t.Set("value", json::Value::String(value));
  for (const char* k : {"count", "firstSeen", "lastSeen"}) {
    if (const json::Value* f = issue.Find(k)) t.Set(k, *f);
  }
  return t;
}

// One project's issues, held while their tags are filled; issues of other projects are not, so memory is
// bounded by the largest project.
struct HeldIssues {
  std::vector<json::Value> issues;
  std::unordered_map<std::string, size_t> index;
};

class IssueTagKind : public model::KindSource {
 public:
  explicit IssueTagKind(SentryClient& client) : client_(client) {}
  std::string_view name() const override { return "issue-tag"; }

  enum class Strategy : uint8_t { AUTO, PER_VALUE, PER_ISSUE };

  Result<model::FetchReport> Fetch(const json::Value& selector, model::RawSink& sink) override {
    auto sel = ParseIssueSelector(selector);
    if (!sel.ok()) return sel.error();
    Strategy strategy = Strategy::AUTO;
    if (const json::Value* s = selector.IsObject() ? selector.Find("tagStrategy") : nullptr;
        s != nullptr && !s->IsNull()) {
      std::string_view v = s->IsString() ? s->AsString() : std::string_view();
      if (v == "per-value") {
        strategy = Strategy::PER_VALUE;
      } else if (v == "per-issue") {
        strategy = Strategy::PER_ISSUE;
      } else if (v != "auto") {
        return Error(ErrorCode::INVALID_ARGUMENT, "must be \"auto\", \"per-value\" or \"per-issue\"",
                     "selector.tagStrategy");
      }
    }
    ScopeLog log(name(), sink);
    auto report = ForEachProject(
        client_, name(), sink, log, 1,
        [&](const json::Value& project, size_t, const Emit& emit) { ReadProject(project, *sel, strategy, log, emit); });
    return Finish(log, std::move(report));
  }

 private:
  void ReadProject(const json::Value& project, const IssueSelector& sel, Strategy strategy, ScopeLog& log,
                   const Emit& emit) {
    if (strategy == Strategy::PER_ISSUE) return PerIssueStreamed(project, sel, log, emit);
    std::vector<json::Value> values;
    // Without the list of values (e.g. 403 on the project's tags) only per-issue calls can read the tags; they
    // read every issue, so the failed values listing is not a scope of this kind.
    if (ListProjectTagValues(client_, project, sel.tag, values).state != model::ScopeState::COMPLETE) {
      return PerIssueStreamed(project, sel, log, emit);
    }
    if (strategy == Strategy::AUTO) {
      bool capped = values.size() >= kMaxReachableValues;
      bool over_limit = sel.max_tag_values >= 0 && values.size() > static_cast<size_t>(sel.max_tag_values);
      if (capped || over_limit) return PerIssueStreamed(project, sel, log, emit);
    }
    HeldIssues held;
    // Tags of a project whose listings did not all complete may be missing: emitting its issues would write
    // wrong relations, so none is emitted and the failed scopes keep the sync engine from deleting them.
    if (!ListHeld(project, sel, log, held)) return;
    if (strategy == Strategy::AUTO && values.size() > held.issues.size()) {
      // More listings than issues: one call per issue is cheaper.
      std::vector<char> keep = FillPerIssue(held.issues, sel, log);
      std::vector<json::Value> kept;
      for (size_t i = 0; i < held.issues.size(); ++i) {
        if (keep[i]) kept.push_back(std::move(held.issues[i]));
      }
      return EmitInBatches(kept, emit);
    }
    if (!MarkPerValue(project, sel, values, log, held)) return;
    for (auto& issue : held.issues) SortTagsByName(*issue.MutableFind("__tags"));
    EmitInBatches(held.issues, emit);
  }

  static void EmitInBatches(std::vector<json::Value>& issues, const Emit& emit) {
    for (size_t start = 0; start < issues.size(); start += kBatch) {
      size_t end = std::min(issues.size(), start + kBatch);
      std::vector<json::Value> batch(std::make_move_iterator(issues.begin() + static_cast<long>(start)),
                                     std::make_move_iterator(issues.begin() + static_cast<long>(end)));
      if (!emit(std::move(batch))) return;
    }
  }

  // The project's issues (every status shard), each with an empty `__tags`. False when a listing failed.
  bool ListHeld(const json::Value& project, const IssueSelector& sel, ScopeLog& log, HeldIssues& held) {
    bool complete = true;
    for (const auto& status : StatusShards(sel)) {
      CallStatus st = ListProjectIssues(client_, project, sel, status, "", [&](std::vector<json::Value>&& page) {
        for (auto& issue : page) {
          std::string id = StringField(issue, "id");
          if (held.index.count(id) != 0) continue;
          held.index.emplace(id, held.issues.size());
          issue.Set("__tags", json::Value::Array());
          held.issues.push_back(std::move(issue));
        }
        return true;
      });
      log.Add(ProjectScope(project, status.empty() ? "issues" : "issues:" + status), st);
      complete = complete && st.state == model::ScopeState::COMPLETE;
    }
    return complete;
  }

  // One filtered listing per value: each issue it returns has that value. False when a listing failed.
  bool MarkPerValue(const json::Value& project, const IssueSelector& sel, const std::vector<json::Value>& values,
                    ScopeLog& log, HeldIssues& held) {
    bool complete = true;
    for (const auto& v : values) {
      std::string value = StringField(v, "value");
      if (value.empty()) value = StringField(v, "name");
      IssueSelector filtered = sel;
      std::string env;
      if (sel.tag == "environment") {
        env = value;  // §2.5: the environment parameter, not a search term
      } else {
        filtered.query += (filtered.query.empty() ? "" : " ") + sel.tag + ":\"" + value + "\"";
      }
      for (const auto& status : StatusShards(sel)) {
        CallStatus st =
            ListProjectIssues(client_, project, filtered, status, env, [&](std::vector<json::Value>&& page) {
              for (const auto& issue : page) {
                auto it = held.index.find(StringField(issue, "id"));
                if (it == held.index.end()) continue;  // appeared after the main listing: the next resync has it
                held.issues[it->second].MutableFind("__tags")->Append(TagFromIssue(sel.tag, value, issue));
              }
              return true;
            });
        log.Add(ProjectScope(project, "issues:" + sel.tag + "=" + value), st);
        complete = complete && st.state == model::ScopeState::COMPLETE;
      }
    }
    return complete;
  }

  // One tag-values call per issue (§2.9), in parallel within the bucket's limits. Returns which issues got their
  // tags; the others' failures are logged as scopes.
  std::vector<char> FillPerIssue(std::vector<json::Value>& issues, const IssueSelector& sel, ScopeLog& log) {
    std::vector<char> keep(issues.size(), 1);
    ParallelFor(issues.size(), client_.options().parallelism, [&](size_t i) {
      json::Value& issue = issues[i];
      std::string id = StringField(issue, "id");
      json::Value tags = json::Value::Array();
      CallStatus ts = client_.List("organizations/{org}/issues/{id}/tags/{key}/values/",
                                   "organizations/" + net::UrlEncode(client_.org()) + "/issues/" + net::UrlEncode(id) +
                                       "/tags/" + net::UrlEncode(sel.tag) + "/values/",
                                   {{"per_page", "100"}}, [&](std::vector<json::Value>&& values) {
                                     for (auto& v : values) tags.Append(std::move(v));
                                     return true;
                                   });
      // §2.9: 404 when the issue never had the tag: no values, on purpose.
      if (ts.state != model::ScopeState::COMPLETE && !ts.not_found) {
        keep[i] = 0;
        log.Add("issue:" + id + "/tags/" + sel.tag, ts);
        return;
      }
      SortTagsByName(tags);
      issue.Set("__tags", std::move(tags));
    });
    return keep;
  }

  // Per issue, page by page as the listing streams (nothing held beyond one page).
  void PerIssueStreamed(const json::Value& project, const IssueSelector& sel, ScopeLog& log, const Emit& emit) {
    for (const auto& status : StatusShards(sel)) {
      CallStatus st = ListProjectIssues(client_, project, sel, status, "", [&](std::vector<json::Value>&& page) {
        std::vector<char> keep = FillPerIssue(page, sel, log);
        std::vector<json::Value> out;
        out.reserve(page.size());
        for (size_t i = 0; i < page.size(); ++i) {
          if (keep[i]) out.push_back(std::move(page[i]));
        }
        return emit(std::move(out));
      });
      log.Add(ProjectScope(project, status.empty() ? "issues" : "issues:" + status), st);
    }
  }

  SentryClient& client_;
};

}  // namespace

std::unique_ptr<model::KindSource> MakeIssueTagKind(SentryClient& c) {
  return std::make_unique<IssueTagKind>(c);
}

}  // namespace sp::sentry::kinds

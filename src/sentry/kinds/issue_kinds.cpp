// The per-project kinds: issue (§2.5), project-tag (§2.8) and issue-tag (§2.8/§2.9).
//
// issue-tag needs, for every issue, the values of one tag (by default `environment`). Ocean makes one call per
// issue to the issue tag-values endpoint, whose org budget is 300 calls a minute, 5 at a time (§2.9): a
// 100,000-issue organization takes hours. For a tag with few values per project we instead learn the values
// once per project (§2.8) and list the project's issues filtered by each value (§2.9's cheaper design), which
// costs O(values x pages) calls. Above `maxTagValuesPerProject` values we fall back to per-issue calls. Both
// strategies produce the same raw items: the issue plus `__tags`, the list of its tag values sorted by name.
#include <algorithm>
#include <unordered_map>

#include "base/parallel.hpp"
#include "sentry/kinds/common.hpp"
#include "sentry/kinds/registry.hpp"

namespace sp::sentry::kinds {
namespace {

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

class IssueKind : public model::KindSource {
 public:
  explicit IssueKind(SentryClient& client) : client_(client) {}
  std::string_view name() const override { return "issue"; }

  Result<model::FetchReport> Fetch(const json::Value& selector, model::RawSink& sink) override {
    auto sel = ParseIssueSelector(selector);
    if (!sel.ok()) return sel.error();
    ScopeLog log(name(), sink);
    auto shards = StatusShards(*sel);
    auto report = ForEachProject(client_, name(), sink, log, shards.size(),
                                 [&](const json::Value& project, size_t shard, const Emit& emit) {
                                   const std::string& status = shards[shard];
                                   CallStatus st = ListProjectIssues(client_, project, *sel, status, "", emit);
                                   log.Add(ProjectScope(project, status.empty() ? "issues" : "issues:" + status), st);
                                 });
    return Finish(log, std::move(report));
  }

 private:
  SentryClient& client_;
};

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

class ProjectTagKind : public model::KindSource {
 public:
  explicit ProjectTagKind(SentryClient& client) : client_(client) {}
  std::string_view name() const override { return "project-tag"; }

  Result<model::FetchReport> Fetch(const json::Value& selector, model::RawSink& sink) override {
    auto sel = ParseIssueSelector(selector);
    if (!sel.ok()) return sel.error();
    ScopeLog log(name(), sink);
    auto report =
        ForEachProject(client_, name(), sink, log, 1, [&](const json::Value& project, size_t, const Emit& emit) {
          std::vector<json::Value> values;
          CallStatus st = ListProjectTagValues(client_, project, sel->tag, values);
          log.Add(ProjectScope(project, "tags/" + sel->tag), st);
          if (st.state != model::ScopeState::COMPLETE) return;
          std::vector<json::Value> batch;
          batch.reserve(values.size());
          for (auto& v : values) {
            json::Value item = project;  // shares the project's subtrees
            item.Set("__tags", std::move(v));
            batch.push_back(std::move(item));
          }
          emit(std::move(batch));
        });
    return Finish(log, std::move(report));
  }

 private:
  SentryClient& client_;
};

void SortTagsByName(json::Value& tags) {
  std::vector<json::Value> v(tags.Items().begin(), tags.Items().end());
  std::stable_sort(v.begin(), v.end(), [](const json::Value& a, const json::Value& b) {
    return StringField(a, "name") < StringField(b, "name");
  });
  tags = json::Value::Array(std::move(v));
}

class IssueTagKind : public model::KindSource {
 public:
  explicit IssueTagKind(SentryClient& client) : client_(client) {}
  std::string_view name() const override { return "issue-tag"; }

  //! Forces one strategy (tests compare both); default chooses per project.
  enum class Strategy : uint8_t { AUTO, PER_VALUE, PER_ISSUE };
  Strategy strategy = Strategy::AUTO;

  Result<model::FetchReport> Fetch(const json::Value& selector, model::RawSink& sink) override {
    auto sel = ParseIssueSelector(selector);
    if (!sel.ok()) return sel.error();
    Strategy forced = strategy;
    if (const json::Value* s = selector.IsObject() ? selector.Find("tagStrategy") : nullptr;
        s != nullptr && s->IsString()) {
      if (s->AsString() == "per-value") forced = Strategy::PER_VALUE;
      if (s->AsString() == "per-issue") forced = Strategy::PER_ISSUE;
    }
    ScopeLog log(name(), sink);
    auto report =
        ForEachProject(client_, name(), sink, log, 1, [&](const json::Value& project, size_t, const Emit& emit) {
          std::vector<json::Value> values;
          bool per_value = false;
          if (forced != Strategy::PER_ISSUE) {
            CallStatus st = ListProjectTagValues(client_, project, sel->tag, values);
            per_value = st.state == model::ScopeState::COMPLETE &&
                        (forced == Strategy::PER_VALUE || static_cast<int>(values.size()) <= sel->max_tag_values);
          }
          if (per_value) {
            PerValue(project, *sel, values, log, emit);
          } else {
            PerIssue(project, *sel, log, emit);
          }
        });
    return Finish(log, std::move(report));
  }

 private:
  static json::Value TagFromIssue(const std::string& tag, const std::string& value, const json::Value& issue) {
    json::Value t = json::Value::Object();
    t.Set("key", json::Value::String(tag));
    t.Set("name", json::Value::String(value));
    t.Set("value", json::Value::String(value));
    for (const char* k : {"count", "firstSeen", "lastSeen"}) {
      if (const json::Value* f = issue.Find(k)) t.Set(k, *f);
    }
    return t;
  }

  void PerValue(const json::Value& project, const IssueSelector& sel, const std::vector<json::Value>& values,
                ScopeLog& log, const Emit& emit) {
    // One project's issues are held while the per-value listings mark their tags; issues of other projects
    // are not, so memory is bounded by the largest project.
    std::vector<json::Value> issues;
    std::unordered_map<std::string, size_t> index;
    bool complete = true;
    for (const auto& status : StatusShards(sel)) {
      CallStatus st = ListProjectIssues(client_, project, sel, status, "", [&](std::vector<json::Value>&& page) {
        for (auto& issue : page) {
          std::string id = StringField(issue, "id");
          if (index.count(id) != 0) continue;
          index.emplace(id, issues.size());
          issue.Set("__tags", json::Value::Array());
          issues.push_back(std::move(issue));
        }
        return true;
      });
      log.Add(ProjectScope(project, "issues"), st);
      complete = complete && st.state == model::ScopeState::COMPLETE;
    }
    for (const auto& v : values) {
      std::string value = StringField(v, "value");
      if (value.empty()) value = StringField(v, "name");
      IssueSelector filtered = sel;
      std::string env;
      if (sel.tag == "environment") {
        env = value;
      } else {
        filtered.query += (filtered.query.empty() ? "" : " ") + sel.tag + ":\"" + value + "\"";
      }
      for (const auto& status : StatusShards(sel)) {
        CallStatus st =
            ListProjectIssues(client_, project, filtered, status, env, [&](std::vector<json::Value>&& page) {
              for (const auto& issue : page) {
                auto it = index.find(StringField(issue, "id"));
                if (it == index.end()) continue;  // appeared after the main listing: the next resync has it
                json::Value& target = issues[it->second];
                json::Value* tags = target.MutableFind("__tags");
                tags->Append(TagFromIssue(sel.tag, value, issue));
              }
              return true;
            });
        log.Add(ProjectScope(project, "issues:" + sel.tag + "=" + value), st);
        complete = complete && st.state == model::ScopeState::COMPLETE;
      }
    }
    // Tags of a project whose listings did not all complete may be missing: emitting those issues would write
    // wrong relations, so none is emitted and the failed scopes block deletion.
    if (!complete) return;
    for (auto& issue : issues) SortTagsByName(*issue.MutableFind("__tags"));
    for (size_t start = 0; start < issues.size(); start += 100) {
      size_t end = std::min(issues.size(), start + 100);
      std::vector<json::Value> batch(std::make_move_iterator(issues.begin() + static_cast<long>(start)),
                                     std::make_move_iterator(issues.begin() + static_cast<long>(end)));
      if (!emit(std::move(batch))) return;
    }
  }

  void PerIssue(const json::Value& project, const IssueSelector& sel, ScopeLog& log, const Emit& emit) {
    for (const auto& status : StatusShards(sel)) {
      CallStatus st = ListProjectIssues(client_, project, sel, status, "", [&](std::vector<json::Value>&& page) {
        std::vector<char> keep(page.size(), 1);
        ParallelFor(page.size(), client_.options().parallelism, [&](size_t i) {
          json::Value& issue = page[i];
          std::string id = StringField(issue, "id");
          json::Value tags = json::Value::Array();
          CallStatus ts = client_.List("organizations/{org}/issues/{id}/tags/{key}/values/",
                                       "organizations/" + net::UrlEncode(client_.org()) + "/issues/" +
                                           net::UrlEncode(id) + "/tags/" + net::UrlEncode(sel.tag) + "/values/",
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

std::unique_ptr<model::KindSource> MakeIssueKind(SentryClient& c) {
  return std::make_unique<IssueKind>(c);
}
std::unique_ptr<model::KindSource> MakeProjectTagKind(SentryClient& c) {
  return std::make_unique<ProjectTagKind>(c);
}
std::unique_ptr<model::KindSource> MakeIssueTagKind(SentryClient& c) {
  return std::make_unique<IssueTagKind>(c);
}

}  // namespace sp::sentry::kinds

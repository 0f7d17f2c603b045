// The per-project kinds issue (§2.5) and project-tag (§2.8); issue-tag is in issue_tag.cpp.
#include "sentry/kinds/common.hpp"
#include "sentry/kinds/registry.hpp"

namespace sp::sentry::kinds {
namespace {

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

}  // namespace

std::unique_ptr<model::KindSource> MakeIssueKind(SentryClient& c) {
  return std::make_unique<IssueKind>(c);
}
std::unique_ptr<model::KindSource> MakeProjectTagKind(SentryClient& c) {
  return std::make_unique<ProjectTagKind>(c);
}

}  // namespace sp::sentry::kinds

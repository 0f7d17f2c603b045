// The kinds that are one listing each: project (§2.3), user (organization members, §2.10) and team
// (§2.11, optionally enriched with team members, §2.12).
#include <spdlog/spdlog.h>

#include "base/parallel.hpp"
#include "sentry/kinds/common.hpp"
#include "sentry/kinds/registry.hpp"

namespace sp::sentry::kinds {
namespace {

class ProjectKind : public model::KindSource {
 public:
  explicit ProjectKind(SentryClient& client) : client_(client) {}
  std::string_view name() const override { return "project"; }

  Result<model::FetchReport> Fetch(const json::Value& /*selector*/, model::RawSink& sink) override {
    ScopeLog log(name(), sink);
    model::FetchReport report;
    CallStatus st = ListProjects(client_, [&](std::vector<json::Value>&& page) {
      report.items += page.size();
      if (!sink.OnBatch(name(), std::move(page))) report.aborted = true;
      return !report.aborted;
    });
    log.Add("projects", st);
    return Finish(log, std::move(report));
  }

 private:
  SentryClient& client_;
};

class UserKind : public model::KindSource {
 public:
  explicit UserKind(SentryClient& client) : client_(client) {}
  std::string_view name() const override { return "user"; }

  Result<model::FetchReport> Fetch(const json::Value& /*selector*/, model::RawSink& sink) override {
    ScopeLog log(name(), sink);
    model::FetchReport report;
    CallStatus st =
        client_.List("organizations/{org}/members/", "organizations/" + net::UrlEncode(client_.org()) + "/members/",
                     {{"per_page", "100"}}, [&](std::vector<json::Value>&& page) {
                       report.items += page.size();
                       if (!sink.OnBatch(name(), std::move(page))) report.aborted = true;
                       return !report.aborted;
                     });
    log.Add("members", st);
    return Finish(log, std::move(report));
  }

 private:
  SentryClient& client_;
};

class TeamKind : public model::KindSource {
 public:
  explicit TeamKind(SentryClient& client) : client_(client) {}
  std::string_view name() const override { return "team"; }

  Result<model::FetchReport> Fetch(const json::Value& selector, model::RawSink& sink) override {
    ScopeLog log(name(), sink);
    model::FetchReport report;
    bool include_members = SelectorBool(selector, "includeMembers", false);
    CallStatus st =
        client_.List("organizations/{org}/teams/", "organizations/" + net::UrlEncode(client_.org()) + "/teams/",
                     {{"per_page", "100"}, {"detailed", "1"}}, [&](std::vector<json::Value>&& page) {
                       if (include_members) page = Enrich(std::move(page), log);
                       report.items += page.size();
                       if (!sink.OnBatch(name(), std::move(page))) report.aborted = true;
                       return !report.aborted;
                     });
    log.Add("teams", st);
    return Finish(log, std::move(report));
  }

 private:
  // Adds `__members` (Ocean's key) to each team. A team whose members could not be read is not emitted:
  // upserting it with an empty member list would overwrite the relation in Port; its failed scope keeps the
  // sync engine from deleting it.
  std::vector<json::Value> Enrich(std::vector<json::Value>&& teams, ScopeLog& log) {
    std::vector<char> keep(teams.size(), 1);
    ParallelFor(teams.size(), client_.options().parallelism, [&](size_t i) {
      json::Value& team = teams[i];
      std::string slug = StringField(team, "slug");
      json::Value members = json::Value::Array();
      CallStatus st = client_.List("teams/{org}/{team}/members/",
                                   "teams/" + net::UrlEncode(client_.org()) + "/" + net::UrlEncode(slug) + "/members/",
                                   {{"per_page", "100"}}, [&](std::vector<json::Value>&& page) {
                                     for (auto& m : page) members.Append(std::move(m));
                                     return true;
                                   });
      if (st.state != model::ScopeState::COMPLETE) {
        keep[i] = 0;
        log.Add("team:" + slug + "/members", st);
        return;
      }
      team.Set("__members", std::move(members));
    });
    std::vector<json::Value> out;
    out.reserve(teams.size());
    for (size_t i = 0; i < teams.size(); ++i) {
      if (keep[i]) out.push_back(std::move(teams[i]));
    }
    return out;
  }

  SentryClient& client_;
};

}  // namespace

std::unique_ptr<model::KindSource> MakeProjectKind(SentryClient& c) {
  return std::make_unique<ProjectKind>(c);
}
std::unique_ptr<model::KindSource> MakeUserKind(SentryClient& c) {
  return std::make_unique<UserKind>(c);
}
std::unique_ptr<model::KindSource> MakeTeamKind(SentryClient& c) {
  return std::make_unique<TeamKind>(c);
}

}  // namespace sp::sentry::kinds

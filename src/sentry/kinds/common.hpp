#pragma once
// Shared pieces of the Sentry kinds: selector options, the project listing every per-project kind starts
// from, and scope bookkeeping. Endpoints and their quirks are cited from sentry-api.md.

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"
#include "model/source.hpp"
#include "sentry/client.hpp"

namespace sp::sentry::kinds {

//! Selector options of the issue kinds (documented in docs/kinds.md). Defaults read everything.
struct IssueSelector {
  std::vector<std::string> statuses;      //!< "statuses": e.g. ["unresolved","resolved"]; empty = every status
  bool include_archived = true;           //!< "includeArchived": false drops ignored/archived issues
  std::string stats_period = "90d";       //!< "statsPeriod": Sentry's search window (§2.5: 90 d default)
  std::vector<std::string> environments;  //!< "environment": string or list; empty = all
  std::string query;                      //!< "issueQuery": extra Sentry search terms, ANDed
  std::string tag = "environment";        //!< "tag" (issue-tag, project-tag)
  //! "maxTagValuesPerProject": above it issue-tag reads the project per issue; -1 = no limit of its own (the
  //! automatic choice still reads per issue when values outnumber issues or reach Sentry's 1,000-value cap).
  int max_tag_values = -1;
};

//! Reads and validates the issue selector fields; errors name the field.
Result<IssueSelector> ParseIssueSelector(const json::Value& selector);
//! The `query` parameter for one listing: always explicit (an absent query means is:unresolved, §0.1).
std::string BuildIssueQuery(const IssueSelector& sel, std::string_view status);

bool SelectorBool(const json::Value& selector, std::string_view key, bool fallback);

//! Collects scope outcomes for a FetchReport and forwards them to the sink (thread-safe).
class ScopeLog {
 public:
  ScopeLog(std::string_view kind, model::RawSink& sink) : kind_(kind), sink_(sink) {}
  void Add(std::string scope, const CallStatus& status);
  void Add(model::ScopeStatus status);
  bool unauthenticated() const;
  std::string first_unauthenticated_reason() const;
  void MoveInto(model::FetchReport& report);

 private:
  std::string kind_;
  model::RawSink& sink_;
  mutable std::mutex mu_;
  std::vector<model::ScopeStatus> scopes_;
  bool unauthenticated_ = false;
  std::string unauth_reason_;
};

//! Streams every project of the organization (`organizations/{org}/projects/`, §2.3), each enriched with the
//! `organization` object from the org endpoint (the org-scoped list has none; Port's default mappings use
//! `.organization.links.organizationUrl`).
CallStatus ListProjects(SentryClient& client, const std::function<bool(std::vector<json::Value>&&)>& on_page);

//! Lists one project's issues with an explicit query and window (`organizations/{org}/issues/`, §2.5).
CallStatus ListProjectIssues(SentryClient& client, const json::Value& project, const IssueSelector& sel,
                             std::string_view status, std::string_view environment,
                             const std::function<bool(std::vector<json::Value>&&)>& on_page);

//! Forwards one batch of a kind to the sink; false once the sink asked to stop.
using Emit = std::function<bool(std::vector<json::Value>&&)>;

//! The fan-out of the per-project kinds: lists the organization's projects (scope "projects"), then runs
//! `work(project, shard, emit)` for every project and every shard in [0, shards) on the client's parallelism.
//! `emit` counts the batch into the report and forwards it (empty batches are dropped); once the sink asks to
//! stop, no further work starts and the report says aborted. Projects are held (few); items are streamed.
model::FetchReport ForEachProject(
    SentryClient& client, std::string_view kind, model::RawSink& sink, ScopeLog& log, size_t shards,
    const std::function<void(const json::Value& project, size_t shard, const Emit& emit)>& work);

//! The status listings an issue read makes: one per selected status, or one ("") for every status.
std::vector<std::string> StatusShards(const IssueSelector& sel);

//! Lists a project's values of `tag` (`projects/{org}/{project}/tags/{key}/values/`, §2.8), all pages. A 404
//! (the project never had the tag) is "no values": COMPLETE with `out` empty.
CallStatus ListProjectTagValues(SentryClient& client, const json::Value& project, const std::string& tag,
                                std::vector<json::Value>& out);

//! "project:<slug>"
std::string ProjectScope(const json::Value& project, std::string_view what);
std::string StringField(const json::Value& v, std::string_view key);

//! Converts the scope log's 401 into the configuration error that stops the resync.
Result<model::FetchReport> Finish(ScopeLog& log, model::FetchReport report);

}  // namespace sp::sentry::kinds

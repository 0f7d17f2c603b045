#include "sentry/kinds/registry.hpp"

#include <string>

namespace sp::sentry::kinds {

const std::vector<std::string_view>& SupportedKinds() {
  static const std::vector<std::string_view> kinds = {"project", "issue", "project-tag", "issue-tag", "user", "team"};
  return kinds;
}

std::unique_ptr<model::KindSource> MakeKind(std::string_view kind, SentryClient& client) {
  if (kind == "project") return MakeProjectKind(client);
  if (kind == "issue") return MakeIssueKind(client);
  if (kind == "project-tag") return MakeProjectTagKind(client);
  if (kind == "issue-tag") return MakeIssueTagKind(client);
  if (kind == "user") return MakeUserKind(client);
  if (kind == "team") return MakeTeamKind(client);
  return nullptr;
}

}  // namespace sp::sentry::kinds

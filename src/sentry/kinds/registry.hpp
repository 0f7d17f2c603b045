#pragma once
// The Sentry kinds this integration reads. The "unknown kind" error of the mapping lists SupportedKinds(),
// so adding a kind is one line in registry.cpp.

#include <memory>
#include <string_view>
#include <vector>

#include "model/source.hpp"
#include "sentry/client.hpp"

namespace sp::sentry::kinds {

//! "project", "issue", "project-tag", "issue-tag", "user", "team".
const std::vector<std::string_view>& SupportedKinds();

//! A source for `kind`, or nullptr when the kind is unknown. The client must outlive the source.
std::unique_ptr<model::KindSource> MakeKind(std::string_view kind, SentryClient& client);

std::unique_ptr<model::KindSource> MakeProjectKind(SentryClient& client);
std::unique_ptr<model::KindSource> MakeUserKind(SentryClient& client);
std::unique_ptr<model::KindSource> MakeTeamKind(SentryClient& client);
std::unique_ptr<model::KindSource> MakeIssueKind(SentryClient& client);
std::unique_ptr<model::KindSource> MakeProjectTagKind(SentryClient& client);
std::unique_ptr<model::KindSource> MakeIssueTagKind(SentryClient& client);

}  // namespace sp::sentry::kinds

#pragma once
// Deterministic Sentry-like JSON texts for the jq benchmark, shaped as sentry-api.md §2.3 (projects, with the
// org-less endpoint's `organization` object that the default mapping reads), §2.5.2 (issues), §2.10 (members)
// and §2.11 (teams), plus the `__tags` / `__members` keys the Sentry client adds. Issues and projects are
// 2-3 KB each, like the real ones; item i is the same on every run and every machine.

#include <string>

namespace sp::bench {

//! A project as listed by the org-less project endpoint (with `organization`); `with_tag` adds `__tags`.
std::string ProjectText(int i, bool with_tag);
//! An issue (list form); `with_tags` adds the `__tags` array of the issue-tag kind.
std::string IssueText(int i, bool with_tags);
//! An organization member.
std::string UserText(int i);
//! A team with its projects and `__members`.
std::string TeamText(int i);

}  // namespace sp::bench

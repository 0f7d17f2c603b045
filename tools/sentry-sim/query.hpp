#pragma once
// Search-query parsing for the simulated endpoints. Issue search (sentry-api.md §2.5.1, §7.6) supports is:,
// environment:, release:, level:, assigned:, lastSeen:/firstSeen:/age: (relative and absolute), issue.category:,
// issue.priority:, has:, the generated tag keys, free text on title/culprit, `!` negation and `key:[a,b]` lists;
// anything else is a parse error whose text follows "Error parsing search query: ". The project, member and
// team list queries use Sentry's simpler token form, where an unknown key means "empty result", not an error.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim_util.hpp"

namespace sp::sentry_sim {

struct QueryToken {
  bool negate = false;
  std::string key;  //!< "" for free text
  std::vector<std::string> values;
};

//! Splits a search string into tokens (quotes, `[a,b]` lists, `!` negation). Error text on bad syntax.
std::optional<std::vector<QueryToken>> TokenizeQuery(std::string_view query, std::string* error);

enum class IssueTermKind {
  STATUS,      //!< is:unresolved|resolved|ignored|archived
  SUBSTATUS,   //!< is:new|ongoing|escalating|regressed|archived_*
  ASSIGNED_P,  //!< is:assigned / is:unassigned (values: "1" or "0")
  ENVIRONMENT,
  RELEASE,
  LEVEL,
  ASSIGNED,  //!< assigned:<email|me|none|#team>
  LAST_SEEN,
  FIRST_SEEN,
  CATEGORY,
  PRIORITY,
  HAS,
  TAG,   //!< a generated tag key (browser, os, url, ...)
  TEXT,  //!< free text on title/culprit
};

struct IssueTerm {
  IssueTermKind kind = IssueTermKind::TEXT;
  bool negate = false;
  std::string key;                  //!< tag key for TAG/HAS
  std::vector<std::string> values;  //!< OR-ed
  Micros bound = 0;                 //!< dates: the threshold
  bool at_least = true;             //!< dates: seen >= bound (else <= bound)
};

struct IssueQuery {
  std::vector<IssueTerm> terms;  //!< AND-ed (status values are merged into one term)
};

//! Parses an issue search. `now` anchors relative dates. On error returns nullopt with `error` holding the
//! full 400 detail text ("Error parsing search query: ...").
std::optional<IssueQuery> ParseIssueQuery(std::string_view query, Micros now, std::string* error);

}  // namespace sp::sentry_sim

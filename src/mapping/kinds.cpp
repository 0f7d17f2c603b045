#include "mapping/kinds.hpp"

#include <cctype>

namespace sp::mapping {
namespace {

// sentry-api.md §2.5: statsPeriod is `<n>(s|m|h|d|w)`; "" asks for the endpoint's own default.
std::optional<std::string> CheckStatsPeriod(const json::Value& v) {
  std::string_view s = v.AsString();
  if (s.empty()) return std::nullopt;
  size_t digits = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
  if (digits > 0 && digits + 1 == s.size() && std::string_view("smhdw").find(s.back()) != std::string_view::npos) {
    return std::nullopt;
  }
  return "must be a number followed by s, m, h, d or w (e.g. \"90d\"), or \"\" for Sentry's default";
}

SelectorField TagField() {
  return {.name = "tag",
          .type = SelectorFieldType::STRING,
          .description = "tag key whose values expand projects/issues (default \"environment\")"};
}

// The Sentry client's issue-tag strategy threshold (src/sentry/kinds/common.hpp): a project with more values of
// the tag than this is read per issue instead of per value, so a high-cardinality tag (release, url) cannot turn
// into one call per value.
SelectorField MaxTagValuesField() {
  return {.name = "maxTagValuesPerProject",
          .type = SelectorFieldType::NUMBER,
          .description =
              "above this many values of the tag in a project, read that project per issue "
              "(non-negative integer; default: no limit of its own)"};
}

SelectorField IncludeArchivedField() {
  return {.name = "includeArchived",
          .type = SelectorFieldType::BOOL,
          .description = "also list archived (ignored) issues (default true)"};
}

// Issue-listing options for the Sentry client (docs/mapping.md, "Selector options"): they narrow what is
// fetched, so they live on the selector rather than in the JQ query, which only filters after the fetch.
std::vector<SelectorField> IssueListingFields() {
  return {
      IncludeArchivedField(),
      {.name = "statuses",
       .type = SelectorFieldType::STRING_LIST,
       .allowed_values = {"unresolved", "resolved", "ignored", "archived", "reprocessing"},
       .description = "issue statuses to fetch (default: all)"},
      {.name = "statsPeriod",
       .type = SelectorFieldType::STRING,
       .check = CheckStatsPeriod,
       .description = "search window: issues with events in the last <n>(s|m|h|d|w) (default: the client's)"},
      {.name = "environment",
       .type = SelectorFieldType::STRING_LIST,
       .description = "only issues seen in these environments (default: all)"},
      {.name = "issueQuery",
       .type = SelectorFieldType::STRING,
       .description = "extra Sentry search terms ANDed to the listing, e.g. \"level:error\" (default: none)"},
  };
}

KindTable BuildSentryKinds() {
  KindTable table;
  table.push_back({.name = "project", .selector_fields = {TagField()}});
  std::vector<SelectorField> issue_fields = IssueListingFields();
  issue_fields.insert(issue_fields.begin(), TagField());
  table.push_back({.name = "issue", .selector_fields = issue_fields});
  table.push_back({.name = "project-tag", .selector_fields = {TagField()}});
  std::vector<SelectorField> issue_tag_fields = issue_fields;
  issue_tag_fields.push_back({.name = "tagStrategy",
                              .type = SelectorFieldType::STRING,
                              .allowed_values = {"auto", "per-value", "per-issue"},
                              .description = "how tag values are read: per project value (few calls) or per issue "
                                             "(Ocean's way); default auto"});
  issue_tag_fields.push_back(MaxTagValuesField());
  table.push_back({.name = "issue-tag", .selector_fields = issue_tag_fields});
  table.push_back({.name = "user", .selector_fields = {}});
  table.push_back({.name = "team",
                   .selector_fields = {{.name = "includeMembers",
                                        .type = SelectorFieldType::BOOL,
                                        .description = "add each team's members as `__members` (default false)"}}});
  return table;
}

}  // namespace

const KindTable& DefaultSentryKinds() {
  static const KindTable table = BuildSentryKinds();
  return table;
}

const KindInfo* FindKind(const KindTable& table, std::string_view name) {
  for (const KindInfo& k : table) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string KindNames(const KindTable& table) {
  std::string out;
  for (const KindInfo& k : table) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

}  // namespace sp::mapping

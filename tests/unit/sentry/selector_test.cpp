#include <gtest/gtest.h>

#include "json/parse.hpp"
#include "sentry/kinds/common.hpp"

namespace sp::sentry::kinds {
namespace {

json::Value J(const char* text) {
  return json::Parse(text).value();
}

TEST(IssueSelector, DefaultsReadEveryStatus) {
  auto sel = ParseIssueSelector(J(R"({"query":"true"})"));
  ASSERT_TRUE(sel.ok());
  EXPECT_TRUE(sel->include_archived);
  EXPECT_EQ(sel->stats_period, "90d");
  EXPECT_EQ(sel->tag, "environment");
  // An explicit empty query: Sentry's default (query absent) would be is:unresolved (sentry-api.md §0.1).
  EXPECT_EQ(BuildIssueQuery(*sel, ""), "");
}

TEST(IssueSelector, NarrowingOptions) {
  auto sel = ParseIssueSelector(J(
      R"({"includeArchived":false,"statuses":["unresolved","resolved"],"statsPeriod":"30d","environment":"prod","issueQuery":"level:error"})"));
  ASSERT_TRUE(sel.ok());
  EXPECT_FALSE(sel->include_archived);
  EXPECT_EQ(sel->statuses.size(), 2u);
  EXPECT_EQ(sel->environments, std::vector<std::string>{"prod"});
  EXPECT_EQ(BuildIssueQuery(*sel, "resolved"), "is:resolved level:error");
  EXPECT_EQ(BuildIssueQuery(*sel, ""), "!is:ignored level:error");
}

TEST(IssueSelector, BadValuesNameTheField) {
  auto bad_status = ParseIssueSelector(J(R"({"statuses":["open"]})"));
  ASSERT_FALSE(bad_status.ok());
  EXPECT_EQ(bad_status.error().context, "selector.statuses");
  EXPECT_NE(bad_status.error().message.find("open"), std::string::npos);
  auto bad_env = ParseIssueSelector(J(R"({"environment":42})"));
  ASSERT_FALSE(bad_env.ok());
  EXPECT_EQ(bad_env.error().context, "selector.environment");
  auto bad_period = ParseIssueSelector(J(R"({"statsPeriod":90})"));
  ASSERT_FALSE(bad_period.ok());
  EXPECT_EQ(bad_period.error().context, "selector.statsPeriod");
  for (const char* bad : {R"({"maxTagValuesPerProject":-1})", R"({"maxTagValuesPerProject":2.5})",
                          R"({"maxTagValuesPerProject":"30"})"}) {
    auto r = ParseIssueSelector(J(bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().context, "selector.maxTagValuesPerProject") << bad;
  }
}

TEST(IssueSelector, TagValueLimit) {
  auto none = ParseIssueSelector(J("{}"));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->max_tag_values, -1) << "no limit of its own by default";
  auto set = ParseIssueSelector(J(R"({"maxTagValuesPerProject":12})"));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->max_tag_values, 12);
}

}  // namespace
}  // namespace sp::sentry::kinds

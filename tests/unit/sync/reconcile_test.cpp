#include "sync/reconcile.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace sp::sync {
namespace {

ReconcileInput Base() {
  ReconcileInput in;
  for (int i = 0; i < 10; ++i) in.owned.push_back({"i" + std::to_string(i), "sentryIssue", ""});
  for (int i = 0; i < 9; ++i) in.produced.push_back({"sentryIssue", "i" + std::to_string(i), {}});
  return in;
}

TEST(Reconcile, DeletesStaleWithinThreshold) {
  auto plan = PlanDeletions(Base());
  ASSERT_EQ(plan.deletions.size(), 1u);
  EXPECT_EQ(plan.deletions[0].blueprint, "sentryIssue");
  EXPECT_EQ(plan.deletions[0].identifiers, std::vector<std::string>{"i9"});
  EXPECT_DOUBLE_EQ(plan.rate, 0.1);
  EXPECT_EQ(plan.per_blueprint["sentryIssue"].owned, 10u);
  EXPECT_EQ(plan.per_blueprint["sentryIssue"].stale, 1u);
}

TEST(Reconcile, ThresholdBoundaryRateEqualDeletes) {
  auto in = Base();
  in.threshold = 0.1;  // rate == threshold deletes (port-api.md §5.3)
  EXPECT_EQ(PlanDeletions(in).TotalToDelete(), 1u);
  in.threshold = 0.09;
  auto plan = PlanDeletions(in);
  EXPECT_EQ(plan.TotalToDelete(), 0u);
  EXPECT_TRUE(plan.threshold_exceeded);
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_NE(plan.skipped[0].reason.find("entityDeletionThreshold"), std::string::npos);
  in.threshold = 0;
  EXPECT_EQ(PlanDeletions(in).TotalToDelete(), 0u);
}

TEST(Reconcile, EmptyMappingDeletesNothingByDefault) {
  auto in = Base();
  in.produced.clear();  // 100 % stale
  EXPECT_EQ(PlanDeletions(in).TotalToDelete(), 0u);
  in.threshold = 1.0;  // the user explicitly allows everything
  EXPECT_EQ(PlanDeletions(in).TotalToDelete(), 10u);
}

TEST(Reconcile, BlockedBlueprintKeepsItsEntitiesOthersStillDelete) {
  auto in = Base();
  in.owned.push_back({"p1", "sentryProject", ""});
  in.owned.push_back({"p2", "sentryProject", ""});
  in.produced.push_back({"sentryProject", "p1", {}});
  in.blocked["sentryIssue"] = {"issue: project:api/issues denied (HTTP 403)"};
  in.threshold = 1.0;
  auto plan = PlanDeletions(in);
  ASSERT_EQ(plan.deletions.size(), 1u);
  EXPECT_EQ(plan.deletions[0].blueprint, "sentryProject");
  EXPECT_EQ(plan.deletions[0].identifiers, std::vector<std::string>{"p2"});
  ASSERT_FALSE(plan.skipped.empty());
  EXPECT_NE(plan.skipped[0].reason.find("403"), std::string::npos);
}

TEST(Reconcile, BlockAllDeletesNothing) {
  auto in = Base();
  in.block_all = true;
  in.block_all_reason = "the resync was aborted by a newer one";
  auto plan = PlanDeletions(in);
  EXPECT_EQ(plan.TotalToDelete(), 0u);
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_NE(plan.skipped[0].reason.find("aborted"), std::string::npos);
}

TEST(Reconcile, RelationTargetsOfProducedEntitiesAreKept) {
  ReconcileInput in;
  in.owned = {{"web", "sentryProject", ""}, {"api", "sentryProject", ""}, {"1", "sentryIssue", ""}};
  in.produced = {{"sentryIssue", "1", {{"sentryProject", "web"}}}};
  in.threshold = 1.0;
  auto plan = PlanDeletions(in);
  ASSERT_EQ(plan.deletions.size(), 1u);
  EXPECT_EQ(plan.deletions[0].identifiers, std::vector<std::string>{"api"});
  in.protect_relation_targets = false;
  EXPECT_EQ(PlanDeletions(in).TotalToDelete(), 2u);
}

TEST(Reconcile, DependentsAreDeletedBeforeTheirTargets) {
  ReconcileInput in;
  in.owned = {
      {"u1", "sentryUser", ""}, {"t1", "sentryTeam", ""}, {"p1", "sentryProject", ""}, {"i1", "sentryIssue", ""}};
  in.threshold = 1.0;
  in.protect_relation_targets = false;
  in.relation_graph = {{"sentryIssue", {"sentryProject", "sentryUser"}},
                       {"sentryProject", {"sentryTeam"}},
                       {"sentryTeam", {"sentryUser"}}};
  auto plan = PlanDeletions(in);
  std::vector<std::string> order;
  for (const auto& d : plan.deletions) order.push_back(d.blueprint);
  ASSERT_EQ(order.size(), 4u);
  auto pos = [&](const std::string& bp) { return std::find(order.begin(), order.end(), bp) - order.begin(); };
  EXPECT_LT(pos("sentryIssue"), pos("sentryProject"));
  EXPECT_LT(pos("sentryProject"), pos("sentryTeam"));
  EXPECT_LT(pos("sentryTeam"), pos("sentryUser"));
}

TEST(Reconcile, NothingStaleNothingToDo) {
  ReconcileInput in;
  in.owned = {{"a", "bp", ""}};
  in.produced = {{"bp", "a", {}}};
  auto plan = PlanDeletions(in);
  EXPECT_TRUE(plan.deletions.empty());
  EXPECT_TRUE(plan.skipped.empty());
  EXPECT_EQ(plan.rate, 0.0);
}

}  // namespace
}  // namespace sp::sync

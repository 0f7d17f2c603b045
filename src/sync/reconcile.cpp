#include "sync/reconcile.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <unordered_set>

namespace sp::sync {
namespace {

std::string Key(const std::string& blueprint, const std::string& id) {
  return blueprint + '\x1f' + id;
}

std::string Percent(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", r * 100.0);
  return buf;
}

// Dependents first: a blueprint comes before every blueprint it has relations to. Cycles keep input order.
std::vector<std::string> DeletionOrder(const std::set<std::string>& blueprints,
                                       const std::map<std::string, std::set<std::string>>& graph) {
  std::vector<std::string> order;
  std::set<std::string> done, visiting;
  // Post-order over "is pointed to by": emit a blueprint only after everything that points to it.
  std::map<std::string, std::set<std::string>> pointed_by;
  for (const auto& [src, targets] : graph) {
    for (const auto& t : targets) pointed_by[t].insert(src);
  }
  std::function<void(const std::string&)> visit = [&](const std::string& bp) {
    if (done.count(bp) != 0 || visiting.count(bp) != 0) return;
    visiting.insert(bp);
    if (auto it = pointed_by.find(bp); it != pointed_by.end()) {
      for (const auto& src : it->second) {
        if (src != bp) visit(src);
      }
    }
    visiting.erase(bp);
    done.insert(bp);
    if (blueprints.count(bp) != 0) order.push_back(bp);
  };
  for (const auto& bp : blueprints) visit(bp);
  return order;
}

}  // namespace

uint64_t ReconcilePlan::TotalToDelete() const {
  uint64_t n = 0;
  for (const auto& d : deletions) n += d.identifiers.size();
  return n;
}

ReconcilePlan PlanDeletions(const ReconcileInput& in) {
  ReconcilePlan plan;
  std::unordered_set<std::string> produced;
  std::unordered_set<std::string> targets;          // (blueprint, id) keys
  std::unordered_set<std::string> untyped_targets;  // ids whose target blueprint is unknown
  for (const auto& p : in.produced) {
    produced.insert(Key(p.blueprint, p.identifier));
    for (const auto& [bp, id] : p.targets) {
      if (bp.empty()) {
        untyped_targets.insert(id);
      } else {
        targets.insert(Key(bp, id));
      }
    }
  }
  std::map<std::string, std::vector<std::string>> stale;
  uint64_t stale_total = 0;
  for (const auto& o : in.owned) {
    auto& stats = plan.per_blueprint[o.blueprint];
    ++stats.owned;
    if (produced.count(Key(o.blueprint, o.identifier)) != 0) continue;
    ++stats.stale;
    ++stale_total;
    stale[o.blueprint].push_back(o.identifier);
  }
  if (stale_total == 0) return plan;
  plan.rate = in.owned.empty() ? 0.0 : static_cast<double>(stale_total) / static_cast<double>(in.owned.size());

  auto skip_all = [&](const std::string& reason) {
    for (auto& [bp, ids] : stale) {
      plan.per_blueprint[bp].skipped += ids.size();
      plan.skipped.push_back({bp, "", reason + " (" + std::to_string(ids.size()) + " stale entities kept)"});
    }
  };
  if (in.block_all) {
    skip_all(in.block_all_reason.empty() ? "the resync was not complete" : in.block_all_reason);
    return plan;
  }
  if (plan.rate > in.threshold) {
    plan.threshold_exceeded = true;
    char threshold[32];
    std::snprintf(threshold, sizeof threshold, "%.6g", in.threshold);
    skip_all("deletion rate " + Percent(plan.rate) + " (" + std::to_string(stale_total) + " stale of " +
             std::to_string(in.owned.size()) + " owned entities) is above entityDeletionThreshold " + threshold);
    return plan;
  }

  std::set<std::string> deletable;
  std::map<std::string, std::vector<std::string>> kept;
  for (auto& [bp, ids] : stale) {
    if (auto it = in.blocked.find(bp); it != in.blocked.end()) {
      std::string reason;
      for (const auto& r : it->second) reason += (reason.empty() ? "" : "; ") + r;
      plan.per_blueprint[bp].skipped += ids.size();
      plan.skipped.push_back(
          {bp, "", "blueprint blocked: " + reason + " (" + std::to_string(ids.size()) + " stale entities kept)"});
      continue;
    }
    std::vector<std::string> del;
    for (const auto& id : ids) {
      if (in.protect_relation_targets && (targets.count(Key(bp, id)) != 0 || untyped_targets.count(id) != 0)) {
        plan.per_blueprint[bp].skipped++;
        plan.skipped.push_back({bp, id, "related to an entity this resync created or updated"});
        continue;
      }
      del.push_back(id);
    }
    if (!del.empty()) {
      plan.per_blueprint[bp].to_delete += del.size();
      kept[bp] = std::move(del);
      deletable.insert(bp);
    }
  }
  for (const auto& bp : DeletionOrder(deletable, in.relation_graph)) {
    plan.deletions.push_back({bp, std::move(kept[bp])});
  }
  return plan;
}

}  // namespace sp::sync

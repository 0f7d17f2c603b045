#pragma once
// Reconciliation (port-api.md §5.2 step 6, §5.3, §5.4, Appendix B): which owned entities a finished resync
// deletes, in which order, and which it keeps and why. A pure function of what was owned, what was produced
// and what went wrong, so every rule is unit-testable.
//
// Rules (ours, stricter than Ocean's where Ocean loses data):
// - stale = owned - produced, by (blueprint, identifier).
// - A blueprint is blocked when any kind that produces it had a read failure, a denied scope, a selector
//   error or an entity dropped for a missing identifier/blueprint; if a failed kind's blueprints are unknown,
//   every blueprint is blocked. An aborted or partial resync deletes nothing.
// - Threshold: rate = |stale| / |owned| on the full owned set (all blueprints); delete iff rate <= threshold.
//   The per-blueprint breakdown is reported.
// - Relation-target protection (Ocean's): with createMissingRelatedEntities, a stale entity that a produced
//   entity points to is kept.
// - Order: blueprints whose entities point to others are deleted first (dependents before targets).

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/sink.hpp"

namespace sp::sync {

struct ProducedEntity {
  std::string blueprint;
  std::string identifier;
  //! Relation targets: (target blueprint or "" when unknown, target identifier).
  std::vector<std::pair<std::string, std::string>> targets;
};

struct ReconcileInput {
  std::vector<model::EntityRef> owned;
  std::vector<ProducedEntity> produced;
  //! blueprint -> why deletion is blocked for it.
  std::map<std::string, std::vector<std::string>> blocked;
  bool block_all = false;  //!< a failed kind's blueprints are unknown, or the resync was partial
  std::string block_all_reason;
  double threshold = 0.9;                //!< entityDeletionThreshold
  bool protect_relation_targets = true;  //!< createMissingRelatedEntities
  //! blueprint -> blueprints it has relations to (for the deletion order).
  std::map<std::string, std::set<std::string>> relation_graph;
};

struct BlueprintDeletion {
  std::string blueprint;
  std::vector<std::string> identifiers;
};

struct SkippedDeletion {
  std::string blueprint;
  std::string identifier;  //!< "" when the whole blueprint was skipped
  std::string reason;
};

struct BlueprintStats {
  uint64_t owned = 0;
  uint64_t stale = 0;
  uint64_t to_delete = 0;
  uint64_t skipped = 0;
};

struct ReconcilePlan {
  std::vector<BlueprintDeletion> deletions;  //!< in execution order
  std::vector<SkippedDeletion> skipped;
  std::map<std::string, BlueprintStats> per_blueprint;
  double rate = 0;  //!< |stale| / |owned|
  bool threshold_exceeded = false;

  uint64_t TotalToDelete() const;
};

ReconcilePlan PlanDeletions(const ReconcileInput& input);

}  // namespace sp::sync

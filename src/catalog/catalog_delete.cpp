// Catalog entity deletes (E3/E4, B5): dependents block a delete unless delete_dependents cascades (§9.5).
#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "catalog/catalog.hpp"
#include "catalog/detail/catalog_state.hpp"

namespace sp::catalog {
namespace {

// Every entity that (transitively) relates to `root`, excluding `root`.
Result<std::vector<EntityRef>> TransitiveDependents(Catalog::State& state, const EntityRef& root) {
  std::set<EntityRef> seen{root};
  std::deque<EntityRef> queue{root};
  std::vector<EntityRef> out;
  while (!queue.empty()) {
    EntityRef current = std::move(queue.front());
    queue.pop_front();
    auto deps = state.Dependents(current.first, current.second);
    if (!deps.ok()) return deps.error();
    for (auto& d : *deps) {
      if (seen.insert(d).second) {
        out.push_back(d);
        queue.push_back(std::move(d));
      }
    }
  }
  return out;
}

}  // namespace

CatalogResult<DeleteResult> Catalog::DeleteEntities(std::string_view blueprint,
                                                    std::span<const std::string> identifiers,
                                                    const DeleteOptions& options) {
  std::lock_guard lock(mutex_);
  if (state_->FindBlueprint(blueprint) == nullptr) {
    return NotFound("blueprint \"" + std::string(blueprint) + "\" was not found");
  }
  detail::Transaction tx(*state_->db);
  if (Status s = tx.Begin(); !s.ok()) return StorageError(s.error().message);
  state_->rows_written = 0;
  DeleteResult result;
  const std::string bp(blueprint);
  std::set<std::string> candidates;  // existing requested identifiers
  std::set<std::string> seen;
  for (const auto& id : identifiers) {
    if (!seen.insert(id).second) continue;
    auto exists = state_->EntityExists(bp, id);
    if (!exists.ok()) return StorageError(exists.error().message);
    if (!*exists) {
      result.errors.emplace_back(id, NotFound("entity \"" + id + "\" of blueprint \"" + bp + "\" was not found"));
    } else {
      candidates.insert(id);
    }
  }
  if (!options.delete_dependents) {
    // A candidate is blocked by a dependent outside the deleted set; dropping it can block others, so iterate.
    std::map<std::string, EntityRef> blocked_by;
    for (bool changed = true; changed;) {
      changed = false;
      for (auto it = candidates.begin(); it != candidates.end();) {
        auto deps = state_->Dependents(bp, *it);
        if (!deps.ok()) return StorageError(deps.error().message);
        const EntityRef* blocker = nullptr;
        for (const auto& d : *deps) {
          if (!(d.first == bp && candidates.count(d.second) > 0)) {
            blocker = &d;
            break;
          }
        }
        if (blocker != nullptr) {
          blocked_by[*it] = *blocker;
          it = candidates.erase(it);
          changed = true;
        } else {
          ++it;
        }
      }
    }
    for (const auto& [id, dep] : blocked_by) {
      result.errors.emplace_back(
          id, Conflict("has_dependents", "entity \"" + id + "\" of blueprint \"" + bp +
                                             "\" has dependent entities (\"" + dep.second + "\" of blueprint \"" +
                                             dep.first + "\"); use delete_dependents=true"));
    }
  }
  std::set<EntityRef> deleted;
  for (const auto& id : identifiers) {
    if (candidates.count(id) == 0 || deleted.count({bp, id}) > 0) continue;
    if (options.delete_dependents) {
      auto deps = TransitiveDependents(*state_, {bp, id});
      if (!deps.ok()) return StorageError(deps.error().message);
      for (const auto& d : *deps) {
        if (!deleted.insert(d).second) continue;
        if (Status s = state_->DeleteEntityRow(d.first, d.second); !s.ok()) {
          return StorageError("catalog delete failed, nothing was deleted: " + s.error().message);
        }
        if (!(d.first == bp && candidates.count(d.second) > 0)) ++result.cascaded;
      }
    }
    if (deleted.insert({bp, id}).second) {
      if (Status s = state_->DeleteEntityRow(bp, id); !s.ok()) {
        return StorageError("catalog delete failed, nothing was deleted: " + s.error().message);
      }
    }
  }
  for (const auto& id : identifiers) {
    if (candidates.count(id) > 0 &&
        std::find(result.deleted.begin(), result.deleted.end(), id) == result.deleted.end()) {
      result.deleted.push_back(id);
    }
  }
  if (Status s = tx.Commit(); !s.ok()) return StorageError("catalog commit failed: " + s.error().message);
  return result;
}

CatalogResult<size_t> Catalog::DeleteAllEntities(std::string_view blueprint, bool delete_blueprint) {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mutex_);
    if (state_->FindBlueprint(blueprint) == nullptr) {
      return NotFound("blueprint \"" + std::string(blueprint) + "\" was not found");
    }
    auto entities = state_->LoadEntities(blueprint);
    if (!entities.ok()) return StorageError(entities.error().message);
    for (const auto& e : *entities) ids.push_back(e.identifier);
  }
  auto result = DeleteEntities(blueprint, ids, DeleteOptions{.delete_dependents = true});
  if (!result.ok()) return result.error();
  if (delete_blueprint) {
    auto deleted = DeleteBlueprint(blueprint);
    if (!deleted.ok()) return deleted.error();
  }
  return result->deleted.size();
}

}  // namespace sp::catalog

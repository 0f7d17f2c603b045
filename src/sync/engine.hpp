#pragma once
// The resync engine (port-api.md §5.2, Appendix B): for every resource of the port app config, in order,
// fetch its kind from the source, map each batch as it arrives, skip entities the sink already holds
// unchanged, upsert the rest; then reconcile deletions (reconcile.hpp) unless anything forbids it.
//
// Memory stays bounded: batches are mapped by the fetching thread and written by a pool of writers through a
// bounded queue (back-pressure: a full queue pauses the fetch), and only (blueprint, identifier, relation
// targets) of produced entities are kept for reconciliation.
// A dry run reads and maps, asks the sink what it holds, and reports what a real run would create, update
// and delete, writing nothing.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/app_config.hpp"
#include "mapping/entity_mapper.hpp"
#include "model/sink.hpp"
#include "model/source.hpp"
#include "sync/reconcile.hpp"

namespace sp::sync {

//! Creates the source of a kind; nullptr for an unsupported kind.
using SourceFactory = std::function<std::unique_ptr<model::KindSource>(std::string_view kind)>;

struct KindReport;

struct SyncOptions {
  bool dry_run = false;
  bool skip_unchanged = true;
  bool delete_stale = true;                   //!< false: never delete (reconciliation is only reported)
  const std::atomic<bool>* cancel = nullptr;  //!< set by a newer resync: stop and delete nothing
  //! Called after every written batch (progress display); must be thread-safe.
  std::function<void(std::string_view kind, uint64_t fetched, uint64_t written)> on_progress;
  //! Like on_progress, with the kind's whole running report (mapped, filtered, failed...); called under the
  //! engine's lock, so it must only copy what it needs.
  std::function<void(const KindReport& kind)> on_kind_progress;
  size_t max_planned_changes = 10000;  //!< dry run: how many planned changes are listed in detail
  //! Pages written at once (each: one lookup, then its bulk upserts); fetching goes on meanwhile, and at most
  //! twice this many mapped pages wait (bounded memory). 0 writes on the fetching thread.
  size_t write_concurrency = 8;
};

struct KindReport {
  size_t resource_index = 0;
  std::string kind;
  std::vector<std::string> blueprints;
  mapping::KindCounters counters;
  uint64_t fetched = 0;
  uint64_t created = 0;
  uint64_t updated = 0;
  uint64_t unchanged = 0;
  uint64_t failed = 0;
  uint64_t deleted = 0;
  std::vector<model::ScopeStatus> failed_scopes;  //!< denied or failed scopes
  std::vector<mapping::Diagnostic> diagnostics;   //!< merged over batches
  std::vector<std::string> upsert_errors;         //!< first few failures, "<id>: <status> <error> <message>"
  std::string fetch_error;                        //!< the fetch itself failed (unsupported kind, bad selector)
  bool kind_failed = false;                       //!< blocks deletion of this kind's blueprints
};

//! One planned change of a dry run.
struct PlannedChange {
  enum class Action : uint8_t { CREATE, UPDATE, DELETE } action;
  std::string blueprint;
  std::string identifier;
  std::string detail;  //!< for UPDATE: which fields differ; for DELETE: why stale
};

struct SyncReport {
  std::vector<KindReport> kinds;
  ReconcilePlan plan;
  uint64_t deleted = 0;
  std::vector<std::string> delete_errors;
  bool aborted = false;
  bool unauthenticated = false;        //!< the source refused our credentials (configuration error)
  std::string fatal;                   //!< set when the resync stopped early
  std::vector<PlannedChange> planned;  //!< dry run only
  std::chrono::milliseconds duration{0};

  //! Every kind read and mapped completely, nothing aborted, no fatal error (failed upserts do not count).
  bool Complete() const;
};

//! Runs one full resync of `config` from `sources` into `sink`.
SyncReport RunResync(const std::shared_ptr<const mapping::AppConfig>& config, const SourceFactory& sources,
                     model::EntitySink& sink, const SyncOptions& options);

//! Whether `desired` (a mapped entity) differs from `current` (the sink's copy) in what the mapping sets:
//! title, icon, team (order-insensitive), and each mapped property and relation. Keys the mapping does not
//! set are ignored (merge semantics); null on one side equals absent on the other. Returns the differing
//! field names (empty: unchanged).
std::vector<std::string> DiffEntity(const json::Value& desired, const json::Value& current);

}  // namespace sp::sync

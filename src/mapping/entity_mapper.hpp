#pragma once
// Raw objects of one kind -> Port entities, with Ocean's semantics (port-api.md §6) and our safety deviations.
//
// - The selector runs first and must produce a JSON boolean; anything else (no output, an error, "true") is an
//   error of the kind: counted, reported, and BatchReport::kind_failed is set so the sync engine blocks deletion.
// - Only mapped keys are emitted: an entity has exactly Port's body keys that the mapping names (identifier,
//   title, icon, blueprint, team, properties, relations), ready to serialize.
// - A field whose JQ fails becomes null and is reported once per field per batch (with the jq error text); a
//   field that evaluates to null is reported once per field per batch too (Ocean's "Unable to find valid data
//   for: <field>" warning), so that a typo in a mapping is visible even when no jq error is raised.
// - An entity without a truthy identifier or blueprint is dropped, counted invalid AND marks the kind failed, so
//   a broken mapping never leads to deletions. Non-object raw items and non-array itemsToParse results likewise.
// Thread safety: MapBatch is const and keeps all state on the stack; different batches of the same or of
// different mappers may be mapped on different threads at once. Memory: one raw item (and, with itemsToParse,
// one derived item) at a time besides what the sink keeps.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "json/value.hpp"
#include "mapping/app_config.hpp"

namespace sp::mapping {

enum class Severity { WARNING, ERROR };

//! One problem seen while mapping a batch, aggregated: each (severity, path, category) appears once per batch.
struct Diagnostic {
  Severity severity = Severity::WARNING;
  std::string path;         //!< config path of the expression or resource (`resources[0].port.entity.mappings.title`)
  std::string message;      //!< the first occurrence's text (jq error, offending value)
  uint64_t count = 0;       //!< occurrences in the batch
  bool null_value = false;  //!< Ocean's "Unable to find valid data" report: the field evaluated to null

  //! "error: resources[0].selector.query: must produce a boolean, got string \"yes\" (x3)".
  std::string ToString() const;
};

//! Per-kind outcome counts (port-api.md §6.5). Without itemsToParse:
//! raw == filtered_out + selector_errors + invalid + mapped.
struct KindCounters {
  uint64_t raw = 0;              //!< items received
  uint64_t expanded = 0;         //!< derived items produced by itemsToParse
  uint64_t filtered_out = 0;     //!< selector returned false
  uint64_t selector_errors = 0;  //!< selector did not return a boolean (kind failure)
  uint64_t invalid = 0;          //!< not an object, itemsToParse not an array, identifier/blueprint falsy
  uint64_t mapped = 0;           //!< entities emitted
  uint64_t field_errors = 0;     //!< field evaluations that failed and became null
  uint64_t null_fields = 0;      //!< field evaluations that gave null without an error (title, properties...)

  KindCounters& operator+=(const KindCounters& other);
};

struct BatchReport {
  KindCounters counters;
  std::vector<Diagnostic> diagnostics;
  //! Set when any item of the batch hit a selector error or was invalid: the sync engine must not delete
  //! entities of this kind in this resync.
  bool kind_failed = false;

  //! Merges another batch's report (diagnostics with the same key add their counts).
  void Merge(const BatchReport& other);
};

//! Receives entities in input order.
class EntitySink {
 public:
  virtual ~EntitySink() = default;
  virtual void Accept(json::Value entity) = 0;
};

//! Collects entities in a vector.
class VectorSink : public EntitySink {
 public:
  void Accept(json::Value entity) override { entities.push_back(std::move(entity)); }
  std::vector<json::Value> entities;
};

//! Maps raw items for one resource of a loaded config. Cheap to copy; keeps the config alive.
class KindMapper {
 public:
  //! Precondition: resource_index < config->resources.size().
  KindMapper(std::shared_ptr<const AppConfig> config, size_t resource_index);

  const ResourceConfig& resource() const { return *resource_; }
  const std::string& kind() const { return resource_->kind; }

  //! Maps one batch, streaming entities into `sink`. Thread-safe.
  //! With `rejected` (live events, port-api.md §7.4), items the selector rejects are mapped too and go there, so
  //! the caller can treat them as deletion candidates; they still count as filtered out.
  BatchReport MapBatch(std::span<const json::Value> raw, EntitySink& sink, EntitySink* rejected = nullptr) const;

  struct Batch {
    std::vector<json::Value> entities;
    BatchReport report;
  };
  //! Same, collecting the entities.
  Batch MapBatch(std::span<const json::Value> raw) const;

  //! Ocean's re-batching of itemsToParse (OCEAN__YIELD_ITEMS_TO_PARSE_BATCH_SIZE): the items derived from `raw`
  //! are mapped and handed to `on_batch` in groups of at most `batch_size` derived items (each group with its own
  //! report, so per-field reports are per group), so one raw item with a huge array never makes a huge batch.
  //! A kind without itemsToParse gives one batch for `raw`. Thread-safe.
  void MapInBatches(std::span<const json::Value> raw, size_t batch_size,
                    const std::function<void(Batch&&)>& on_batch) const;
  static constexpr size_t kItemsToParseBatchSize = 200;  //!< Ocean's default batch size for derived items

 private:
  std::shared_ptr<const AppConfig> config_;
  const ResourceConfig* resource_;
};

//! One mapper per resource of `kind`, in config order (a kind may appear in several resources).
std::vector<KindMapper> MappersForKind(const std::shared_ptr<const AppConfig>& config, std::string_view kind);

//! Python's truthiness, which Ocean applies to identifier and blueprint: null, false, 0, "", [] and {} are falsy.
bool IsPythonTruthy(const json::Value& v);

}  // namespace sp::mapping

#pragma once
// Catalog: Port's software catalog on SQLite, with the rules a strict Port enforces (port-api.md §9.3-9.6).
// Two users: port-sim serves it over HTTP, and the sync engine writes to it in-process when no Port
// credentials are configured (the "local target"); both get the answers Port would give.
//
// Guarantees: every write call is one SQLite transaction (WAL): a crash or failure mid-call leaves the file as
// it was before the call. A file that is not a catalog is refused at Open(). Thread-safe: calls are
// serialised on one connection. Rule violations come back as ApiError values (status, Port error code,
// message); a status >= 500 means storage failed and nothing was written.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "catalog/api_error.hpp"
#include "catalog/blueprint.hpp"
#include "catalog/entity.hpp"
#include "json/value.hpp"

namespace sp::catalog {

namespace detail {
class Database;
}  // namespace detail

struct CatalogOptions {
  //! When non-empty, an entity's `team` must name teams from this list (422 `team_not_found` otherwise);
  //! empty accepts any team name.
  std::vector<std::string> teams{};
  //! Port may bump `updatedAt` on an upsert that changes nothing; the deletion ratio of Ocean depends on it
  //! (§5.3, §9.4 rule 16). Default: bump.
  bool bump_updated_at_on_noop = true;
  //! Microseconds since the epoch; tests pin it. Default: the system clock.
  std::function<int64_t()> clock{};
  //! Test hook: called after each entity row written inside a write call with the running count; return
  //! false to make the write fail there (the whole call is rolled back). May also end the process (crash tests).
  std::function<bool(size_t rows_written)> after_row_write{};
};

//! The query flags of E1/E2 (§3.5.1). Defaults are Port's defaults when a flag is absent.
struct UpsertOptions {
  bool upsert = false;                           //!< false: an existing identifier is 409 identifier_taken
  bool merge = false;                            //!< true: only supplied fields/keys change; null clears a key
  bool create_missing_related_entities = false;  //!< true: missing relation targets become placeholders
  bool validation_only = false;                  //!< true: check everything, write nothing
};

struct UpsertItemResult {
  size_t index = 0;          //!< position in the request
  std::string identifier{};  //!< canonical identifier, or "unknown" (unresolved search identifier)
  bool created = false;
  json::Value entity{};             //!< the stored (or, with validation_only, would-be) entity; null on error
  std::optional<ApiError> error{};  //!< set when this item was rejected
};

struct DeleteOptions {
  bool delete_dependents = false;  //!< cascade to entities relating to the deleted ones (recursively)
};

struct DeleteResult {
  std::vector<std::string> deleted{};  //!< requested identifiers actually deleted, in request order
  std::vector<std::pair<std::string, ApiError>>
      errors{};         //!< identifier -> why not (404 not_found, 409 has_dependents)
  size_t cascaded = 0;  //!< dependents deleted on top of the requested ones
};

struct SearchOptions {
  std::vector<std::string> include{};  //!< projection (§3.5.5); empty = whole entities
};

struct DatasourceQuery {
  std::string prefix{};                 //!< datasource starts with (may be empty)
  std::string suffix{};                 //!< datasource ends with (may be empty)
  std::optional<std::string> before{};  //!< ISO-8601: only entities with updatedAt strictly earlier
  size_t limit = 5000;                  //!< page size (1..10000)
  std::string cursor{};                 //!< "" for the first page, else the previous page's `next`
};

struct DatasourcePage {
  std::vector<json::Value> entities{};  //!< in stable (blueprint, identifier) order
  std::optional<std::string> next{};    //!< opaque cursor; nullopt on the last page
};

class Catalog {
 public:
  //! Opens or creates a catalog file (":memory:" for a private in-memory one). Refuses a file that is not a
  //! catalog ("<path> is not a sentry-port catalog"), a corrupt one ("<path>: database disk image is
  //! malformed") and one written by a newer schema.
  static Result<std::unique_ptr<Catalog>> Open(const std::string& path, CatalogOptions options = {});
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // ---- blueprints (B1-B5) ----
  //! B2: 409 `identifier_taken` on a duplicate, 422 `invalid_blueprint` for a bad body or a relation to an
  //! unknown blueprint (a relation to itself is fine).
  CatalogResult<json::Value> CreateBlueprint(const json::Value& body);
  //! B1: 404 `not_found` when absent.
  CatalogResult<json::Value> GetBlueprint(std::string_view identifier);
  //! B3: top-level keys of `patch` replace the stored ones; the merged blueprint is checked as in B2.
  CatalogResult<json::Value> PatchBlueprint(std::string_view identifier, const json::Value& patch);
  //! B4: 404 when absent; 409 `has_entities` while entities of it exist.
  CatalogResult<bool> DeleteBlueprint(std::string_view identifier);
  //! B5: deletes every entity of the blueprint (cascading to dependents) and, if asked, the blueprint.
  //! Returns the number of entities deleted.
  CatalogResult<size_t> DeleteAllEntities(std::string_view identifier, bool delete_blueprint);
  //! Every blueprint, by identifier.
  CatalogResult<std::vector<json::Value>> ListBlueprints();

  // ---- entity writes (E1/E2, E3/E4) ----
  //! Upserts `entities` (Port's wire shape) into `blueprint`, recording `datasource` (the writer's User-Agent)
  //! on each written entity. Whole-call errors: 404 `not_found` for an unknown blueprint, 5xx for storage.
  //! Otherwise one result per item, in order, with per-item Port errors.
  CatalogResult<std::vector<UpsertItemResult>> UpsertEntities(std::string_view blueprint,
                                                              std::span<const json::Value> entities,
                                                              const UpsertOptions& options,
                                                              std::string_view datasource);
  //! E4: deletes `identifiers` of `blueprint`. Identifiers that are absent or have dependents (without
  //! delete_dependents) are reported in `errors`, the others deleted. Dependents that are themselves in the
  //! request do not block. 404 for an unknown blueprint.
  CatalogResult<DeleteResult> DeleteEntities(std::string_view blueprint, std::span<const std::string> identifiers,
                                             const DeleteOptions& options);

  // ---- reads ----
  //! E7 / CLI: one entity, 404 `not_found` when absent.
  CatalogResult<json::Value> GetEntity(std::string_view blueprint, std::string_view identifier);
  //! E5: entities matching the rule tree, projected. 400 `bad_request` for a malformed query.
  CatalogResult<std::vector<json::Value>> Search(const json::Value& query, const SearchOptions& options = {});
  //! E6: entities by datasource prefix/suffix and updatedAt < before, paged by an opaque cursor.
  CatalogResult<DatasourcePage> DatasourceEntities(const DatasourceQuery& query);
  //! {"blueprints": [...], "entities": [... each with "datasource"]}: state dumps and `catalog export`.
  CatalogResult<json::Value> Export();
  //! Number of stored entities (all blueprints when `blueprint` is empty).
  CatalogResult<size_t> CountEntities(std::string_view blueprint = {});

  //! Internal: defined in catalog/detail/catalog_state.hpp, shared by the catalog's own .cpp files.
  struct State;

 private:
  explicit Catalog(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
  mutable std::mutex mutex_;
};

}  // namespace sp::catalog

#pragma once
// The sink side of the pipeline: where mapped entities go. Two implementations: Port's REST API (src/port) and
// the embedded local catalog (src/catalog). The sync engine only sees this interface.
//
// Entities are json::Value objects shaped like Port's entity bodies: identifier, blueprint and whichever of
// title, icon, team, properties, relations the mapping produced. Sinks must be safe to call from several
// threads at once.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"

namespace sp::model {

//! Query flags of a write (port-api.md §4.4 get_port_request_options).
struct WriteOptions {
  bool merge = true;                            //!< enableMergeEntity
  bool create_missing_related_entities = true;  //!< createMissingRelatedEntities
};

//! Outcome of one entity of an upsert.
struct EntityResult {
  bool ok = false;
  bool created = false;
  std::string identifier;  //!< canonical identifier from the sink (search identifiers resolve to one)
  int status = 0;          //!< HTTP-like status of a failure (404 missing relation target, 422 invalid, ...)
  std::string error;       //!< Port's error code ("not_found", "blueprint_schema_mismatch", ...)
  std::string message;
};

//! An entity the sink holds for this integration (ownership by datasource).
struct EntityRef {
  std::string identifier;
  std::string blueprint;
  std::string updated_at;  //!< ISO-8601
};

class EntitySink {
 public:
  virtual ~EntitySink() = default;
  //! A name for messages ("port https://api.getport.io", "local catalog ./sentry-port.db").
  virtual std::string Describe() const = 0;
  //! Upserts entities of one blueprint; one result per entity, in order. A whole-request failure that is
  //! not per entity (network down after retries) is an error.
  virtual Result<std::vector<EntityResult>> Upsert(std::string_view blueprint, const std::vector<json::Value>& entities,
                                                   const WriteOptions& options) = 0;
  //! Current versions of the given identifiers of one blueprint (owned by this integration), for the
  //! "skip unchanged" comparison. Missing ones are simply absent.
  virtual Result<std::vector<json::Value>> Lookup(std::string_view blueprint,
                                                  const std::vector<std::string>& identifiers) = 0;
  //! Every entity this integration owns (all blueprints).
  virtual Result<std::vector<EntityRef>> Owned() = 0;
  //! Deletes identifiers of one blueprint; returns the identifiers actually deleted.
  virtual Result<std::vector<std::string>> Delete(std::string_view blueprint, const std::vector<std::string>& ids,
                                                  bool delete_dependents) = 0;
  //! Relation name -> target blueprint of a blueprint ({} when unknown), for relation-target protection.
  virtual Result<json::Value> Blueprint(std::string_view identifier) = 0;
};

}  // namespace sp::model

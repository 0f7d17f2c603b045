#pragma once
// PortClient: Port's REST API (port-api.md §1-§3) as Ocean uses it, with Appendix B's improvements:
// single-flight tokens with early refresh, a refresh-and-retry on 401 for every call, retries with
// Retry-After / x-ratelimit-reset for idempotent calls, a real concurrency limit on bulk upserts, 413 split in
// halves, full entities kept for retries.
//
// Thread-safe. The client secret and tokens never appear in logs or errors.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"
#include "model/sink.hpp"
#include "net/http_client.hpp"
#include "port/token.hpp"

namespace sp::port {

struct PortClientOptions {
  std::string base_url = "https://api.getport.io";
  std::string client_id;
  std::string client_secret;  //!< secret
  std::string integration_type = "sentry";
  std::string integration_identifier = "my-sentry-integration";
  std::string integration_version = "0.1.0";
  size_t batch_max_length = 20;      //!< OCEAN__UPSERT_ENTITIES_BATCH_MAX_LENGTH (Port's limit: 20)
  size_t batch_max_bytes = 1048576;  //!< OCEAN__UPSERT_ENTITIES_BATCH_MAX_SIZE_IN_BYTES (Port's limit: 1 MiB)
  size_t delete_batch = 100;         //!< identifiers per bulk delete (Port's cap)
  int bulk_concurrency = 5;          //!< bulk requests in flight per call
  int max_attempts = 8;              //!< per idempotent request
  std::chrono::milliseconds base_delay{300};
  std::chrono::milliseconds max_delay{30000};
};

struct PortResponse {
  int status = 0;
  json::Value body;  //!< parsed JSON (null when the body was not JSON)
  net::Headers headers;
};

class PortClient {
 public:
  PortClient(PortClientOptions options, net::HttpClient& http);

  //! Fetches a token now: fails fast with UNAUTHENTICATED on wrong credentials.
  Status Authenticate();

  //! `port-ocean/<type>/<version>/<identifier>` plus `/exporter` when `exporter` (ownership, §1.2).
  std::string UserAgent(bool exporter) const;
  //! Datasource prefix/suffix of our entities (§3.5.6).
  std::string DatasourcePrefix() const;
  std::string DatasourceSuffix() const;

  //! One API call below /v1 (`path` starts with '/'). `idempotent` calls are retried on 429/5xx/transport
  //! failures; every call is retried once with a fresh token after a 401.
  Result<PortResponse> Call(std::string_view method, std::string_view path, const net::Headers& extra_headers,
                            const json::Value* body, bool idempotent, bool exporter = true);

  // ---- integration record (§3.2) ----
  //! The integration, or null when it does not exist (404).
  Result<json::Value> GetIntegration();
  Result<json::Value> CreateIntegration(const json::Value& body);
  Result<json::Value> PatchIntegration(const json::Value& body);
  //! I4: stores `config` as the integration's port app config; returns the record.
  Result<json::Value> PatchIntegrationConfig(const json::Value& config);
  //! I5. Tolerates a response without resyncState.updatedAt (§11.9).
  Status PatchResyncState(const json::Value& body);

  // ---- blueprints (§3.4) ----
  Result<json::Value> GetBlueprint(std::string_view id);  //!< null when absent
  Status CreateBlueprint(const json::Value& blueprint);
  Status PatchBlueprint(std::string_view id, const json::Value& blueprint);
  Status DeleteBlueprint(std::string_view id);

  // ---- entities (§3.5) ----
  //! E2 in chunks of <= batch_max_length entities and <= batch_max_bytes, up to bulk_concurrency in flight;
  //! 413 splits a chunk in halves; one result per entity, in order.
  Result<std::vector<model::EntityResult>> UpsertEntities(std::string_view blueprint,
                                                          const std::vector<json::Value>& entities,
                                                          const model::WriteOptions& options);
  //! E1 for one entity (used to retry failures one by one).
  model::EntityResult UpsertEntity(std::string_view blueprint, const json::Value& entity,
                                   const model::WriteOptions& options);
  //! E5 with the ownership rules added to the query (an `and` query is extended flat, other queries nested);
  //! `include` projects the returned fields.
  Result<std::vector<json::Value>> Search(const json::Value& rules_query, const std::vector<std::string>& include);
  //! E6, all pages.
  Result<std::vector<model::EntityRef>> OwnedEntities();
  //! E4 in batches of delete_batch; returns what Port deleted.
  Result<std::vector<std::string>> DeleteEntities(std::string_view blueprint, const std::vector<std::string>& ids,
                                                  bool delete_dependents);

  const PortClientOptions& options() const { return options_; }
  uint64_t calls() const { return calls_.load(); }
  uint64_t token_fetches() const { return tokens_.fetches(); }

 private:
  Result<std::pair<std::string, std::chrono::seconds>> FetchToken();
  std::chrono::milliseconds RetryDelay(const net::Headers& headers, int retry) const;
  void UpsertChunk(std::string_view blueprint, const std::vector<json::Value>& entities, size_t begin, size_t end,
                   const model::WriteOptions& options, std::vector<model::EntityResult>& out);

  PortClientOptions options_;
  net::HttpClient& http_;
  TokenManager tokens_;
  std::string api_;  // base_url + "/v1"
  std::atomic<uint64_t> calls_{0};
};

//! Splits [0, n) into consecutive chunks of at most `max_len` entities and about `max_bytes` of JSON each
//! (Ocean's rule: 1.5 x the average size of the first <= 10 entities decides the count; we measure every
//! entity instead, so one huge entity never makes a chunk exceed the limit).
std::vector<std::pair<size_t, size_t>> ChunkEntities(const std::vector<json::Value>& entities, size_t max_len,
                                                     size_t max_bytes);

//! Parses Retry-After / x-ratelimit-reset as Ocean does (§1.6): digits <= 10000 are seconds, larger digits an
//! epoch second, otherwise an HTTP/ISO date. nullopt when absent or unparsable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(const net::Headers& headers,
                                                         std::chrono::system_clock::time_point now);

}  // namespace sp::port

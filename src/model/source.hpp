#pragma once
// The source side of the pipeline: what a kind's fetch hands to the sync engine.
//
// A read failure travels with the data: every fetch reports, per scope it tried to read (the project list,
// one project's issues, the member list, ...), whether that scope was read completely, denied (403) or failed.
// The sync engine must consume these: entities of a scope that was not read completely are never deleted.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"

namespace sp::model {

enum class ScopeState : uint8_t {
  COMPLETE,  //!< every page was read
  DENIED,    //!< 403: valid credentials without access to this scope
  FAILED,    //!< anything else that stopped the read (5xx after retries, 429 budget, malformed data)
};

const char* ScopeStateName(ScopeState state);

struct ScopeStatus {
  std::string scope;  //!< e.g. "projects", "project:checkout-api/issues", "members", "team:payments/members"
  ScopeState state = ScopeState::COMPLETE;
  std::string reason;  //!< for DENIED/FAILED: what happened, one sentence (no secrets)
};

//! Where a fetch delivers its pages as they arrive, so that no kind is ever held whole in memory.
class RawSink {
 public:
  virtual ~RawSink() = default;
  //! One batch of raw objects of `kind`, in Sentry's order. Return false to stop the fetch (abort).
  //! May be called from several threads at once when a kind reads independent scopes in parallel.
  virtual bool OnBatch(std::string_view kind, std::vector<json::Value>&& items) = 0;
  //! Called once for every scope the fetch tried, when that scope is finished.
  virtual void OnScope(std::string_view kind, const ScopeStatus& status) = 0;
};

//! The outcome of fetching one kind.
struct FetchReport {
  uint64_t items = 0;
  std::vector<ScopeStatus> scopes;
  bool aborted = false;  //!< the sink asked to stop

  //! True when every scope was read completely and nothing was aborted.
  bool Complete() const;
};

//! One Sentry kind (`project`, `issue`, ...). Implementations live in src/sentry/kinds/.
class KindSource {
 public:
  virtual ~KindSource() = default;
  virtual std::string_view name() const = 0;
  //! Reads every object of the kind that `selector` (the resource's raw selector object) asks for, delivering
  //! batches to `sink`. A configuration error (401, an invalid selector field) is returned as an error;
  //! denied or failed scopes are reported in the FetchReport and to the sink, never as empty success.
  virtual Result<FetchReport> Fetch(const json::Value& selector, RawSink& sink) = 0;
};

}  // namespace sp::model

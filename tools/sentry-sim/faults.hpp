#pragma once
// Latency model and fault injection (sentry-api.md §7.2, §7.5). Per route: a log-normal latency given by its
// p50/p99, an optional slow tail, and probabilities of each fault kind; plus "fail the next N requests of a route"
// queues for tests. Decisions are a pure function of (seed, request number), so a run is reproducible given
// the same request order. Latency is returned as a delay for HttpResponse::delay, never slept.
//
// Thread-safe: a mutex guards the knobs and the fail-next queues.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sp::sentry_sim {

enum class FaultKind : uint8_t {
  NONE,
  STATUS_500,  //!< {"detail":"Internal Error","errorId":"<32 hex>"}
  STATUS_502,  //!< HTML from the edge
  STATUS_503,
  STATUS_504,
  RESET,          //!< connection closed without an answer
  STALL,          //!< never answered
  MALFORMED,      //!< 200 with a truncated JSON body
  QUERY_TIMEOUT,  //!< 400 "Query timeout..." (search and tag routes)
};

//! "500", "502", "503", "504", "reset", "stall", "malformed", "query_timeout".
const char* FaultKindName(FaultKind k);
std::optional<FaultKind> ParseFaultKind(const std::string& name);

struct LatencySpec {
  double p50_ms = 0;
  double p99_ms = 0;
};

struct FaultRates {
  std::map<FaultKind, double> probability;  //!< kind -> probability per request
  double slow_tail_probability = 0;         //!< extra delay of slow_tail_ms (scaled)
  double slow_tail_ms = 25000;
};

struct FaultOptions {
  uint64_t seed = 1;
  double latency_scale = 0;                    //!< 0 = no latency (tests)
  std::map<std::string, LatencySpec> latency;  //!< route -> distribution; routes absent use "*" if present
  std::map<std::string, FaultRates> faults;    //!< route or "*" -> rates
};

//! The per-route distributions of §7.5.
std::map<std::string, LatencySpec> DefaultLatencies();

struct FaultDecision {
  FaultKind kind = FaultKind::NONE;
  std::chrono::milliseconds delay{0};
  std::string error_id;  //!< for 500s
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultOptions options) : options_(std::move(options)) {}

  //! Decision for request number `request_no` on `route`.
  FaultDecision Decide(const std::string& route, uint64_t request_no);
  //! Queues `count` forced faults for `route` ("*" = any route).
  void FailNext(const std::string& route, FaultKind kind, int count);
  FaultOptions options() const;
  void SetOptions(FaultOptions options);
  void ClearFailNext();

 private:
  mutable std::mutex mu_;
  FaultOptions options_;
  std::deque<std::pair<std::string, FaultKind>> fail_next_;
};

}  // namespace sp::sentry_sim

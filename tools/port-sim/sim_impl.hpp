#pragma once
// Internal state of port-sim, shared by its .cpp files: the catalog, tokens, integration records, fault
// knobs, request log and counters. Everything but the catalog (which locks itself) is guarded by `mu`.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "json/value.hpp"
#include "net/http_server.hpp"
#include "port-sim/port_sim.hpp"

namespace sp::port_sim {

using Clock = std::chrono::steady_clock;

struct RouteFaults {
  int64_t latency_ms = 0;  //!< delay every response of the route
  int fail_count = 0;      //!< answer the next N requests with fail_status
  int fail_status = 503;
  int rate_limit_count = 0;       //!< answer the next N requests with 429
  std::string retry_after{};      //!< Retry-After value on those 429s ("" = none)
  std::string ratelimit_reset{};  //!< x-ratelimit-reset value on those 429s ("" = none)
  int reset_count = 0;            //!< reset the connection of the next N requests
  int stall_count = 0;            //!< never answer the next N requests
};

struct RouteStats {
  uint64_t count = 0;
  uint64_t in_flight = 0;
  std::multiset<Clock::time_point> delayed_until{};  // responses still waiting out their delay
  uint64_t peak_concurrency = 0;
};

//! One parsed request on its way through the routes.
struct Call {
  explicit Call(const net::HttpRequest& r) : request(r) {}
  const net::HttpRequest& request;
  std::string route;                // "E2", ... ("" when unknown)
  std::vector<std::string> params;  // decoded path parameters
  std::vector<std::pair<std::string, std::string>> query{};
  json::Value body;  // parsed JSON body (null when none)
  std::string user_agent{};
  int64_t batch_size = -1;  // E2/E4: items in the request
};

//! A route's answer before x-trace-id/delay are added.
struct Answer {
  int status = 200;
  json::Value body;
  net::Headers headers{};
};

Answer Ok(json::Value body, int status = 200);
Answer Fail(const catalog::ApiError& error);
Answer Fail(int status, std::string error, std::string message);

//! Optional boolean query flag: "true"/"false" only (§1.3); anything else is an error answer.
std::optional<Answer> QueryBool(const Call& call, std::string_view name, bool& out);
std::vector<std::string> QueryAll(const Call& call, std::string_view name);

struct PortSim::Impl {
  PortSimOptions options;
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<net::HttpServer> server;

  std::mutex mu;
  std::map<std::string, Clock::time_point> tokens;  // token -> expiry
  int token_failures = 0;
  int token_failure_status = 503;
  uint64_t token_requests = 0;
  uint64_t tokens_issued = 0;
  std::map<std::string, RouteFaults> faults;  // route id or "*"
  std::vector<json::Value> log;
  uint64_t log_seq = 0;
  std::map<std::string, RouteStats> stats;
  uint64_t peak_concurrency = 0;
  uint64_t in_flight = 0;
  std::map<std::string, json::Value> integrations;  // installationId -> record
  std::map<std::string, std::vector<json::Value>> resync_requests;
  std::map<std::string, json::Value> migrations;
  json::Value feature_flags = json::Value::Array();
  uint64_t next_id = 1;

  net::HttpResponse Handle(const net::HttpRequest& request);
  std::string NewId(std::string_view prefix);

  // routes (routes_*.cpp)
  Answer Token(Call& call);
  Answer Integration(Call& call);
  Answer Organization(Call& call);
  Answer Blueprints(Call& call);
  Answer Entities(Call& call);
  Answer Control(Call& call);

  //! Applies a fault configuration (POST /_sim/config); error answer when malformed.
  std::optional<Answer> ApplyConfig(const json::Value& config);
  json::Value ConfigJson();
};

//! Matches method + decoded path segments to a route id ("A1", "E2", ...) and its parameters.
std::string MatchRoute(std::string_view method, const std::vector<std::string>& segments,
                       std::vector<std::string>& params);

}  // namespace sp::port_sim

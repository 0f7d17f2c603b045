#pragma once
// PortSim: a strict fake of Port's REST API (port-api.md §3 subset, behaviour of §9) over the embedded
// catalog, with fault injection, latency, a request log and a state dump for tests. Written from the spec
// only: it shares no code with the real Port client (src/port/).
//
// Guarantees: loopback only (other listen addresses are refused); every error body is JSON
// {"ok": false, "error", "message"} with an x-trace-id header; the client secret and tokens never appear in
// the log, stats or state dump. Thread-safe: the HTTP server calls Handle() from several threads.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "net/http_server.hpp"

namespace sp::port_sim {

struct PortSimOptions {
  std::string listen = "127.0.0.1:0";  //!< host:port; host must be a loopback address
  std::string db = ":memory:";         //!< catalog file, or ":memory:"
  std::string client_id{};
  std::string client_secret{};
  int token_lifetime_seconds = 3600;    //!< `expiresIn` of issued tokens
  std::vector<std::string> teams{};     //!< known teams; empty accepts any
  bool bump_updated_at_on_noop = true;  //!< catalog switch (§9.4 rule 16)
  std::string faults_json{};            //!< initial fault configuration, same shape as POST /_sim/config
  int threads = 4;                      //!< HTTP worker threads
};

//! Splits "host:port" and refuses anything but loopback hosts (127.0.0.0/8, ::1, localhost).
Result<std::pair<std::string, uint16_t>> ParseListenAddress(std::string_view listen);

class PortSim {
 public:
  //! Opens the catalog, applies the fault configuration and starts listening.
  static Result<std::unique_ptr<PortSim>> Start(const PortSimOptions& options);
  ~PortSim();
  PortSim(const PortSim&) = delete;
  PortSim& operator=(const PortSim&) = delete;

  uint16_t port() const;
  //! "http://127.0.0.1:<port>"
  std::string base_url() const;
  void Stop();
  //! One request, as the HTTP server would hand it over (also usable without a socket).
  net::HttpResponse Handle(const net::HttpRequest& request);

  struct Impl;

 private:
  explicit PortSim(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sp::port_sim

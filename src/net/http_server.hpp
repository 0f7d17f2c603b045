#pragma once
// HttpServer: a small HTTP/1.1 server on Boost.Asio/Beast (Beast stays inside the .cpp files), used by the
// webhook listener and by both simulators.
//
// Guarantees: keep-alive; a fixed pool of worker threads runs the handler; a request body over
// `body_limit` gets 413 without calling the handler; slow clients are cut by the header/read timeouts;
// Stop() stops accepting, lets in-flight requests finish (up to `drain_timeout`), then closes everything.
// The handler is called concurrently from the worker threads and must be thread-safe.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace sp::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

//! Case-insensitive header lookup; nullptr when absent.
const std::string* FindHeader(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method;          //!< "GET", "POST", ...
  std::string target;          //!< raw request target: path plus "?query" as sent
  std::string path;            //!< target before '?', still percent-encoded
  std::string query;           //!< target after '?', raw ("" when none)
  Headers headers;             //!< as received (names in the sender's case)
  std::string body;            //!< the exact bytes received (signatures are checked over these)
  std::string remote_address;  //!< "127.0.0.1:54321"

  const std::string* Header(std::string_view name) const { return FindHeader(headers, name); }
};

//! What to do with the connection instead of (or before) answering; simulators use it for fault injection.
enum class ResponseAction : uint8_t {
  SEND,              //!< send the response (after `delay`)
  RESET_CONNECTION,  //!< close the socket abruptly without answering (client sees a reset / empty reply)
  STALL,             //!< never answer; the connection is closed when the server stops or the client gives up
};

struct HttpResponse {
  int status = 200;
  Headers headers;  //!< Content-Length is set by the server; add Content-Type yourself
  std::string body;
  std::chrono::milliseconds delay{0};  //!< wait this long before sending, without holding a worker thread
  ResponseAction action = ResponseAction::SEND;
  bool close = false;  //!< close the connection after this response

  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string body);
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";                //!< bind address
  uint16_t port = 0;                                //!< 0: an ephemeral port (read it with port())
  int threads = 2;                                  //!< worker threads running I/O and the handler
  size_t body_limit = 8 * 1024 * 1024;              //!< larger request bodies get 413
  std::chrono::milliseconds header_timeout{10000};  //!< time to receive the request head
  std::chrono::milliseconds read_timeout{30000};    //!< time to receive the whole request
  std::chrono::milliseconds idle_timeout{60000};    //!< keep-alive connection idle time
  std::string server_name = "sentry-port";          //!< Server header
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, Handler handler);
  ~HttpServer();  //!< Stop()s if still running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  //! Binds, listens and starts the worker threads. Error when the address cannot be bound.
  Status Start();
  //! The bound port (after Start()).
  uint16_t port() const;
  //! Stops accepting, waits for in-flight requests up to `drain_timeout`, then closes all connections and
  //! joins the threads. Idempotent. From inside a handler it only stops accepting (a thread cannot join
  //! itself); the owner's Stop() or the destructor completes the shutdown.
  void Stop(std::chrono::milliseconds drain_timeout = std::chrono::milliseconds(5000));
  //! Requests currently being handled or waiting for their delayed response.
  size_t in_flight() const;
  //! Connections accepted since Start() (tests use it to check keep-alive reuse).
  size_t connections_accepted() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

//! Writes `port` to `path` atomically (write to a temp file, then rename), for `--port-file`.
Status WritePortFile(const std::string& path, uint16_t port);

}  // namespace sp::net

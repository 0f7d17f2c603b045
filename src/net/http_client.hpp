#pragma once
// HttpClient: outbound HTTP on libcurl (TLS, proxies from HTTPS_PROXY/HTTP_PROXY/NO_PROXY, HTTP/2 when the
// server offers it, gzip, connection reuse). curl headers stay inside the .cpp files.
//
// Thread safety: Send() may be called from many threads at once; at most `max_in_flight` requests run at the
// same time (others wait). An HTTP status, including 4xx/5xx, is a successful exchange: only transport
// failures (DNS, connect, TLS, timeout, reset) come back as errors (ErrorCode::UNAVAILABLE, with the URL
// as context and secrets never included).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "net/http_server.hpp"  // Headers, FindHeader

namespace sp::net {

struct HttpClientOptions {
  size_t max_in_flight = 16;                          //!< concurrent requests across all threads
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{60000};  //!< whole exchange, unless the request overrides it
  std::string ca_bundle;                              //!< PEM bundle path; "" = system default
  bool verify_tls = true;                             //!< false only by explicit configuration (logged loudly)
  std::string proxy;                                  //!< explicit proxy URL; "" = the *_PROXY environment
  std::string user_agent = "sentry-port";
  bool http2 = true;                                  //!< negotiate HTTP/2 over TLS when offered
};

struct ClientRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  //!< 0: the client's request_timeout
  //! When set, the body is streamed to this callback instead of being collected; return false to abort.
  std::function<bool(std::string_view chunk)> on_body;
};

struct ClientResponse {
  int status = 0;
  Headers headers;  //!< names lower-cased; repeated headers appear repeatedly
  std::string body;
  std::chrono::microseconds elapsed{0};

  const std::string* Header(std::string_view name) const { return FindHeader(headers, name); }
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  //! Performs one exchange (no retries: retry policy belongs to the caller, who knows what is idempotent).
  Result<ClientResponse> Send(const ClientRequest& request);
  //! Requests currently running.
  size_t in_flight() const;
  //! Requests this client attempted so far (each Send that reached the transport, whatever its outcome): the
  //! "API calls" of a summary, counted where the requests are made.
  uint64_t requests_sent() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

//! Percent-encodes a query-string component (RFC 3986 unreserved kept; space as %20).
std::string UrlEncode(std::string_view s);
//! Decodes %XX and, when `plus_as_space`, '+' (form encoding).
std::string UrlDecode(std::string_view s, bool plus_as_space = true);
//! Parses "a=1&b=&c" into decoded pairs, in order.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);

}  // namespace sp::net

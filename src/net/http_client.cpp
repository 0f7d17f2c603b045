// HttpClient on libcurl's easy interface. Connection reuse comes from a pool of easy handles: a handle keeps
// its live connections across curl_easy_reset, and the pool hands out the most recently used handle first.
// The DNS and TLS session caches are shared between handles; the connection cache is not, because libcurl
// does not support sharing connections between concurrent threads.

#include "net/http_client.hpp"

#include <curl/curl.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

namespace sp::net {

namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// What errors may show of a URL: no query string (it can carry tokens), no fragment, no user:password.
std::string UrlForErrors(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const size_t scheme = url.find("://");
  const size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  const size_t path = url.find('/', authority);
  const size_t at = url.substr(0, path).rfind('@');
  if (at != std::string_view::npos && at >= authority) {
    return std::string(url.substr(0, authority)) + std::string(url.substr(at + 1));
  }
  return std::string(url);
}

// curl ignores an upper-case HTTP_PROXY (a CGI program could have it injected through a request's "Proxy:"
// header), but the Ocean contract and most tools honour it, so we pass it on for http:// URLs when the
// lower-case name is absent. NO_PROXY still applies: curl checks it for explicit proxies too.
const char* UpperCaseHttpProxy(std::string_view url) {
  if (url.substr(0, 7) != "http://" || std::getenv("http_proxy") != nullptr) return nullptr;
  const char* upper = std::getenv("HTTP_PROXY");
  return upper != nullptr && upper[0] != '\0' ? upper : nullptr;
}

// Per-exchange state the curl callbacks write into.
struct Exchange {
  const ClientRequest* request = nullptr;
  ClientResponse response;
  bool aborted_by_receiver = false;
};

size_t OnHeaderLine(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after 100 Continue or a proxy's CONNECT answer): only the last head counts.
    exchange.response.headers.clear();
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // the blank line ending the head
  std::string name(line.substr(0, colon));
  for (char& c : name) c = Lower(c);
  exchange.response.headers.emplace_back(std::move(name), std::string(Trim(line.substr(colon + 1))));
  return n;
}

size_t OnBodyData(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  const size_t n = size * count;
  if (exchange.request->on_body) {
    if (!exchange.request->on_body(std::string_view(data, n))) {
      exchange.aborted_by_receiver = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    return n;
  }
  exchange.response.body.append(data, n);
  return n;
}

// Turns a curl failure into our error, naming what failed in plain words. Request headers (credentials) are
// never part of it; curl's own error buffer is only used for TLS, where it names the certificate problem.
Error TransportError(CURL* curl, CURLcode code, const char* detail, const std::string& url, long timeout_ms) {
  long os_errno = 0;
  curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
  std::string message;
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      message = os_errno == ECONNREFUSED ? "connection refused" : "could not connect";
      if (os_errno != 0 && os_errno != ECONNREFUSED)
        message += std::string(": ") + std::strerror(static_cast<int>(os_errno));
      break;
    case CURLE_OPERATION_TIMEDOUT: {
      double connect_time = 0;
      curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME, &connect_time);
      message =
          connect_time > 0 ? "request timed out after " + std::to_string(timeout_ms) + " ms" : "connection timed out";
      break;
    }
    case CURLE_COULDNT_RESOLVE_HOST: message = "could not resolve host"; break;
    case CURLE_COULDNT_RESOLVE_PROXY: message = "could not resolve proxy"; break;
    case CURLE_GOT_NOTHING: message = "connection closed by the server without a response"; break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      message = os_errno == ECONNRESET
                    ? "connection reset by peer"
                    : std::string(code == CURLE_RECV_ERROR ? "receive failed" : "send failed") +
                          (os_errno != 0 ? std::string(": ") + std::strerror(static_cast<int>(os_errno)) : "");
      break;
    case CURLE_PARTIAL_FILE: message = "connection closed before the whole response arrived"; break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      message = std::string("TLS failure: ") + (detail[0] != '\0' ? detail : curl_easy_strerror(code));
      break;
    default: message = curl_easy_strerror(code); break;
  }
  return Error(ErrorCode::UNAVAILABLE, std::move(message), url);
}

}  // namespace

struct HttpClient::Impl {
  HttpClientOptions options;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;

  std::mutex mu;
  std::condition_variable slot_free;
  size_t running = 0;
  std::atomic<uint64_t> sent{0};
  std::vector<CURL*> idle_handles;  // back() is the most recently used

  explicit Impl(HttpClientOptions o) : options(std::move(o)) {
    if (options.max_in_flight == 0) options.max_in_flight = 1;
    GlobalInit();
    share = curl_share_init();
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Impl::Lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Impl::Unlock);
    curl_share_setopt(share, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~Impl() {
    for (CURL* curl : idle_handles) curl_easy_cleanup(curl);
    curl_share_cleanup(share);
  }

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks[static_cast<size_t>(data)].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks[static_cast<size_t>(data)].unlock();
  }

  // Waits for a free slot (the max_in_flight bound) and takes a handle.
  CURL* Acquire() {
    std::unique_lock lock(mu);
    slot_free.wait(lock, [this] { return running < options.max_in_flight; });
    ++running;
    if (!idle_handles.empty()) {
      CURL* curl = idle_handles.back();
      idle_handles.pop_back();
      return curl;
    }
    lock.unlock();
    return curl_easy_init();
  }

  void Release(CURL* curl) {
    {
      std::lock_guard lock(mu);
      --running;
      if (curl != nullptr) idle_handles.push_back(curl);
    }
    slot_free.notify_one();
  }
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

size_t HttpClient::in_flight() const {
  std::lock_guard lock(impl_->mu);
  return impl_->running;
}

uint64_t HttpClient::requests_sent() const {
  return impl_->sent.load(std::memory_order_relaxed);
}

Result<ClientResponse> HttpClient::Send(const ClientRequest& request) {
  const std::string url_for_errors = UrlForErrors(request.url);
  for (const auto& [name, value] : request.headers) {
    // A line break in a header would let its value inject further headers (or a second request). The error
    // names the header, never its value, which may be a credential.
    if (name.empty() || name.find_first_of(":\r\n", 0) != std::string::npos || name.find('\0') != std::string::npos ||
        value.find_first_of("\r\n", 0) != std::string::npos || value.find('\0') != std::string::npos) {
      return Error(ErrorCode::INVALID_ARGUMENT, "invalid character in request header \"" + UrlEncode(name) + "\"",
                   url_for_errors);
    }
  }
  CURL* curl = impl_->Acquire();
  impl_->sent.fetch_add(1, std::memory_order_relaxed);
  if (curl == nullptr) {
    impl_->Release(nullptr);
    return Error(ErrorCode::INTERNAL, "cannot create a curl handle", url_for_errors);
  }
  struct Return {  // the handle goes back to the pool on every path, without pointers into this frame
    Impl& impl;
    CURL* curl;
    ~Return() {
      curl_easy_reset(curl);  // keeps the live connections
      impl.Release(curl);
    }
  } give_back{*impl_, curl};

  const HttpClientOptions& options = impl_->options;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Exchange exchange;
  exchange.request = &request;

  curl_easy_setopt(curl, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // signals and threads do not mix
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, options.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  const long timeout_ms =
      static_cast<long>(request.timeout.count() > 0 ? request.timeout.count() : options.request_timeout.count());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  if (!options.proxy.empty()) {
    curl_easy_setopt(curl, CURLOPT_PROXY, options.proxy.c_str());
  } else if (const char* upper = UpperCaseHttpProxy(request.url)) {
    curl_easy_setopt(curl, CURLOPT_PROXY, upper);
  }
  if (!options.ca_bundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_bundle.c_str());
  if (!options.verify_tls) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }

  if (request.method == "GET" && request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's spelling of a header with an empty value ("Name:" would remove the header).
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    header_list = curl_slist_append(header_list, line.c_str());
  }
  // No "Expect: 100-continue" round trip before bodies: our peers answer promptly.
  if (FindHeader(request.headers, "expect") == nullptr) header_list = curl_slist_append(header_list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  struct FreeList {
    curl_slist* list;
    ~FreeList() { curl_slist_free_all(list); }
  } free_list{header_list};

  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeaderLine);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBodyData);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);

  const auto start = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(curl);
  exchange.response.elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  if (code != CURLE_OK) {
    if (exchange.aborted_by_receiver) {
      return Error(ErrorCode::LIMIT_EXCEEDED, "response body aborted by the receiver", url_for_errors);
    }
    if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
      return Error(ErrorCode::INVALID_ARGUMENT, std::string("bad URL: ") + curl_easy_strerror(code), url_for_errors);
    }
    return TransportError(curl, code, error_buffer, url_for_errors, timeout_ms);
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  exchange.response.status = static_cast<int>(status);
  return std::move(exchange.response);
}

}  // namespace sp::net

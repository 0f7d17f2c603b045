// HttpServer on Boost.Beast. One Session per connection, each on its own strand; the io_context threads
// run both the I/O and the handler. All Beast code of the project lives in this file (it is the slowest
// translation unit to compile, so nothing else includes Beast).

#include "net/http_server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace sp::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kHeaderLimit = 64 * 1024;
// After a 413 we keep reading (and discarding) what the client still sends for a moment, so that it sees
// our answer instead of a reset caused by unread data at close().
constexpr std::chrono::milliseconds kLingerTime{1000};

// An RFC 7231 IMF-fixdate, computed once per second per thread (it is on every response).
const std::string& HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[64];
    const size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached.assign(buf, n);
    cached_second = now;
  }
  return cached;
}

std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string host = address.to_string();
  if (address.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

HttpResponse ErrorResponse(int status, std::string_view message) {
  HttpResponse response = HttpResponse::Json(status, "{\"error\":\"" + std::string(message) + "\"}");
  response.close = true;
  return response;
}

}  // namespace

namespace server_detail {

class Session;
struct ServerCore;

// The server whose worker thread this is (Stop() must not join the thread it runs on).
thread_local const ServerCore* current_server = nullptr;

// Everything the sessions share with the server object.
struct ServerCore {
  HttpServerOptions options;
  Handler handler;

  std::mutex stop_mu;  // serialises Start/Stop
  bool started = false;
  bool stopped = false;
  std::atomic<bool> stopping{false};
  uint16_t bound_port = 0;

  std::mutex flight_mu;
  std::condition_variable flight_cv;
  std::atomic<size_t> in_flight{0};
  std::atomic<size_t> accepted{0};

  std::mutex sessions_mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  std::vector<std::thread> threads;
  // Declared last so that it is destroyed first: destroying it destroys the handlers still queued, and
  // with them the sessions, which unregister themselves from `sessions` above.
  asio::io_context ioc;
  tcp::acceptor acceptor{asio::make_strand(ioc)};

  ServerCore(HttpServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {}

  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void BeginStop();

  void BeginRequest() { in_flight.fetch_add(1, std::memory_order_relaxed); }
  void EndRequest() {
    if (in_flight.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard lock(flight_mu);
      flight_cv.notify_all();
    }
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerCore& server, tcp::socket&& socket, std::string remote)
      : server_(server), stream_(std::move(socket)), timer_(stream_.get_executor()), remote_(std::move(remote)) {}

  ~Session() {
    if (busy_) server_.EndRequest();
    std::lock_guard lock(server_.sessions_mu);
    server_.sessions.erase(this);
  }

  void Start() {
    {
      std::lock_guard lock(server_.sessions_mu);
      server_.sessions.emplace(this, weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadRequest(); });
  }

  //! On Stop(): connections not serving a request are closed at once; the others after their response.
  void PostCloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

  //! Final close from Stop(), after the worker threads are joined (no handler can run concurrently).
  void ForceClose() {
    beast::error_code ec;
    stream_.socket().close(ec);
  }

 private:
  void ReadRequest() {
    if (server_.stopping.load()) return Close();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(server_.options.body_limit);
    if (buffer_.size() == 0 && !first_request_) {
      // A kept-alive connection waits for its next request under the idle timeout; the header timeout only
      // starts with the first byte.
      stream_.expires_after(server_.options.idle_timeout);
      stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, size_t n) {
        if (ec) return self->Close();
        self->buffer_.commit(n);
        self->ReadHeader();
      });
      return;
    }
    ReadHeader();
  }

  void ReadHeader() {
    first_request_ = false;
    stream_.expires_after(server_.options.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    const auto length = parser_->content_length();
    if (length && *length > server_.options.body_limit) return Reject(413, "request body too large");
    const auto& head = parser_->get();
    const auto expect = head[http::field::expect];
    if (!expect.empty() && beast::iequals(expect, "100-continue") && !parser_->is_done()) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(kContinue), [self = shared_from_this()](beast::error_code wec, size_t) {
        if (wec) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return Dispatch();  // the body came with the head (small requests)
    stream_.expires_after(server_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->OnReadError(ec);
      self->Dispatch();
    });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) return Reject(413, "request body too large");
    if (ec == http::error::header_limit) return Reject(431, "request header fields too large");
    if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return Reject(400, "malformed request");
    }
    // Timeouts, resets and a client hanging up: nobody is left to answer.
    Close();
  }

  // Answers an unusable request without calling the handler, then closes.
  void Reject(int status, std::string_view message) {
    BeginRequest();
    keep_alive_ = false;
    head_request_ = false;
    Send(ErrorResponse(status, message));
  }

  void BeginRequest() {
    busy_ = true;
    server_.BeginRequest();
  }
  void EndRequest() {
    if (!busy_) return;
    busy_ = false;
    server_.EndRequest();
  }

  void Dispatch() {
    BeginRequest();
    http::request<http::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();
    head_request_ = message.method() == http::verb::head;

    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    const size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    request.headers.reserve(8);
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_address = remote_;

    HttpResponse response;
    try {
      response = server_.handler(request);
    } catch (const std::exception& e) {
      spdlog::error("HTTP handler failed on {} {}: {}", request.method, request.path, e.what());
      response = ErrorResponse(500, "internal server error");
    } catch (...) {
      spdlog::error("HTTP handler failed on {} {}: unknown exception", request.method, request.path);
      response = ErrorResponse(500, "internal server error");
    }

    if (response.action == ResponseAction::STALL) {
      EndRequest();  // a stalled exchange never completes, so Stop() must not wait for it
      return Stall();
    }
    if (response.delay.count() > 0) {
      pending_ = std::move(response);
      timer_.expires_after(pending_.delay);
      timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec) return self->Close();
        self->Act(std::move(self->pending_));
      });
      return;
    }
    Act(std::move(response));
  }

  void Act(HttpResponse response) {
    if (response.action == ResponseAction::RESET_CONNECTION) {
      EndRequest();
      return Reset();
    }
    Send(std::move(response));
  }

  void Send(HttpResponse response) {
    int status = response.status;
    if (status < 100 || status > 999) status = 500;
    const bool keep = keep_alive_ && !response.close && !server_.stopping.load();

    response_ = {};
    response_.version(11);
    response_.result(static_cast<unsigned>(status));
    bool has_date = false;
    bool has_server = false;
    for (auto& [name, value] : response.headers) {
      const auto field = http::string_to_field(name);
      if (field == http::field::content_length || field == http::field::connection ||
          field == http::field::transfer_encoding) {
        continue;  // framing is ours to decide
      }
      has_date = has_date || field == http::field::date;
      has_server = has_server || field == http::field::server;
      response_.insert(name, value);
    }
    if (!has_date) response_.set(http::field::date, HttpDate());
    if (!has_server) response_.set(http::field::server, server_.options.server_name);
    const bool bodiless = status < 200 || status == 204 || status == 304;
    if (!bodiless) response_.content_length(response.body.size());
    if (!bodiless && !head_request_) response_.body() = std::move(response.body);
    response_.keep_alive(keep);
    keep_alive_ = keep;

    stream_.expires_after(server_.options.idle_timeout);
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->EndRequest();
      if (ec) return self->Close();
      if (!self->keep_alive_) return self->LingeringClose();
      self->ReadRequest();
    });
  }

  // Half-closes, then discards what the client still sends for a short while before closing, so that a
  // client still uploading sees our response rather than a reset.
  void LingeringClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(kLingerTime);
    Discard();
  }

  void Discard() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Close();
      self->Discard();
    });
  }

  // STALL: keep the connection open, answer nothing, and notice when the client hangs up.
  void Stall() {
    stream_.expires_never();
    Discard();
  }

  void Reset() {
    beast::error_code ec;
    stream_.socket().set_option(asio::socket_base::linger(true, 0), ec);
    stream_.socket().close(ec);
  }

  void Close() {
    beast::error_code ec;
    timer_.cancel();
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  ServerCore& server_;
  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  HttpResponse pending_;
  bool first_request_ = true;
  bool keep_alive_ = false;
  bool head_request_ = false;
  bool busy_ = false;  // counted in in_flight: from the handler call until the response is written
};

void ServerCore::DoAccept() {
  acceptor.async_accept(asio::make_strand(ioc),
                        [this](beast::error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void ServerCore::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping.load() || !acceptor.is_open()) return;
  if (ec) {
    // Out of descriptors and the like: log, back off a little, keep serving.
    spdlog::warn("HTTP server accept failed: {}", ec.message());
    auto timer = std::make_shared<asio::steady_timer>(acceptor.get_executor(), std::chrono::milliseconds(50));
    timer->async_wait([this, timer](beast::error_code) { DoAccept(); });
    return;
  }
  accepted.fetch_add(1, std::memory_order_relaxed);
  beast::error_code endpoint_ec;
  const auto remote = socket.remote_endpoint(endpoint_ec);
  socket.set_option(tcp::no_delay(true), endpoint_ec);
  std::make_shared<Session>(*this, std::move(socket), endpoint_ec ? std::string("unknown") : FormatEndpoint(remote))
      ->Start();
  DoAccept();
}

// Stops accepting and closes the connections that are not serving a request; the rest close after their
// response (they see `stopping`). Idempotent.
void ServerCore::BeginStop() {
  if (stopping.exchange(true)) return;
  asio::post(acceptor.get_executor(), [this] {
    beast::error_code ec;
    acceptor.close(ec);
  });
  // Sessions are collected first and posted to outside the lock: dropping the last reference runs the
  // destructor, which takes the same lock.
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard sessions_lock(sessions_mu);
    for (auto& [raw, weak] : sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) session->PostCloseIfIdle();
}

}  // namespace server_detail

struct HttpServer::Impl : server_detail::ServerCore {
  using ServerCore::ServerCore;
};

HttpServer::HttpServer(HttpServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() {
  Stop(std::chrono::milliseconds(0));
}

Status HttpServer::Start() {
  std::lock_guard lock(impl_->stop_mu);
  if (impl_->started) return Error(ErrorCode::INTERNAL, "HTTP server already started");
  const auto& options = impl_->options;
  const std::string where = options.address + ":" + std::to_string(options.port);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  if (ec) return Error(ErrorCode::INVALID_ARGUMENT, "invalid bind address", where);
  const tcp::endpoint endpoint(address, options.port);
  auto& acceptor = impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    return Error(ErrorCode::UNAVAILABLE, "cannot open socket: " + ec.message(), where);
  }
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) {
    acceptor.close(ec);
    return Error(ErrorCode::UNAVAILABLE, "cannot bind: " + ec.message(), where);
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    acceptor.close(ec);
    return Error(ErrorCode::UNAVAILABLE, "cannot listen: " + ec.message(), where);
  }
  impl_->bound_port = acceptor.local_endpoint(ec).port();
  impl_->started = true;
  impl_->DoAccept();
  const int threads = std::max(1, options.threads);
  impl_->threads.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    impl_->threads.emplace_back([this] {
      server_detail::current_server = impl_.get();
      impl_->ioc.run();
    });
  }
  return {};
}

uint16_t HttpServer::port() const {
  return impl_->bound_port;
}

size_t HttpServer::in_flight() const {
  return impl_->in_flight.load();
}

size_t HttpServer::connections_accepted() const {
  return impl_->accepted.load();
}

void HttpServer::Stop(std::chrono::milliseconds drain_timeout) {
  Impl& impl = *impl_;
  if (server_detail::current_server == &impl) {
    // Called from a handler: joining our own thread is impossible, so only stop accepting here; the owner's
    // Stop() (or the destructor) drains and joins.
    impl.BeginStop();
    return;
  }
  std::lock_guard lock(impl.stop_mu);
  if (!impl.started || impl.stopped) return;
  impl.stopped = true;
  impl.BeginStop();

  {
    std::unique_lock flight_lock(impl.flight_mu);
    impl.flight_cv.wait_for(flight_lock, drain_timeout, [&impl] { return impl.in_flight.load() == 0; });
  }

  impl.ioc.stop();
  for (auto& thread : impl.threads) thread.join();
  impl.threads.clear();

  // No thread runs handlers any more: close what is left (the listener if the posted close did not run yet,
  // stalled and undrained connections) directly so that clients see the end now rather than when the server
  // object is destroyed.
  beast::error_code ec;
  impl.acceptor.close(ec);
  std::lock_guard sessions_lock(impl.sessions_mu);
  for (auto& [raw, weak] : impl.sessions) raw->ForceClose();
}

}  // namespace sp::net

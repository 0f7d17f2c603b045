// HttpClient against HttpServer over 127.0.0.1: the two halves of the HTTP layer checking each other.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "net/http_client.hpp"
#include "net/http_server.hpp"

namespace sp::net {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Loopback must never go through a proxy the machine may have configured.
const bool kNoProxy = [] {
  for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    ::unsetenv(name);
  }
  return true;
}();

HttpServerOptions ServerOptions() {
  HttpServerOptions options;
  options.threads = 2;
  options.header_timeout = std::chrono::milliseconds(2000);
  options.read_timeout = std::chrono::milliseconds(2000);
  options.idle_timeout = std::chrono::milliseconds(5000);
  return options;
}

std::string UrlOf(const HttpServer& server, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + std::string(path);
}

TEST(HttpClientServerTest, RoundTripsMethodHeadersAndBody) {
  HttpServer server(ServerOptions(), [](const HttpRequest& request) {
    HttpResponse response = HttpResponse::Json(207, "{\"echo\":\"" + request.body + "\"}");
    response.headers.emplace_back("X-Method", request.method);
    response.headers.emplace_back("X-Query", request.query);
    const std::string* auth = request.Header("authorization");
    response.headers.emplace_back("X-Auth", auth ? *auth : "none");
    response.headers.emplace_back("Set-Thing", "a");
    response.headers.emplace_back("Set-Thing", "b");
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  ClientRequest request;
  request.method = "PATCH";
  request.url = UrlOf(server, "/v1/things?x=1");
  request.headers = {{"Authorization", "Bearer t0k"}, {"Content-Type", "application/json"}};
  request.body = "hi";
  const Result<ClientResponse> result = client.Send(request);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const ClientResponse& response = *result;
  EXPECT_EQ(response.status, 207);
  EXPECT_EQ(response.body, "{\"echo\":\"hi\"}");
  ASSERT_NE(response.Header("x-method"), nullptr);
  EXPECT_EQ(*response.Header("x-method"), "PATCH");
  EXPECT_EQ(*response.Header("X-Query"), "x=1");
  EXPECT_EQ(*response.Header("x-auth"), "Bearer t0k");
  EXPECT_EQ(*response.Header("content-type"), "application/json");
  int repeats = 0;
  for (const auto& [name, value] : response.headers) {
    EXPECT_EQ(name, [&] {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return lower;
    }());
    if (name == "set-thing") ++repeats;
  }
  EXPECT_EQ(repeats, 2);
  EXPECT_GT(response.elapsed.count(), 0);
}

TEST(HttpClientServerTest, ErrorStatusesAreResponsesNotErrors) {
  HttpServer server(ServerOptions(), [](const HttpRequest& request) {
    return HttpResponse::Text(request.path == "/missing" ? 404 : 503, "nope");
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  ClientRequest request;
  request.url = UrlOf(server, "/missing");
  const auto missing = client.Send(request);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  request.url = UrlOf(server, "/down");
  const auto down = client.Send(request);
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->status, 503);
}

TEST(HttpClientServerTest, SequentialRequestsReuseOneConnection) {
  HttpServer server(ServerOptions(), [](const HttpRequest&) { return HttpResponse::Json(200, "{}"); });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  for (int i = 0; i < 10; ++i) {
    ClientRequest request;
    request.method = i % 2 == 0 ? "GET" : "POST";
    request.url = UrlOf(server, "/r");
    request.body = i % 2 == 0 ? "" : "{\"i\":1}";
    const auto result = client.Send(request);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    EXPECT_EQ(result->status, 200);
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(HttpClientServerTest, BodyOverLimitGets413AndHandlerIsNotCalled) {
  HttpServerOptions options = ServerOptions();
  options.body_limit = 1024;
  std::atomic<int> calls{0};
  HttpServer server(options, [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Json(200, "{}");
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  ClientRequest request;
  request.method = "POST";
  request.url = UrlOf(server, "/upload");
  request.body.assign(256 * 1024, 'x');
  const auto result = client.Send(request);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->status, 413);
  EXPECT_THAT(result->body, HasSubstr("too large"));
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpClientServerTest, StalledResponseTimesOutAsUnavailable) {
  HttpServer server(ServerOptions(), [](const HttpRequest&) {
    HttpResponse response;
    response.action = ResponseAction::STALL;
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  ClientRequest request;
  request.url = UrlOf(server, "/slow?token=SECRET_QUERY");
  request.headers = {{"Authorization", "Bearer SECRET_HEADER"}};
  request.timeout = std::chrono::milliseconds(200);
  const auto result = client.Send(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::UNAVAILABLE);
  EXPECT_THAT(result.error().message, HasSubstr("timed out"));
  EXPECT_EQ(result.error().context, UrlOf(server, "/slow"));
  EXPECT_THAT(result.error().ToString(), Not(HasSubstr("SECRET")));
}

TEST(HttpClientServerTest, ResetConnectionIsATransportError) {
  HttpServer server(ServerOptions(), [](const HttpRequest&) {
    HttpResponse response;
    response.action = ResponseAction::RESET_CONNECTION;
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  ClientRequest request;
  request.url = UrlOf(server, "/reset");
  const auto result = client.Send(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::UNAVAILABLE);
  EXPECT_THAT(result.error().message, ::testing::AnyOf(HasSubstr("reset"), HasSubstr("without a response")));
}

TEST(HttpClientServerTest, RefusedConnectionNamesTheCause) {
  uint16_t port = 0;
  {
    HttpServer server(ServerOptions(), [](const HttpRequest&) { return HttpResponse::Json(200, "{}"); });
    ASSERT_TRUE(server.Start().ok());
    port = server.port();
  }
  HttpClient client;
  ClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/x?q=1";
  const auto result = client.Send(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::UNAVAILABLE);
  EXPECT_THAT(result.error().message, HasSubstr("connection refused"));
  EXPECT_EQ(result.error().context, "http://127.0.0.1:" + std::to_string(port) + "/x");
}

TEST(HttpClientServerTest, BadUrlIsInvalidArgument) {
  HttpClient client;
  ClientRequest request;
  request.url = "ftp://127.0.0.1/file";
  const auto result = client.Send(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::INVALID_ARGUMENT);
}

TEST(HttpClientServerTest, DelayedResponsesAreServedConcurrentlyByOneWorker) {
  HttpServerOptions options = ServerOptions();
  options.threads = 1;
  std::atomic<int> calls{0};
  std::atomic<size_t> peak{0};
  HttpServer* server_ptr = nullptr;
  HttpServer server(options, [&](const HttpRequest&) {
    ++calls;
    size_t now = server_ptr->in_flight();
    size_t seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    HttpResponse response = HttpResponse::Json(200, "{}");
    response.delay = std::chrono::milliseconds(1000);  // outlasts the gap between the two requests
    return response;
  });
  server_ptr = &server;
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      ClientRequest request;
      request.url = UrlOf(server, "/delayed");
      const auto result = client.Send(request);
      if (result.ok() && result->status == 200) ++ok;
    });
    // The second request starts once the first is waiting on its timer.
    while (i == 0 && server.in_flight() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 2);
  EXPECT_EQ(calls.load(), 2);
  // Both were waiting for their delayed answer at once: the single worker thread was not blocked.
  EXPECT_EQ(peak.load(), 2u);
}

TEST(HttpClientServerTest, StopDrainsInFlightRequestThenRefuses) {
  HttpServer server(ServerOptions(), [](const HttpRequest&) {
    HttpResponse response = HttpResponse::Json(200, "{\"drained\":true}");
    response.delay = std::chrono::milliseconds(300);
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  Result<ClientResponse> in_flight = Error(ErrorCode::INTERNAL, "not run");
  std::thread sender([&] {
    ClientRequest request;
    request.url = UrlOf(server, "/slow");
    in_flight = client.Send(request);
  });
  while (server.in_flight() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server.Stop(std::chrono::milliseconds(5000));
  sender.join();
  ASSERT_TRUE(in_flight.ok()) << in_flight.error().ToString();
  EXPECT_EQ(in_flight->status, 200);
  EXPECT_EQ(in_flight->body, "{\"drained\":true}");
  ClientRequest late;
  late.url = UrlOf(server, "/late");
  const auto refused = client.Send(late);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("refused"));
}

TEST(HttpClientServerTest, MaxInFlightIsNeverExceeded) {
  std::atomic<size_t> peak{0};
  HttpServer* server_ptr = nullptr;
  HttpServerOptions options = ServerOptions();
  options.threads = 2;
  HttpServer server(options, [&](const HttpRequest&) {
    const size_t now = server_ptr->in_flight();
    size_t seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    HttpResponse response = HttpResponse::Json(200, "{}");
    response.delay = std::chrono::milliseconds(100);
    return response;
  });
  server_ptr = &server;
  ASSERT_TRUE(server.Start().ok());
  HttpClientOptions client_options;
  client_options.max_in_flight = 3;
  HttpClient client(client_options);
  std::atomic<size_t> client_peak{0};
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 4; ++i) {
        ClientRequest request;
        request.url = UrlOf(server, "/work");
        const auto result = client.Send(request);
        if (result.ok() && result->status == 200) ++ok;
        const size_t now = client.in_flight();
        size_t seen = client_peak.load();
        while (now > seen && !client_peak.compare_exchange_weak(seen, now)) {
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 32);
  EXPECT_LE(peak.load(), 3u);
  EXPECT_GE(peak.load(), 2u);  // the bound is not a serialisation
  EXPECT_LE(client_peak.load(), 3u);
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST(HttpClientServerTest, StreamsAMultiMegabyteBody) {
  std::string big(6 * 1024 * 1024, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  HttpServer server(ServerOptions(), [&](const HttpRequest&) { return HttpResponse::Text(200, big); });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  ClientRequest request;
  request.url = UrlOf(server, "/big");
  size_t received = 0;
  size_t chunks = 0;
  bool in_order = true;
  request.on_body = [&](std::string_view chunk) {
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (chunk[i] != static_cast<char>('a' + (received + i) % 26)) in_order = false;
    }
    received += chunk.size();
    ++chunks;
    return true;
  };
  const auto result = client.Send(request);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->status, 200);
  EXPECT_TRUE(result->body.empty());
  EXPECT_EQ(received, big.size());
  EXPECT_GT(chunks, 1u);
  EXPECT_TRUE(in_order);

  // The receiver can stop a body it does not want.
  size_t taken = 0;
  request.on_body = [&](std::string_view chunk) {
    taken += chunk.size();
    return taken < 1024 * 1024;
  };
  const auto aborted = client.Send(request);
  ASSERT_FALSE(aborted.ok());
  EXPECT_EQ(aborted.error().code, ErrorCode::LIMIT_EXCEEDED);
  EXPECT_LT(taken, big.size());
}

// gzip of kPlainJson (made with Python's gzip module, mtime 0), so that the test needs no zlib.
const std::string kPlainJson = std::string(100, '[') + "\"compressed json\"" + std::string(100, ']');
const std::string kGzippedJson = std::string(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\x8b\x8e\xa6\x3d\x50\x4a\xce\xcf\x2d\x28\x4a\x2d\x2e\x4e"
    "\x4d\x51\xc8\x2a\xce\xcf\x53\x8a\xa5\x03\x00\x00\x88\x76\xb8\x29\xd9\x00\x00\x00",
    44);

TEST(HttpClientServerTest, DecodesGzipResponses) {
  const std::string& plain = kPlainJson;
  std::string accept_encoding;
  HttpServer server(ServerOptions(), [&](const HttpRequest& request) {
    const std::string* accept = request.Header("accept-encoding");
    accept_encoding = accept ? *accept : "";
    HttpResponse response = HttpResponse::Json(200, kGzippedJson);
    response.headers.emplace_back("Content-Encoding", "gzip");
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  ClientRequest request;
  request.url = UrlOf(server, "/gz");
  const auto result = client.Send(request);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->body, plain);
  EXPECT_THAT(accept_encoding, HasSubstr("gzip"));
}

TEST(HttpClientServerTest, HandlerExceptionIs500) {
  HttpServer server(ServerOptions(), [](const HttpRequest&) -> HttpResponse { throw std::logic_error("bug"); });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  ClientRequest request;
  request.url = UrlOf(server, "/");
  const auto result = client.Send(request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 500);
  EXPECT_EQ(result->body, "{\"error\":\"internal server error\"}");
}

TEST(HttpClientServerTest, ManyThreadsShareOneClient) {
  std::atomic<int> calls{0};
  HttpServer server(ServerOptions(), [&](const HttpRequest& request) {
    ++calls;
    return HttpResponse::Text(200, request.query);
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClientOptions options;
  options.max_in_flight = 4;
  HttpClient client(options);
  std::atomic<int> matched{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        ClientRequest request;
        const std::string query = "t=" + std::to_string(t) + "&i=" + std::to_string(i);
        request.url = UrlOf(server, "/q?" + query);
        const auto result = client.Send(request);
        if (result.ok() && result->body == query) ++matched;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(matched.load(), 120);
  EXPECT_EQ(calls.load(), 120);
  EXPECT_LE(server.connections_accepted(), 4u);  // one pooled handle per concurrent slot at most
}

TEST(HttpClientServerTest, ProxyOptionAndEnvironmentRouteThroughTheProxy) {
  std::mutex mu;
  std::vector<std::string> targets;
  HttpServer proxy(ServerOptions(), [&](const HttpRequest& request) {
    std::lock_guard lock(mu);
    targets.push_back(request.target);
    return HttpResponse::Text(200, "via proxy");
  });
  ASSERT_TRUE(proxy.Start().ok());
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());

  ::setenv("no_proxy", "", 1);  // whatever the machine exempts, these invented hosts must go to our proxy
  HttpClientOptions options;
  options.proxy = proxy_url;
  HttpClient explicit_proxy(options);
  ClientRequest request;
  request.url = "http://sentry.example.invalid/api/0/organizations/?cursor=1";
  const auto through_option = explicit_proxy.Send(request);
  ASSERT_TRUE(through_option.ok()) << through_option.error().ToString();
  EXPECT_EQ(through_option->body, "via proxy");

  // Without the option, curl reads the standard environment (lower-case http_proxy, and no_proxy).
  ::setenv("http_proxy", proxy_url.c_str(), 1);
  HttpClient from_environment;
  request.url = "http://port.example.invalid/v1/blueprints";
  const auto through_env = from_environment.Send(request);
  ::unsetenv("http_proxy");
  ASSERT_TRUE(through_env.ok()) << through_env.error().ToString();
  EXPECT_EQ(through_env->body, "via proxy");

  // The upper-case spelling works too (curl alone ignores it for http://).
  ::setenv("HTTP_PROXY", proxy_url.c_str(), 1);
  request.url = "http://upper.example.invalid/x";
  const auto through_upper = from_environment.Send(request);
  ASSERT_TRUE(through_upper.ok()) << through_upper.error().ToString();
  EXPECT_EQ(through_upper->body, "via proxy");

  // NO_PROXY exempts a host even then: the origin is reached directly.
  HttpServer origin(ServerOptions(), [](const HttpRequest&) { return HttpResponse::Text(200, "direct"); });
  ASSERT_TRUE(origin.Start().ok());
  ::setenv("no_proxy", "127.0.0.1", 1);
  request.url = UrlOf(origin, "/x");
  const auto direct = from_environment.Send(request);
  ::unsetenv("HTTP_PROXY");
  ::unsetenv("no_proxy");
  ASSERT_TRUE(direct.ok()) << direct.error().ToString();
  EXPECT_EQ(direct->body, "direct");

  std::lock_guard lock(mu);
  EXPECT_EQ(targets,
            (std::vector<std::string>{"http://sentry.example.invalid/api/0/organizations/?cursor=1",
                                      "http://port.example.invalid/v1/blueprints", "http://upper.example.invalid/x"}));
}

TEST(HttpClientServerTest, TlsFailureIsUnavailableAndNamesTls) {
  HttpServer server(ServerOptions(), [](const HttpRequest&) { return HttpResponse::Text(200, "plain"); });
  ASSERT_TRUE(server.Start().ok());
  HttpClientOptions options;
  options.request_timeout = std::chrono::milliseconds(2000);
  HttpClient client(options);
  ClientRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/secure?token=abc";
  const auto result = client.Send(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::UNAVAILABLE);
  EXPECT_THAT(result.error().message, HasSubstr("TLS"));
  EXPECT_THAT(result.error().ToString(), Not(HasSubstr("token")));
}

TEST(HttpClientServerTest, ErrorContextDropsCredentialsInTheUrl) {
  HttpClient client;
  ClientRequest request;
  request.url = "http://user:hunter2@127.0.0.1:1/path?x=1#frag";
  const auto result = client.Send(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().context, "http://127.0.0.1:1/path");
  EXPECT_THAT(result.error().ToString(), Not(HasSubstr("hunter2")));
}

TEST(HttpClientServerTest, RejectsHeaderInjectionWithoutEchoingTheValue) {
  std::atomic<int> calls{0};
  HttpServer server(ServerOptions(), [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Text(200, "");
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  ClientRequest request;
  request.url = UrlOf(server, "/");
  request.headers = {{"Authorization", "Bearer SECRET\r\nX-Injected: 1"}};
  const auto injected = client.Send(request);
  ASSERT_FALSE(injected.ok());
  EXPECT_EQ(injected.error().code, ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(injected.error().message, HasSubstr("Authorization"));
  EXPECT_THAT(injected.error().ToString(), Not(HasSubstr("SECRET")));
  request.headers = {{"Bad:Name", "v"}};
  EXPECT_FALSE(client.Send(request).ok());
  request.headers = {{"", "v"}};
  EXPECT_FALSE(client.Send(request).ok());
  EXPECT_EQ(calls.load(), 0);
  request.headers = {{"X-Empty", ""}};
  const auto empty_value = client.Send(request);
  ASSERT_TRUE(empty_value.ok()) << empty_value.error().ToString();
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpClientServerTest, ResponseCloseEndsTheConnectionAndClientReconnects) {
  HttpServer server(ServerOptions(), [](const HttpRequest&) {
    HttpResponse response = HttpResponse::Json(200, "{}");
    response.close = true;
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient client;
  for (int i = 0; i < 3; ++i) {
    ClientRequest request;
    request.url = UrlOf(server, "/once");
    const auto result = client.Send(request);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    ASSERT_NE(result->Header("connection"), nullptr);
    EXPECT_EQ(*result->Header("connection"), "close");
  }
  EXPECT_EQ(server.connections_accepted(), 3u);
}

}  // namespace
}  // namespace sp::net

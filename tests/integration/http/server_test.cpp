// HttpServer driven by a raw socket: exact wire behaviour (framing, keep-alive, limits, timeouts, faults).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "net/http_server.hpp"
#include "raw_socket.hpp"

namespace sp::net {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RawSocket;
using ::testing::StartsWith;

HttpServerOptions FastOptions() {
  HttpServerOptions options;
  options.threads = 2;
  options.header_timeout = std::chrono::milliseconds(300);
  options.read_timeout = std::chrono::milliseconds(300);
  options.idle_timeout = std::chrono::milliseconds(2000);
  return options;
}

TEST(HttpServerTest, AnswersWithLengthDateAndServerHeaders) {
  HttpServer server(FastOptions(), [](const HttpRequest& request) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/a/b");
    EXPECT_EQ(request.query, "x=1&y=2");
    EXPECT_EQ(request.target, "/a/b?x=1&y=2");
    EXPECT_EQ(request.body, "hello");
    const std::string* custom = request.Header("x-custom");
    EXPECT_TRUE(custom != nullptr && *custom == "V");
    EXPECT_THAT(request.remote_address, StartsWith("127.0.0.1:"));
    return HttpResponse::Json(201, "{\"ok\":true}");
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.connected());
  ASSERT_TRUE(socket.Send("POST /a/b?x=1&y=2 HTTP/1.1\r\nHost: t\r\nX-Custom: V\r\nContent-Length: 5\r\n\r\nhello"));
  const std::string response = socket.ReadResponse();
  EXPECT_THAT(response, StartsWith("HTTP/1.1 201"));
  EXPECT_THAT(response, HasSubstr("Content-Length: 11\r\n"));
  EXPECT_THAT(response, HasSubstr("Content-Type: application/json\r\n"));
  EXPECT_THAT(response, HasSubstr("Server: sentry-port\r\n"));
  EXPECT_THAT(response, HasSubstr("Date: "));
  EXPECT_THAT(response, HasSubstr("\r\n\r\n{\"ok\":true}"));
}

TEST(HttpServerTest, KeepAliveServesPipelinedRequestsOnOneConnection) {
  std::atomic<int> calls{0};
  HttpServer server(FastOptions(), [&](const HttpRequest& request) {
    ++calls;
    return HttpResponse::Text(200, request.path);
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.Send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_THAT(socket.ReadResponse(), HasSubstr("\r\n\r\n/1"));
  EXPECT_THAT(socket.ReadResponse(), HasSubstr("\r\n\r\n/2"));
  ASSERT_TRUE(socket.Send("GET /3 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const std::string last = socket.ReadResponse();
  EXPECT_THAT(last, HasSubstr("Connection: close"));
  EXPECT_THAT(last, HasSubstr("\r\n\r\n/3"));
  EXPECT_TRUE(socket.ReadUntilClosed().closed);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(HttpServerTest, BodyOverLimitGets413WithoutCallingTheHandler) {
  HttpServerOptions options = FastOptions();
  options.body_limit = 16;
  std::atomic<int> calls{0};
  HttpServer server(options, [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Text(200, "no");
  });
  ASSERT_TRUE(server.Start().ok());
  {
    RawSocket socket(server.port());
    ASSERT_TRUE(socket.Send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n\r\n01234567890123456"));
    const std::string response = socket.ReadResponse();
    EXPECT_THAT(response, StartsWith("HTTP/1.1 413"));
    EXPECT_THAT(response, HasSubstr("application/json"));
    EXPECT_THAT(response, HasSubstr("too large"));
  }
  {
    // Chunked bodies have no length up front: the limit is enforced while reading.
    RawSocket socket(server.port());
    ASSERT_TRUE(
        socket.Send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"));
    EXPECT_THAT(socket.ReadResponse(), StartsWith("HTTP/1.1 413"));
  }
  {
    RawSocket socket(server.port());
    ASSERT_TRUE(socket.Send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 16\r\n\r\n0123456789abcdef"));
    EXPECT_THAT(socket.ReadResponse(), StartsWith("HTTP/1.1 200"));
  }
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpServerTest, MalformedRequestGets400) {
  std::atomic<int> calls{0};
  HttpServer server(FastOptions(), [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Text(200, "no");
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.Send("GARBAGE\x01 nonsense\r\n\r\n"));
  EXPECT_THAT(socket.ReadResponse(), StartsWith("HTTP/1.1 400"));
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServerTest, HeaderTimeoutClosesAHalfSentRequest) {
  std::atomic<int> calls{0};
  HttpServer server(FastOptions(), [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Text(200, "no");
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port(), 10000);
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: t\r\n"));  // never finishes the head
  const RawSocket::Drain drain = socket.ReadUntilClosed();
  EXPECT_TRUE(drain.closed);
  EXPECT_FALSE(drain.timed_out);
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServerTest, ReadTimeoutClosesAStalledBody) {
  std::atomic<int> calls{0};
  HttpServer server(FastOptions(), [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Text(200, "no");
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port(), 10000);
  ASSERT_TRUE(socket.Send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part"));
  const RawSocket::Drain drain = socket.ReadUntilClosed();
  EXPECT_TRUE(drain.closed);
  EXPECT_FALSE(drain.timed_out);
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  HttpServerOptions options = FastOptions();
  options.idle_timeout = std::chrono::milliseconds(200);
  HttpServer server(options, [](const HttpRequest&) { return HttpResponse::Text(200, "ok"); });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port(), 10000);
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_THAT(socket.ReadResponse(), StartsWith("HTTP/1.1 200"));
  const RawSocket::Drain drain = socket.ReadUntilClosed();
  EXPECT_TRUE(drain.closed);
  EXPECT_TRUE(drain.data.empty());
}

TEST(HttpServerTest, HandlerExceptionBecomes500AndServerKeepsServing) {
  HttpServer server(FastOptions(), [](const HttpRequest& request) -> HttpResponse {
    if (request.path == "/boom") throw std::runtime_error("boom");
    return HttpResponse::Text(200, "fine");
  });
  ASSERT_TRUE(server.Start().ok());
  {
    RawSocket socket(server.port());
    ASSERT_TRUE(socket.Send("GET /boom HTTP/1.1\r\nHost: t\r\n\r\n"));
    const std::string response = socket.ReadResponse();
    EXPECT_THAT(response, StartsWith("HTTP/1.1 500"));
    EXPECT_THAT(response, HasSubstr("{\"error\":\"internal server error\"}"));
    EXPECT_THAT(response, ::testing::Not(HasSubstr("boom")));
  }
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.Send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_THAT(socket.ReadResponse(), StartsWith("HTTP/1.1 200"));
}

TEST(HttpServerTest, ResetConnectionAbortsWithoutAnswer) {
  HttpServer server(FastOptions(), [](const HttpRequest&) {
    HttpResponse response;
    response.action = ResponseAction::RESET_CONNECTION;
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  const RawSocket::Drain drain = socket.ReadUntilClosed();
  EXPECT_TRUE(drain.reset);
  EXPECT_TRUE(drain.data.empty());
}

TEST(HttpServerTest, StallKeepsConnectionOpenUntilStop) {
  HttpServer server(FastOptions(), [](const HttpRequest&) {
    HttpResponse response;
    response.action = ResponseAction::STALL;
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port(), 300);
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  const RawSocket::Drain before = socket.ReadUntilClosed();
  EXPECT_TRUE(before.timed_out);
  EXPECT_TRUE(before.data.empty());
  EXPECT_EQ(server.in_flight(), 0u);  // a stall is not waited for by Stop()
  server.Stop(std::chrono::milliseconds(2000));
  const RawSocket::Drain after = socket.ReadUntilClosed();
  EXPECT_TRUE(after.closed);
}

TEST(HttpServerTest, RejectsSecondStartAndBadAddress) {
  HttpServerOptions options = FastOptions();
  options.address = "not-an-address";
  HttpServer bad(options, [](const HttpRequest&) { return HttpResponse::Text(200, ""); });
  const Status status = bad.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error().context, HasSubstr("not-an-address"));

  HttpServer server(FastOptions(), [](const HttpRequest&) { return HttpResponse::Text(200, ""); });
  ASSERT_TRUE(server.Start().ok());
  EXPECT_FALSE(server.Start().ok());
  HttpServerOptions clash = FastOptions();
  clash.port = server.port();
  HttpServer second(clash, [](const HttpRequest&) { return HttpResponse::Text(200, ""); });
  const Status bind = second.Start();
  ASSERT_FALSE(bind.ok());
  EXPECT_EQ(bind.error().code, ErrorCode::UNAVAILABLE);
}

TEST(HttpServerTest, StopIsIdempotentAndSafeBeforeStart) {
  HttpServer never(FastOptions(), [](const HttpRequest&) { return HttpResponse::Text(200, ""); });
  never.Stop();
  HttpServer server(FastOptions(), [](const HttpRequest&) { return HttpResponse::Text(200, ""); });
  ASSERT_TRUE(server.Start().ok());
  const uint16_t port = server.port();
  server.Stop();
  server.Stop();
  RawSocket socket(port);
  EXPECT_FALSE(socket.connected());
}

TEST(HttpServerTest, DelayDoesNotHoldTheOnlyWorkerThread) {
  HttpServerOptions options = FastOptions();
  options.threads = 1;
  HttpServer server(options, [](const HttpRequest& request) {
    HttpResponse response = HttpResponse::Text(200, request.path);
    // Long enough that the fast request surely arrives meanwhile, even on a loaded CI machine.
    if (request.path == "/slow") response.delay = std::chrono::milliseconds(1500);
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  std::mutex mu;
  std::vector<std::string> finished;
  RawSocket slow(server.port());
  ASSERT_TRUE(slow.Send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::thread slow_reader([&] {
    const std::string response = slow.ReadResponse();
    std::lock_guard lock(mu);
    finished.push_back(response.empty() ? "error" : "slow");
  });
  while (server.in_flight() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // The slow request now waits on its timer; with one worker thread the fast one can only be answered if
  // that wait does not block the thread.
  RawSocket fast(server.port());
  ASSERT_TRUE(fast.Send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string fast_response = fast.ReadResponse();
  {
    std::lock_guard lock(mu);
    finished.push_back(fast_response.empty() ? "error" : "fast");
  }
  slow_reader.join();
  EXPECT_EQ(finished, (std::vector<std::string>{"fast", "slow"}));
}

TEST(HttpServerTest, StopDrainsDelayedRequestThenRefusesConnections) {
  HttpServer server(FastOptions(), [](const HttpRequest&) {
    HttpResponse response = HttpResponse::Text(200, "drained");
    response.delay = std::chrono::milliseconds(300);
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  const uint16_t port = server.port();
  RawSocket idle(port, 5000);
  ASSERT_TRUE(idle.connected());
  RawSocket socket(port);
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  while (server.in_flight() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread stopper([&] { server.Stop(std::chrono::milliseconds(5000)); });
  const std::string response = socket.ReadResponse();
  stopper.join();
  EXPECT_THAT(response, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(response, HasSubstr("Connection: close"));
  EXPECT_THAT(response, HasSubstr("drained"));
  EXPECT_EQ(server.in_flight(), 0u);
  EXPECT_TRUE(idle.ReadUntilClosed().closed);  // an idle keep-alive connection is not kept
  RawSocket late(port);
  EXPECT_FALSE(late.connected());
}

TEST(HttpServerTest, StopGivesUpOnRequestsOutlastingTheDrainTimeout) {
  HttpServer server(FastOptions(), [](const HttpRequest&) {
    HttpResponse response = HttpResponse::Text(200, "late");
    response.delay = std::chrono::milliseconds(60000);
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port(), 10000);
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  while (server.in_flight() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server.Stop(std::chrono::milliseconds(100));
  const RawSocket::Drain drain = socket.ReadUntilClosed();
  EXPECT_TRUE(drain.closed);
  EXPECT_TRUE(drain.data.empty());
}

TEST(HttpServerTest, HonoursExpectContinueAndRejectsOversizedBodiesBeforeUpload) {
  HttpServerOptions options = FastOptions();
  options.body_limit = 100;
  std::atomic<int> calls{0};
  HttpServer server(options, [&](const HttpRequest& request) {
    ++calls;
    return HttpResponse::Text(200, request.body);
  });
  ASSERT_TRUE(server.Start().ok());
  {
    RawSocket socket(server.port());
    ASSERT_TRUE(socket.Send("POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
    EXPECT_THAT(socket.ReadResponse(), StartsWith("HTTP/1.1 100 Continue"));
    ASSERT_TRUE(socket.Send("body"));
    const std::string response = socket.ReadResponse();
    EXPECT_THAT(response, StartsWith("HTTP/1.1 200"));
    EXPECT_THAT(response, HasSubstr("\r\n\r\nbody"));
  }
  {
    RawSocket socket(server.port());
    ASSERT_TRUE(socket.Send("POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n"));
    EXPECT_THAT(socket.ReadResponse(), StartsWith("HTTP/1.1 413"));
  }
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpServerTest, HeadAndNoContentResponsesCarryNoBody) {
  HttpServer server(FastOptions(), [](const HttpRequest& request) {
    if (request.path == "/empty") return HttpResponse::Text(204, "ignored");
    return HttpResponse::Text(200, "twelve bytes");
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port(), 500);
  ASSERT_TRUE(socket.Send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string head = socket.ReadUntilClosed().data;  // nothing may follow the head
  EXPECT_THAT(head, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(head, HasSubstr("Content-Length: 12\r\n"));
  EXPECT_THAT(head, ::testing::EndsWith("\r\n\r\n"));
  RawSocket second(server.port(), 500);
  ASSERT_TRUE(second.Send("GET /empty HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string empty = second.ReadUntilClosed().data;
  EXPECT_THAT(empty, StartsWith("HTTP/1.1 204"));
  EXPECT_THAT(empty, Not(HasSubstr("Content-Length")));
  EXPECT_THAT(empty, ::testing::EndsWith("\r\n\r\n"));
}

TEST(HttpServerTest, HandlerCannotBreakFraming) {
  HttpServer server(FastOptions(), [](const HttpRequest&) {
    HttpResponse response = HttpResponse::Text(200, "abc");
    response.headers.emplace_back("Content-Length", "999");
    response.headers.emplace_back("Transfer-Encoding", "chunked");
    response.headers.emplace_back("Server", "custom");
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string response = socket.ReadResponse();
  EXPECT_THAT(response, HasSubstr("Content-Length: 3\r\n"));
  EXPECT_THAT(response, Not(HasSubstr("999")));
  EXPECT_THAT(response, Not(HasSubstr("chunked")));
  EXPECT_THAT(response, HasSubstr("Server: custom\r\n"));
  EXPECT_THAT(response, Not(HasSubstr("sentry-port")));
}

TEST(HttpServerTest, StopFromAHandlerStopsAcceptingAndOwnerFinishes) {
  HttpServer* self = nullptr;
  HttpServer server(FastOptions(), [&](const HttpRequest&) {
    self->Stop();
    return HttpResponse::Text(200, "bye");
  });
  self = &server;
  ASSERT_TRUE(server.Start().ok());
  const uint16_t port = server.port();
  {
    RawSocket socket(port);
    ASSERT_TRUE(socket.Send("POST /shutdown HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"));
    const std::string response = socket.ReadResponse();
    EXPECT_THAT(response, StartsWith("HTTP/1.1 200"));
    EXPECT_THAT(response, HasSubstr("Connection: close"));
  }
  server.Stop();
  RawSocket late(port);
  EXPECT_FALSE(late.connected());
}

TEST(HttpServerTest, HeaderTimeoutIsADeadlineNotAnIdleTimer) {
  // A slowloris client keeps sending a byte now and then; the head must still be complete in time.
  std::atomic<int> calls{0};
  HttpServer server(FastOptions(), [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Text(200, "no");
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port(), 10000);
  const std::string head = "GET / HTTP/1.1\r\nHost: t\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  bool cut = false;
  for (char c : head) {
    if (!socket.Send(std::string_view(&c, 1))) {
      cut = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // 60+ bytes: well past the 300 ms deadline
  }
  const RawSocket::Drain drain = socket.ReadUntilClosed();
  EXPECT_TRUE(cut || drain.closed);
  EXPECT_FALSE(drain.timed_out);
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServerTest, OversizedHeadGets431) {
  std::atomic<int> calls{0};
  HttpServer server(FastOptions(), [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Text(200, "no");
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket socket(server.port());
  const std::string huge(70 * 1024, 'h');
  socket.Send("GET / HTTP/1.1\r\nHost: t\r\nX-Huge: " + huge + "\r\n\r\n");
  EXPECT_THAT(socket.ReadResponse(), StartsWith("HTTP/1.1 431"));
  EXPECT_EQ(calls.load(), 0);
}

TEST(WritePortFileTest, WritesThePortAtomically) {
  const std::string path = ::testing::TempDir() + "/net_port_file_test.port";
  ASSERT_TRUE(WritePortFile(path, 43210).ok());
  std::ifstream in(path);
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "43210");
  std::ifstream temp(path + ".tmp");
  EXPECT_FALSE(temp.good());
  const Status bad = WritePortFile("/nonexistent-dir/x.port", 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().context, HasSubstr("/nonexistent-dir/"));
}

}  // namespace
}  // namespace sp::net

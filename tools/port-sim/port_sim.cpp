// port-sim core: start/stop, request pipeline (route -> faults -> auth -> body -> route handler), the request
// log and counters.
#include "port-sim/port_sim.hpp"

#include <algorithm>
#include <random>

#include "json/parse.hpp"
#include "json/write.hpp"
#include "net/http_client.hpp"
#include "port-sim/sim_impl.hpp"

namespace sp::port_sim {
namespace {

constexpr size_t kMaxE2BodyBytes = 1024 * 1024;

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    // quote_plus-encoded identifiers (§1.3): '+' is a space, which no valid identifier contains anyway
    out.push_back(net::UrlDecode(path.substr(pos, end - pos), true));
    pos = end;
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(rng() & 0xff);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

const char* FailCode(int status) {
  switch (status) {
    case 500: return "internal_error";
    case 502: return "bad_gateway";
    case 503: return "service_unavailable";
    case 504: return "gateway_timeout";
    case 429: return "rate_limit_exceeded";
    default: return "injected_fault";
  }
}

bool IsBodyRoute(std::string_view route) {
  return route == "A1" || route == "I2" || route == "I3" || route == "I4" || route == "I5" || route == "I8" ||
         route == "B2" || route == "B3" || route == "E1" || route == "E2" || route == "E4" || route == "E5" ||
         route == "E6";
}

}  // namespace

Answer Ok(json::Value body, int status) {
  if (body.IsObject() && body.Find("ok") == nullptr) {
    json::Value with_ok = json::Value::Object();
    with_ok.Set("ok", json::Value::Bool(true));
    for (const auto& m : body.Members()) with_ok.Set(m.key, m.value);
    body = std::move(with_ok);
  }
  return Answer{status, std::move(body)};
}

Answer Fail(const catalog::ApiError& error) {
  return Answer{error.status, error.ToJson()};
}

Answer Fail(int status, std::string error, std::string message) {
  return Fail(catalog::ApiError{status, std::move(error), std::move(message)});
}

std::optional<Answer> QueryBool(const Call& call, std::string_view name, bool& out) {
  for (const auto& [k, v] : call.query) {
    if (k != name) continue;
    if (v == "true") {
      out = true;
    } else if (v == "false") {
      out = false;
    } else {
      return Fail(400, "bad_request",
                  "query parameter " + std::string(name) + " must be true or false, got \"" + v + "\"");
    }
  }
  return std::nullopt;
}

std::vector<std::string> QueryAll(const Call& call, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : call.query) {
    if (k == name) out.push_back(v);
  }
  return out;
}

Result<std::pair<std::string, uint16_t>> ParseListenAddress(std::string_view listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) {
    return Error(ErrorCode::INVALID_ARGUMENT, "--listen must be HOST:PORT, got \"" + std::string(listen) + "\"");
  }
  std::string host(listen.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port_text(listen.substr(colon + 1));
  if (port_text.empty() || port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(), ::isdigit) ||
      std::stoi(port_text) > 65535) {
    return Error(ErrorCode::INVALID_ARGUMENT, "--listen port must be 0-65535, got \"" + port_text + "\"");
  }
  const bool loopback = host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
  if (!loopback) {
    return Error(ErrorCode::INVALID_ARGUMENT,
                 "--listen " + std::string(listen) + ": port-sim only listens on loopback (127.0.0.1, ::1, localhost)");
  }
  return std::make_pair(host == "localhost" ? std::string("127.0.0.1") : host,
                        static_cast<uint16_t>(std::stoi(port_text)));
}

std::string MatchRoute(std::string_view method, const std::vector<std::string>& s, std::vector<std::string>& params) {
  params.clear();
  const size_t n = s.size();
  if (n < 2 || s[0] != "v1") return "";
  auto is = [&](size_t i, std::string_view v) { return i < n && s[i] == v; };
  auto param = [&](size_t i) { params.push_back(s[i]); };
  if (method == "POST" && n == 3 && is(1, "auth") && is(2, "access_token")) return "A1";
  if (method == "GET" && n == 2 && is(1, "organization")) return "O1";
  if (is(1, "integration")) {
    if (n == 2 && method == "POST") return "I2";
    if (n == 3 && method == "GET" && is(2, "provision-enabled")) return "I7";
    if (n == 3) {
      param(2);
      if (method == "GET") return "I1";
      if (method == "PATCH") return "I3";
      if (method == "DELETE") return "I9";
    }
    if (n == 4) {
      param(2);
      if (method == "PATCH" && is(3, "config")) return "I4";
      if (method == "PATCH" && is(3, "resync-state")) return "I5";
      if (method == "GET" && is(3, "resync-request")) return "I6";
    }
    if (n == 6 && method == "POST" && is(3, "kinds") && is(5, "examples")) {
      param(2);
      param(4);
      return "I8";
    }
    params.clear();
    return "";
  }
  if (n == 3 && method == "GET" && is(1, "migrations")) {
    param(2);
    return "B6";
  }
  if (n == 3 && method == "POST" && is(1, "entities") && is(2, "search")) return "E5";
  if (!is(1, "blueprints")) return "";
  if (n == 2 && method == "POST") return "B2";
  if (n == 2 && method == "GET") return "B0";
  if (n == 4 && method == "POST" && is(2, "entities") && is(3, "datasource-entities")) return "E6";
  if (n == 3) {
    param(2);
    if (method == "GET") return "B1";
    if (method == "PATCH") return "B3";
    if (method == "DELETE") return "B4";
  }
  if (n == 4 && method == "DELETE" && is(3, "all-entities")) {
    param(2);
    return "B5";
  }
  if (n == 4 && method == "POST" && is(3, "entities")) {
    param(2);
    return "E1";
  }
  if (n == 5 && method == "POST" && is(3, "entities") && is(4, "bulk")) {
    param(2);
    return "E2";
  }
  if (n == 5 && is(3, "entities")) {
    param(2);
    param(4);
    if (method == "DELETE") return "E3";
    if (method == "GET") return "E7";
  }
  if (n == 6 && method == "POST" && is(3, "bulk") && is(4, "entities") && is(5, "delete")) {
    param(2);
    return "E4";
  }
  params.clear();
  return "";
}

std::string PortSim::Impl::NewId(std::string_view prefix) {
  return std::string(prefix) + std::to_string(next_id++) + "_" + RandomHex(4);
}

net::HttpResponse PortSim::Impl::Handle(const net::HttpRequest& request) {
  const std::string trace_id = RandomHex(8);
  const auto segments = SplitPath(request.path);
  Call call(request);
  call.query = net::ParseQuery(request.query);
  if (const std::string* ua = request.Header("user-agent")) call.user_agent = *ua;
  const bool control = !segments.empty() && segments[0] == "_sim";
  call.route = control ? "control" : MatchRoute(request.method, segments, call.params);
  if (control) call.params.assign(segments.begin() + 1, segments.end());

  const std::string stats_key = call.route.empty() ? "unknown" : call.route;
  std::chrono::milliseconds delay{0};
  net::ResponseAction action = net::ResponseAction::SEND;
  std::optional<Answer> answer;
  std::string fault;
  if (!control) {
    std::lock_guard lock(mu);
    const auto now = Clock::now();
    auto& st = stats[stats_key];
    ++st.count;
    ++st.in_flight;
    ++in_flight;
    while (!st.delayed_until.empty() && *st.delayed_until.begin() <= now)
      st.delayed_until.erase(st.delayed_until.begin());
    st.peak_concurrency = std::max<uint64_t>(st.peak_concurrency, st.in_flight + st.delayed_until.size());
    uint64_t total = in_flight;
    for (auto& [name, s] : stats) {
      while (!s.delayed_until.empty() && *s.delayed_until.begin() <= now)
        s.delayed_until.erase(s.delayed_until.begin());
      total += s.delayed_until.size();
    }
    peak_concurrency = std::max(peak_concurrency, total);
    if (call.route == "A1") {
      ++token_requests;
      if (token_failures > 0) {
        --token_failures;
        fault = "token_failure";
        answer = Fail(token_failure_status, FailCode(token_failure_status), "injected token-route failure");
      }
    }
    for (const std::string& key : {std::string("*"), call.route}) {
      auto it = faults.find(key);
      if (it == faults.end() || call.route.empty() || answer) continue;
      RouteFaults& f = it->second;
      delay = std::max(delay, std::chrono::milliseconds(f.latency_ms));
      if (f.reset_count > 0) {
        --f.reset_count;
        fault = "reset";
        action = net::ResponseAction::RESET_CONNECTION;
        answer = Answer{};
      } else if (f.stall_count > 0) {
        --f.stall_count;
        fault = "stall";
        action = net::ResponseAction::STALL;
        answer = Answer{};
      } else if (f.rate_limit_count > 0) {
        --f.rate_limit_count;
        fault = "rate_limit";
        answer = Fail(429, "rate_limit_exceeded", "injected rate limit");
        if (!f.retry_after.empty()) answer->headers.emplace_back("Retry-After", f.retry_after);
        if (!f.ratelimit_reset.empty()) answer->headers.emplace_back("x-ratelimit-reset", f.ratelimit_reset);
      } else if (f.fail_count > 0) {
        --f.fail_count;
        fault = "fail";
        answer = Fail(f.fail_status, FailCode(f.fail_status), "injected failure");
      }
    }
  }
  if (!answer && !control && call.route.empty()) {
    answer = Fail(404, "not_found", "no route for " + request.method + " " + request.path);
  }
  if (!answer && !control && call.route != "A1") {
    const std::string* auth = request.Header("authorization");
    bool live = false;
    if (auth != nullptr && auth->rfind("Bearer ", 0) == 0) {
      std::lock_guard lock(mu);
      auto it = tokens.find(auth->substr(7));
      live = it != tokens.end() && it->second > Clock::now();
    }
    if (!live) {
      answer = Fail(401, "unauthorized",
                    auth == nullptr ? "missing Authorization header" : "the access token is invalid or expired");
    }
  }
  if (!answer && (IsBodyRoute(call.route) || (control && request.method == "POST"))) {
    if (request.body.empty() && !control) {
      answer = Fail(400, "bad_request", "request body must be JSON");
    } else if (!request.body.empty() && !(call.route == "E2" && request.body.size() > kMaxE2BodyBytes)) {
      // an oversized bulk body is answered 413 by the route, whatever its content
      auto parsed = json::Parse(request.body);
      if (!parsed.ok()) {
        answer = Fail(400, "bad_request", "malformed JSON body: " + parsed.error().ToString());
      } else {
        call.body = std::move(parsed.value());
      }
    }
  }
  if (!answer) {
    const std::string& r = call.route;
    if (control)
      answer = Control(call);
    else if (r == "A1")
      answer = Token(call);
    else if (r == "O1")
      answer = Organization(call);
    else if (r[0] == 'I')
      answer = Integration(call);
    else if (r[0] == 'B')
      answer = Blueprints(call);
    else
      answer = Entities(call);
  }

  net::HttpResponse response;
  response.status = answer->status;
  response.headers = std::move(answer->headers);
  response.headers.emplace_back("Content-Type", "application/json");
  response.headers.emplace_back("x-trace-id", trace_id);
  response.body = json::ToJson(answer->body);
  response.delay = delay;
  response.action = action;
  if (control) return response;

  std::lock_guard lock(mu);
  auto& st = stats[stats_key];
  --st.in_flight;
  --in_flight;
  if (delay.count() > 0) st.delayed_until.insert(Clock::now() + delay);
  json::Value entry = json::Value::Object();
  entry.Set("seq", json::Value::Number(static_cast<double>(++log_seq)));
  entry.Set("route", json::Value::String(call.route));
  entry.Set("method", json::Value::String(request.method));
  entry.Set("path", json::Value::String(request.path));
  entry.Set("query", json::Value::String(request.query));
  json::Value flags = json::Value::Object();
  for (const auto& [k, v] : call.query) flags.Set(k, json::Value::String(v));
  entry.Set("params", std::move(flags));
  json::Value headers = json::Value::Object();
  for (const auto& [k, v] : request.headers) {
    std::string name = k;
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    // tokens never reach the log
    headers.Set(name, json::Value::String(name == "authorization" ? "<redacted>" : v));
  }
  entry.Set("headers", std::move(headers));
  entry.Set("user_agent", json::Value::String(call.user_agent));
  entry.Set("body_size", json::Value::Number(static_cast<double>(request.body.size())));
  // the token request carries the client secret: its body is never logged
  entry.Set("body", call.route == "A1" ? json::Value() : call.body);
  entry.Set("batch_size",
            call.batch_size >= 0 ? json::Value::Number(static_cast<double>(call.batch_size)) : json::Value());
  entry.Set("status", json::Value::Number(action == net::ResponseAction::SEND ? response.status : 0));
  entry.Set("fault", fault.empty() ? json::Value() : json::Value::String(fault));
  entry.Set("trace_id", json::Value::String(trace_id));
  log.push_back(std::move(entry));
  return response;
}

PortSim::PortSim(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PortSim::~PortSim() {
  Stop();
}

Result<std::unique_ptr<PortSim>> PortSim::Start(const PortSimOptions& options) {
  auto listen = ParseListenAddress(options.listen);
  if (!listen.ok()) return listen.error();
  if (options.client_id.empty() || options.client_secret.empty()) {
    return Error(ErrorCode::INVALID_ARGUMENT, "--client-id and --client-secret are required");
  }
  if (options.token_lifetime_seconds <= 0) {
    return Error(ErrorCode::INVALID_ARGUMENT, "--token-lifetime must be a positive number of seconds");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  catalog::CatalogOptions copts;
  copts.teams = options.teams;
  copts.bump_updated_at_on_noop = options.bump_updated_at_on_noop;
  auto opened = catalog::Catalog::Open(options.db, std::move(copts));
  if (!opened.ok()) return opened.error();
  impl->catalog = std::move(opened.value());
  if (!options.faults_json.empty()) {
    auto config = json::Parse(options.faults_json);
    if (!config.ok()) return Error(ErrorCode::INVALID_ARGUMENT, "--faults: " + config.error().ToString());
    if (auto bad = impl->ApplyConfig(config.value())) {
      const json::Value* message = bad->body.Find("message");
      return Error(ErrorCode::INVALID_ARGUMENT,
                   "--faults: " + std::string(message != nullptr ? message->AsString() : "invalid"));
    }
  }
  std::unique_ptr<PortSim> sim(new PortSim(std::move(impl)));
  net::HttpServerOptions server_options;
  server_options.address = listen->first;
  server_options.port = listen->second;
  server_options.threads = options.threads;
  server_options.body_limit = 16 * 1024 * 1024;  // E2's 1 MiB limit is answered by the route, in Port's words
  server_options.server_name = "port-sim";
  Impl* raw = sim->impl_.get();
  sim->impl_->server = std::make_unique<net::HttpServer>(
      server_options, [raw](const net::HttpRequest& request) { return raw->Handle(request); });
  if (Status s = sim->impl_->server->Start(); !s.ok()) return s.error();
  return sim;
}

uint16_t PortSim::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

std::string PortSim::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

void PortSim::Stop() {
  if (impl_ && impl_->server) impl_->server->Stop(std::chrono::milliseconds(2000));
}

net::HttpResponse PortSim::Handle(const net::HttpRequest& request) {
  return impl_->Handle(request);
}

}  // namespace sp::port_sim

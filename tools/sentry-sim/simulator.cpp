#include "simulator.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "net/http_client.hpp"
#include "sim_internal.hpp"

namespace sp::sentry_sim {

namespace {

struct RouteSpec {
  const char* name;
  const char* scope;
  bool org_scoped;  //!< the first {org} segment must name this org
  Reply (*handler)(const Ctx&);
};

// Matches the segments after /api/0/ to a route (sentry-api.md §7.1, scopes of §1.4).
const RouteSpec* MatchRoute(const std::vector<std::string>& s) {
  static const RouteSpec ORG{"org", "org:read", true, RouteOrganization};
  static const RouteSpec ORG_PROJECTS{"org_projects", "org:read", true, RouteOrgProjects};
  static const RouteSpec PROJECTS{"projects", "project:read", false, RouteProjects};
  static const RouteSpec ORG_ISSUES{"org_issues", "event:read", true, RouteOrgIssues};
  static const RouteSpec PROJECT_ISSUES{"project_issues", "event:read", true, RouteProjectIssues};
  static const RouteSpec ISSUE{"issue_detail", "event:read", true, RouteIssueDetail};
  static const RouteSpec PROJECT_TAGS{"project_tag_values", "project:read", true, RouteProjectTagValues};
  static const RouteSpec ISSUE_TAGS{"issue_tag_values", "event:read", true, RouteIssueTagValues};
  static const RouteSpec MEMBERS{"members", "member:read", true, RouteMembers};
  static const RouteSpec TEAMS{"teams", "org:read", true, RouteTeams};
  static const RouteSpec TEAM_MEMBERS{"team_members", "team:read", true, RouteTeamMembers};
  static const RouteSpec APPS{"sentry_apps", "org:read", true, RouteSentryApps};
  static const RouteSpec INSTALLS{"sentry_app_installations", "org:read", true, RouteSentryAppInstallations};
  size_t n = s.size();
  if (n == 1 && s[0] == "projects") return &PROJECTS;
  if (n >= 2 && s[0] == "organizations") {
    if (n == 2) return &ORG;
    if (n == 3) {
      if (s[2] == "projects") return &ORG_PROJECTS;
      if (s[2] == "issues") return &ORG_ISSUES;
      if (s[2] == "members") return &MEMBERS;
      if (s[2] == "teams") return &TEAMS;
      if (s[2] == "sentry-apps") return &APPS;
      if (s[2] == "sentry-app-installations") return &INSTALLS;
    }
    if (n == 4 && (s[2] == "issues" || s[2] == "groups")) return &ISSUE;
    if (n == 7 && (s[2] == "issues" || s[2] == "groups") && s[4] == "tags" && s[6] == "values") return &ISSUE_TAGS;
  }
  if (s[0] == "projects" && n == 4 && s[3] == "issues") return &PROJECT_ISSUES;
  if (s[0] == "projects" && n == 6 && s[3] == "tags" && s[5] == "values") return &PROJECT_TAGS;
  if (s[0] == "teams" && n == 4 && s[3] == "members") return &TEAM_MEMBERS;
  return nullptr;
}

net::HttpResponse ToResponse(Reply r) {
  net::HttpResponse resp;
  resp.status = r.status;
  resp.body = std::move(r.body);
  resp.headers = std::move(r.headers);
  bool has_type = false;
  for (const auto& [k, v] : resp.headers) has_type = has_type || k == "Content-Type";
  if (!has_type) resp.headers.emplace_back("Content-Type", "application/json");
  return resp;
}

const char* EdgeHtml(int status) {
  switch (status) {
    case 502:
      return "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad "
             "Gateway</h1></center></body></html>\n";
    case 503:
      return "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service "
             "Temporarily Unavailable</h1></center></body></html>\n";
    default:
      return "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway "
             "Time-out</h1></center></body></html>\n";
  }
}

}  // namespace

Reply JsonReply(std::string body, int status) {
  return Reply{status, std::move(body), {}};
}

Reply DetailReply(int status, const std::string& detail) {
  std::string body;
  JsonOut j(body);
  j.BeginObject().KV("detail", detail).EndObject();
  return Reply{status, std::move(body), {}};
}

Reply NotFound() {
  return Reply{404, BODY_NOT_FOUND, {}};
}

bool IsLoopback(const std::string& address) {
  if (address == "localhost" || address == "::1" || address == "[::1]") return true;
  in_addr a{};
  if (inet_pton(AF_INET, address.c_str(), &a) != 1) return false;
  return (ntohl(a.s_addr) >> 24) == 127;
}

Simulator::Impl::Impl(SimulatorOptions o)
    : opt(std::move(o)),
      seed(opt.generator.seed),
      render_cache(opt.render_cache_mb * 1024 * 1024),
      limiter(opt.rate_limits),
      faults([&] {
        FaultOptions f = opt.faults;
        f.seed = opt.generator.seed;
        if (f.latency.empty()) f.latency = DefaultLatencies();
        return f;
      }()) {
  data = Generate(opt.generator);
  data_now = opt.generator.now != 0 ? opt.generator.now : DefaultNow();
  data.org.webhooks_unresolved = opt.webhooks_unresolved;
  data.org.expanded_webhooks = opt.expanded_webhooks;
  for (auto& p : data.projects) p.auto_resolve_hours = opt.auto_resolve_hours;
  Installation& inst = data.installations[0];
  inst.legacy_archived_only = opt.legacy_archived;
  if (!opt.webhook_secret.empty()) inst.client_secret = opt.webhook_secret;
  inst.webhook_url = opt.webhook_url;
  cfg.link_host = opt.link_host;
  cfg.post_filter_drop = opt.post_filter_drop;
  cfg.time_scale = opt.time_scale;
  cfg.webhook_url = opt.webhook_url;
  cfg.webhook_secret = inst.client_secret;
  start_steady = std::chrono::steady_clock::now();
  start_wall_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  TokenInfo def;
  def.label = "default";
  def.type = TokenType::INTEGRATION;
  def.org = data.org.slug;
  def.scopes = AllReadScopes();
  tokens.Add(opt.token, def);
  for (auto [tok, info] : opt.extra_tokens) {
    if (info.org.empty() && info.type != TokenType::USER) info.org = data.org.slug;
    tokens.Add(tok, info);
  }
  webhooks = std::make_unique<WebhookEmitter>(seed, [this] { return NowMs() / 1000; });
  webhooks->SetDelivery(opt.webhook_delay_ms, opt.webhook_reorder);
}

int64_t Simulator::Impl::NowMs() const {
  std::lock_guard lock(cfg_mu);
  auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_steady).count();
  return start_wall_ms + static_cast<int64_t>(elapsed * cfg.time_scale) + clock_offset_ms;
}

RuntimeConfig Simulator::Impl::Config() const {
  std::lock_guard lock(cfg_mu);
  return cfg;
}

std::string Simulator::Impl::LinkBase() const {
  std::lock_guard lock(cfg_mu);
  if (!cfg.link_host.empty()) return cfg.link_host;
  return "http://127.0.0.1:" + std::to_string(server ? server->port() : 0);
}

void Simulator::Impl::Record(LogEntry e, bool limited) {
  std::lock_guard lock(log_mu);
  e.seq = ++log_seq;
  RouteStats& s = stats[e.route];
  ++s.calls;
  ++s.statuses[e.status];
  if (limited) ++s.rate_limited;
  log.push_back(std::move(e));
  while (log.size() > opt.log_capacity) log.pop_front();
}

std::optional<std::string> Ctx::Get(const std::string& name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return std::nullopt;
}

std::vector<std::string> Ctx::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : params)
    if (k == name) out.push_back(v);
  return out;
}

std::optional<Reply> Ctx::PerPage(size_t& per_page) const {
  per_page = 100;
  auto v = Get("per_page");
  if (!v) return std::nullopt;
  auto n = ParseInt(*v);
  if (!n) return DetailReply(400, "Invalid per_page parameter.");
  if (*n < 1 || *n > 100) return DetailReply(400, "Invalid per_page value. Must be between 1 and 100.");
  per_page = static_cast<size_t>(*n);
  return std::nullopt;
}

std::optional<Reply> Ctx::CursorParam(std::optional<Cursor>& cursor) const {
  auto v = Get("cursor");
  if (!v || v->empty()) return std::nullopt;
  cursor = ParseCursor(*v);
  if (!cursor) return DetailReply(400, "Invalid cursor parameter.");
  return std::nullopt;
}

void Ctx::AddLink(Reply& r, const PageLinks& links) const {
  r.headers.emplace_back("Link", BuildLinkHeader(sim.LinkBase(), req.path, params, links));
}

std::vector<char> Ctx::MemberProjects() const {
  std::vector<char> out(data.projects.size(), token.type == TokenType::USER ? 0 : 1);
  if (token.type != TokenType::USER) return out;
  for (uint32_t p = 0; p < data.projects.size(); ++p)
    for (uint32_t t : data.projects[p].teams)
      if (std::find(token.teams.begin(), token.teams.end(), data.teams[t].slug) != token.teams.end()) out[p] = 1;
  return out;
}

Simulator::Simulator(SimulatorOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Simulator::~Simulator() {
  Stop();
}

Status Simulator::Start() {
  if (!IsLoopback(impl_->opt.listen_address))
    return Error(ErrorCode::INVALID_ARGUMENT,
                 "refusing to listen on '" + impl_->opt.listen_address +
                     "': the simulator serves loopback only (127.0.0.0/8 or ::1)",
                 "--listen");
  net::HttpServerOptions so;
  so.address = impl_->opt.listen_address == "localhost" ? "127.0.0.1" : impl_->opt.listen_address;
  so.port = impl_->opt.port;
  so.threads = impl_->opt.threads;
  so.server_name = "nginx";
  impl_->server = std::make_unique<net::HttpServer>(so, [this](const net::HttpRequest& r) { return Handle(r); });
  auto st = impl_->server->Start();
  if (!st.ok()) {
    impl_->server.reset();
    return st;
  }
  return {};
}

void Simulator::Stop() {
  if (impl_ && impl_->server) impl_->server->Stop(std::chrono::milliseconds(500));
}

uint16_t Simulator::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

std::string Simulator::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

const std::string& Simulator::token() const {
  return impl_->opt.token;
}

const std::string& Simulator::org_slug() const {
  return impl_->data.org.slug;
}

std::string Simulator::installation_uuid() const {
  std::shared_lock lock(impl_->data_mu);
  return impl_->data.installations[0].uuid;
}

std::string Simulator::client_secret() const {
  return impl_->Config().webhook_secret;
}

void Simulator::FlushWebhooks(int timeout_ms) {
  impl_->webhooks->Flush(timeout_ms);
}

net::HttpResponse Simulator::Handle(const net::HttpRequest& req) {
  Impl& sim = *impl_;
  if (req.path.rfind("/_sim/", 0) == 0) return HandleControl(sim, req);
  auto start = std::chrono::steady_clock::now();
  LogEntry entry;
  entry.method = req.method;
  entry.path = req.path;
  entry.params = req.query;
  entry.token = "-";
  // One reading of the simulator clock per request: rate-limit windows, Reset and the Date header agree, so a
  // client computing `Reset - Date` gets the simulated wait even with time_scale != 1 (§4.5 item 5).
  const int64_t now_ms = sim.NowMs();
  auto finish = [&](net::HttpResponse resp, bool limited) {
    entry.status = resp.action == net::ResponseAction::SEND ? resp.status : 0;
    if (!net::FindHeader(resp.headers, "Date")) resp.headers.emplace_back("Date", FormatHttpDate(now_ms / 1000));
    entry.latency_ms = resp.delay.count();
    sim.Record(std::move(entry), limited);
    return resp;
  };
  const std::string prefix = "/api/0/";
  if (req.path.rfind(prefix, 0) != 0) {
    entry.route = "unknown";
    entry.decision = "no-route";
    return finish(ToResponse(NotFound()), false);
  }
  std::string rest = req.path.substr(prefix.size());
  if (rest.empty() || rest.back() != '/') {
    // Django's APPEND_SLASH answers a slash-less API path with a permanent redirect.
    entry.route = "redirect";
    entry.decision = "append-slash";
    net::HttpResponse r;
    r.status = 301;
    r.headers = {{"Location", req.path + "/" + (req.query.empty() ? "" : "?" + req.query)},
                 {"Content-Type", "text/html; charset=utf-8"}};
    return finish(r, false);
  }
  rest.pop_back();
  std::vector<std::string> seg;
  for (auto& s : Split(rest, '/')) seg.push_back(net::UrlDecode(s, false));
  const RouteSpec* route = seg.empty() ? nullptr : MatchRoute(seg);
  if (!route || req.method != "GET") {
    entry.route = route ? route->name : "unknown";
    entry.decision = route ? "method-not-allowed" : "no-route";
    if (route) return finish(ToResponse(DetailReply(405, "Method \"" + req.method + "\" not allowed.")), false);
    return finish(ToResponse(NotFound()), false);
  }
  entry.route = route->name;
  uint64_t request_no = sim.request_no.fetch_add(1);
  FaultDecision fault = sim.faults.Decide(route->name, request_no);

  // Authentication (sentry-api.md §1.1, §1.3).
  AuthResult auth = sim.tokens.Authenticate(req.Header("Authorization"));
  if (!auth.token) {
    entry.decision = "unauthenticated";
    return finish(ToResponse(JsonReply(auth.body, 401)), false);
  }
  const TokenInfo& token = *auth.token;
  entry.token = token.label;
  if (token.sso_required) {
    entry.decision = "sso-required";
    return finish(
        ToResponse(JsonReply(
            R"({"detail":{"code":"sso-required","message":"Must login via SSO","extra":{"loginUrl":"https://sentry.io/auth/login/)" +
                sim.data.org.slug + R"(/"}}})",
            401)),
        false);
  }
  if (!route->org_scoped && token.type == TokenType::USER && !token.org.empty()) {
    entry.decision = "org-limited-token";
    return finish(ToResponse(DetailReply(401, "This token access is limited to organization endpoints.")), false);
  }

  // Rate limits (§4): the caller's category and id.
  Category category = token.type == TokenType::INTEGRATION ? Category::ORG
                      : token.type == TokenType::USER      ? Category::USER
                                                           : Category::IP;
  std::string id = category == Category::ORG    ? sim.data.org.id
                   : category == Category::USER ? (token.member_id.empty() ? token.label : token.member_id)
                                                : req.remote_address.substr(0, req.remote_address.rfind(':'));
  int64_t steady_us = std::chrono::duration_cast<std::chrono::microseconds>(start.time_since_epoch()).count();
  RateDecision rate = sim.limiter.Begin(route->name, req.method, category, id, now_ms, steady_us);
  entry.bucket = rate.bucket;
  entry.in_flight = rate.in_flight;
  if (!rate.allowed) {
    entry.decision = "rate-limited:" + rate.reason;
    net::HttpResponse r;
    r.status = 429;
    r.body = rate.body;
    // sentry-api.md §4.3: JSON body, Django's default content type, CORS headers, no Retry-After.
    r.headers = {{"Content-Type", "text/html; charset=utf-8"},
                 {"Access-Control-Allow-Origin", "*"},
                 {"Access-Control-Allow-Methods", "GET"}};
    for (auto& h : rate.header_list) r.headers.push_back(h);
    if (sim.limiter.options().retry_after) r.headers.emplace_back("Retry-After", "1");
    return finish(r, true);
  }
  auto release = [&](std::chrono::milliseconds delay) {
    if (!rate.bucket.empty()) {
      auto end = std::chrono::steady_clock::now() + delay;
      sim.limiter.Finish(rate.bucket,
                         std::chrono::duration_cast<std::chrono::microseconds>(end.time_since_epoch()).count());
    }
  };
  auto with_rate_headers = [&](net::HttpResponse r) {
    for (auto& h : rate.header_list) r.headers.push_back(h);
    return r;
  };

  // Edge and transport faults come before the application (§7.2).
  if (fault.kind == FaultKind::STATUS_502 || fault.kind == FaultKind::STATUS_503 ||
      fault.kind == FaultKind::STATUS_504) {
    int status = fault.kind == FaultKind::STATUS_502 ? 502 : fault.kind == FaultKind::STATUS_503 ? 503 : 504;
    entry.decision = std::string("fault:") + FaultKindName(fault.kind);
    release(fault.delay);
    net::HttpResponse r = net::HttpResponse::Text(status, EdgeHtml(status));
    r.headers = {{"Content-Type", "text/html"}};
    r.delay = fault.delay;
    return finish(r, false);
  }
  if (fault.kind == FaultKind::RESET || fault.kind == FaultKind::STALL) {
    entry.decision = std::string("fault:") + FaultKindName(fault.kind);
    release(fault.delay);
    net::HttpResponse r;
    r.action = fault.kind == FaultKind::RESET ? net::ResponseAction::RESET_CONNECTION : net::ResponseAction::STALL;
    r.delay = fault.delay;
    return finish(r, false);
  }

  Reply reply;
  {
    std::shared_lock lock(sim.data_mu);
    const Dataset& data = sim.data;
    auto params = net::ParseQuery(req.query);
    Ctx ctx{req, params, seg, token, data, sim, sim.Config(), sim.data_now};
    bool org_ok = true;
    if (route->org_scoped) {
      const std::string& org = seg[1];
      bool exists = org == data.org.slug || org == data.org.id;
      if (token.type == TokenType::USER && !token.org.empty() && token.org != data.org.slug && exists) {
        reply = DetailReply(401, "Unauthorized organization access.");
        org_ok = false;
      } else if (!exists || (token.type != TokenType::USER && token.org != data.org.slug)) {
        reply = NotFound();  // other orgs are 404, never 403 (§7.2)
        org_ok = false;
      }
    }
    // A renamed project's old slug (§1.5): Sentry's ProjectEndpoint raises ProjectMoved before its permission
    // checks, with the requested path rewritten to the new slug and no Location header.
    if (org_ok && seg[0] == "projects" && seg.size() >= 3 && !data.FindProject(seg[2])) {
      auto moved = data.moved_slugs.find(seg[2]);
      if (moved != data.moved_slugs.end()) {
        const std::string& slug = data.projects[moved->second].slug;
        std::string full = req.path + (req.query.empty() ? "" : "?" + req.query);
        std::string from = "projects/" + seg[1] + "/" + seg[2] + "/", to = "projects/" + seg[1] + "/" + slug + "/";
        if (auto at = full.find(from); at != std::string::npos) full.replace(at, from.size(), to);
        std::string body;
        JsonOut j(body);
        j.BeginObject()
            .Key("detail")
            .BeginObject()
            .KV("code", "resource-moved")
            .KV("message", "Resource has been moved");
        j.Key("extra").BeginObject().KV("url", full).KV("slug", slug).EndObject().EndObject().EndObject();
        reply = JsonReply(std::move(body), 302);
        org_ok = false;
        entry.decision = "resource-moved";
      }
    }
    if (org_ok) {
      if (!HasScope(token.scopes, route->scope)) {
        reply = JsonReply(BODY_FORBIDDEN, 403);
      } else if (fault.kind == FaultKind::STATUS_500) {
        reply = JsonReply(R"({"detail":"Internal Error","errorId":")" + fault.error_id + "\"}", 500);
      } else if (fault.kind == FaultKind::QUERY_TIMEOUT) {
        reply = DetailReply(400, "Query timeout. Please try with a smaller date range or fewer projects.");
      } else {
        reply = route->handler(ctx);
        if (fault.kind == FaultKind::MALFORMED && reply.status == 200) reply.body.resize(reply.body.size() / 2);
      }
    }
  }
  if (entry.decision.empty())
    entry.decision = fault.kind == FaultKind::NONE ? "ok" : std::string("fault:") + FaultKindName(fault.kind);
  release(fault.delay);
  net::HttpResponse resp = with_rate_headers(ToResponse(std::move(reply)));
  resp.delay = fault.delay;
  return finish(std::move(resp), false);
}

}  // namespace sp::sentry_sim

#include "sync_port_fixture.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::testing {

std::string Key(const std::string& blueprint, const std::string& id) {
  return blueprint + "/" + id;
}

std::string SeedMapping(const std::string& top, const std::string& issue_selector) {
  return "createMissingRelatedEntities: true\n"
         "deleteDependentEntities: true\n" +
         top +
         "resources:\n"
         "  - kind: project\n"
         "    selector:\n"
         "      query: 'true'\n"
         "    port:\n"
         "      entity:\n"
         "        mappings:\n"
         "          identifier: .slug\n"
         "          title: .name\n"
         "          blueprint: '\"sentryProject\"'\n"
         "          properties:\n"
         "            platform: .platform\n"
         "            status: .status\n"
         "  - kind: issue\n"
         "    selector:\n"
         "      query: 'true'\n" +
         issue_selector +
         "    port:\n"
         "      entity:\n"
         "        mappings:\n"
         "          identifier: .id\n"
         "          title: .title\n"
         "          blueprint: '\"sentryIssue\"'\n"
         "          properties:\n"
         "            link: .permalink\n"
         "            status: .status\n"
         "            isUnhandled: .isUnhandled\n"
         "          relations:\n"
         "            project: .project.slug\n";
}

net::Handler SyncPort::Front(net::Handler simulator, const Rewrite& rewrite) {
  return [this, simulator = std::move(simulator), &rewrite](const net::HttpRequest& req) {
    net::HttpResponse resp = simulator(req);
    Rewrite rw;
    {
      std::lock_guard lock(rewrite_mu_);
      rw = rewrite;
    }
    if (rw) rw(req, resp);
    return resp;
  };
}

void SyncPort::RewriteSentry(Rewrite rewrite) {
  std::lock_guard lock(rewrite_mu_);
  sentry_rewrite_ = std::move(rewrite);
}

void SyncPort::RewritePort(Rewrite rewrite) {
  std::lock_guard lock(rewrite_mu_);
  port_rewrite_ = std::move(rewrite);
}

void SyncPort::DenySentry(std::function<bool(const net::HttpRequest&)> when) {
  RewriteSentry([when = std::move(when)](const net::HttpRequest& req, net::HttpResponse& resp) {
    if (!when(req)) return false;
    resp.status = 403;
    resp.body = R"({"detail":"You do not have permission to perform this action."})";
    return true;
  });
}

void SyncPort::SetUp() {
  char dir[] = "/tmp/sp-syncport-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  temp_dir_ = dir;

  // Fronts first: their addresses go into the simulators' links.
  net::HttpServerOptions fo;
  fo.threads = 4;
  sentry_front_ = std::make_unique<net::HttpServer>(
      fo, Front([this](const net::HttpRequest& req) { return sentry_->Handle(req); }, sentry_rewrite_));
  ASSERT_TRUE(sentry_front_->Start().ok());
  sentry_url_ = "http://127.0.0.1:" + std::to_string(sentry_front_->port());
  fo.body_limit = 16 * 1024 * 1024;  // port-sim answers E2's 1 MiB limit itself
  port_front_ = std::make_unique<net::HttpServer>(
      fo, Front([this](const net::HttpRequest& req) { return port_->Handle(req); }, port_rewrite_));
  ASSERT_TRUE(port_front_->Start().ok());
  port_url_ = "http://127.0.0.1:" + std::to_string(port_front_->port());

  sentry_sim::SimulatorOptions so;
  so.generator.projects = projects_;
  so.generator.issues_per_project = issues_per_project_;
  so.generator.members = members_;
  so.generator.teams = teams_;
  so.link_host = sentry_url_;
  sentry_ = std::make_unique<sentry_sim::Simulator>(so);
  ASSERT_TRUE(sentry_->Start().ok());

  port_sim::PortSimOptions po;
  po.client_id = kClientId;
  po.client_secret = kClientSecret;
  po.token_lifetime_seconds = token_lifetime_;
  auto started = port_sim::PortSim::Start(po);
  ASSERT_TRUE(started.ok()) << started.error().ToString();
  port_ = std::move(started).value();
}

void SyncPort::TearDown() {
  if (port_front_) port_front_->Stop(std::chrono::milliseconds(200));
  if (sentry_front_) sentry_front_->Stop(std::chrono::milliseconds(200));
  if (port_) port_->Stop();
  if (sentry_) sentry_->Stop();
  if (!temp_dir_.empty()) std::filesystem::remove_all(temp_dir_);
}

config::Settings SyncPort::MakeSettings() const {
  config::Settings s;
  s.port.base_url = port_url_;
  s.port.client_id = kClientId;
  s.port.client_secret = kClientSecret;
  s.integration.config.host = sentry_url_;
  s.integration.config.token = sentry_->token();
  s.integration.config.organization = sentry_->org_slug();
  s.event_listener.type = config::EventListenerType::ONCE;
  s.local_catalog = temp_dir_ + "/never-used.db";
  return s;
}

JobRun SyncPort::Sync(const app::SyncJobOptions& options) {
  return Sync(MakeSettings(), options);
}

JobRun SyncPort::Sync(const config::Settings& settings, const app::SyncJobOptions& options) {
  std::ostringstream logs;
  auto previous = spdlog::default_logger();
  auto capture =
      std::make_shared<spdlog::logger>("sync-port-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(logs));
  capture->set_level(spdlog::level::debug);
  spdlog::set_default_logger(capture);
  std::ostringstream out, err;
  JobRun run;
  run.code = app::RunSyncJob(settings, options, out, err);
  spdlog::set_default_logger(previous);
  run.out = out.str();
  run.err = err.str();
  run.logs = logs.str();
  return run;
}

std::string SyncPort::MappingFile(const std::string& yaml) {
  std::string path = temp_dir_ + "/mapping-" + std::to_string(++files_) + ".yaml";
  std::ofstream(path) << yaml;
  return path;
}

json::Value SyncPort::PortControl(const std::string& method, const std::string& path, const std::string& body) {
  net::ClientRequest r;
  r.method = method;
  r.url = port_->base_url() + path;
  r.body = body;
  if (!body.empty()) r.headers = {{"Content-Type", "application/json"}};
  auto resp = http_.Send(r);
  EXPECT_TRUE(resp.ok()) << path;
  if (!resp.ok()) return json::Value();
  EXPECT_EQ(resp->status, 200) << method << " " << path << ": " << resp->body;
  auto parsed = json::Parse(resp->body);
  return parsed.ok() ? std::move(parsed).value() : json::Value();
}

std::vector<json::Value> SyncPort::Log(const std::string& route) {
  json::Value log = PortControl("GET", "/_sim/log" + (route.empty() ? "" : "?route=" + route));
  std::vector<json::Value> out;
  if (const json::Value* reqs = log.Find("requests"); reqs != nullptr && reqs->IsArray()) {
    out.assign(reqs->Items().begin(), reqs->Items().end());
  }
  return out;
}

void SyncPort::ClearLog() {
  PortControl("DELETE", "/_sim/log");
}

json::Value SyncPort::Stats() {
  return PortControl("GET", "/_sim/stats");
}

void SyncPort::PortFaults(const std::string& json) {
  PortControl("POST", "/_sim/config", json);
}

std::map<std::string, json::Value> SyncPort::Entities() {
  json::Value state = PortControl("GET", "/_sim/state");
  std::map<std::string, json::Value> out;
  if (const json::Value* es = state.Find("entities"); es != nullptr && es->IsArray()) {
    for (const auto& e : es->Items()) {
      out[Key(std::string(e.Find("blueprint")->AsString()), std::string(e.Find("identifier")->AsString()))] = e;
    }
  }
  return out;
}

std::set<std::string> SyncPort::Ids(const std::string& blueprint, const std::string& datasource) {
  std::set<std::string> out;
  for (const auto& [key, e] : Entities()) {
    if (e.Find("blueprint")->AsString() != blueprint) continue;
    if (!datasource.empty() && e.Find("datasource")->AsString() != datasource) continue;
    out.insert(std::string(e.Find("identifier")->AsString()));
  }
  return out;
}

json::Value SyncPort::Integration() {
  json::Value state = PortControl("GET", "/_sim/state");
  const json::Value* ints = state.Find("integrations");
  if (ints == nullptr || !ints->IsArray() || ints->Size() == 0) return json::Value();
  return ints->Items()[0];
}

json::Value SyncPort::PortApi(const std::string& method, const std::string& path, const std::string& body,
                              const std::string& user_agent) {
  net::ClientRequest t;
  t.method = "POST";
  t.url = port_->base_url() + "/v1/auth/access_token";
  t.headers = {{"Content-Type", "application/json"}};
  t.body = std::string(R"({"clientId":")") + kClientId + R"(","clientSecret":")" + kClientSecret + "\"}";
  auto token = http_.Send(t);
  EXPECT_TRUE(token.ok() && token->status == 200);
  if (!token.ok() || token->status != 200) return json::Value();
  auto parsed = json::Parse(token->body);
  net::ClientRequest r;
  r.method = method;
  r.url = port_->base_url() + path;
  r.headers = {{"User-Agent", user_agent},
               {"Authorization", "Bearer " + std::string(parsed->Find("accessToken")->AsString())}};
  if (!body.empty()) r.headers.emplace_back("Content-Type", "application/json");
  r.body = body;
  auto resp = http_.Send(r);
  EXPECT_TRUE(resp.ok()) << path;
  if (!resp.ok()) return json::Value();
  EXPECT_TRUE(resp->status >= 200 && resp->status < 300) << method << " " << path << ": " << resp->body;
  auto answer = json::Parse(resp->body);
  return answer.ok() ? std::move(answer).value() : json::Value();
}

void SyncPort::PortUpsert(const std::string& blueprint, const std::string& entity_json, const std::string& user_agent) {
  PortApi("POST",
          "/v1/blueprints/" + blueprint + "/entities?upsert=true&merge=true&create_missing_related_entities=true",
          entity_json, user_agent);
}

void SyncPort::SentryControl(const std::string& path, const std::string& body) {
  net::ClientRequest r;
  r.method = "POST";
  r.url = sentry_->base_url() + path;
  r.body = body;
  r.headers = {{"Content-Type", "application/json"}};
  auto resp = http_.Send(r);
  ASSERT_TRUE(resp.ok());
  ASSERT_TRUE(resp->status == 200 || resp->status == 201) << path << ": " << resp->body;
}

void SyncPort::ResolveIssue(const std::string& id) {
  SentryControl("/_sim/issues/" + id + "/resolve", "{}");
}

json::Value SyncPort::SentryGet(const std::string& path) {
  net::ClientRequest r;
  r.url = sentry_->base_url() + "/api/0/" + path;
  r.headers = {{"Authorization", "Bearer " + sentry_->token()}};
  auto resp = http_.Send(r);
  EXPECT_TRUE(resp.ok() && resp->status == 200) << path;
  if (!resp.ok()) return json::Value();
  auto parsed = json::Parse(resp->body);
  return parsed.ok() ? std::move(parsed).value() : json::Value();
}

std::map<std::string, std::string> SyncPort::SentryIssues() {
  std::map<std::string, std::string> out;
  for (const auto& [slug, id] : SentryProjects()) {
    // A small organization: one page of 100 per project is everything.
    json::Value list = SentryGet("organizations/" + sentry_->org_slug() + "/issues/?project=" + id +
                                 "&query=&statsPeriod=90d&limit=100");
    if (!list.IsArray()) continue;
    for (const auto& issue : list.Items()) out[std::string(issue.Find("id")->AsString())] = slug;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> SyncPort::SentryProjects() {
  std::vector<std::pair<std::string, std::string>> out;
  json::Value list = SentryGet("organizations/" + sentry_->org_slug() + "/projects/?per_page=100");
  if (!list.IsArray()) return out;
  for (const auto& p : list.Items()) {
    out.emplace_back(std::string(p.Find("slug")->AsString()), std::string(p.Find("id")->AsString()));
  }
  return out;
}

std::set<std::string> SyncPort::WrittenIds(const std::string& route) {
  std::set<std::string> out;
  for (const auto& entry : Log(route)) {
    const json::Value* body = entry.Find("body");
    const json::Value* list = body != nullptr && body->IsObject() ? body->Find("entities") : nullptr;
    if (list == nullptr || !list->IsArray()) continue;
    std::string path(entry.Find("path")->AsString());
    // /v1/blueprints/<bp>/...
    std::string bp = path.substr(std::string("/v1/blueprints/").size());
    bp = bp.substr(0, bp.find('/'));
    for (const auto& e : list->Items()) {
      if (e.IsString()) out.insert(Key(bp, std::string(e.AsString())));
      if (e.IsObject() && e.Find("identifier") != nullptr && e.Find("identifier")->IsString()) {
        out.insert(Key(bp, std::string(e.Find("identifier")->AsString())));
      }
    }
  }
  return out;
}

}  // namespace sp::testing

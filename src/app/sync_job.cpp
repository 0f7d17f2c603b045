#include "app/sync_job.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/catalog_sink.hpp"
#include "app/progress.hpp"
#include "app/resources_init.hpp"
#include "app/summary.hpp"
#include "catalog/catalog.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"
#include "mapping/app_config.hpp"
#include "mapping/defaults.hpp"
#include "net/http_client.hpp"
#include "port/client.hpp"
#include "port/sink.hpp"
#include "sentry/client.hpp"
#include "sentry/kinds/registry.hpp"

namespace sp::app {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kConfigError = 2;

std::string IsoAt(std::chrono::system_clock::time_point now) {
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld+00:00", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(us));
  return buf;
}

std::string IsoNow() {
  return IsoAt(std::chrono::system_clock::now());
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::INVALID_ARGUMENT, "cannot read the file", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json::Value EnvObject(bool allowed) {
  if (!allowed) return json::Value();
  json::Value env = json::Value::Object();
  for (char** e = ::environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.Set(kv.substr(0, eq), json::Value::String(kv.substr(eq + 1)));
  }
  return env;
}

// Loads and validates the port app config; prints every problem and returns null on errors.
std::shared_ptr<const mapping::AppConfig> LoadMapping(const std::string& text, const std::string& origin,
                                                      const config::Settings& settings, std::ostream& err) {
  mapping::LoadOptions lo;
  lo.env = EnvObject(settings.allow_environment_variables_jq_access);
  auto load = mapping::LoadAppConfig(text, lo);
  for (const auto& w : load.warnings) spdlog::warn("Mapping {}: {}", origin, w.ToString());
  if (!load.ok()) {
    err << "error: the mapping (" << origin << ") is invalid:\n";
    for (const auto& e : load.errors) err << "  " << e.ToString() << "\n";
    return nullptr;
  }
  return load.config;
}

BlueprintStore CatalogStore(catalog::Catalog& cat) {
  auto to_status = [](const catalog::ApiError& e) {
    return Status(Error(ErrorCode::INVALID_ARGUMENT, std::to_string(e.status) + " " + e.error + ": " + e.message));
  };
  BlueprintStore s;
  s.get = [&cat](std::string_view id) -> Result<json::Value> {
    auto r = cat.GetBlueprint(id);
    if (r.ok()) return r.value();
    if (r.error().status == 404) return json::Value();
    return Error(ErrorCode::UNAVAILABLE, r.error().message);
  };
  s.create = [&cat, to_status](const json::Value& b) -> Status {
    auto r = cat.CreateBlueprint(b);
    return r.ok() ? Status() : to_status(r.error());
  };
  s.patch = [&cat, to_status](std::string_view id, const json::Value& b) -> Status {
    auto r = cat.PatchBlueprint(id, b);
    return r.ok() ? Status() : to_status(r.error());
  };
  s.remove = [&cat, to_status](std::string_view id) -> Status {
    auto r = cat.DeleteBlueprint(id);
    return r.ok() ? Status() : to_status(r.error());
  };
  return s;
}

int ExitFor(const sync::SyncReport& r) {
  if (r.unauthenticated) return kConfigError;
  if (!r.Complete() || !r.delete_errors.empty()) return kFailed;
  for (const auto& k : r.kinds) {
    if (k.failed > 0) return kFailed;
  }
  return kOk;
}

}  // namespace

int RunSyncJob(const config::Settings& settings, const SyncJobOptions& options, std::ostream& out, std::ostream& err) {
  const auto job_start = std::chrono::system_clock::now();
  const auto& sentry_cfg = settings.integration.config;
  if (!settings.HasSentryCredentials()) {
    err << "error: Sentry is not configured: set OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN and "
           "OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION\n";
    return kConfigError;
  }
  const std::string& t = options.target;
  if (!(t.empty() || t == "port" || t == "local" || (t.rfind("local:", 0) == 0 && t.size() > 6))) {
    err << "error: --target: expected port, local or local:PATH, got '" << t << "'\n";
    return kConfigError;
  }
  auto profile = mapping::ParseProfile(options.profile);
  if (!profile.ok()) {
    err << "error: --profile: " << profile.error().message << "\n";
    return kConfigError;
  }
  // Opened before anything is read so that an unwritable path is a configuration error, not a lost summary.
  std::ofstream json_file;
  const bool json_to_file = !options.json_summary_path.empty() && options.json_summary_path != "-";
  if (json_to_file) {
    json_file.open(options.json_summary_path, std::ios::binary | std::ios::trunc);
    if (!json_file) {
      err << "error: --json-summary: cannot write " << options.json_summary_path << "\n";
      return kConfigError;
    }
  }
  net::HttpClientOptions http_opts;
  http_opts.ca_bundle = settings.tls.ca_bundle;
  http_opts.verify_tls = settings.tls.verify;
  http_opts.max_in_flight = 64;
  // One client per service: each counts the requests it sends (the summary's API calls).
  net::HttpClient http(http_opts);
  net::HttpClient port_http(http_opts);

  sentry::SentryClientOptions so;
  so.host = sentry_cfg.host;
  so.token = sentry_cfg.token;
  so.organization = sentry_cfg.organization;
  sentry::SentryClient sentry_client(so, http);
  auto org = sentry_client.Connect();
  if (!org.ok()) {
    err << "error: " << org.error().ToString() << "\n";
    bool config = org.error().code == ErrorCode::UNAUTHENTICATED || org.error().code == ErrorCode::NOT_FOUND ||
                  org.error().code == ErrorCode::PERMISSION_DENIED;
    return config ? kConfigError : kFailed;
  }

  bool use_port = options.target == "port" || (options.target.empty() && settings.HasPortCredentials());
  if (options.target == "port" && !settings.HasPortCredentials()) {
    err << "error: --target port needs OCEAN__PORT__CLIENT_ID and OCEAN__PORT__CLIENT_SECRET\n";
    return kConfigError;
  }
  std::string mapping_text;
  std::string mapping_origin;
  if (!options.mapping_file.empty()) {
    auto text = ReadFile(options.mapping_file);
    if (!text.ok()) {
      err << "error: " << text.error().ToString() << "\n";
      return kConfigError;
    }
    mapping_text = std::move(text).value();
    mapping_origin = options.mapping_file;
  }
  // A mapping given as a file is checked before the target is touched: an invalid one changes nothing.
  std::shared_ptr<const mapping::AppConfig> config;
  if (!mapping_text.empty()) {
    config = LoadMapping(mapping_text, mapping_origin, settings, err);
    if (config == nullptr) return kConfigError;
  }

  port::PortClientOptions po;
  po.base_url = settings.port.base_url;
  po.client_id = settings.port.client_id;
  po.client_secret = settings.port.client_secret;
  po.integration_identifier = settings.integration.identifier;
  po.integration_type = settings.integration.type;
  po.batch_max_length = static_cast<size_t>(std::max(1, settings.upsert_entities_batch_max_length));
  po.batch_max_bytes = static_cast<size_t>(std::max<int64_t>(1024, settings.upsert_entities_batch_max_size_in_bytes));
  port::PortClient port_client(po, port_http);

  std::unique_ptr<catalog::Catalog> local;
  std::unique_ptr<model::EntitySink> sink;
  std::string local_path;
  if (use_port) {
    err << "Target: Port " << settings.port.base_url << "\n";
    if (auto st = port_client.Authenticate(); !st.ok()) {
      err << "error: " << st.error().ToString() << "\n";
      return st.error().code == ErrorCode::UNAUTHENTICATED ? kConfigError : kFailed;
    }
    PortSetupOptions setup;
    setup.initialize_resources = settings.initialize_port_resources;
    setup.dry_run = options.dry_run;
    if (auto loaded = mapping::LoadAppConfig(mapping::DefaultMapping(*profile)); loaded.ok()) {
      setup.default_mapping = loaded.config->source;
    }
    if (auto bps = json::Parse(mapping::DefaultBlueprints(*profile)); bps.ok()) setup.default_blueprints = *bps;
    auto integration = SetUpPortIntegration(port_client, setup);
    if (!integration.ok()) {
      err << "error: setting up the integration in Port: " << integration.error().ToString() << "\n";
      return kFailed;
    }
    if (mapping_text.empty()) {
      const json::Value* cfg = integration->IsObject() ? integration->Find("config") : nullptr;
      if (cfg == nullptr || !cfg->IsObject() || cfg->Empty()) {
        // port-api.md §4.3: an empty mapping must never turn into "delete everything".
        err << "error: the integration's mapping in Port is empty; nothing to sync (set one in Port or pass "
               "--mapping)\n";
        return kConfigError;
      }
      mapping_text = json::ToJson(*cfg);
      mapping_origin = "Port integration " + settings.integration.identifier;
    }
    sink = std::make_unique<port::PortSink>(port_client, settings.port.base_url);
  } else {
    std::string path = settings.local_catalog;
    if (options.target.rfind("local:", 0) == 0) path = options.target.substr(6);
    err << "Target: local catalog " << path
        << (settings.HasPortCredentials() || !options.target.empty()
                ? ""
                : " (no Port credentials: set OCEAN__PORT__CLIENT_ID and OCEAN__PORT__CLIENT_SECRET to write to Port)")
        << "\n";
    auto opened = catalog::Catalog::Open(path);
    if (!opened.ok()) {
      err << "error: " << opened.error().ToString() << "\n";
      return kConfigError;
    }
    local = std::move(opened).value();
    if (!options.dry_run) {
      auto bps = json::Parse(mapping::DefaultBlueprints(*profile));
      if (bps.ok()) {
        auto init = InitializeBlueprints(*bps, CatalogStore(*local));
        if (!init.ok()) {
          err << "error: creating the default blueprints: " << init.error().ToString() << "\n";
          return kFailed;
        }
      }
    }
    if (mapping_text.empty()) {
      mapping_text = std::string(mapping::DefaultMapping(*profile));
      mapping_origin = std::string("default mapping (") + mapping::ProfileName(*profile) + ")";
    }
    sink = std::make_unique<CatalogSink>(*local, path, port_client.UserAgent(true), port_client.DatasourcePrefix(),
                                         port_client.DatasourceSuffix());
    local_path = path;
  }

  if (config == nullptr) config = LoadMapping(mapping_text, mapping_origin, settings, err);
  if (config == nullptr) return kConfigError;

  auto report_state = [&](const char* status, bool start) {
    if (!use_port || options.dry_run) return;
    json::Value st = json::Value::Object();
    st.Set("status", json::Value::String(status));
    if (start) {
      st.Set("lastResyncStart", json::Value::String(IsoNow()));
      st.Set("lastResyncEnd", json::Value());
    } else {
      st.Set("lastResyncEnd", json::Value::String(IsoNow()));
    }
    if (settings.scheduled_resync_interval_minutes && *settings.scheduled_resync_interval_minutes > 0) {
      // The first instant strictly after now on the grid job_start + k x interval (port-api.md §5.6).
      std::chrono::system_clock::duration interval = std::chrono::minutes(*settings.scheduled_resync_interval_minutes);
      auto now = std::chrono::system_clock::now();
      auto next = job_start + interval * ((now - job_start) / interval + 1);
      st.Set("nextResync", json::Value::String(IsoAt(next)));
      st.Set("intervalInMinuets", json::Value::Number(*settings.scheduled_resync_interval_minutes));
    } else {
      st.Set("nextResync", json::Value());
      st.Set("intervalInMinuets", json::Value());
    }
    if (auto s = port_client.PatchResyncState(st); !s.ok()) {
      spdlog::warn("Could not report the resync state to Port: {}", s.error().ToString());
    }
  };
  report_state("running", true);

  sync::SyncOptions sopts;
  sopts.dry_run = options.dry_run;
  std::unique_ptr<ProgressLine> progress;
  if (options.progress) {
    progress = std::make_unique<ProgressLine>(config->resources.size());
    sopts.on_kind_progress = [&progress](const sync::KindReport& k) { progress->Update(k); };
  }
  // A mapping without resources makes every owned entity stale: never act on that (issue #8, §9.7 item 27e).
  sopts.delete_stale = !config->resources.empty();
  auto report = sync::RunResync(
      config, [&](std::string_view kind) { return sentry::kinds::MakeKind(kind, sentry_client); }, *sink, sopts);
  int code = ExitFor(report);
  report_state(code == kOk ? "completed" : (report.aborted ? "aborted" : "failed"), false);
  if (progress) progress->Finish();
  SummaryFacts facts;
  facts.report = &report;
  facts.target_type = use_port ? "port" : "local";
  facts.target = use_port ? settings.port.base_url : local_path;
  facts.dry_run = options.dry_run;
  facts.exit_code = code;
  facts.sentry_calls = http.requests_sent();
  facts.port_calls = port_http.requests_sent();
  facts.sentry_calls_by_route = sentry_client.CallsPerBucket();
  facts.peak_rss_kb = PeakRssKb();
  if (options.json_summary || options.json_summary_path == "-") {
    out << json::ToJson(SummaryJson(facts), {.indent = 2}) << "\n";
  } else {
    PrintSummaryTable(facts, out);
  }
  if (json_to_file) {
    json_file << json::ToJson(SummaryJson(facts), {.indent = 2}) << "\n";
    json_file.close();
    if (!json_file) {
      err << "error: --json-summary: could not write " << options.json_summary_path << "\n";
      if (code == kOk) code = kFailed;
    }
  }
  return code;
}

}  // namespace sp::app

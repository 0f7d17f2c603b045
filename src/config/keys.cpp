// The settings table (see keys.hpp). Defaults live in settings.hpp; default_text here is what the docs and
// `sentry-port config` say, and a unit test checks the two agree.
#include "config/keys.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace sp::config {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status SetInt(int& target, std::string_view text, int64_t min, int64_t max) {
  auto value = ParseInteger(text, min, max);
  if (!value.ok()) return value.error();
  target = static_cast<int>(*value);
  return {};
}

Status SetBool(bool& target, std::string_view text) {
  auto value = ParseBool(text);
  if (!value.ok()) return value.error();
  target = *value;
  return {};
}

Status SetUrl(std::string& target, std::string_view text) {
  auto value = ParseHttpUrl(text);
  if (!value.ok()) return value.error();
  target = std::move(value).value();
  return {};
}

std::string ShowBool(bool value) {
  return value ? "true" : "false";
}

constexpr int64_t MAX_SECONDS = 7 * 24 * 3600;

std::vector<KeySpec> BuildKeys() {
  std::vector<KeySpec> keys;
  // ---- Port ----
  keys.push_back({"port.client_id",
                  {"OCEAN__PORT__CLIENT_ID"},
                  {"port.clientId"},
                  "--port-client-id",
                  "",
                  "Port machine credentials: client id (without credentials `sync` targets the local catalog)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.port.client_id = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.port.client_id; }});
  keys.push_back({"port.client_secret",
                  {"OCEAN__PORT__CLIENT_SECRET"},
                  {"port.clientSecret"},
                  "--port-client-secret",
                  "",
                  "Port machine credentials: client secret",
                  true,
                  [](Settings& s, std::string_view t) -> Status {
                    s.port.client_secret = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.port.client_secret; }});
  keys.push_back({"port.base_url",
                  {"OCEAN__PORT__BASE_URL"},
                  {"port.baseUrl"},
                  "--port-base-url",
                  "https://api.getport.io",
                  "Port API base URL (US region: https://api.us.getport.io)",
                  false,
                  [](Settings& s, std::string_view t) { return SetUrl(s.port.base_url, t); },
                  [](const Settings& s) { return s.port.base_url; }});
  keys.push_back({"port.port_app_config_cache_ttl",
                  {"OCEAN__PORT__PORT_APP_CONFIG_CACHE_TTL"},
                  {"port.portAppConfigCacheTtl"},
                  "",
                  "60",
                  "seconds the mapping read from Port is cached",
                  false,
                  [](Settings& s, std::string_view t) {
                    return SetInt(s.port.port_app_config_cache_ttl_seconds, t, 0, MAX_SECONDS);
                  },
                  [](const Settings& s) { return std::to_string(s.port.port_app_config_cache_ttl_seconds); }});
  // ---- Integration ----
  keys.push_back({"integration.identifier",
                  {"OCEAN__INTEGRATION__IDENTIFIER"},
                  {"integration.identifier"},
                  "--integration-identifier",
                  "my-sentry-integration",
                  "identifier of the integration in Port (lower-cased, part of the User-Agent and ownership)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.integration.identifier = Lower(t);
                    return {};
                  },
                  [](const Settings& s) { return s.integration.identifier; }});
  keys.push_back({"integration.type",
                  {"OCEAN__INTEGRATION__TYPE"},
                  {"integration.type"},
                  "",
                  "sentry",
                  "integration type (lower-cased)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.integration.type = Lower(t);
                    return {};
                  },
                  [](const Settings& s) { return s.integration.type; }});
  keys.push_back({"integration.config.sentry_host",
                  {"OCEAN__INTEGRATION__CONFIG__SENTRY_HOST"},
                  {"integration.config.sentryHost"},
                  "--sentry-host",
                  "https://sentry.io",
                  "Sentry base URL (self-hosted Sentry: its URL)",
                  false,
                  [](Settings& s, std::string_view t) { return SetUrl(s.integration.config.host, t); },
                  [](const Settings& s) { return s.integration.config.host; }});
  keys.push_back({"integration.config.sentry_token",
                  {"OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN"},
                  {"integration.secrets.sentryToken", "integration.config.sentryToken"},
                  "--sentry-token",
                  "",
                  "Sentry API auth token (scopes: org:read, project:read, event:read, team:read, member:read)",
                  true,
                  [](Settings& s, std::string_view t) -> Status {
                    s.integration.config.token = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.integration.config.token; }});
  keys.push_back({"integration.config.sentry_organization",
                  {"OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION"},
                  {"integration.config.sentryOrganization"},
                  "--sentry-org",
                  "",
                  "Sentry organization slug",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.integration.config.organization = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.integration.config.organization; }});
  keys.push_back({"integration.config.sentry_webhook_secret",
                  {"OCEAN__INTEGRATION__CONFIG__SENTRY_WEBHOOK_SECRET"},
                  {"integration.secrets.sentryWebhookSecret", "integration.config.sentryWebhookSecret"},
                  "--sentry-webhook-secret",
                  "",
                  "secret Sentry signs webhook bodies with (HMAC-SHA256)",
                  true,
                  [](Settings& s, std::string_view t) -> Status {
                    s.integration.config.webhook_secret = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.integration.config.webhook_secret; }});
  // ---- Event listener (also OCEAN__EVENT_LISTENER as a JSON object with these snake_case keys) ----
  keys.push_back({"event_listener.type",
                  {"OCEAN__EVENT_LISTENER__TYPE"},
                  {"eventListener.type", "integration.eventListener.type"},
                  "--event-listener",
                  "POLLING",
                  "ONCE | POLLING | WEBHOOK | WEBHOOKS_ONLY (KAFKA and ACTIONS_ONLY are not supported)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    auto type = ParseEventListenerType(t);
                    if (!type.ok()) return type.error();
                    s.event_listener.type = *type;
                    return {};
                  },
                  [](const Settings& s) -> std::string { return EventListenerTypeName(s.event_listener.type); }});
  keys.push_back(
      {"event_listener.interval",
       {"OCEAN__EVENT_LISTENER__INTERVAL"},
       {"eventListener.interval", "integration.eventListener.interval"},
       "",
       "60",
       "POLLING: seconds between checks for a resync request",
       false,
       [](Settings& s, std::string_view t) { return SetInt(s.event_listener.interval_seconds, t, 1, MAX_SECONDS); },
       [](const Settings& s) { return std::to_string(s.event_listener.interval_seconds); }});
  keys.push_back({"event_listener.resync_on_start",
                  {"OCEAN__EVENT_LISTENER__RESYNC_ON_START"},
                  {"eventListener.resyncOnStart", "integration.eventListener.resyncOnStart"},
                  "",
                  "true",
                  "POLLING: resync once at start",
                  false,
                  [](Settings& s, std::string_view t) { return SetBool(s.event_listener.resync_on_start, t); },
                  [](const Settings& s) { return ShowBool(s.event_listener.resync_on_start); }});
  keys.push_back({"event_listener.app_host",
                  {"OCEAN__EVENT_LISTENER__APP_HOST"},
                  {"eventListener.appHost", "integration.eventListener.appHost"},
                  "",
                  "",
                  "WEBHOOK: public URL of this service; Port calls <app_host>/resync",
                  false,
                  [](Settings& s, std::string_view t) { return SetUrl(s.event_listener.app_host, t); },
                  [](const Settings& s) { return s.event_listener.app_host; }});
  // ---- Resync and Port resources ----
  keys.push_back({"scheduled_resync_interval",
                  {"OCEAN__SCHEDULED_RESYNC_INTERVAL"},
                  {"scheduledResyncInterval"},
                  "",
                  "",
                  "minutes between scheduled resyncs (unset: none)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    auto value = ParseInteger(t, 1, 365 * 24 * 60);
                    if (!value.ok()) return value.error();
                    s.scheduled_resync_interval_minutes = static_cast<int>(*value);
                    return {};
                  },
                  [](const Settings& s) {
                    return s.scheduled_resync_interval_minutes ? std::to_string(*s.scheduled_resync_interval_minutes)
                                                               : std::string();
                  }});
  keys.push_back({"initialize_port_resources",
                  {"OCEAN__INITIALIZE_PORT_RESOURCES"},
                  {"initializePortResources"},
                  "",
                  "true",
                  "create the default blueprints and mapping in Port when none exist",
                  false,
                  [](Settings& s, std::string_view t) { return SetBool(s.initialize_port_resources, t); },
                  [](const Settings& s) { return ShowBool(s.initialize_port_resources); }});
  keys.push_back({"base_url",
                  {"OCEAN__BASE_URL", "OCEAN__INTEGRATION__CONFIG__APP_HOST"},
                  {"baseUrl", "integration.config.appHost"},
                  "",
                  "",
                  "public URL of this service, for live Sentry webhooks (unset: no live events)",
                  false,
                  [](Settings& s, std::string_view t) { return SetUrl(s.base_url, t); },
                  [](const Settings& s) { return s.base_url; }});
  keys.push_back({"send_raw_data_examples",
                  {"OCEAN__SEND_RAW_DATA_EXAMPLES"},
                  {"sendRawDataExamples"},
                  "",
                  "true",
                  "send samples of raw Sentry objects to Port (mapping editor)",
                  false,
                  [](Settings& s, std::string_view t) { return SetBool(s.send_raw_data_examples, t); },
                  [](const Settings& s) { return ShowBool(s.send_raw_data_examples); }});
  keys.push_back({"allow_environment_variables_jq_access",
                  {"OCEAN__ALLOW_ENVIRONMENT_VARIABLES_JQ_ACCESS"},
                  {"allowEnvironmentVariablesJqAccess"},
                  "",
                  "false",
                  "let mapping jq read the environment (env, $ENV); Ocean's default is true, ours false",
                  false,
                  [](Settings& s, std::string_view t) { return SetBool(s.allow_environment_variables_jq_access, t); },
                  [](const Settings& s) { return ShowBool(s.allow_environment_variables_jq_access); }});
  keys.push_back(
      {"upsert_entities_batch_max_length",
       {"OCEAN__UPSERT_ENTITIES_BATCH_MAX_LENGTH"},
       {"upsertEntitiesBatchMaxLength"},
       "",
       "20",
       "entities per bulk upsert request",
       false,
       [](Settings& s, std::string_view t) { return SetInt(s.upsert_entities_batch_max_length, t, 1, 100000); },
       [](const Settings& s) { return std::to_string(s.upsert_entities_batch_max_length); }});
  keys.push_back({"upsert_entities_batch_max_size_in_bytes",
                  {"OCEAN__UPSERT_ENTITIES_BATCH_MAX_SIZE_IN_BYTES"},
                  {"upsertEntitiesBatchMaxSizeInBytes"},
                  "",
                  "1048576",
                  "bytes per bulk upsert request body",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    auto value = ParseInteger(t, 1, int64_t{1} << 32);
                    if (!value.ok()) return value.error();
                    s.upsert_entities_batch_max_size_in_bytes = *value;
                    return {};
                  },
                  [](const Settings& s) { return std::to_string(s.upsert_entities_batch_max_size_in_bytes); }});
  keys.push_back(
      {"delete_entities_max_batch_size",
       {"OCEAN__DELETE_ENTITIES_MAX_BATCH_SIZE"},
       {"deleteEntitiesMaxBatchSize"},
       "",
       "1000",
       "entities per bulk delete request (Port caps at 100)",
       false,
       [](Settings& s, std::string_view t) { return SetInt(s.delete_entities_max_batch_size, t, 1, 100000); },
       [](const Settings& s) { return std::to_string(s.delete_entities_max_batch_size); }});
  keys.push_back({"event_workers_count",
                  {"OCEAN__EVENT_WORKERS_COUNT"},
                  {"eventWorkersCount"},
                  "",
                  "1",
                  "live webhook workers per path",
                  false,
                  [](Settings& s, std::string_view t) { return SetInt(s.event_workers_count, t, 1, 256); },
                  [](const Settings& s) { return std::to_string(s.event_workers_count); }});
  keys.push_back(
      {"max_event_processing_seconds",
       {"OCEAN__MAX_EVENT_PROCESSING_SECONDS"},
       {"maxEventProcessingSeconds"},
       "",
       "90",
       "time budget of one live webhook event",
       false,
       [](Settings& s, std::string_view t) { return SetInt(s.max_event_processing_seconds, t, 1, MAX_SECONDS); },
       [](const Settings& s) { return std::to_string(s.max_event_processing_seconds); }});
  keys.push_back({"runtime",
                  {"OCEAN__RUNTIME"},
                  {"runtime"},
                  "",
                  "OnPrem",
                  "OnPrem or Saas (Saas changes resync-state reporting and config PATCH headers)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    std::string lower = Lower(t);
                    if (lower == "onprem") {
                      s.runtime = "OnPrem";
                    } else if (lower == "saas") {
                      s.runtime = "Saas";
                    } else {
                      return Error(ErrorCode::INVALID_ARGUMENT,
                                   "unknown runtime '" + std::string(t) + "' (valid: OnPrem, Saas)");
                    }
                    return {};
                  },
                  [](const Settings& s) { return s.runtime; }});
  keys.push_back({"processing_mode",
                  {"OCEAN__PROCESSING_MODE"},
                  {"processingMode"},
                  "",
                  "",
                  "accepted for compatibility with Ocean; no effect",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.processing_mode = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.processing_mode; }});
  keys.push_back({"create_port_resources_origin",
                  {"OCEAN__CREATE_PORT_RESOURCES_ORIGIN"},
                  {"createPortResourcesOrigin"},
                  "",
                  "",
                  "accepted for compatibility with Ocean; no effect",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.create_port_resources_origin = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.create_port_resources_origin; }});
  // ---- Application ----
  keys.push_back({"application.port",
                  {"APPLICATION__PORT"},
                  {"application.port"},
                  "--http-port",
                  "8000",
                  "port of the HTTP server (webhooks, /resync); 0 picks a free port",
                  false,
                  [](Settings& s, std::string_view t) { return SetInt(s.application.port, t, 0, 65535); },
                  [](const Settings& s) { return std::to_string(s.application.port); }});
  keys.push_back({"application.log_level",
                  {"APPLICATION__LOG_LEVEL"},
                  {"application.logLevel"},
                  "--log-level",
                  "INFO",
                  "DEBUG | INFO | WARNING | ERROR | CRITICAL",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    auto level = ParseLogLevel(t);
                    if (!level.ok()) return level.error();
                    s.application.log_level = *level;
                    return {};
                  },
                  [](const Settings& s) -> std::string { return LogLevelName(s.application.log_level); }});
  // ---- Network: proxies and TLS ----
  keys.push_back({"proxy.https_proxy",
                  {"HTTPS_PROXY"},
                  {"proxy.httpsProxy"},
                  "",
                  "",
                  "proxy for https:// requests (credentials in it are masked)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.proxy.https_proxy = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.proxy.https_proxy; }});
  keys.push_back({"proxy.http_proxy",
                  {"HTTP_PROXY"},
                  {"proxy.httpProxy"},
                  "",
                  "",
                  "proxy for http:// requests",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.proxy.http_proxy = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.proxy.http_proxy; }});
  keys.push_back({"proxy.no_proxy",
                  {"NO_PROXY"},
                  {"proxy.noProxy"},
                  "",
                  "",
                  "comma-separated hosts that bypass the proxy",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.proxy.no_proxy = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.proxy.no_proxy; }});
  keys.push_back({"tls.ca_bundle",
                  {"OCEAN__CA_BUNDLE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"},
                  {"caBundle"},
                  "--ca-bundle",
                  "",
                  "PEM file of CA certificates to trust (unset: the system store)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    std::error_code ec;
                    if (!std::filesystem::is_regular_file(std::filesystem::path(t), ec)) {
                      return Error(ErrorCode::INVALID_ARGUMENT,
                                   "CA bundle '" + std::string(t) + "' is not a readable file");
                    }
                    s.tls.ca_bundle = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.tls.ca_bundle; }});
  keys.push_back({"tls.no_verify_ssl",
                  {"OCEAN__NO_VERIFY_SSL"},
                  {"noVerifySsl"},
                  "--no-verify-ssl",
                  "false",
                  "DANGEROUS: disable TLS certificate verification (logged as a WARNING at start)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    auto value = ParseBool(t);
                    if (!value.ok()) return value.error();
                    s.tls.verify = !*value;
                    return {};
                  },
                  [](const Settings& s) { return ShowBool(!s.tls.verify); }});
  // ---- sentry-port's own ----
  keys.push_back({"local_catalog",
                  {"SENTRY_PORT__LOCAL_CATALOG"},
                  {"sentryPort.localCatalog"},
                  "--local-catalog",
                  "./sentry-port.db",
                  "SQLite file of the embedded catalog (the target without Port credentials)",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    s.local_catalog = std::string(t);
                    return {};
                  },
                  [](const Settings& s) { return s.local_catalog; }});
  keys.push_back({"log_format",
                  {"SENTRY_PORT__LOG_FORMAT"},
                  {"sentryPort.logFormat"},
                  "--log-format",
                  "auto",
                  "auto (text on a terminal, JSON lines otherwise) | text | json",
                  false,
                  [](Settings& s, std::string_view t) -> Status {
                    auto format = ParseLogFormat(t);
                    if (!format.ok()) return format.error();
                    s.log_format = *format;
                    return {};
                  },
                  [](const Settings& s) -> std::string { return LogFormatName(s.log_format); }});
  return keys;
}

}  // namespace

const std::vector<KeySpec>& AllKeys() {
  static const std::vector<KeySpec> keys = BuildKeys();
  return keys;
}

const KeySpec* FindKey(std::string_view key) {
  const auto& keys = AllKeys();
  auto it = std::find_if(keys.begin(), keys.end(), [&](const KeySpec& spec) { return spec.key == key; });
  return it == keys.end() ? nullptr : &*it;
}

}  // namespace sp::config

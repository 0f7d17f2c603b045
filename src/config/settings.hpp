#pragma once
// Settings: the effective configuration of sentry-port, a plain struct whose defaults are Ocean's (port-api.md
// Appendix A) except where noted. It is filled by config::Load (config/config.hpp) from flags, environment,
// config.yaml and these defaults, and is read only by app/ and cli/ (other modules take their own options).
// Missing credentials are not an error here: the command that needs them decides (see HasPortCredentials).

#include <cstdint>
#include <optional>
#include <string>

#include "base/log.hpp"

namespace sp::config {

//! OCEAN__EVENT_LISTENER types sentry-port accepts. Ocean's KAFKA and ACTIONS_ONLY are rejected at load time
//! with an error that says so (sentry-port has no Kafka consumer and no action runner).
enum class EventListenerType {
  ONCE,           //!< one resync, then exit (what `sentry-port sync` runs)
  POLLING,        //!< Ocean's default at HEAD: poll Port for resync requests every `interval` seconds
  WEBHOOK,        //!< Port calls POST <app_host>/resync
  WEBHOOKS_ONLY,  //!< no resyncs, live Sentry webhooks only
};

//! "ONCE", "POLLING", "WEBHOOK", "WEBHOOKS_ONLY".
const char* EventListenerTypeName(EventListenerType type);

struct PortSettings {
  std::string client_id;                            //!< OCEAN__PORT__CLIENT_ID
  std::string client_secret;                        //!< OCEAN__PORT__CLIENT_SECRET (secret)
  std::string base_url = "https://api.getport.io";  //!< OCEAN__PORT__BASE_URL, no trailing slash
  int port_app_config_cache_ttl_seconds = 60;       //!< OCEAN__PORT__PORT_APP_CONFIG_CACHE_TTL
};

//! integration.config.* of the Sentry integration's spec.yaml (env OCEAN__INTEGRATION__CONFIG__*).
struct SentrySettings {
  std::string host = "https://sentry.io";  //!< SENTRY_HOST, no trailing slash
  std::string token;                       //!< SENTRY_TOKEN (secret)
  std::string organization;                //!< SENTRY_ORGANIZATION (slug)
  std::string webhook_secret;              //!< SENTRY_WEBHOOK_SECRET (secret; HMAC key of Sentry webhooks)
};

struct IntegrationSettings {
  std::string identifier = "my-sentry-integration";  //!< lower-cased, as Ocean does
  std::string type = "sentry";                       //!< lower-cased
  SentrySettings config;
};

struct EventListenerSettings {
  EventListenerType type = EventListenerType::POLLING;
  int interval_seconds = 60;    //!< POLLING: seconds between checks
  bool resync_on_start = true;  //!< POLLING
  std::string app_host;         //!< WEBHOOK: public URL Port calls (<app_host>/resync)
};

struct ApplicationSettings {
  int port = 8000;                      //!< APPLICATION__PORT: HTTP server port (webhooks, /resync)
  LogLevel log_level = LogLevel::INFO;  //!< APPLICATION__LOG_LEVEL
};

//! Standard proxy variables, passed to the HTTP client as they are.
struct ProxySettings {
  std::string https_proxy;  //!< HTTPS_PROXY / https_proxy
  std::string http_proxy;   //!< HTTP_PROXY / http_proxy
  std::string no_proxy;     //!< NO_PROXY / no_proxy
};

struct TlsSettings {
  std::string ca_bundle;  //!< OCEAN__CA_BUNDLE > SSL_CERT_FILE > REQUESTS_CA_BUNDLE; "" = system store
  bool verify = true;     //!< false only via OCEAN__NO_VERIFY_SSL=true (logged as a loud WARNING at start)
};

struct Settings {
  PortSettings port;
  IntegrationSettings integration;
  EventListenerSettings event_listener;
  std::optional<int> scheduled_resync_interval_minutes;  //!< OCEAN__SCHEDULED_RESYNC_INTERVAL, unset by default
  bool initialize_port_resources = true;                 //!< create default blueprints and mapping
  std::string base_url;  //!< OCEAN__BASE_URL: this service's public URL for live webhooks ("" = none)
  bool send_raw_data_examples = true;
  bool allow_environment_variables_jq_access = false;  //!< OUR default (Ocean's is true): jq `env` is empty
  int upsert_entities_batch_max_length = 20;
  int64_t upsert_entities_batch_max_size_in_bytes = 1048576;
  int delete_entities_max_batch_size = 1000;
  int event_workers_count = 1;
  int max_event_processing_seconds = 90;
  std::string runtime = "OnPrem";            //!< OCEAN__RUNTIME: OnPrem or Saas
  std::string processing_mode;               //!< OCEAN__PROCESSING_MODE: accepted for compatibility, no effect
  std::string create_port_resources_origin;  //!< OCEAN__CREATE_PORT_RESOURCES_ORIGIN: accepted, no effect
  ApplicationSettings application;
  ProxySettings proxy;
  TlsSettings tls;

  // sentry-port's own settings (SENTRY_PORT__*).
  std::string local_catalog = "./sentry-port.db";  //!< SENTRY_PORT__LOCAL_CATALOG: target without Port creds
  LogFormat log_format = LogFormat::AUTO;          //!< SENTRY_PORT__LOG_FORMAT: auto|text|json

  //! Both Port client id and secret are set (otherwise `sync` targets the local catalog).
  bool HasPortCredentials() const { return !port.client_id.empty() && !port.client_secret.empty(); }
  //! Sentry token and organization are set (needed by anything that reads Sentry).
  bool HasSentryCredentials() const {
    return !integration.config.token.empty() && !integration.config.organization.empty();
  }
  //! A Sentry webhook secret is set (live webhooks are verified with it).
  bool HasWebhookSecret() const { return !integration.config.webhook_secret.empty(); }
};

}  // namespace sp::config

#include "config/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <set>

#include "base/redact.hpp"
#include "config/keys.hpp"
#include "config_test_util.hpp"

namespace sp::config {
namespace {

using ::testing::HasSubstr;
using testing::TempFile;

std::string Show(const Config& config, std::string_view key) {
  const KeySpec* spec = FindKey(key);
  EXPECT_NE(spec, nullptr) << key;
  return spec == nullptr ? "" : spec->show(config.settings);
}

std::string SourceOf(const Config& config, const std::string& key) {
  return config.origins.at(key).ToString();
}

Config MustLoad(const Environment& env, const LoadOptions& options = {}) {
  auto config = Load(env, options);
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().ToString());
  return config.ok() ? std::move(config).value() : Config{};
}

Error MustFail(const Environment& env, const LoadOptions& options = {}) {
  auto config = Load(env, options);
  EXPECT_FALSE(config.ok());
  return config.ok() ? Error() : config.error();
}

TEST(ConfigLoad, DefaultsWithEmptyEnvironment) {
  Config config = MustLoad({});
  const Settings& s = config.settings;
  EXPECT_EQ(s.port.base_url, "https://api.getport.io");
  EXPECT_EQ(s.integration.identifier, "my-sentry-integration");
  EXPECT_EQ(s.integration.type, "sentry");
  EXPECT_EQ(s.integration.config.host, "https://sentry.io");
  EXPECT_EQ(s.event_listener.type, EventListenerType::POLLING);
  EXPECT_EQ(s.event_listener.interval_seconds, 60);
  EXPECT_TRUE(s.event_listener.resync_on_start);
  EXPECT_FALSE(s.scheduled_resync_interval_minutes.has_value());
  EXPECT_TRUE(s.initialize_port_resources);
  EXPECT_FALSE(s.allow_environment_variables_jq_access);
  EXPECT_EQ(s.upsert_entities_batch_max_length, 20);
  EXPECT_EQ(s.upsert_entities_batch_max_size_in_bytes, 1048576);
  EXPECT_EQ(s.application.port, 8000);
  EXPECT_EQ(s.application.log_level, LogLevel::INFO);
  EXPECT_TRUE(s.tls.verify);
  EXPECT_EQ(s.local_catalog, "./sentry-port.db");
  EXPECT_FALSE(s.HasPortCredentials());
  EXPECT_FALSE(s.HasSentryCredentials());
  EXPECT_TRUE(config.warnings.empty());
  for (const KeySpec& spec : AllKeys()) EXPECT_EQ(SourceOf(config, std::string(spec.key)), "default") << spec.key;
}

// Every variable of the contract, each with a non-default value: parsed, stored and attributed to itself.
TEST(ConfigLoad, EveryVariableIsParsed) {
  TempFile ca("-----BEGIN CERTIFICATE-----\n", "ca.pem");
  struct Case {
    std::string variable, value, key, expected;
  };
  const std::vector<Case> cases = {
      {"OCEAN__PORT__CLIENT_ID", "cid-123", "port.client_id", "cid-123"},
      {"OCEAN__PORT__CLIENT_SECRET", "csecret-123", "port.client_secret", "csecret-123"},
      {"OCEAN__PORT__BASE_URL", "https://api.us.getport.io/", "port.base_url", "https://api.us.getport.io"},
      {"OCEAN__PORT__PORT_APP_CONFIG_CACHE_TTL", "30", "port.port_app_config_cache_ttl", "30"},
      {"OCEAN__INTEGRATION__IDENTIFIER", "My-Sentry", "integration.identifier", "my-sentry"},
      {"OCEAN__INTEGRATION__TYPE", "Sentry", "integration.type", "sentry"},
      {"OCEAN__INTEGRATION__CONFIG__SENTRY_HOST", "https://sentry.example.com", "integration.config.sentry_host",
       "https://sentry.example.com"},
      {"OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN", "tok-abcdef", "integration.config.sentry_token", "tok-abcdef"},
      {"OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION", "acme", "integration.config.sentry_organization", "acme"},
      {"OCEAN__INTEGRATION__CONFIG__SENTRY_WEBHOOK_SECRET", "whsec-123", "integration.config.sentry_webhook_secret",
       "whsec-123"},
      {"OCEAN__EVENT_LISTENER__TYPE", "once", "event_listener.type", "ONCE"},
      {"OCEAN__EVENT_LISTENER__INTERVAL", "15", "event_listener.interval", "15"},
      {"OCEAN__EVENT_LISTENER__RESYNC_ON_START", "no", "event_listener.resync_on_start", "false"},
      {"OCEAN__EVENT_LISTENER__APP_HOST", "https://hooks.example.com", "event_listener.app_host",
       "https://hooks.example.com"},
      {"OCEAN__SCHEDULED_RESYNC_INTERVAL", "120", "scheduled_resync_interval", "120"},
      {"OCEAN__INITIALIZE_PORT_RESOURCES", "false", "initialize_port_resources", "false"},
      {"OCEAN__BASE_URL", "https://me.example.com", "base_url", "https://me.example.com"},
      {"OCEAN__INTEGRATION__CONFIG__APP_HOST", "https://d23.example.com", "base_url", "https://d23.example.com"},
      {"OCEAN__SEND_RAW_DATA_EXAMPLES", "0", "send_raw_data_examples", "false"},
      {"OCEAN__ALLOW_ENVIRONMENT_VARIABLES_JQ_ACCESS", "yes", "allow_environment_variables_jq_access", "true"},
      {"OCEAN__UPSERT_ENTITIES_BATCH_MAX_LENGTH", "50", "upsert_entities_batch_max_length", "50"},
      {"OCEAN__UPSERT_ENTITIES_BATCH_MAX_SIZE_IN_BYTES", "2048", "upsert_entities_batch_max_size_in_bytes", "2048"},
      {"OCEAN__DELETE_ENTITIES_MAX_BATCH_SIZE", "100", "delete_entities_max_batch_size", "100"},
      {"OCEAN__EVENT_WORKERS_COUNT", "4", "event_workers_count", "4"},
      {"OCEAN__MAX_EVENT_PROCESSING_SECONDS", "30", "max_event_processing_seconds", "30"},
      {"OCEAN__RUNTIME", "saas", "runtime", "Saas"},
      {"OCEAN__PROCESSING_MODE", "dsp", "processing_mode", "dsp"},
      {"OCEAN__CREATE_PORT_RESOURCES_ORIGIN", "Port", "create_port_resources_origin", "Port"},
      {"APPLICATION__PORT", "9000", "application.port", "9000"},
      {"APPLICATION__LOG_LEVEL", "debug", "application.log_level", "DEBUG"},
      {"HTTPS_PROXY", "http://proxy:3128", "proxy.https_proxy", "http://proxy:3128"},
      {"https_proxy", "http://lower:3128", "proxy.https_proxy", "http://lower:3128"},
      {"HTTP_PROXY", "http://proxy:3129", "proxy.http_proxy", "http://proxy:3129"},
      {"NO_PROXY", "localhost,127.0.0.1", "proxy.no_proxy", "localhost,127.0.0.1"},
      {"OCEAN__CA_BUNDLE", ca.path(), "tls.ca_bundle", ca.path()},
      {"SSL_CERT_FILE", ca.path(), "tls.ca_bundle", ca.path()},
      {"REQUESTS_CA_BUNDLE", ca.path(), "tls.ca_bundle", ca.path()},
      {"OCEAN__NO_VERIFY_SSL", "true", "tls.no_verify_ssl", "true"},
      {"SENTRY_PORT__LOCAL_CATALOG", "/tmp/catalog.db", "local_catalog", "/tmp/catalog.db"},
      {"SENTRY_PORT__LOG_FORMAT", "JSON", "log_format", "json"},
  };
  std::set<std::string> covered;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.variable);
    Config config = MustLoad({{c.variable, c.value}});
    EXPECT_EQ(Show(config, c.key), c.expected);
    EXPECT_EQ(SourceOf(config, c.key), "env:" + c.variable);
    for (const auto& warning : config.warnings) EXPECT_THAT(warning, ::testing::Not(HasSubstr("Unknown")));
    std::string upper = c.variable;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    covered.insert(upper);
  }
  // The table above must cover every variable the key table knows.
  for (const KeySpec& spec : AllKeys()) {
    for (std::string_view name : spec.env) EXPECT_TRUE(covered.count(std::string(name))) << name << " not tested";
  }
}

TEST(ConfigLoad, VariableNamesAreCaseInsensitive) {
  Config config = MustLoad({{"ocean__integration__config__sentry_organization", "acme"}});
  EXPECT_EQ(config.settings.integration.config.organization, "acme");
  EXPECT_EQ(SourceOf(config, "integration.config.sentry_organization"),
            "env:ocean__integration__config__sentry_organization");
}

TEST(ConfigLoad, CanonicalVariableBeatsAlias) {
  TempFile a("a", "a.pem");
  TempFile b("b", "b.pem");
  Config config = MustLoad({{"SSL_CERT_FILE", b.path()}, {"OCEAN__CA_BUNDLE", a.path()}});
  EXPECT_EQ(config.settings.tls.ca_bundle, a.path());
  config = MustLoad({{"OCEAN__BASE_URL", "https://new.example.com"},
                     {"OCEAN__INTEGRATION__CONFIG__APP_HOST", "https://old.example.com"}});
  EXPECT_EQ(config.settings.base_url, "https://new.example.com");
}

TEST(ConfigLoad, BooleansAcceptOceanSpellings) {
  for (auto [text, expected] : std::vector<std::pair<std::string, bool>>{
           {"true", true}, {"TRUE", true}, {"1", true}, {"yes", true}, {"false", false}, {"0", false}, {"No", false}}) {
    Config config = MustLoad({{"OCEAN__INITIALIZE_PORT_RESOURCES", text}});
    EXPECT_EQ(config.settings.initialize_port_resources, expected) << text;
  }
}

TEST(ConfigLoad, EmptyValueMeansUnset) {
  Config config = MustLoad({{"OCEAN__PORT__BASE_URL", ""}, {"OCEAN__SCHEDULED_RESYNC_INTERVAL", ""}});
  EXPECT_EQ(config.settings.port.base_url, "https://api.getport.io");
  EXPECT_FALSE(config.settings.scheduled_resync_interval_minutes.has_value());
  EXPECT_EQ(SourceOf(config, "port.base_url"), "default");
}

TEST(ConfigLoad, CredentialsHelpers) {
  Config config = MustLoad({{"OCEAN__PORT__CLIENT_ID", "id"},
                            {"OCEAN__PORT__CLIENT_SECRET", "secret-1"},
                            {"OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN", "tok-1234"},
                            {"OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION", "acme"}});
  EXPECT_TRUE(config.settings.HasPortCredentials());
  EXPECT_TRUE(config.settings.HasSentryCredentials());
  EXPECT_FALSE(config.settings.HasWebhookSecret());
  EXPECT_FALSE(MustLoad({{"OCEAN__PORT__CLIENT_ID", "id"}}).settings.HasPortCredentials());
}

// ---- precedence: flags > environment > file > defaults ----

TEST(ConfigPrecedence, FlagBeatsEnvBeatsFileBeatsDefault) {
  TempFile file(
      "port:\n"
      "  baseUrl: https://file.getport.io\n"
      "integration:\n"
      "  config:\n"
      "    sentryHost: https://file.sentry.io\n"
      "    sentryOrganization: file-org\n"
      "eventListener:\n"
      "  type: WEBHOOK\n"
      "  interval: 11\n"
      "scheduledResyncInterval: 30\n");
  Environment env = {{"OCEAN__INTEGRATION__CONFIG__SENTRY_HOST", "https://env.sentry.io"},
                     {"OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION", "env-org"},
                     {"OCEAN__EVENT_LISTENER__INTERVAL", "22"}};
  LoadOptions options;
  options.config_file = file.path();
  options.flags = {{"integration.config.sentry_host", "https://flag.sentry.io", "--sentry-host"},
                   {"event_listener.interval", "33", "--set event_listener.interval"}};
  Config config = MustLoad(env, options);
  const Settings& s = config.settings;
  // flag > env > file
  EXPECT_EQ(s.integration.config.host, "https://flag.sentry.io");
  EXPECT_EQ(SourceOf(config, "integration.config.sentry_host"), "flag:--sentry-host");
  EXPECT_EQ(s.event_listener.interval_seconds, 33);
  EXPECT_EQ(SourceOf(config, "event_listener.interval"), "flag:--set event_listener.interval");
  // env > file
  EXPECT_EQ(s.integration.config.organization, "env-org");
  EXPECT_EQ(SourceOf(config, "integration.config.sentry_organization"),
            "env:OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION");
  // file > default, with the line
  EXPECT_EQ(s.port.base_url, "https://file.getport.io");
  EXPECT_EQ(SourceOf(config, "port.base_url"), "file:" + file.path() + ":2");
  EXPECT_EQ(s.event_listener.type, EventListenerType::WEBHOOK);
  EXPECT_EQ(SourceOf(config, "event_listener.type"), "file:" + file.path() + ":8");
  EXPECT_EQ(s.scheduled_resync_interval_minutes, 30);
  // default
  EXPECT_EQ(s.integration.identifier, "my-sentry-integration");
  EXPECT_EQ(SourceOf(config, "integration.identifier"), "default");
}

TEST(ConfigPrecedence, ConfigFileFromEnvironment) {
  TempFile file("integration:\n  identifier: From-File\n");
  Config config = MustLoad({{"SENTRY_PORT__CONFIG", file.path()}});
  EXPECT_EQ(config.settings.integration.identifier, "from-file");
  EXPECT_EQ(config.config_file, file.path());
}

TEST(ConfigPrecedence, MissingExplicitFileIsAnError) {
  LoadOptions options;
  options.config_file = "/nonexistent/sentry-port/config.yaml";
  Error error = MustFail({}, options);
  EXPECT_THAT(error.ToString(), HasSubstr("/nonexistent/sentry-port/config.yaml"));
}

TEST(ConfigPrecedence, UnknownFlagKeyIsAnErrorWithSuggestion) {
  LoadOptions options;
  options.flags = {{"event_listener.intervall", "3", "--set event_listener.intervall"}};
  Error error = MustFail({}, options);
  EXPECT_EQ(error.context, "--set event_listener.intervall");
  EXPECT_THAT(error.message, HasSubstr("event_listener.interval"));
}

// ---- config.yaml ----

TEST(ConfigYaml, HelmAndOceanShapes) {
  TempFile file(
      "initializePortResources: false\n"
      "scheduledResyncInterval: 120\n"
      "port:\n"
      "  clientId: my-id\n"
      "integration:\n"
      "  identifier: my-ocean-sentry-integration\n"
      "  type: sentry\n"
      "  eventListener:\n"
      "    type: ONCE\n"
      "  config:\n"
      "    sentryHost: https://sentry.example.com\n"
      "    sentryOrganization: acme\n"
      "  secrets:\n"
      "    sentryToken: file-token-1234\n");
  LoadOptions options;
  options.config_file = file.path();
  Config config = MustLoad({}, options);
  const Settings& s = config.settings;
  EXPECT_FALSE(s.initialize_port_resources);
  EXPECT_EQ(s.scheduled_resync_interval_minutes, 120);
  EXPECT_EQ(s.port.client_id, "my-id");
  EXPECT_EQ(s.integration.identifier, "my-ocean-sentry-integration");
  EXPECT_EQ(s.event_listener.type, EventListenerType::ONCE);
  EXPECT_EQ(s.integration.config.host, "https://sentry.example.com");
  EXPECT_EQ(s.integration.config.organization, "acme");
  EXPECT_EQ(s.integration.config.token, "file-token-1234");
  EXPECT_EQ(SourceOf(config, "integration.config.sentry_token"), "file:" + file.path() + ":14");
  EXPECT_TRUE(config.warnings.empty());
}

TEST(ConfigYaml, PlaceholdersFromEnvironment) {
  TempFile file(
      "port:\n"
      "  clientId: \"{{ from env PORT_CLIENT_ID }}\"\n"
      "  baseUrl: \"https://{{from env PORT_HOST}}/\"\n"
      "integration:\n"
      "  config:\n"
      "    sentryOrganization: \"{{ not a placeholder }}\"\n");
  LoadOptions options;
  options.config_file = file.path();
  Config config = MustLoad({{"PORT_CLIENT_ID", "id-from-env"}, {"PORT_HOST", "api.getport.io"}}, options);
  EXPECT_EQ(config.settings.port.client_id, "id-from-env");
  EXPECT_EQ(config.settings.port.base_url, "https://api.getport.io");
  EXPECT_EQ(config.settings.integration.config.organization, "{{ not a placeholder }}");
  EXPECT_EQ(SourceOf(config, "port.client_id"), "file:" + file.path() + ":2");
}

TEST(ConfigYaml, MissingPlaceholderVariableNamesItAndTheLine) {
  TempFile file(
      "port:\n"
      "  clientId: x\n"
      "  clientSecret: \"{{ from env PORT_CLIENT_SECRET }}\"\n");
  LoadOptions options;
  options.config_file = file.path();
  Error error = MustFail({}, options);
  EXPECT_EQ(error.context, file.path() + ":3 (port.clientSecret)");
  EXPECT_THAT(error.message, HasSubstr("PORT_CLIENT_SECRET"));
  EXPECT_THAT(error.message, HasSubstr("not set"));
}

TEST(ConfigYaml, MalformedYamlReportsLineAndColumn) {
  TempFile file(
      "port:\n"
      "  clientId: x\n"
      "  baseUrl: [unclosed\n");
  LoadOptions options;
  options.config_file = file.path();
  Error error = MustFail({}, options);
  EXPECT_EQ(error.code, ErrorCode::PARSE);
  // "path:line:column", both numbers 1-based.
  ASSERT_THAT(error.context, ::testing::StartsWith(file.path() + ":"));
  std::string position = error.context.substr(file.path().size() + 1);
  size_t colon = position.find(':');
  ASSERT_NE(colon, std::string::npos) << error.context;
  EXPECT_GE(std::stoi(position.substr(0, colon)), 3) << error.context;
  EXPECT_GE(std::stoi(position.substr(colon + 1)), 1) << error.context;
  EXPECT_THAT(error.message, HasSubstr("malformed YAML"));

  TempFile tabs("port:\n  clientId: x\n   bad: indentation: here\n");
  options.config_file = tabs.path();
  error = MustFail({}, options);
  EXPECT_EQ(error.code, ErrorCode::PARSE);
  EXPECT_THAT(error.context, HasSubstr("config.yaml:3:"));
}

TEST(ConfigYaml, TopLevelMustBeAMapping) {
  TempFile file("- a\n- b\n");
  LoadOptions options;
  options.config_file = file.path();
  Error error = MustFail({}, options);
  EXPECT_THAT(error.message, HasSubstr("mapping"));
}

TEST(ConfigYaml, BadValueNamesFileLineAndPath) {
  TempFile file("eventListener:\n  type: POLLING\n  interval: often\n");
  LoadOptions options;
  options.config_file = file.path();
  Error error = MustFail({}, options);
  EXPECT_EQ(error.context, file.path() + ":3 (eventListener.interval)");
  EXPECT_THAT(error.message, HasSubstr("'often'"));
}

TEST(ConfigYaml, ListWhereValueExpectedIsAnError) {
  TempFile file("integration:\n  config:\n    sentryOrganization:\n      - a\n      - b\n");
  LoadOptions options;
  options.config_file = file.path();
  Error error = MustFail({}, options);
  EXPECT_THAT(error.context, HasSubstr("integration.config.sentryOrganization"));
}

TEST(ConfigYaml, UnknownKeyWarnsWithClosestPath) {
  TempFile file("integration:\n  config:\n    sentryHots: https://sentry.io\n");
  LoadOptions options;
  options.config_file = file.path();
  Config config = MustLoad({}, options);
  ASSERT_EQ(config.warnings.size(), 1u);
  EXPECT_THAT(config.warnings[0], HasSubstr("integration.config.sentryHots"));
  EXPECT_THAT(config.warnings[0], HasSubstr("did you mean 'integration.config.sentryHost'"));
}

// ---- event listener: JSON and nested forms ----

TEST(EventListener, JsonForm) {
  Config config = MustLoad({{"OCEAN__EVENT_LISTENER", R"({"type":"POLLING","interval":5,"resync_on_start":false})"}});
  EXPECT_EQ(config.settings.event_listener.type, EventListenerType::POLLING);
  EXPECT_EQ(config.settings.event_listener.interval_seconds, 5);
  EXPECT_FALSE(config.settings.event_listener.resync_on_start);
  EXPECT_EQ(SourceOf(config, "event_listener.interval"), "env:OCEAN__EVENT_LISTENER");
}

TEST(EventListener, DockerRecipeOnce) {
  Config config = MustLoad({{"OCEAN__EVENT_LISTENER", R"({"type":"ONCE"})"}});
  EXPECT_EQ(config.settings.event_listener.type, EventListenerType::ONCE);
}

TEST(EventListener, NestedBeatsJson) {
  Config config = MustLoad(
      {{"OCEAN__EVENT_LISTENER", R"({"type":"ONCE","interval":5})"}, {"OCEAN__EVENT_LISTENER__INTERVAL", "7"}});
  EXPECT_EQ(config.settings.event_listener.type, EventListenerType::ONCE);
  EXPECT_EQ(config.settings.event_listener.interval_seconds, 7);
  EXPECT_EQ(SourceOf(config, "event_listener.interval"), "env:OCEAN__EVENT_LISTENER__INTERVAL");
  EXPECT_EQ(SourceOf(config, "event_listener.type"), "env:OCEAN__EVENT_LISTENER");
}

TEST(EventListener, JsonBeatsFile) {
  TempFile file("eventListener:\n  type: WEBHOOK\n");
  LoadOptions options;
  options.config_file = file.path();
  Config config = MustLoad({{"OCEAN__EVENT_LISTENER", R"({"type":"ONCE"})"}}, options);
  EXPECT_EQ(config.settings.event_listener.type, EventListenerType::ONCE);
}

TEST(EventListener, CamelCaseKeyInJsonWarns) {
  Config config = MustLoad({{"OCEAN__EVENT_LISTENER", R"({"type":"POLLING","resyncOnStart":false})"}});
  EXPECT_TRUE(config.settings.event_listener.resync_on_start);
  ASSERT_EQ(config.warnings.size(), 1u);
  EXPECT_THAT(config.warnings[0], HasSubstr("resyncOnStart"));
  EXPECT_THAT(config.warnings[0], HasSubstr("resync_on_start"));
}

TEST(EventListener, BadJsonReportsPosition) {
  Error error = MustFail({{"OCEAN__EVENT_LISTENER", R"({"type": "ONCE",)"}});
  EXPECT_EQ(error.code, ErrorCode::PARSE);
  EXPECT_EQ(error.context, "OCEAN__EVENT_LISTENER");
  EXPECT_THAT(error.message, HasSubstr("invalid JSON"));
  EXPECT_THAT(error.message, HasSubstr("byte"));
}

TEST(EventListener, JsonMustBeAnObject) {
  Error error = MustFail({{"OCEAN__EVENT_LISTENER", R"("ONCE")"}});
  EXPECT_EQ(error.context, "OCEAN__EVENT_LISTENER");
  EXPECT_THAT(error.message, HasSubstr("object"));
  error = MustFail({{"OCEAN__EVENT_LISTENER", R"({"type":["ONCE"]})"}});
  EXPECT_THAT(error.message, HasSubstr("'type'"));
}

TEST(EventListener, BadValueInsideJsonNamesTheKey) {
  Error error = MustFail({{"OCEAN__EVENT_LISTENER", R"({"type":"POLLING","interval":"soon"})"}});
  EXPECT_EQ(error.context, "OCEAN__EVENT_LISTENER (key 'interval')");
}

// ---- bad input: every one stops start-up with an error naming the variable ----

TEST(ConfigBadInput, EachBadValueNamesTheVariable) {
  struct Case {
    std::string variable, value, message_part;
  };
  const std::vector<Case> cases = {
      {"OCEAN__EVENT_LISTENER__INTERVAL", "abc", "whole number"},
      {"OCEAN__EVENT_LISTENER__INTERVAL", "0", "between 1"},
      {"OCEAN__EVENT_LISTENER__TYPE", "SOMETIMES", "ONCE, POLLING, WEBHOOK, WEBHOOKS_ONLY"},
      {"OCEAN__EVENT_LISTENER__TYPE", "KAFKA", "does not support"},
      {"OCEAN__EVENT_LISTENER__TYPE", "ACTIONS_ONLY", "does not support"},
      {"OCEAN__EVENT_LISTENER__RESYNC_ON_START", "perhaps", "boolean"},
      {"OCEAN__EVENT_LISTENER__APP_HOST", "hooks.example.com", "https://"},
      {"OCEAN__PORT__BASE_URL", "api.getport.io", "https://"},
      {"OCEAN__INTEGRATION__CONFIG__SENTRY_HOST", "sentry.io", "https://"},
      {"OCEAN__BASE_URL", "ftp://me.example.com", "https://"},
      {"OCEAN__UPSERT_ENTITIES_BATCH_MAX_LENGTH", "0", "between 1"},
      {"OCEAN__UPSERT_ENTITIES_BATCH_MAX_LENGTH", "-5", "between 1"},
      {"OCEAN__UPSERT_ENTITIES_BATCH_MAX_SIZE_IN_BYTES", "0", "between 1"},
      {"OCEAN__DELETE_ENTITIES_MAX_BATCH_SIZE", "-1", "between 1"},
      {"OCEAN__EVENT_WORKERS_COUNT", "0", "between 1"},
      {"OCEAN__MAX_EVENT_PROCESSING_SECONDS", "ten", "whole number"},
      {"OCEAN__SCHEDULED_RESYNC_INTERVAL", "soon", "whole number"},
      {"OCEAN__SCHEDULED_RESYNC_INTERVAL", "0", "between 1"},
      {"OCEAN__PORT__PORT_APP_CONFIG_CACHE_TTL", "-1", "between 0"},
      {"OCEAN__INITIALIZE_PORT_RESOURCES", "maybe", "boolean"},
      {"OCEAN__SEND_RAW_DATA_EXAMPLES", "2", "boolean"},
      {"OCEAN__ALLOW_ENVIRONMENT_VARIABLES_JQ_ACCESS", "sure", "boolean"},
      {"OCEAN__NO_VERIFY_SSL", "please", "boolean"},
      {"OCEAN__RUNTIME", "cloud", "OnPrem, Saas"},
      {"OCEAN__CA_BUNDLE", "/nonexistent/ca.pem", "not a readable file"},
      {"APPLICATION__PORT", "70000", "between 0 and 65535"},
      {"APPLICATION__PORT", "http", "whole number"},
      {"APPLICATION__LOG_LEVEL", "verbose", "DEBUG, INFO, WARNING, ERROR, CRITICAL"},
      {"SENTRY_PORT__LOG_FORMAT", "xml", "auto, text, json"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.variable + "=" + c.value);
    Error error = MustFail({{c.variable, c.value}});
    EXPECT_EQ(error.code, ErrorCode::INVALID_ARGUMENT);
    EXPECT_EQ(error.context, c.variable);
    EXPECT_THAT(error.message, HasSubstr(c.message_part));
    EXPECT_THAT(error.ToString(), ::testing::StartsWith(c.variable + ": "));
  }
}

TEST(ConfigBadInput, BadFlagValueNamesTheFlag) {
  LoadOptions options;
  options.flags = {{"integration.config.sentry_host", "sentry.io", "--sentry-host"}};
  Error error = MustFail({}, options);
  EXPECT_EQ(error.context, "--sentry-host");
  EXPECT_THAT(error.message, HasSubstr("https://"));
}

TEST(ConfigBadInput, UnknownOceanVariableWarnsWithClosestName) {
  Config config = MustLoad({{"OCEAN__PORT__CLIENT_SECERT", "abcdefgh"},
                            {"OCEAN__INTEGRATION__CONFIG__SENTRY_ORG", "acme"},
                            {"APPLICATION__LOGLEVEL", "DEBUG"},
                            {"PATH", "/usr/bin"},
                            {"HOME", "/root"}});
  ASSERT_EQ(config.warnings.size(), 3u);
  std::string all = config.warnings[0] + "\n" + config.warnings[1] + "\n" + config.warnings[2];
  EXPECT_THAT(all, HasSubstr("OCEAN__PORT__CLIENT_SECERT ignored; did you mean OCEAN__PORT__CLIENT_SECRET?"));
  EXPECT_THAT(all, HasSubstr("OCEAN__INTEGRATION__CONFIG__SENTRY_ORG ignored; did you mean "
                             "OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION?"));
  EXPECT_THAT(all, HasSubstr("APPLICATION__LOGLEVEL ignored; did you mean APPLICATION__LOG_LEVEL?"));
  EXPECT_THAT(all, ::testing::Not(HasSubstr("abcdefgh")));
  EXPECT_THAT(all, ::testing::Not(HasSubstr("PATH")));
}

TEST(ConfigWarnings, DisabledVerificationIsLoud) {
  Config config = MustLoad({{"OCEAN__NO_VERIFY_SSL", "true"}});
  EXPECT_FALSE(config.settings.tls.verify);
  ASSERT_EQ(config.warnings.size(), 1u);
  EXPECT_THAT(config.warnings[0], HasSubstr("TLS certificate verification is DISABLED (OCEAN__NO_VERIFY_SSL)"));
}

// ---- secrets are registered the moment they are read ----

TEST(ConfigSecrets, RegisteredFromEnvFileFlagAndProxy) {
  ClearSecretsForTesting();
  TempFile file("port:\n  clientSecret: file-secret-value\n");
  LoadOptions options;
  options.config_file = file.path();
  options.flags = {{"integration.config.sentry_webhook_secret", "flag-secret-value", "--sentry-webhook-secret"}};
  Config config = MustLoad({{"OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN", "env-secret-value"},
                            {"HTTPS_PROXY", "http://user:proxy-password@proxy:3128"},
                            {"OCEAN__SOME_API_TOKEN", "unknown-secret-value"}},
                           options);
  EXPECT_EQ(Redact("env-secret-value file-secret-value flag-secret-value proxy-password unknown-secret-value"),
            "*** *** *** *** ***");
  auto rows = Describe(config);
  for (const ConfigRow& row : rows) {
    EXPECT_THAT(row.value, ::testing::Not(HasSubstr("secret-value"))) << row.key;
    if (row.key == "integration.config.sentry_token") {
      EXPECT_EQ(row.value, "***");
      EXPECT_EQ(row.source, "env:OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN");
    }
  }
  ClearSecretsForTesting();
}

}  // namespace
}  // namespace sp::config

// The `sentry-port` command line, run in-process through RunCli with an explicit environment and string
// streams: global flags, `config`, exit codes, error lines, and the end-to-end redaction guarantee.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <sstream>

#include "base/log.hpp"
#include "base/redact.hpp"
#include "cli/commands.hpp"
#include "json/parse.hpp"
#include "temp_dir.hpp"

namespace sp::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using sp::testing::TempDir;

// The row of `key` in the `config` table as its whitespace-separated cells ("" cells never occur: unset is "-").
std::vector<std::string> TableRow(const std::string& table, const std::string& key) {
  std::istringstream lines(table);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream cells(line);
    std::vector<std::string> row;
    std::string cell;
    while (cells >> cell) row.push_back(cell);
    if (!row.empty() && row[0] == key) {
      // The source may contain a space ("flag:--set event_listener.interval"): join everything after the value.
      std::vector<std::string> out = {row[0], row.size() > 1 ? row[1] : "", ""};
      for (size_t i = 2; i < row.size(); ++i) out[2] += (i > 2 ? " " : "") + row[i];
      return out;
    }
  }
  return {};
}

using Row = std::vector<std::string>;

// Commands that exist only here: they exercise the error and logging paths of RunCli with real settings.
void RegisterTestCommands(CLI::App& app, CliContext& ctx) {
  RegisterConfigCommand(app, ctx);
  app.add_subcommand("log-everything", "")->callback([&ctx] {
    const config::Settings& s = ctx.Settings();
    for (const std::string* secret : {&s.integration.config.token, &s.port.client_secret,
                                      &s.integration.config.webhook_secret, &s.proxy.https_proxy}) {
      spdlog::debug("debug {}", *secret);
      spdlog::info("info {} quoted \"{}\"", *secret, *secret);
      spdlog::warn("warn {}", *secret);
      spdlog::error("error url=https://x.test/?t={}", UrlEncode(*secret));
      spdlog::critical("critical {}", *secret);
    }
    ctx.SetExitCode(ExitCode::OK);
  });
  app.add_subcommand("fatal", "")->callback([&ctx] {
    throw FatalError(Error(ErrorCode::UNAUTHENTICATED, "Port rejected " + ctx.Settings().port.client_secret,
                           "token " + ctx.Settings().integration.config.token));
  });
  app.add_subcommand("crash", "")->callback([&ctx] {
    throw std::runtime_error("unexpected " + ctx.Settings().integration.config.webhook_secret);
  });
  app.add_subcommand("fail", "")->callback([&ctx] { ctx.SetExitCode(ExitCode::RUN_FAILED); });
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearSecretsForTesting(); }
  void TearDown() override {
    InitLogging({});  // the logger must not outlive err_
    ClearSecretsForTesting();
  }

  int Run(std::vector<std::string> args, config::Environment env = {}) {
    args.insert(args.begin(), "sentry-port");
    CliContext ctx(std::move(env), out_, err_);
    return RunCli(args, ctx, RegisterTestCommands);
  }

  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTest, VersionAndHelp) {
  EXPECT_EQ(Run({"--version"}), 0);
  EXPECT_EQ(out_.str(), std::string("sentry-port ") + Version() + "\n");
  out_.str("");
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("config"));
  EXPECT_THAT(out_.str(), HasSubstr("--sentry-host"));
  EXPECT_THAT(out_.str(), HasSubstr("OCEAN__INTEGRATION__CONFIG__SENTRY_HOST"));
  out_.str("");
  EXPECT_EQ(Run({}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Usage"));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({"no-such-command"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("no-such-command"));
  EXPECT_EQ(Run({"config", "--set", "no-equals-sign"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--set: expected KEY=VALUE"));
}

TEST_F(CliTest, ExitCodesComeFromTheCommand) {
  EXPECT_EQ(Run({"fail"}), 1);
  EXPECT_EQ(Run({"crash"}), 1);
  EXPECT_EQ(Run({"fatal"}), 2);
}

TEST_F(CliTest, ConfigTableShowsValueAndSource) {
  int code = Run({"config", "--sentry-org", "acme", "--set", "event_listener.interval=5"},
                 {{"OCEAN__EVENT_LISTENER", R"({"type":"ONCE"})"}, {"OCEAN__PORT__CLIENT_ID", "client-1"}});
  ASSERT_EQ(code, 0) << err_.str();
  std::string out = out_.str();
  EXPECT_THAT(out, ::testing::StartsWith("KEY "));
  EXPECT_EQ(TableRow(out, "integration.config.sentry_organization"),
            (Row{"integration.config.sentry_organization", "acme", "flag:--sentry-org"}));
  EXPECT_EQ(TableRow(out, "event_listener.interval"),
            (Row{"event_listener.interval", "5", "flag:--set event_listener.interval"}));
  EXPECT_EQ(TableRow(out, "event_listener.type"), (Row{"event_listener.type", "ONCE", "env:OCEAN__EVENT_LISTENER"}));
  EXPECT_EQ(TableRow(out, "port.client_id"), (Row{"port.client_id", "client-1", "env:OCEAN__PORT__CLIENT_ID"}));
  EXPECT_EQ(TableRow(out, "port.base_url"), (Row{"port.base_url", "https://api.getport.io", "default"}));
  EXPECT_EQ(TableRow(out, "port.client_secret"), (Row{"port.client_secret", "-", "default"}));
}

TEST_F(CliTest, ConfigJsonIsValidJson) {
  ASSERT_EQ(Run({"config", "--json"}, {{"OCEAN__PORT__CLIENT_SECRET", "json-secret-1"}}), 0) << err_.str();
  auto parsed = json::Parse(out_.str());
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString() << "\n" << out_.str();
  const json::Value* settings = parsed->Find("settings");
  ASSERT_NE(settings, nullptr);
  ASSERT_TRUE(settings->IsArray());
  bool found = false;
  for (const json::Value& row : settings->Items()) {
    if (row.Find("key")->AsString() != "port.client_secret") continue;
    found = true;
    EXPECT_EQ(row.Find("value")->AsString(), "***");
    EXPECT_EQ(row.Find("source")->AsString(), "env:OCEAN__PORT__CLIENT_SECRET");
    EXPECT_TRUE(row.Find("secret")->AsBool());
  }
  EXPECT_TRUE(found);
}

TEST_F(CliTest, ConfigurationErrorIsOneLineAndExitsTwo) {
  EXPECT_EQ(Run({"config"}, {{"OCEAN__EVENT_LISTENER__INTERVAL", "often"}}), 2);
  EXPECT_EQ(out_.str(), "");
  std::string err = err_.str();
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_THAT(err, ::testing::StartsWith("sentry-port: configuration error: OCEAN__EVENT_LISTENER__INTERVAL: "));
  EXPECT_THAT(err, HasSubstr("'often'"));
}

TEST_F(CliTest, MalformedConfigFileExitsTwoWithLineAndColumn) {
  TempDir dir;
  std::string file = dir.Write("config.yaml", "port:\n  baseUrl: [oops\n");
  EXPECT_EQ(Run({"--config", file, "config"}), 2);
  // yaml-cpp notices the unclosed flow sequence at the end of the input: line 3, column 1.
  EXPECT_THAT(err_.str(), HasSubstr(file + ":3:1: malformed YAML"));
}

TEST_F(CliTest, WarningsAreLoggedAfterLoading) {
  ASSERT_EQ(Run({"config", "--log-format", "text"},
                {{"OCEAN__INTEGRATION__CONFIG__SENTRY_TOKN", "abc12345"}, {"OCEAN__NO_VERIFY_SSL", "yes"}}),
            0);
  std::string err = err_.str();
  EXPECT_THAT(err, HasSubstr("WARNING Unknown variable OCEAN__INTEGRATION__CONFIG__SENTRY_TOKN ignored; did you mean "
                             "OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN?"));
  EXPECT_THAT(err, HasSubstr("WARNING TLS certificate verification is DISABLED (OCEAN__NO_VERIFY_SSL)"));
  EXPECT_THAT(err, Not(HasSubstr("abc12345")));
}

TEST_F(CliTest, LogLevelFromEnvironmentAndFlag) {
  ASSERT_EQ(Run({"config"}, {{"APPLICATION__LOG_LEVEL", "error"}, {"OCEAN__TYPO", "x"}}), 0);
  EXPECT_THAT(err_.str(), Not(HasSubstr("OCEAN__TYPO")));
  ASSERT_EQ(Run({"config", "--log-level", "warning"}, {{"APPLICATION__LOG_LEVEL", "error"}, {"OCEAN__TYPO", "x"}}), 0);
  EXPECT_THAT(err_.str(), HasSubstr("OCEAN__TYPO"));
  EXPECT_EQ(Run({"config"}, {{"APPLICATION__LOG_LEVEL", "chatty"}}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("APPLICATION__LOG_LEVEL: unknown log level 'chatty'"));
}

// Issue 2, "Bad input": secrets set through env, file and flag never show up in any output.
TEST_F(CliTest, SecretsNeverAppearInAnyOutput) {
  const std::string env_secret = "env-sentry-token-111";
  const std::string file_secret = "file-port-secret-222";
  const std::string flag_secret = "flag-webhook-secret-333";
  const std::string proxy_secret = "proxy-pass-444";
  TempDir dir;
  std::string file = dir.Write("config.yaml", "port:\n  clientId: id-1\n  clientSecret: " + file_secret + "\n");
  config::Environment env = {{"OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN", env_secret},
                             {"HTTPS_PROXY", "http://bob:" + proxy_secret + "@proxy.test:3128"}};
  std::vector<std::string> common = {"--config", file, "--sentry-webhook-secret", flag_secret, "--log-level", "DEBUG"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), common.begin(), common.end());
    return args;
  };
  std::string all;
  auto collect = [&] {
    all += out_.str() + err_.str();
    out_.str("");
    err_.str("");
  };

  EXPECT_EQ(Run(with({"config"}), env), 0);
  EXPECT_EQ(TableRow(out_.str(), "port.client_secret"), (Row{"port.client_secret", "***", "file:" + file + ":3"}));
  collect();
  EXPECT_EQ(Run(with({"config", "--json"}), env), 0);
  collect();
  for (const char* format : {"text", "json"}) {
    EXPECT_EQ(Run(with({"log-everything", "--log-format", format}), env), 0);
    EXPECT_THAT(err_.str(), HasSubstr("critical ***"));
    collect();
  }
  // Configuration errors whose text would contain a secret.
  config::Environment bad = env;
  bad["OCEAN__EVENT_LISTENER__TYPE"] = env_secret;
  EXPECT_EQ(Run(with({"config"}), bad), 2);
  EXPECT_THAT(err_.str(), HasSubstr("OCEAN__EVENT_LISTENER__TYPE"));
  collect();
  EXPECT_EQ(Run(with({"config", "--set", "event_listener.interval=" + flag_secret}), env), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--set event_listener.interval"));
  collect();
  bad = env;
  bad["OCEAN__EVENT_LISTENER"] = R"({"type":")" + file_secret + R"("})";
  EXPECT_EQ(Run(with({"config"}), bad), 2);
  collect();
  // Errors thrown by commands.
  EXPECT_EQ(Run(with({"fatal"}), env), 2);
  EXPECT_THAT(err_.str(), HasSubstr("Port rejected ***"));
  collect();
  EXPECT_EQ(Run(with({"crash"}), env), 1);
  collect();

  for (const std::string& secret : {env_secret, file_secret, flag_secret, proxy_secret}) {
    EXPECT_THAT(all, Not(HasSubstr(secret))) << "secret leaked: " << secret;
    EXPECT_THAT(all, Not(HasSubstr(UrlEncode(secret))));
  }
  EXPECT_THAT(all, HasSubstr("***"));
}

}  // namespace
}  // namespace sp::cli

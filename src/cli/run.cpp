// RunCli: the CLI11 application, the global flags generated from the settings table, the lazily loaded
// configuration, and the one place where errors become exit codes and one redacted line on stderr.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <sstream>

#include "base/log.hpp"
#include "base/redact.hpp"
#include "cli/commands.hpp"
#include "config/keys.hpp"

#ifndef SP_VERSION
#error "SP_VERSION must be defined by the build (src/cli/CMakeLists.txt)"
#endif

namespace sp::cli {
namespace {

constexpr const char* CONFIG_GROUP = "Configuration (override environment and config.yaml)";

bool IsBooleanKey(const config::KeySpec& spec) {
  return spec.default_text == "true" || spec.default_text == "false";
}

void AddGlobalFlags(CLI::App& app, GlobalFlags& flags) {
  app.add_option("--config", flags.config_file,
                 "config.yaml to read (default: $SENTRY_PORT__CONFIG, else ./config.yaml if present)")
      ->group(CONFIG_GROUP);
  for (const config::KeySpec& spec : config::AllKeys()) {
    if (spec.flag.empty()) continue;
    std::string name(spec.flag);
    std::string help = std::string(spec.help) + " [" + std::string(spec.env.front()) + "]";
    if (IsBooleanKey(spec)) {
      app.add_flag_callback(
             name, [&flags, name] { flags.named[name] = "true"; }, help)
          ->group(CONFIG_GROUP);
    } else {
      app.add_option_function<std::string>(
             name, [&flags, name](const std::string& value) { flags.named[name] = value; }, help)
          ->type_name("VALUE")
          ->group(CONFIG_GROUP);
    }
  }
  app.add_option("--set", flags.set,
                 "override any setting by its dotted key, e.g. --set event_listener.interval=30 "
                 "(keys: `sentry-port config`)")
      ->type_name("KEY=VALUE")
      ->group(CONFIG_GROUP);
}

std::vector<config::FlagValue> ToFlagValues(const GlobalFlags& flags) {
  std::vector<config::FlagValue> values;
  // Dedicated flags come first so that they win over a --set of the same key.
  for (const config::KeySpec& spec : config::AllKeys()) {
    auto it = flags.named.find(std::string(spec.flag));
    if (spec.flag.empty() || it == flags.named.end()) continue;
    values.push_back({std::string(spec.key), it->second, std::string(spec.flag)});
  }
  for (const std::string& item : flags.set) {
    size_t eq = item.find('=');
    if (eq == std::string::npos) {
      throw FatalError(Error(ErrorCode::INVALID_ARGUMENT, "expected KEY=VALUE, got '" + item + "'", "--set"));
    }
    std::string key = item.substr(0, eq);
    values.push_back({key, item.substr(eq + 1), "--set " + key});
  }
  return values;
}

void PrintError(CliContext& ctx, const std::string& what) {
  ctx.err() << Redact("sentry-port: " + what) << "\n";
  ctx.err().flush();
}

}  // namespace

const char* Version() {
  return SP_VERSION;
}

CliContext::CliContext(config::Environment env, std::ostream& out, std::ostream& err, bool err_is_tty)
    : env_(std::move(env)), out_(out), err_(err), err_is_tty_(err_is_tty) {}

const config::Config& CliContext::Config() {
  if (config_) return *config_;
  config::LoadOptions options;
  if (!flags_.config_file.empty()) options.config_file = flags_.config_file;
  options.use_default_file = true;
  options.flags = ToFlagValues(flags_);
  auto loaded = config::Load(env_, options);
  if (!loaded.ok()) {
    // "configuration error: OCEAN__X: what is wrong" reads best as the one line the user gets.
    const Error& error = loaded.error();
    throw FatalError(Error(error.code, error.ToString(), "configuration error"));
  }
  config_ = std::move(loaded).value();
  InitLogging({.level = config_->settings.application.log_level,
               .format = config_->settings.log_format,
               .output = &err_,
               .output_is_tty = err_is_tty_});
  if (!config_->config_file.empty()) spdlog::debug("Read configuration file {}", config_->config_file);
  for (const std::string& warning : config_->warnings) spdlog::warn("{}", warning);
  return *config_;
}

int RunCli(const std::vector<std::string>& args, CliContext& ctx, const CommandRegistrar& register_commands) {
  // Until the configuration is read, log to the context's stream (never spdlog's stdout default).
  InitLogging({.format = LogFormat::AUTO, .output = &ctx.err(), .output_is_tty = ctx.err_is_tty()});
  CLI::App app(
      "sentry-port: syncs a Sentry organization into a Port software catalog.\n"
      "Configured like Port's Ocean Sentry integration (OCEAN__* variables, config.yaml); "
      "see docs/configuration.md.",
      "sentry-port");
  app.set_version_flag("--version", std::string("sentry-port ") + Version());
  app.fallthrough();
  app.require_subcommand(0, 1);
  AddGlobalFlags(app, ctx.flags());
  if (register_commands) register_commands(app, ctx);

  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  try {
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      std::ostringstream out;
      std::ostringstream err;
      int code = app.exit(e, out, err);
      ctx.out() << Redact(out.str());
      ctx.err() << Redact(err.str());
      return code == 0 ? ToInt(ExitCode::OK) : ToInt(ExitCode::CONFIG_ERROR);
    }
    if (app.get_subcommands().empty()) {
      ctx.out() << app.help();
      return ToInt(ExitCode::OK);
    }
    return ToInt(ctx.exit_code());
  } catch (const FatalError& e) {
    PrintError(ctx, e.error().ToString());
    return ToInt(ExitCode::CONFIG_ERROR);
  } catch (const std::exception& e) {
    PrintError(ctx, std::string("failed: ") + e.what());
    return ToInt(ExitCode::RUN_FAILED);
  }
}

}  // namespace sp::cli

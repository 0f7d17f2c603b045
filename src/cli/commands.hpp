#pragma once
// The `sentry-port` command line: the context every command receives and the registration functions.
//
// Adding a command `<name>` (convention for every helper):
//   1. Create src/cli/<name>_command.cpp defining `void Register<Name>Command(CLI::App& app, CliContext& ctx)`
//      and declare it below. It adds one subcommand (`app.add_subcommand("<name>", "...")`), its own options,
//      and a callback that does the work and calls `ctx.SetExitCode(...)`:
//        sub->callback([&ctx, opts] { ctx.SetExitCode(RunMyCommand(ctx, *opts)); });
//      Keep options in a std::shared_ptr<Options> captured by the callback (CLI11 binds to their addresses).
//   2. Add the .cpp to SOURCES in src/cli/CMakeLists.txt and one line to RegisterCommands in src/cli/main.cpp.
//   3. Inside the command: `ctx.Config()` loads the configuration (flags > env > config.yaml > defaults) and sets
//      up logging on first use; write results to `ctx.out()`, diagnostics through spdlog (or `ctx.err()`).
//      Expected failures: return an ExitCode (exit_codes.hpp). Unrecoverable configuration problems: throw
//      sp::FatalError; RunCli prints one redacted line and exits 2. Never call std::exit.
//   4. Test it by calling RunCli with a CliContext over string streams and an explicit Environment
//      (tests/cli/), never the real process environment.
// Global flags (--config, --log-level, --sentry-host, --set KEY=VALUE, ...) are registered by RunCli from the
// settings table (config/keys.hpp) and are accepted before or after the subcommand.

#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/exit_codes.hpp"
#include "config/config.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace sp::cli {

//! Values of the global flags as parsed (turned into config::FlagValue overrides by CliContext::Config()).
struct GlobalFlags {
  std::string config_file;                   //!< --config FILE
  std::map<std::string, std::string> named;  //!< dedicated flag ("--sentry-host") -> value
  std::vector<std::string> set;              //!< --set KEY=VALUE, in order
};

//! What a command gets: the environment it runs in, its output streams, the lazily loaded configuration.
//! Not thread-safe; commands use it from the thread that runs them.
class CliContext {
 public:
  //! `env` replaces the process environment (tests pass their own); `err_is_tty` selects text logs for AUTO.
  CliContext(config::Environment env, std::ostream& out, std::ostream& err, bool err_is_tty = false);

  //! Loads the configuration once (registering its secrets), sets up logging from it and logs the load warnings.
  //! Throws sp::FatalError (exit 2) when the configuration is invalid.
  const config::Config& Config();
  const config::Settings& Settings() { return Config().settings; }

  const config::Environment& env() const { return env_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  bool err_is_tty() const { return err_is_tty_; }
  GlobalFlags& flags() { return flags_; }

  void SetExitCode(ExitCode code) { exit_code_ = code; }
  ExitCode exit_code() const { return exit_code_; }

 private:
  config::Environment env_;
  std::ostream& out_;
  std::ostream& err_;
  bool err_is_tty_;
  GlobalFlags flags_;
  std::optional<config::Config> config_;
  ExitCode exit_code_ = ExitCode::OK;
};

//! Registers the commands of the executable (main.cpp's list; tests pass their own).
using CommandRegistrar = std::function<void(CLI::App& app, CliContext& ctx)>;

//! Parses `args` (args[0] is the program name), runs the chosen command and returns the exit code. Never throws:
//! usage errors and FatalError print one redacted line to ctx.err() and return CONFIG_ERROR; any other exception
//! returns RUN_FAILED. `--help` and `--version` print to ctx.out().
int RunCli(const std::vector<std::string>& args, CliContext& ctx, const CommandRegistrar& register_commands);

//! The version of sentry-port (CMake's project version).
const char* Version();

// ---- commands (one file each: src/cli/<name>_command.cpp) ----

//! `sentry-port config [--json]`: the effective configuration, where each value came from, secrets masked.
void RegisterConfigCommand(CLI::App& app, CliContext& ctx);
//! `sentry-port map --kind KIND [--mapping FILE] [--input FILE|-] [--profile P]`: raw objects -> entities (dry run).
void RegisterMapCommand(CLI::App& app, CliContext& ctx);
//! `sentry-port defaults [blueprints|mapping] [--profile default|seed]`: the embedded default resources.
void RegisterDefaultsCommand(CLI::App& app, CliContext& ctx);
//! `sentry-port jq [-c] [-r] [-n] [-s] [--arg n v] [--argjson n v] [-e] [--port] FILTER [FILE...]`: jq 1.7.1.
void RegisterJqCommand(CLI::App& app, CliContext& ctx);
//! `sentry-port catalog [--db PATH] blueprints | entities BLUEPRINT [--json] | get BLUEPRINT ID | export`:
//! inspect the embedded catalog (tables on a terminal, JSON otherwise).
void RegisterCatalogCommand(CLI::App& app, CliContext& ctx);
//! `sentry-port sync`: one full resync (ONCE), or a dry run (src/cli/sync_command.cpp).
void RegisterSyncCommand(CLI::App& app, CliContext& ctx);

}  // namespace sp::cli

// sentry-port's entry point: the list of commands and the process environment. Everything else is in sp_cli.
#include <unistd.h>

#include <iostream>

#include "cli/commands.hpp"

namespace {

// One line per command (see the convention at the top of cli/commands.hpp).
void RegisterCommands(CLI::App& app, sp::cli::CliContext& ctx) {
  sp::cli::RegisterConfigCommand(app, ctx);
  sp::cli::RegisterMapCommand(app, ctx);
  sp::cli::RegisterDefaultsCommand(app, ctx);
  sp::cli::RegisterJqCommand(app, ctx);
  sp::cli::RegisterCatalogCommand(app, ctx);
  sp::cli::RegisterSyncCommand(app, ctx);
}

}  // namespace

int main(int argc, char** argv) {
  sp::cli::CliContext ctx(sp::config::ProcessEnvironment(), std::cout, std::cerr, ::isatty(STDERR_FILENO) != 0);
  return sp::cli::RunCli(std::vector<std::string>(argv, argv + argc), ctx, RegisterCommands);
}

// `sentry-port defaults [blueprints|mapping] [--profile default|seed]`: prints the blueprints (JSON) and/or the
// port app config (YAML) embedded in the binary, as Port's Sentry integration ships them.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/commands.hpp"
#include "mapping/defaults.hpp"

namespace sp::cli {
namespace {

struct DefaultsOptions {
  std::string what;
  std::string profile = "default";
};

ExitCode RunDefaultsCommand(CliContext& ctx, const DefaultsOptions& options) {
  Result<mapping::Profile> profile = mapping::ParseProfile(options.profile);
  if (!profile.ok()) {
    ctx.err() << "error: " << profile.error().ToString() << "\n";
    return ExitCode::CONFIG_ERROR;
  }
  if (options.what == "blueprints") {
    ctx.out() << mapping::DefaultBlueprints(*profile);
  } else if (options.what == "mapping") {
    ctx.out() << mapping::DefaultMapping(*profile);
  } else if (options.what.empty()) {
    ctx.out() << "# blueprints (JSON)\n"
              << mapping::DefaultBlueprints(*profile) << "\n# port app config (YAML)\n"
              << mapping::DefaultMapping(*profile);
  } else {
    ctx.err() << "error: unknown defaults '" << options.what << "'; choose blueprints or mapping\n";
    return ExitCode::CONFIG_ERROR;
  }
  ctx.out().flush();
  return ExitCode::OK;
}

}  // namespace

void RegisterDefaultsCommand(CLI::App& app, CliContext& ctx) {
  auto options = std::make_shared<DefaultsOptions>();
  CLI::App* sub = app.add_subcommand(
      "defaults", "Print the built-in default blueprints and/or port app config (mapping) of the Sentry integration");
  sub->add_option("what", options->what, "blueprints or mapping (default: both)");
  sub->add_option("--profile", options->profile, "default (what Port ships) or seed (the docs' simple example)")
      ->capture_default_str();
  sub->callback([&ctx, options] { ctx.SetExitCode(RunDefaultsCommand(ctx, *options)); });
}

}  // namespace sp::cli

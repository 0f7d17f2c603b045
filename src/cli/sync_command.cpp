// `sentry-port sync`: one full resync (what OCEAN__EVENT_LISTENER={"type":"ONCE"} runs), or a dry run.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "app/sync_job.hpp"
#include "cli/commands.hpp"

namespace sp::cli {

void RegisterSyncCommand(CLI::App& app, CliContext& ctx) {
  auto options = std::make_shared<app::SyncJobOptions>();
  CLI::App* sub = app.add_subcommand(
      "sync", "Run one full resync: read Sentry, map, write to Port (or the local catalog), delete what is gone");
  sub->add_flag("--dry-run", options->dry_run,
                "Read and map, compare with the target, print what would be created, updated and deleted; write "
                "nothing");
  sub->add_option("--target", options->target,
                  "port | local | local:PATH (default: Port when OCEAN__PORT__CLIENT_ID/SECRET are set, else the "
                  "local catalog)");
  sub->add_option("--mapping", options->mapping_file,
                  "Port app config (YAML or JSON) to use instead of the one stored in Port / the default");
  sub->add_option("--profile", options->profile, "Default resources profile: default | seed");
  sub->add_flag("--json-summary", options->json_summary, "Print the summary as JSON");
  sub->callback([&ctx, options] {
    const auto& settings = ctx.Settings();
    options->progress = ctx.err_is_tty();
    int code = app::RunSyncJob(settings, *options, ctx.out(), ctx.err());
    ctx.SetExitCode(static_cast<ExitCode>(code));
  });
}

}  // namespace sp::cli

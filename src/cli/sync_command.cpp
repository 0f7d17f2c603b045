// `sentry-port sync`: one full resync (what OCEAN__EVENT_LISTENER={"type":"ONCE"} runs), or a dry run.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

#include "app/sync_job.hpp"
#include "base/log.hpp"
#include "cli/commands.hpp"

namespace sp::cli {
namespace {

// When the logs are JSON lines, the job's messages ("Target: ...", "error: ...") become log lines too, so that
// every line on stderr parses. "error:" lines and the indented lines that follow them are errors.
class LogLineBuffer final : public std::streambuf {
 public:
  ~LogLineBuffer() override { Flush(); }

 protected:
  int_type overflow(int_type ch) override {
    if (ch == traits_type::eof()) return traits_type::not_eof(ch);
    if (ch == '\n') {
      Flush();
    } else {
      line_ += static_cast<char>(ch);
    }
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) overflow(traits_type::to_int_type(s[i]));
    return n;
  }

 private:
  void Flush() {
    if (line_.empty()) return;
    bool continuation = line_.rfind("  ", 0) == 0;
    if (!continuation) in_error_ = line_.rfind("error:", 0) == 0;
    if (in_error_) {
      spdlog::error("{}", line_);
    } else {
      spdlog::info("{}", line_);
    }
    line_.clear();
  }

  std::string line_;
  bool in_error_ = false;
};

}  // namespace

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
  sub->add_option("--json-summary", options->json_summary_path,
                  "Summary as JSON (docs/sync-summary.md): to stdout instead of the table (no value or '-'), or to "
                  "FILE in addition to the table")
      ->expected(0, 1)
      ->default_str("-")
      ->type_name("[FILE|-]");
  sub->callback([&ctx, options, sub] {
    const auto& settings = ctx.Settings();
    if (sub->count("--json-summary") > 0 && options->json_summary_path.empty()) options->json_summary_path = "-";
    bool json_logs = ResolveLogFormat(settings.log_format, ctx.err_is_tty()) == LogFormat::JSON;
    // The progress line needs a terminal showing text logs; SetStatusLine checks the same again.
    options->progress = ctx.err_is_tty() && !json_logs;
    if (!json_logs) {
      ctx.SetExitCode(static_cast<ExitCode>(app::RunSyncJob(settings, *options, ctx.out(), ctx.err())));
      return;
    }
    LogLineBuffer buffer;
    std::ostream messages(&buffer);
    int code = app::RunSyncJob(settings, *options, ctx.out(), messages);
    messages.flush();
    ctx.SetExitCode(static_cast<ExitCode>(code));
  });
}

}  // namespace sp::cli

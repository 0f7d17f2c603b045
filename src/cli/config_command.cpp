// `sentry-port config`: the effective configuration as a table (key, value, source) or JSON, every secret
// masked. The whole output also passes through Redact(), so a secret pasted into a non-secret variable is
// masked too.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "base/log.hpp"
#include "base/redact.hpp"
#include "cli/commands.hpp"

namespace sp::cli {
namespace {

struct ConfigOptions {
  bool json = false;
};

std::string RenderTable(const std::vector<config::ConfigRow>& rows, const std::string& file) {
  size_t key_width = 3;
  size_t value_width = 5;
  for (const auto& row : rows) {
    key_width = std::max(key_width, row.key.size());
    value_width = std::max(value_width, std::max<size_t>(row.value.size(), 1));
  }
  auto pad = [](const std::string& text, size_t width) { return text + std::string(width - text.size() + 2, ' '); };
  std::string out = pad("KEY", key_width) + pad("VALUE", value_width) + "SOURCE\n";
  for (const auto& row : rows) {
    out += pad(row.key, key_width) + pad(row.value.empty() ? "-" : row.value, value_width) + row.source + "\n";
  }
  out += "\nconfig file: " + (file.empty() ? std::string("none") : file) + "\n";
  return out;
}

std::string RenderJson(const std::vector<config::ConfigRow>& rows, const std::string& file) {
  std::string out = "{\"config_file\":";
  if (file.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, file);
  }
  out += ",\"settings\":[";
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (i > 0) out += ',';
    out += "{\"key\":";
    AppendJsonString(out, row.key);
    out += ",\"variable\":";
    AppendJsonString(out, row.variable);
    out += ",\"value\":";
    if (row.value.empty()) {
      out += "null";
    } else {
      AppendJsonString(out, row.value);
    }
    out += ",\"source\":";
    AppendJsonString(out, row.source);
    out += ",\"secret\":";
    out += row.secret ? "true" : "false";
    out += '}';
  }
  out += "]}\n";
  return out;
}

ExitCode RunConfigCommand(CliContext& ctx, const ConfigOptions& options) {
  const config::Config& config = ctx.Config();
  auto rows = config::Describe(config);
  std::string text = options.json ? RenderJson(rows, config.config_file) : RenderTable(rows, config.config_file);
  ctx.out() << Redact(text);
  ctx.out().flush();
  return ExitCode::OK;
}

}  // namespace

void RegisterConfigCommand(CLI::App& app, CliContext& ctx) {
  auto options = std::make_shared<ConfigOptions>();
  CLI::App* sub = app.add_subcommand(
      "config", "Print the effective configuration: each value and where it came from (secrets masked)");
  sub->add_flag("--json", options->json, "print JSON instead of a table");
  sub->callback([&ctx, options] { ctx.SetExitCode(RunConfigCommand(ctx, *options)); });
}

}  // namespace sp::cli

// `sentry-port map`: preview a port app config against sample payloads without touching Port. Reads raw items
// (one JSON value, an array, or JSON lines; streamed), prints the entities as JSON lines on stdout and a summary
// of warnings, errors and counters on stderr. Exit 2 on a config or usage error, 1 if any item failed.
#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "json/write.hpp"
#include "mapping/app_config.hpp"
#include "mapping/defaults.hpp"
#include "mapping/entity_mapper.hpp"
#include "mapping/raw_input.hpp"

namespace sp::cli {
namespace {

struct MapOptions {
  std::string mapping_file;
  std::string kind;
  std::string input = "-";
  std::string profile = "default";
};

std::string CountersLine(const mapping::KindMapper& mapper, const mapping::KindCounters& c) {
  std::ostringstream s;
  s << "kind " << mapper.kind() << " (" << mapper.resource().Path() << "): raw " << c.raw;
  if (c.expanded > 0) s << ", expanded " << c.expanded;
  s << ", filtered out " << c.filtered_out << ", selector errors " << c.selector_errors << ", invalid " << c.invalid
    << ", mapped " << c.mapped << ", field errors " << c.field_errors << ", null fields " << c.null_fields;
  return s.str();
}

ExitCode RunMapCommand(CliContext& ctx, const MapOptions& options) {
  std::string text;
  std::string source;
  if (!options.mapping_file.empty()) {
    std::ifstream file(options.mapping_file, std::ios::binary);
    if (!file) {
      ctx.err() << "error: --mapping: cannot read " << options.mapping_file << "\n";
      return ExitCode::CONFIG_ERROR;
    }
    std::ostringstream ss;
    ss << file.rdbuf();
    text = ss.str();
    source = options.mapping_file;
  } else {
    Result<mapping::Profile> profile = mapping::ParseProfile(options.profile);
    if (!profile.ok()) {
      ctx.err() << "error: " << profile.error().ToString() << "\n";
      return ExitCode::CONFIG_ERROR;
    }
    text = std::string(mapping::DefaultMapping(*profile));
    source = std::string("the built-in ") + mapping::ProfileName(*profile) + " mapping";
  }

  mapping::ConfigLoad load = mapping::LoadAppConfig(text);
  for (const mapping::ConfigIssue& w : load.warnings) ctx.err() << "warning: " << w.ToString() << "\n";
  if (!load.ok()) {
    for (const mapping::ConfigIssue& e : load.errors) ctx.err() << "error: " << e.ToString() << "\n";
    ctx.err() << source << ": " << load.errors.size() << " error(s); nothing was mapped\n";
    return ExitCode::CONFIG_ERROR;
  }
  std::vector<mapping::KindMapper> mappers = mapping::MappersForKind(load.config, options.kind);
  if (mappers.empty()) {
    const mapping::KindTable& kinds = mapping::DefaultSentryKinds();
    if (mapping::FindKind(kinds, options.kind) == nullptr) {
      ctx.err() << "error: --kind: unknown kind '" << options.kind
                << "'; supported kinds: " << mapping::KindNames(kinds) << "\n";
    } else {
      std::string present;
      for (const mapping::ResourceConfig& r : load.config->resources) present += (present.empty() ? "" : ", ") + r.kind;
      ctx.err() << "error: --kind: " << source << " has no resource of kind '" << options.kind
                << "' (its kinds: " << (present.empty() ? "none" : present) << ")\n";
    }
    return ExitCode::CONFIG_ERROR;
  }

  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.input != "-") {
    file.open(options.input, std::ios::binary);
    if (!file) {
      ctx.err() << "error: --input: cannot read " << options.input << "\n";
      return ExitCode::CONFIG_ERROR;
    }
    in = &file;
  }

  std::vector<mapping::BatchReport> reports(mappers.size());
  std::string line;
  Status read = mapping::ReadRawItems(*in, [&](std::vector<json::Value>& batch) {
    for (size_t m = 0; m < mappers.size(); ++m) {
      // Derived items (itemsToParse) in groups of 200 as Ocean does: a huge array never makes a huge batch.
      mappers[m].MapInBatches(batch, mapping::KindMapper::kItemsToParseBatchSize,
                              [&](mapping::KindMapper::Batch&& out) {
                                for (const json::Value& entity : out.entities) {
                                  line.clear();
                                  json::Write(entity, line);
                                  line += '\n';
                                  ctx.out() << line;
                                }
                                reports[m].Merge(out.report);
                              });
    }
    return static_cast<bool>(ctx.out());
  });
  ctx.out().flush();

  bool failed = !read.ok();
  for (size_t m = 0; m < mappers.size(); ++m) {
    for (const mapping::Diagnostic& d : reports[m].diagnostics) ctx.err() << d.ToString() << "\n";
    ctx.err() << CountersLine(mappers[m], reports[m].counters)
              << (reports[m].kind_failed ? " -- FAILED: a sync would not delete entities of this kind" : "") << "\n";
    failed = failed || reports[m].kind_failed;
  }
  if (!read.ok()) ctx.err() << "error: " << read.error().ToString() << "\n";
  return failed ? ExitCode::RUN_FAILED : ExitCode::OK;
}

}  // namespace

void RegisterMapCommand(CLI::App& app, CliContext& ctx) {
  auto options = std::make_shared<MapOptions>();
  CLI::App* sub = app.add_subcommand(
      "map", "Map raw Sentry objects to Port entities with a port app config (a dry run: nothing is sent)");
  sub->add_option("--mapping", options->mapping_file, "port app config, YAML or JSON (default: the built-in mapping)");
  sub->add_option("--kind", options->kind, "kind of the raw objects (project, issue, project-tag, issue-tag, ...)")
      ->required();
  sub->add_option("--input", options->input, "raw objects: one JSON value, an array, or JSON lines; - for stdin")
      ->capture_default_str();
  sub->add_option("--profile", options->profile, "built-in mapping used without --mapping: default or seed")
      ->capture_default_str();
  sub->callback([&ctx, options] { ctx.SetExitCode(RunMapCommand(ctx, *options)); });
}

}  // namespace sp::cli

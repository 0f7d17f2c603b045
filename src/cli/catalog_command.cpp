// `sentry-port catalog [--db PATH] blueprints | entities BLUEPRINT [--json] | get BLUEPRINT ID | export`:
// inspect the embedded catalog the local target writes (what a resync produced), as readable tables on a
// terminal and JSON otherwise (or with --json).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "cli/commands.hpp"
#include "json/write.hpp"

namespace sp::cli {
namespace {

struct CatalogCommandOptions {
  std::string db = "sentry-port-catalog.db";
  std::string action;
  std::vector<std::string> args;
  bool json = false;
};

std::string Cell(const json::Value* v, size_t width) {
  std::string s;
  if (v == nullptr || v->IsNull()) {
    s = "-";
  } else if (v->IsString()) {
    s = std::string(v->AsString());
  } else {
    s = json::ToJson(*v);
  }
  if (s.size() > width) s = s.substr(0, width - 3) + "...";
  return s;
}

void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) widths[c] = header[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      out << cells[c];
      if (c + 1 < cells.size()) out << std::string(widths[c] - cells[c].size() + 2, ' ');
    }
    out << "\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
  out << "(" << rows.size() << (rows.size() == 1 ? " row" : " rows") << ")\n";
}

ExitCode Fail(CliContext& ctx, const catalog::ApiError& e) {
  ctx.err() << "error: " << e.message << "\n";
  return e.status == 404 ? ExitCode::RUN_FAILED : (e.status >= 500 ? ExitCode::RUN_FAILED : ExitCode::CONFIG_ERROR);
}

ExitCode RunCatalogCommand(CliContext& ctx, const CatalogCommandOptions& options) {
  const bool table = !options.json && &ctx.out() == &std::cout && isatty(STDOUT_FILENO) == 1;
  const json::WriteOptions pretty{.indent = table ? 2 : 0};
  auto need = [&](size_t n, const char* usage) {
    if (options.args.size() == n) return true;
    ctx.err() << "error: usage: sentry-port catalog " << usage << "\n";
    return false;
  };
  if (options.action != "blueprints" && options.action != "entities" && options.action != "get" &&
      options.action != "export") {
    ctx.err() << "error: unknown catalog action '" << options.action
              << "'; choose blueprints, entities BLUEPRINT, get BLUEPRINT ID or export\n";
    return ExitCode::CONFIG_ERROR;
  }
  // inspecting must never create an empty catalog where the user expected one
  if (options.db != ":memory:" && !std::filesystem::exists(options.db)) {
    ctx.err() << "error: no catalog at " << options.db << " (run a sync with the local target first, or pass --db)\n";
    return ExitCode::CONFIG_ERROR;
  }
  auto opened = catalog::Catalog::Open(options.db);
  if (!opened.ok()) {
    ctx.err() << "error: " << opened.error().message << "\n";
    return ExitCode::CONFIG_ERROR;
  }
  catalog::Catalog& cat = **opened;
  if (options.action == "blueprints") {
    if (!need(0, "blueprints")) return ExitCode::CONFIG_ERROR;
    auto list = cat.ListBlueprints();
    if (!list.ok()) return Fail(ctx, list.error());
    if (!table) {
      ctx.out() << json::ToJson(json::Value::Array(*list), pretty) << "\n";
      return ExitCode::OK;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& bp : *list) {
      const std::string id(bp.Find("identifier")->AsString());
      const json::Value* props = bp.Find("schema")->Find("properties");
      std::string relations;
      for (const auto& m : bp.Find("relations")->Members()) {
        const json::Value* target = m.value.Find("target");
        relations += (relations.empty() ? "" : ", ") + std::string(m.key.AsString()) + "->" +
                     (target != nullptr && target->IsString() ? std::string(target->AsString()) : "?");
      }
      auto count = cat.CountEntities(id);
      rows.push_back({id, Cell(bp.Find("title"), 30), std::to_string(props != nullptr ? props->Size() : 0),
                      relations.empty() ? "-" : relations, count.ok() ? std::to_string(*count) : "?"});
    }
    PrintTable(ctx.out(), {"IDENTIFIER", "TITLE", "PROPERTIES", "RELATIONS", "ENTITIES"}, rows);
    return ExitCode::OK;
  }
  if (options.action == "entities") {
    if (!need(1, "entities BLUEPRINT [--json]")) return ExitCode::CONFIG_ERROR;
    if (auto bp = cat.GetBlueprint(options.args[0]); !bp.ok()) return Fail(ctx, bp.error());
    json::Value query = json::Value::Object();
    query.Set("combinator", json::Value::String("and"));
    json::Value rule = json::Value::Object();
    rule.Set("property", json::Value::String("$blueprint"));
    rule.Set("operator", json::Value::String("="));
    rule.Set("value", json::Value::String(options.args[0]));
    query.Set("rules", json::Value::Array({rule}));
    auto found = cat.Search(query);
    if (!found.ok()) return Fail(ctx, found.error());
    if (!table) {
      ctx.out() << json::ToJson(json::Value::Array(*found), pretty) << "\n";
      return ExitCode::OK;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : *found) {
      rows.push_back({Cell(e.Find("identifier"), 40), Cell(e.Find("title"), 40), Cell(e.Find("updatedAt"), 24),
                      Cell(e.Find("properties"), 60), Cell(e.Find("relations"), 40)});
    }
    PrintTable(ctx.out(), {"IDENTIFIER", "TITLE", "UPDATED", "PROPERTIES", "RELATIONS"}, rows);
    return ExitCode::OK;
  }
  if (options.action == "get") {
    if (!need(2, "get BLUEPRINT ID")) return ExitCode::CONFIG_ERROR;
    auto e = cat.GetEntity(options.args[0], options.args[1]);
    if (!e.ok()) return Fail(ctx, e.error());
    ctx.out() << json::ToJson(*e, pretty) << "\n";
    return ExitCode::OK;
  }
  if (!need(0, "export")) return ExitCode::CONFIG_ERROR;
  auto dump = cat.Export();
  if (!dump.ok()) return Fail(ctx, dump.error());
  ctx.out() << json::ToJson(*dump, pretty) << "\n";
  return ExitCode::OK;
}

}  // namespace

void RegisterCatalogCommand(CLI::App& app, CliContext& ctx) {
  auto options = std::make_shared<CatalogCommandOptions>();
  CLI::App* sub = app.add_subcommand(
      "catalog", "Inspect the embedded catalog: blueprints | entities BLUEPRINT | get BLUEPRINT ID | export");
  sub->add_option("--db", options->db, "catalog file written by the local target")->capture_default_str();
  sub->add_option("action", options->action, "blueprints, entities, get or export")->required();
  sub->add_option("args", options->args, "BLUEPRINT [ID]");
  sub->add_flag("--json", options->json, "JSON even on a terminal");
  sub->callback([&ctx, options] { ctx.SetExitCode(RunCatalogCommand(ctx, *options)); });
}

}  // namespace sp::cli

// `sentry-port jq [-c] [-r] [-j] [-n] [-s] [-a] [-S] [--tab] [--indent n] [--arg n v] [--argjson n v] [-e]
// [--port] FILTER [FILE...]`: the jq engine on the command line, flags and exit codes as jq 1.7.1's
// (0 ok, 1/4 for -e, 2 usage or input errors, 3 compile error, 5 runtime error). `--port` applies Port's
// dialect (single quotes, first output only, errors and no output print null; env empty unless
// OCEAN__ALLOW_ENVIRONMENT_VARIABLES_JQ_ACCESS=true).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "jq/program.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::cli {
namespace {

// jq's own exit statuses (its manual, "Invoking jq"); ExitCode names only 0-2, so the rest are cast.
constexpr int kJqExitFalsy = 1;
constexpr int kJqExitUsage = 2;
constexpr int kJqExitCompile = 3;
constexpr int kJqExitNoOutput = 4;
constexpr int kJqExitRuntime = 5;

struct JqOptions {
  bool compact = false;
  bool raw = false;
  bool join = false;
  bool null_input = false;
  bool slurp = false;
  bool ascii = false;
  bool sort_keys = false;
  bool tab = false;
  int indent = 2;
  bool exit_status = false;
  bool port = false;
  std::vector<std::string> args;
  std::vector<std::string> json_args;
  std::string filter;
  std::vector<std::string> files;
};

ExitCode Code(int jq_status) {
  return static_cast<ExitCode>(jq_status);
}

bool Truthy(std::string_view s) {
  return s == "true" || s == "True" || s == "TRUE" || s == "1";
}

json::Value EnvObject(const config::Environment& env) {
  json::Value obj = json::Value::Object();
  for (const auto& [name, value] : env) obj.Set(name, json::Value::String(value));
  return obj;
}

// "byte N: message" (json::Parse's form) -> "parse error: message at line L, column C" (jq's form, 1-based).
std::string InputErrorText(std::string_view text, const std::string& message) {
  size_t offset = 0;
  size_t i = 0;
  if (message.rfind("byte ", 0) != 0) return "parse error: " + message;
  for (i = 5; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i) {
    offset = offset * 10 + static_cast<size_t>(message[i] - '0');
  }
  std::string rest = message.substr(i);
  if (rest.rfind(": ", 0) == 0) rest = rest.substr(2);
  size_t line = 1;
  size_t column = 1;
  for (size_t k = 0; k < offset && k < text.size(); ++k) {
    if (text[k] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "parse error: " + rest + " at line " + std::to_string(line) + ", column " + std::to_string(column);
}

void Print(CliContext& ctx, const JqOptions& o, const json::Value& v) {
  std::string text;
  if ((o.raw || o.join) && v.IsString()) {
    text = std::string(v.AsString());
  } else {
    json::WriteOptions w{.indent = o.compact ? 0 : (o.tab ? 1 : o.indent), .ascii = o.ascii, .sort_keys = o.sort_keys};
    json::Write(v, text, w);
    if (o.tab && !o.compact) {
      // The writer indents with spaces: one per level here, turned into tabs.
      std::string tabbed;
      bool line_start = true;
      for (char c : text) {
        if (line_start && c == ' ') {
          tabbed += '\t';
          continue;
        }
        line_start = c == '\n';
        tabbed += c;
      }
      text = std::move(tabbed);
    }
  }
  ctx.out() << text;
  if (!o.join) ctx.out() << '\n';
}

ExitCode RunJqCommand(CliContext& ctx, const JqOptions& o) {
  if (o.indent < 0 || o.indent > 7) {
    ctx.err() << "jq: Cannot indent more than 7 characters\n";
    return Code(kJqExitUsage);
  }
  jq::CompileOptions options;
  options.port_dialect = o.port;
  if (!o.port) {
    options.env = EnvObject(ctx.env());
  } else {
    auto it = ctx.env().find("OCEAN__ALLOW_ENVIRONMENT_VARIABLES_JQ_ACCESS");
    if (it != ctx.env().end() && Truthy(it->second)) options.env = EnvObject(ctx.env());
  }
  for (size_t i = 0; i + 1 < o.args.size(); i += 2) {
    options.variables.emplace_back(o.args[i], json::Value::String(o.args[i + 1]));
  }
  for (size_t i = 0; i + 1 < o.json_args.size(); i += 2) {
    auto v = json::Parse(o.json_args[i + 1]);
    if (!v.ok()) {
      ctx.err() << "jq: Invalid JSON text passed to --argjson: " << v.error().message << "\n";
      return Code(kJqExitUsage);
    }
    options.variables.emplace_back(o.json_args[i], v.value());
  }
  auto program = jq::Program::Compile(o.filter, options);
  if (!program.ok()) {
    ctx.err() << "jq: error: " << program.error().message << "\njq: 1 compile error\n";
    return Code(kJqExitCompile);
  }

  int status = 0;
  bool any_output = false;
  bool last_truthy = false;
  auto process = [&](const json::Value& input, const std::string& where) {
    if (o.port) {
      auto first = program->First(input);
      if (!first.ok()) {
        ctx.err() << "jq: warning (port dialect gives null): " << first.error().message << "\n";
        Print(ctx, o, json::Value());
      } else {
        Print(ctx, o, first.value());
      }
      any_output = true;
      last_truthy = first.ok() && first.value().IsTruthy();
      return;
    }
    auto st = program->Run(input, [&](const json::Value& v) {
      Print(ctx, o, v);
      any_output = true;
      last_truthy = v.IsTruthy();
      return static_cast<bool>(ctx.out());
    });
    if (!st.ok()) {
      ctx.err() << "jq: error (at " << where << "): " << st.error().message << "\n";
      status = kJqExitRuntime;
    }
  };

  if (o.null_input) {
    // As jq: with -n the program runs once on null and the inputs are not read (-s does not change that).
    process(json::Value(), "<unknown>");
  } else {
    // Each input value runs as soon as it is parsed (jq streams too); -s collects them into one array first.
    std::vector<json::Value> slurped;
    std::vector<std::string> names = o.files;
    if (names.empty()) names.push_back("-");
    for (const std::string& file : names) {
      const std::string where = file == "-" ? "<stdin>" : file;
      std::string text;
      if (file == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        text = ss.str();
      } else {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
          ctx.err() << "jq: error: Could not open " << file << ": No such file or directory\n";
          status = kJqExitUsage;
          continue;
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
      }
      // jq's reader takes `nan`, `NaN` and `Infinity` literals in its input; so does ours here.
      json::ParseOptions jq_reader;
      jq_reader.allow_nan = true;
      auto st = json::ParseSequence(
          text,
          [&](json::Value v) {
            if (o.slurp) {
              slurped.push_back(std::move(v));
            } else {
              process(v, where);
            }
            return static_cast<bool>(ctx.out());
          },
          jq_reader);
      if (!st.ok()) {
        ctx.err() << "jq: error (at " << where << "): " << InputErrorText(text, st.error().message) << "\n";
        status = kJqExitUsage;
      }
    }
    if (o.slurp && status == 0) process(json::Value::Array(std::move(slurped)), "<slurped input>");
  }
  ctx.out().flush();
  if (status != 0) return Code(status);
  if (o.exit_status) {
    if (!any_output) return Code(kJqExitNoOutput);
    if (!last_truthy) return Code(kJqExitFalsy);
  }
  return ExitCode::OK;
}

}  // namespace

void RegisterJqCommand(CLI::App& app, CliContext& ctx) {
  auto options = std::make_shared<JqOptions>();
  CLI::App* sub = app.add_subcommand("jq", "run a jq 1.7.1 filter on JSON inputs (as the jq command does)");
  sub->add_flag("-c,--compact-output", options->compact, "compact output");
  sub->add_flag("-r,--raw-output", options->raw, "strings without quotes");
  sub->add_flag("-j,--join-output", options->join, "like -r, without newlines");
  sub->add_flag("-n,--null-input", options->null_input, "run once with null as input");
  sub->add_flag("-s,--slurp", options->slurp, "read all inputs into one array");
  sub->add_flag("-a,--ascii-output", options->ascii, "escape non-ASCII characters");
  sub->add_flag("-S,--sort-keys", options->sort_keys, "sort object keys");
  sub->add_flag("--tab", options->tab, "indent with tabs");
  sub->add_option("--indent", options->indent, "indent with n spaces (0-7)");
  sub->add_flag("-e,--exit-status", options->exit_status, "exit 1 if the last output is false/null, 4 if none");
  sub->add_flag("--port", options->port, "Port's dialect: single quotes, first output only, errors give null");
  sub->add_option("--arg", options->args, "--arg NAME VALUE: $NAME is the string VALUE")
      ->type_size(2)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--argjson", options->json_args, "--argjson NAME JSON: $NAME is the JSON value")
      ->type_size(2)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("filter", options->filter, "the jq program")->required();
  sub->add_option("files", options->files, "input files (default: stdin)");
  sub->callback([&ctx, options] { ctx.SetExitCode(RunJqCommand(ctx, *options)); });
}

}  // namespace sp::cli

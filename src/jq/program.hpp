#pragma once
// The jq engine's contract: compile a jq 1.7.1 program once, run it on many inputs from many threads.
//
// - Program is immutable after Compile() and safe to Run() concurrently from any number of threads; there is
//   no global state (builtins are compiled once per process into a shared, immutable library).
// - Every run is bounded by Limits: a program that loops, recurses too deep or produces too much ends with an
//   ErrorCode::LIMIT_EXCEEDED error instead of hanging, exhausting memory or overflowing the stack.
// - Compile errors say line:column, show the offending text and a caret (ErrorCode::PARSE).
// - Runtime errors are jq's error values; their text matches jq 1.7.1 for common cases
//   (`Cannot index number with "foo"`, `null (null) and string ("x") cannot be added`).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"

namespace sp::jq {

struct Limits {
  uint64_t max_steps = 50'000'000;       //!< evaluation steps per Run (a cheap mapping field uses < 100)
  uint32_t max_depth = 2000;             //!< nested calls of jq functions (each uses the C++ stack)
  uint32_t max_recurse_depth = 100'000;  //!< levels of `..` / recurse(f) (an explicit stack, not the C++ one)
  uint64_t max_outputs = 10'000'000;     //!< values emitted per Run
  size_t max_value_bytes = 256u << 20;   //!< approximate size of any single built value
};

struct CompileOptions {
  //! Port's dialect (port-api.md §6.1): single-quoted strings become double-quoted before compiling.
  bool port_dialect = false;
  //! `env` / `$ENV` see this object; when null they see {} (OCEAN__ALLOW_ENVIRONMENT_VARIABLES_JQ_ACCESS).
  json::Value env;
  //! Named variables ($name -> value), e.g. from --arg / --argjson; also visible in $__named... as jq does.
  std::vector<std::pair<std::string, json::Value>> variables;
  Limits limits;
};

class Program {
 public:
  //! Compiles `source`. Error: ErrorCode::PARSE with "line L, column C: message" and a caret line.
  static Result<Program> Compile(std::string_view source, const CompileOptions& options = {});

  //! Runs the program on `input`, calling `on_output` for each output in order (return false to stop early).
  //! Returns the first uncaught error (outputs emitted before it stay emitted). Thread-safe.
  Status Run(const json::Value& input, const std::function<bool(const json::Value&)>& on_output) const;
  //! All outputs, or the error.
  Result<std::vector<json::Value>> RunAll(const json::Value& input) const;
  //! Ocean's reading of a mapping field: the first output; no output gives null; an error gives the error
  //! (the mapping layer turns it into null plus a warning).
  Result<json::Value> First(const json::Value& input) const;

  //! The source as given to Compile (before dialect rewriting), for messages.
  const std::string& source() const;

 private:
  struct Compiled;
  explicit Program(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
  std::shared_ptr<const Compiled> compiled_;
};

//! Port's single-quote rewrite on its own (exposed for tests and for `sentry-port jq --port`).
std::string PortDialectRewrite(std::string_view source);

}  // namespace sp::jq

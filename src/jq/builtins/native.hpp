#pragma once
// Native (C++) builtins: the interface between the evaluator and the builtin families
// (string.cpp, regex.cpp, math.cpp, date.cpp, format.cpp, core.cpp, ...).
//
// A native builtin receives the input and its arguments already evaluated to single values (the evaluator
// runs the cartesian product over argument outputs, as jq does for its C functions) and returns one value or an
// error message. Errors are jq error values whose text matches jq 1.7.1 (build them with jq/errors.hpp
// helpers). Functions must be pure and thread-safe: no globals, no locale, no static mutable state.

#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"

namespace sp::jq {

//! Per-run facts a builtin may need.
struct NativeContext {
  const json::Value* env = nullptr;  //!< the object `env`/`$ENV` return ({} unless access is allowed)
};

//! Result<Value>: the error's message is the jq error value (a string). Builtins that need to raise a
//! non-string error value are written in jq instead.
using NativeFn = Result<json::Value> (*)(const json::Value& input, std::span<const json::Value> args,
                                         const NativeContext& ctx);

struct NativeBuiltin {
  const char* name;  //!< jq name; names starting with '_' are helpers for jq-level definitions
  int arity;         //!< number of arguments (each evaluated to a value)
  NativeFn fn;
};

//! Each family exposes its table; registry.cpp concatenates them.
std::span<const NativeBuiltin> CoreBuiltins();
std::span<const NativeBuiltin> StringBuiltins();
std::span<const NativeBuiltin> RegexBuiltins();
std::span<const NativeBuiltin> MathBuiltins();
std::span<const NativeBuiltin> DateBuiltins();
std::span<const NativeBuiltin> FormatBuiltins();

//! `@name` string formats (`@base64`, `@csv`, ...): applies the format to `input`. Error for an unknown name
//! ("<name> is not a valid format") or an input the format rejects.
Result<json::Value> ApplyFormat(std::string_view name, const json::Value& input);

}  // namespace sp::jq

#pragma once
// Test helpers: build values from JSON text and call a native builtin by name and arity from its family table.

#include <gtest/gtest.h>

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jq/builtins/native.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::jq::testing {

inline json::Value J(std::string_view text) {
  auto parsed = json::Parse(text);
  EXPECT_TRUE(parsed.ok()) << "bad JSON in test: " << text;
  return parsed.ok() ? parsed.value() : json::Value();
}

inline std::string Dump(const json::Value& v) {
  return json::ToJson(v);
}

inline Result<json::Value> Call(std::span<const NativeBuiltin> table, std::string_view name, const json::Value& input,
                                std::initializer_list<json::Value> args = {}) {
  const std::vector<json::Value> argv(args);
  for (const NativeBuiltin& b : table) {
    if (name == b.name && b.arity == static_cast<int>(argv.size())) {
      static const json::Value kEnv = json::Value::Object();
      NativeContext ctx{&kEnv};
      return b.fn(input, argv, ctx);
    }
  }
  ADD_FAILURE() << "no native " << name << "/" << argv.size();
  return Error{ErrorCode::INTERNAL, "missing native"};
}

//! The output as compact JSON, or "error: <message>".
inline std::string Run(std::span<const NativeBuiltin> table, std::string_view name, std::string_view input_json,
                       std::initializer_list<json::Value> args = {}) {
  auto r = Call(table, name, J(input_json), args);
  if (!r.ok()) return "error: " + r.error().message;
  return Dump(r.value());
}

}  // namespace sp::jq::testing

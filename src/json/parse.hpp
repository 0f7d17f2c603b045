#pragma once
// JSON text -> json::Value, on simdjson (On-Demand, so number literals keep their text).
//
// Errors name the byte offset and what was expected ("byte 17: expected ',' or '}' after an object member").
// Nesting deeper than ParseOptions::max_depth is an error, never a stack overflow. Invalid UTF-8 is an error.

#include <functional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "json/value.hpp"

namespace sp::json {

struct ParseOptions {
  size_t max_depth = 1024;  //!< arrays/objects nested deeper than this are rejected
};

//! Exactly one JSON value (surrounding whitespace allowed).
Result<Value> Parse(std::string_view text, const ParseOptions& options = {});

//! A sequence of JSON values separated by whitespace (JSON lines, concatenated JSON, jq's input format).
//! Calls `on_value` for each in order; stops at the first error (reported with its byte offset) or when
//! `on_value` returns false. Memory stays bounded by the largest single value, not the whole text.
Status ParseSequence(std::string_view text, const std::function<bool(Value)>& on_value,
                     const ParseOptions& options = {});

}  // namespace sp::json

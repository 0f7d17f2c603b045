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
  size_t max_depth = 1024;  //!< arrays/objects nested deeper than this are rejected (capped at MAX_PARSE_DEPTH)
  //! Build the whole document in one block (the fast path; values behave exactly the same). The block is freed
  //! when the last Value pointing into any part of it goes, so keeping one small piece of a large document
  //! keeps the whole block: turn this off for a document of which only small parts are kept for long.
  bool arena = true;
  //! Accept the non-JSON numbers jq 1.7.1's reader takes: `nan` (also with a payload: `nan123`), and in any
  //! case `NaN`, `sNaN`, `Inf`, `Infinity`, each optionally signed. NaN reads as NaN (printed as null),
  //! infinities as +-infinity (printed as +-1.7976931348623157e+308). Off: they are parse errors, as in JSON.
  bool allow_nan = false;
};

//! Upper bound on ParseOptions::max_depth: the builder recurses once per level, so this bounds its stack use.
inline constexpr size_t MAX_PARSE_DEPTH = 10000;

//! Readable bytes ParsePadded needs after the text (simdjson reads ahead in 64-byte blocks).
inline constexpr size_t PARSE_PADDING = 64;

//! Exactly one JSON value (surrounding whitespace allowed).
Result<Value> Parse(std::string_view text, const ParseOptions& options = {});

//! Parse without copying: `capacity` bytes starting at text.data() must be readable (their content past the
//! text does not matter), with capacity >= text.size() + PARSE_PADDING (e.g. a std::string whose capacity was
//! reserved); otherwise this falls back to copying.
Result<Value> ParsePadded(std::string_view text, size_t capacity, const ParseOptions& options = {});

//! A sequence of JSON values separated by whitespace (JSON lines, concatenated JSON, jq's input format).
//! Calls `on_value` for each in order; stops at the first error (reported with its byte offset) or when
//! `on_value` returns false. Memory stays bounded by the largest single value, not the whole text.
Status ParseSequence(std::string_view text, const std::function<bool(Value)>& on_value,
                     const ParseOptions& options = {});

}  // namespace sp::json

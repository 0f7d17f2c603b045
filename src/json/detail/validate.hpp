#pragma once
// Internal: a strict, slow-but-exact JSON checker used on the error path to say what was expected and where.

#include <cstddef>
#include <string>
#include <string_view>

namespace sp::json::detail {

struct SyntaxError {
  size_t offset = 0;            //!< byte offset into the checked text
  std::string what;             //!< e.g. "expected ',' or ']' after an array element"
  bool depth = false;           //!< the nesting limit was hit (not a syntax error)
  bool lone_surrogate = false;  //!< a \u escape encodes an unpaired UTF-16 surrogate (valid: read as U+FFFD)
};

//! Checks that `text` is exactly one JSON value (surrounding whitespace allowed). Returns false and fills `err`
//! at the first problem. Iterative: any nesting depth is safe.
bool Validate(std::string_view text, size_t max_depth, SyntaxError& err);

//! Rewrites every \u escape of an unpaired surrogate in `text` to \ufffd (same length, so offsets hold), as jq
//! reads them. Returns whether anything changed.
bool ReplaceLoneSurrogates(std::string& text);

//! Whether `token` follows JSON's number grammar exactly.
bool IsJsonNumber(std::string_view token);

}  // namespace sp::json::detail

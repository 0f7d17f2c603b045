#pragma once
// Internal: a strict, slow-but-exact JSON checker used on the error path to say what was expected and where.

#include <cstddef>
#include <string>
#include <string_view>

namespace sp::json::detail {

struct SyntaxError {
  size_t offset = 0;   //!< byte offset into the checked text
  std::string what;    //!< e.g. "expected ',' or ']' after an array element"
  bool depth = false;  //!< the nesting limit was hit (not a syntax error)
};

//! Checks that `text` is exactly one JSON value (surrounding whitespace allowed). Returns false and fills `err`
//! at the first problem. Iterative: any nesting depth is safe.
bool Validate(std::string_view text, size_t max_depth, SyntaxError& err);

//! Whether `token` follows JSON's number grammar exactly.
bool IsJsonNumber(std::string_view token);

}  // namespace sp::json::detail

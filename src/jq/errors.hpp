#pragma once
// jq 1.7.1's runtime error texts, in one place, so every family words them the same way
// (`Cannot index number with string "a"`, `null (null) and string ("x") cannot be added`).
// Values inside messages are previews: the compact JSON text, cut to 11 bytes plus "..." when longer than 14.

#include <string>
#include <string_view>

#include "json/value.hpp"

namespace sp::jq {

//! jq's truncated dump of a value for error messages.
std::string ValuePreview(const json::Value& v);
//! "<type> (<preview>)", e.g. `number (1)`.
std::string TypedPreview(const json::Value& v);
//! `Cannot index <type> with string "key"` / `Cannot index <type> with <type>`.
std::string CannotIndex(const json::Value& container, const json::Value& key);
//! `Cannot iterate over <type> (<preview>)` (null: `Cannot iterate over null`).
std::string CannotIterate(const json::Value& v);
//! `<a> and <b> cannot be <verb>` for binary operators (verb: "added", "subtracted", ...).
std::string CannotBinop(const json::Value& a, const json::Value& b, std::string_view verb);
//! `<type> (<preview>) <what>`, e.g. `string ("x") cannot be negated`, `number (1) has no keys`.
std::string TypeError(const json::Value& v, std::string_view what);

}  // namespace sp::jq

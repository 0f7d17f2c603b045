#pragma once
// jq 1.7.1 operators on json::Value: arithmetic, indexing, slicing and the path primitives
// (getpath/setpath/delpaths). Pure functions; errors carry jq's message (the jq error value is that string).

#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "jq/ast.hpp"
#include "json/value.hpp"

namespace sp::jq {

Result<json::Value> BinaryOp(BinOp op, const json::Value& a, const json::Value& b);
Result<json::Value> Add(const json::Value& a, const json::Value& b);
Result<json::Value> Negate(const json::Value& v);

//! `v[key]` for a string/number/object(slice)/array(indices) key; null input gives null.
Result<json::Value> Index(const json::Value& v, const json::Value& key);
//! `v[from:to]` (null bounds are open).
Result<json::Value> Slice(const json::Value& v, const json::Value& from, const json::Value& to);
//! A slice path component: {"start": from, "end": to}.
json::Value SliceKey(const json::Value& from, const json::Value& to);

Result<json::Value> GetPath(const json::Value& v, std::span<const json::Value> path);
Result<json::Value> SetPath(const json::Value& v, std::span<const json::Value> path, const json::Value& x);
//! Deletes every path (sorted, longest/last first, as jq does).
Result<json::Value> DelPaths(const json::Value& v, std::vector<json::Value> paths);

//! Codepoint count of UTF-8 text.
size_t Utf8Length(std::string_view s);
//! `a / b` on strings: split by a separator ("" splits into... jq gives [] for empty input).
json::Value SplitString(std::string_view s, std::string_view sep);
//! Rough size of a value, for Limits::max_value_bytes.
size_t ApproxSize(const json::Value& v);

}  // namespace sp::jq

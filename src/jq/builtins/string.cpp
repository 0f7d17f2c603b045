// String builtins of jq 1.7.1: ltrimstr, rtrimstr, startswith, endswith, explode, implode, ascii_downcase,
// ascii_upcase, split/1 and the `_indices` helper behind index/rindex/indices (see families.jq).
//
// Offsets from `_indices` on strings are BYTE offsets, as jq 1.7.1 reports them (jq 1.8 switched to code
// points); an empty needle finds nothing, so `index("")` is null and never loops.

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jq/builtins/detail/text.hpp"
#include "jq/builtins/native.hpp"

namespace sp::jq {
namespace {

using json::Value;

// Non-string input or argument: the input comes back unchanged (jq 1.7.1, #2977).
Result<Value> LtrimStr(const Value& input, std::span<const Value> args, const NativeContext&) {
  if (!input.IsString() || !args[0].IsString()) return input;
  const std::string_view s = input.AsString();
  const std::string_view prefix = args[0].AsString();
  if (!s.starts_with(prefix)) return input;
  return Value::String(s.substr(prefix.size()));
}

Result<Value> RtrimStr(const Value& input, std::span<const Value> args, const NativeContext&) {
  if (!input.IsString() || !args[0].IsString()) return input;
  const std::string_view s = input.AsString();
  const std::string_view suffix = args[0].AsString();
  if (!s.ends_with(suffix)) return input;
  return Value::String(s.substr(0, s.size() - suffix.size()));
}

Result<Value> StartsWith(const Value& input, std::span<const Value> args, const NativeContext&) {
  if (!input.IsString() || !args[0].IsString()) return detail::RuntimeError("startswith() requires string inputs");
  return Value::Bool(input.AsString().starts_with(args[0].AsString()));
}

Result<Value> EndsWith(const Value& input, std::span<const Value> args, const NativeContext&) {
  if (!input.IsString() || !args[0].IsString()) return detail::RuntimeError("endswith() requires string inputs");
  return Value::Bool(input.AsString().ends_with(args[0].AsString()));
}

Result<Value> Explode(const Value& input, std::span<const Value>, const NativeContext&) {
  if (!input.IsString()) return detail::RuntimeError("explode input must be a string");
  const std::string_view s = input.AsString();
  std::vector<Value> out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) out.push_back(Value::Number(detail::NextCodepoint(s, pos)));
  return Value::Array(std::move(out));
}

// Code points are truncated toward zero; anything outside U+0000..U+10FFFF or in the surrogate range becomes
// U+FFFD (jq 1.7.1's suite); non-numbers and NaN are errors.
Result<Value> Implode(const Value& input, std::span<const Value>, const NativeContext&) {
  if (!input.IsArray()) return detail::RuntimeError("implode input must be an array");
  std::string out;
  out.reserve(input.Size());
  for (const Value& item : input.Items()) {
    if (!item.IsNumber() || std::isnan(item.AsNumber())) {
      return detail::TypeError(item, "can't be imploded, unicode codepoint needs to be numeric");
    }
    const double d = std::trunc(item.AsNumber());
    uint32_t cp = detail::kReplacementChar;
    if (d >= 0 && d <= 0x10FFFF && !(d >= 0xD800 && d <= 0xDFFF)) cp = static_cast<uint32_t>(d);
    detail::AppendUtf8(out, cp);
  }
  return Value::String(std::move(out));
}

Result<Value> AsciiCase(const Value& input, bool upper, const char* name) {
  if (!input.IsString()) return detail::RuntimeError(std::string(name) + " input must be a string");
  std::string s(input.AsString());
  for (char& c : s) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return Value::String(std::move(s));
}

Result<Value> AsciiDowncase(const Value& input, std::span<const Value>, const NativeContext&) {
  return AsciiCase(input, false, "ascii_downcase");
}

Result<Value> AsciiUpcase(const Value& input, std::span<const Value>, const NativeContext&) {
  return AsciiCase(input, true, "ascii_upcase");
}

// split/1 splits on a literal separator. "" splits into code points; an empty input gives [].
Result<Value> Split(const Value& input, std::span<const Value> args, const NativeContext&) {
  if (!input.IsString() || !args[0].IsString())
    return detail::RuntimeError("split input and separator must be strings");
  const std::string_view s = input.AsString();
  const std::string_view sep = args[0].AsString();
  std::vector<Value> parts;
  if (s.empty()) return Value::Array();
  if (sep.empty()) {
    size_t pos = 0;
    while (pos < s.size()) {
      const size_t start = pos;
      detail::NextCodepoint(s, pos);
      parts.push_back(Value::String(s.substr(start, pos - start)));
    }
    return Value::Array(std::move(parts));
  }
  size_t start = 0;
  while (true) {
    const size_t hit = s.find(sep, start);
    if (hit == std::string_view::npos) break;
    parts.push_back(Value::String(s.substr(start, hit - start)));
    start = hit + sep.size();
  }
  parts.push_back(Value::String(s.substr(start)));
  return Value::Array(std::move(parts));
}

// Overlapping occurrences, byte offsets (jq 1.7.1).
Value StringIndices(std::string_view s, std::string_view needle) {
  std::vector<Value> out;
  if (!needle.empty()) {
    for (size_t hit = s.find(needle); hit != std::string_view::npos; hit = s.find(needle, hit + 1)) {
      out.push_back(Value::Number(static_cast<double>(hit)));
    }
  }
  return Value::Array(std::move(out));
}

// Start positions where `needle` occurs as a contiguous run of `items`; an empty needle matches nowhere.
Value ArrayIndices(std::span<const Value> items, std::span<const Value> needle) {
  std::vector<Value> out;
  if (!needle.empty() && needle.size() <= items.size()) {
    for (size_t i = 0; i + needle.size() <= items.size(); ++i) {
      bool all = true;
      for (size_t j = 0; j < needle.size() && all; ++j) all = items[i + j] == needle[j];
      if (all) out.push_back(Value::Number(static_cast<double>(i)));
    }
  }
  return Value::Array(std::move(out));
}

Result<Value> StrIndices(const Value& input, std::span<const Value> args, const NativeContext&) {
  if (!input.IsString() || !args[0].IsString()) {
    return detail::RuntimeError("_strindices/1 requires string inputs and arguments");
  }
  return StringIndices(input.AsString(), args[0].AsString());
}

// `indices/1` for the two shapes it searches: strings in strings, and arrays (an array argument is a
// sub-sequence, anything else one element). families.jq sends every other shape to `.[$i]`.
Result<Value> Indices(const Value& input, std::span<const Value> args, const NativeContext&) {
  const Value& needle = args[0];
  if (input.IsString() && needle.IsString()) return StringIndices(input.AsString(), needle.AsString());
  if (input.IsArray()) {
    if (needle.IsArray()) return ArrayIndices(input.Items(), needle.Items());
    return ArrayIndices(input.Items(), std::span<const Value>(&needle, 1));
  }
  return detail::TypeError(input, "cannot be searched, as it is not a string or an array");
}

constexpr NativeBuiltin kStringBuiltins[] = {
    {"ltrimstr", 1, LtrimStr},
    {"rtrimstr", 1, RtrimStr},
    {"startswith", 1, StartsWith},
    {"endswith", 1, EndsWith},
    {"explode", 0, Explode},
    {"implode", 0, Implode},
    {"ascii_downcase", 0, AsciiDowncase},
    {"ascii_upcase", 0, AsciiUpcase},
    {"split", 1, Split},
    {"_strindices", 1, StrIndices},
    {"_indices", 1, Indices},
};

}  // namespace

std::span<const NativeBuiltin> StringBuiltins() {
  return kStringBuiltins;
}

}  // namespace sp::jq

#pragma once
// Helpers shared by the builtin families: jq 1.7.1 error values and UTF-8 handling.
//
// Header-only (the families' .cpp files are the only translation units of this folder). Everything here is
// pure and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "jq/errors.hpp"
#include "json/value.hpp"
#include "json/write.hpp"

namespace sp::jq::detail {

inline Error RuntimeError(std::string message) {
  return Error{ErrorCode::RUNTIME, std::move(message)};
}

//! "<type> (<preview>) <what>", the shape of jq's type errors (`string ("a") can't be imploded, ...`); the
//! wording comes from jq/errors.hpp so that every family matches.
inline Error TypeError(const json::Value& v, std::string_view what) {
  return RuntimeError(jq::TypeError(v, what));
}

constexpr uint32_t kReplacementChar = 0xFFFD;

//! Decodes the code point at `pos` and advances `pos`. An invalid or truncated sequence yields U+FFFD and
//! consumes its start byte plus the continuation bytes that were valid, as jq's decoder does.
inline uint32_t NextCodepoint(std::string_view s, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char first = byte(pos);
  size_t length = 0;
  uint32_t cp = 0;
  if (first < 0x80) {
    ++pos;
    return first;
  } else if ((first & 0xE0) == 0xC0) {
    length = 2;
    cp = first & 0x1F;
  } else if ((first & 0xF0) == 0xE0) {
    length = 3;
    cp = first & 0x0F;
  } else if ((first & 0xF8) == 0xF0) {
    length = 4;
    cp = first & 0x07;
  } else {
    ++pos;
    return kReplacementChar;
  }
  size_t i = 1;
  for (; i < length; ++i) {
    if (pos + i >= s.size() || (byte(pos + i) & 0xC0) != 0x80) {
      pos += i;
      return kReplacementChar;
    }
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  pos += length;
  static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kReplacementChar;
  return cp;
}

//! Appends the UTF-8 encoding of `cp` (which must be a valid scalar value).
inline void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

//! `bytes` as valid UTF-8: every invalid sequence becomes U+FFFD (what jq does to decoded @base64d output).
inline std::string SanitizeUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t start = pos;
    const uint32_t cp = NextCodepoint(bytes, pos);
    if (cp == kReplacementChar) {
      AppendUtf8(out, cp);
    } else {
      out.append(bytes.substr(start, pos - start));
    }
  }
  return out;
}

//! jq's `tostring`: strings as they are, everything else as compact JSON.
inline std::string ToText(const json::Value& v) {
  if (v.IsString()) return std::string(v.AsString());
  return json::ToJson(v);
}

}  // namespace sp::jq::detail

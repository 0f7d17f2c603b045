// `@name` string formats and the `format/1` builtin (jq 1.7.1 manual, "Format strings and escaping").
//
// Every format but @json, @csv, @tsv and @sh first turns its input into text the way `tostring` does.
// Texts of errors follow jq 1.7.1 ("... is not valid in a csv row", "... can not be escaped for shell").

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "jq/builtins/detail/text.hpp"
#include "jq/builtins/native.hpp"
#include "json/write.hpp"

namespace sp::jq {
namespace {

using json::Value;

constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string Html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\'': out += "&apos;"; break;  // jq 1.7.1's test suite: `'` -> &apos;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// jq 1.7.1 keeps only RFC 3986's unreserved characters; 1.6 also kept !*'() (the suite checks `!()'`).
std::string Uri(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
                            b == '_' || b == '.' || b == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

std::string Base64(std::string_view s) {
  std::string out;
  out.reserve((s.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= s.size(); i += 3) {
    const uint32_t n = (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8) |
                       static_cast<unsigned char>(s[i + 2]);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += kBase64Alphabet[n & 63];
  }
  const size_t rest = s.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(s[i])) << 16;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8;
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Decoding stops at the first '=', so missing padding is fine; a lone trailing symbol carries fewer than 8
// bits and is an error, as in jq 1.7.1.
Result<Value> Base64Decode(const Value& input, std::string_view s) {
  std::string bytes;
  bytes.reserve(s.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int count = 0;
  for (char c : s) {
    if (c == '=') break;
    const size_t v = kBase64Alphabet.find(c);
    if (v == std::string_view::npos) return detail::TypeError(input, "is not valid base64 data");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      bytes += static_cast<char>((acc >> 16) & 0xFF);
      bytes += static_cast<char>((acc >> 8) & 0xFF);
      bytes += static_cast<char>(acc & 0xFF);
      acc = 0;
      count = 0;
    }
  }
  if (count == 1) return detail::TypeError(input, "trailing base64 byte found");
  if (count == 2) bytes += static_cast<char>((acc >> 4) & 0xFF);
  if (count == 3) {
    bytes += static_cast<char>((acc >> 10) & 0xFF);
    bytes += static_cast<char>((acc >> 2) & 0xFF);
  }
  return Value::String(detail::SanitizeUtf8(bytes));
}

std::string Base32(std::string_view s) {
  std::string out;
  out.reserve((s.size() + 4) / 5 * 8);
  for (size_t i = 0; i < s.size(); i += 5) {
    const size_t n = std::min<size_t>(5, s.size() - i);
    uint64_t block = 0;
    for (size_t j = 0; j < 5; ++j) {
      block = (block << 8) | (j < n ? static_cast<unsigned char>(s[i + j]) : 0);
    }
    static constexpr std::array<size_t, 6> kSymbolsFor = {0, 2, 4, 5, 7, 8};
    const size_t symbols = kSymbolsFor[n];
    for (size_t k = 0; k < 8; ++k) {
      out += k < symbols ? kBase32Alphabet[(block >> (35 - 5 * k)) & 31] : '=';
    }
  }
  return out;
}

Result<Value> Base32Decode(const Value& input, std::string_view s) {
  std::string bytes;
  uint64_t acc = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    const size_t v = kBase32Alphabet.find(c);
    if (v == std::string_view::npos) return detail::TypeError(input, "is not valid base32 data");
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return Value::String(detail::SanitizeUtf8(bytes));
}

// A number cell of @csv/@tsv: jq prints it as JSON would; NaN gives an empty cell.
void AppendNumberCell(std::string& out, const Value& v) {
  if (std::isnan(v.AsNumber())) return;
  json::Write(v, out);
}

Result<Value> Csv(const Value& input) {
  if (!input.IsArray()) return detail::TypeError(input, "cannot be csv-formatted, only an array can be");
  std::string out;
  bool first = true;
  for (const Value& cell : input.Items()) {
    if (!first) out += ',';
    first = false;
    switch (cell.kind()) {
      case json::Kind::NULL_VALUE: break;
      case json::Kind::FALSE_VALUE: out += "false"; break;
      case json::Kind::TRUE_VALUE: out += "true"; break;
      case json::Kind::NUMBER: AppendNumberCell(out, cell); break;
      case json::Kind::STRING:
        out += '"';
        for (char c : cell.AsString()) {
          if (c == '"') out += '"';
          out += c;
        }
        out += '"';
        break;
      default: return detail::TypeError(cell, "is not valid in a csv row");
    }
  }
  return Value::String(std::move(out));
}

Result<Value> Tsv(const Value& input) {
  if (!input.IsArray()) return detail::TypeError(input, "cannot be tsv-formatted, only an array can be");
  std::string out;
  bool first = true;
  for (const Value& cell : input.Items()) {
    if (!first) out += '\t';
    first = false;
    switch (cell.kind()) {
      case json::Kind::NULL_VALUE: break;
      case json::Kind::FALSE_VALUE: out += "false"; break;
      case json::Kind::TRUE_VALUE: out += "true"; break;
      case json::Kind::NUMBER: AppendNumberCell(out, cell); break;
      case json::Kind::STRING:
        for (char c : cell.AsString()) {
          switch (c) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
          }
        }
        break;
      default: return detail::TypeError(cell, "is not valid in a tsv row");
    }
  }
  return Value::String(std::move(out));
}

Status AppendShellWord(std::string& out, const Value& v) {
  switch (v.kind()) {
    case json::Kind::STRING:
      out += '\'';
      for (char c : v.AsString()) {
        if (c == '\'') {
          out += "'\\''";
        } else {
          out += c;
        }
      }
      out += '\'';
      return {};
    case json::Kind::ARRAY:
    case json::Kind::OBJECT: return detail::TypeError(v, "can not be escaped for shell");
    default: json::Write(v, out); return {};
  }
}

Result<Value> Shell(const Value& input) {
  std::string out;
  if (!input.IsArray()) {
    if (auto st = AppendShellWord(out, input); !st) return st.error();
    return Value::String(std::move(out));
  }
  bool first = true;
  for (const Value& word : input.Items()) {
    if (!first) out += ' ';
    first = false;
    if (auto st = AppendShellWord(out, word); !st) return st.error();
  }
  return Value::String(std::move(out));
}

Result<Value> FormatNative(const Value& input, std::span<const Value> args, const NativeContext&) {
  if (!args[0].IsString()) return detail::TypeError(args[0], "is not a valid format");
  return ApplyFormat(args[0].AsString(), input);
}

constexpr NativeBuiltin kFormatBuiltins[] = {
    {"format", 1, FormatNative},
};

}  // namespace

std::span<const NativeBuiltin> FormatBuiltins() {
  return kFormatBuiltins;
}

Result<Value> ApplyFormat(std::string_view name, const Value& input) {
  if (!name.empty() && name.front() == '@') name.remove_prefix(1);
  if (name == "text") return input.IsString() ? input : Value::String(json::ToJson(input));
  if (name == "json") return Value::String(json::ToJson(input));
  if (name == "csv") return Csv(input);
  if (name == "tsv") return Tsv(input);
  if (name == "sh") return Shell(input);
  // The remaining formats work on the input's text.
  const Value text = input.IsString() ? input : Value::String(json::ToJson(input));
  const std::string_view s = text.AsString();
  if (name == "html") return Value::String(Html(s));
  if (name == "uri") return Value::String(Uri(s));
  if (name == "base64") return Value::String(Base64(s));
  if (name == "base64d") return Base64Decode(text, s);
  if (name == "base32") return Value::String(Base32(s));
  if (name == "base32d") return Base32Decode(text, s);
  return detail::RuntimeError(std::string(name) + " is not a valid format");
}

}  // namespace sp::jq

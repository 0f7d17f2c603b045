// The error path of the parser: a strict, iterative re-scan of text simdjson rejected (or that broke one of our
// own limits) to find the first problem with an exact offset and a message saying what was expected.

#include "json/detail/validate.hpp"

#include <vector>

namespace sp::json::detail {
namespace {

bool IsWs(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

class Checker {
 public:
  Checker(std::string_view t, size_t max_depth, SyntaxError& err) : t_(t), max_depth_(max_depth), err_(err) {}

  bool Run() {
    SkipWs();
    if (!Value()) return false;
    SkipWs();
    if (i_ != t_.size()) return Fail(i_, "unexpected content after the JSON value");
    return true;
  }

 private:
  enum class Ctx : char { ARRAY, OBJECT };

  bool Fail(size_t at, std::string what) {
    err_.offset = at;
    err_.what = std::move(what);
    return false;
  }
  bool FailExpected(const char* what) {
    if (i_ >= t_.size()) return Fail(i_, std::string(what) + ", got end of input");
    return Fail(i_, what);
  }
  void SkipWs() {
    while (i_ < t_.size() && IsWs(t_[i_])) ++i_;
  }

  // One value, containers included (iterative over nesting).
  bool Value() {
    std::vector<Ctx> stack;
    while (true) {
      // At a position where a value must start.
      if (i_ >= t_.size()) return FailExpected("expected a value");
      const char c = t_[i_];
      if (c == '[' || c == '{') {
        if (stack.size() + 1 > max_depth_) {
          err_.depth = true;
          return Fail(i_, "nesting deeper than the limit of " + std::to_string(max_depth_));
        }
        ++i_;
        SkipWs();
        if (c == '[') {
          stack.push_back(Ctx::ARRAY);
          if (i_ < t_.size() && t_[i_] == ']') {
            ++i_;
            stack.pop_back();
          } else {
            continue;
          }
        } else {
          stack.push_back(Ctx::OBJECT);
          if (i_ < t_.size() && t_[i_] == '}') {
            ++i_;
            stack.pop_back();
          } else {
            if (!Key()) return false;
            continue;
          }
        }
      } else if (!Scalar()) {
        return false;
      }
      // After a complete value: close containers or move to the next element.
      while (true) {
        if (stack.empty()) return true;
        SkipWs();
        if (stack.back() == Ctx::ARRAY) {
          if (i_ < t_.size() && t_[i_] == ']') {
            ++i_;
            stack.pop_back();
            continue;
          }
          if (i_ < t_.size() && t_[i_] == ',') {
            ++i_;
            SkipWs();
            break;
          }
          return FailExpected("expected ',' or ']' after an array element");
        }
        if (i_ < t_.size() && t_[i_] == '}') {
          ++i_;
          stack.pop_back();
          continue;
        }
        if (i_ < t_.size() && t_[i_] == ',') {
          ++i_;
          SkipWs();
          if (!Key()) return false;
          break;
        }
        return FailExpected("expected ',' or '}' after an object member");
      }
    }
  }

  // A key, the colon and the whitespace before the member's value.
  bool Key() {
    if (i_ >= t_.size() || t_[i_] != '"') return FailExpected("expected a string key");
    if (!String()) return false;
    SkipWs();
    if (i_ >= t_.size() || t_[i_] != ':') return FailExpected("expected ':' after an object key");
    ++i_;
    SkipWs();
    return true;
  }

  bool Scalar() {
    const char c = t_[i_];
    if (c == '"') return String();
    if (c == '-' || IsDigit(c)) return Number();
    size_t start = i_;
    while (i_ < t_.size() && ((t_[i_] >= 'a' && t_[i_] <= 'z') || (t_[i_] >= 'A' && t_[i_] <= 'Z'))) ++i_;
    std::string_view word = t_.substr(start, i_ - start);
    if (word == "true" || word == "false" || word == "null") return true;
    if (word == "NaN" || word == "nan" || word == "Infinity" || word == "inf") {
      return Fail(start, "NaN and Infinity are not valid JSON");
    }
    i_ = start;
    return Fail(start, "expected a value (object, array, string, number, true, false or null)");
  }

  bool Number() {
    size_t start = i_;
    if (t_[i_] == '-') ++i_;
    if (t_.substr(i_, 8) == "Infinity") return Fail(start, "NaN and Infinity are not valid JSON");
    while (i_ < t_.size() &&
           (IsDigit(t_[i_]) || t_[i_] == '.' || t_[i_] == 'e' || t_[i_] == 'E' || t_[i_] == '+' || t_[i_] == '-')) {
      ++i_;
    }
    if (!IsJsonNumber(t_.substr(start, i_ - start))) return Fail(start, "invalid number");
    return true;
  }

  bool String() {
    const size_t start = i_;
    ++i_;
    while (true) {
      if (i_ >= t_.size()) return Fail(start, "unterminated string (expected '\"' before end of input)");
      const auto c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return Fail(i_, "control character in string (must be escaped)");
      if (c == '\\') {
        if (i_ + 1 >= t_.size()) return Fail(i_, "unterminated escape in string");
        const char e = t_[i_ + 1];
        if (e == 'u') {
          unsigned cp = 0;
          if (!Hex4(i_ + 2, cp)) return Fail(i_, "invalid \\u escape (expected 4 hex digits)");
          // jq reads an unpaired UTF-16 surrogate as U+FFFD; simdjson refuses it, so the caller re-parses a
          // copy with such escapes rewritten (ReplaceLoneSurrogates).
          if (cp >= 0xd800 && cp <= 0xdbff) {
            unsigned low = 0;
            if (i_ + 7 < t_.size() && t_[i_ + 6] == '\\' && t_[i_ + 7] == 'u' && Hex4(i_ + 8, low) && low >= 0xdc00 &&
                low <= 0xdfff) {
              i_ += 6;
            } else {
              err_.lone_surrogate = true;
            }
          } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            err_.lone_surrogate = true;
          }
          i_ += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
          i_ += 2;
        } else {
          return Fail(i_, "invalid escape in string");
        }
        continue;
      }
      if (c < 0x80) {
        ++i_;
        continue;
      }
      size_t len = Utf8Length(i_);
      if (len == 0) return Fail(i_, "invalid UTF-8");
      i_ += len;
    }
  }

  // Four hex digits at `at`, as a code unit.
  bool Hex4(size_t at, unsigned& cp) const {
    cp = 0;
    for (size_t k = 0; k < 4; ++k) {
      if (at + k >= t_.size() || !IsHex(t_[at + k])) return false;
      const char c = t_[at + k];
      cp = cp * 16 + static_cast<unsigned>(IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return true;
  }

  // Length of a well-formed UTF-8 sequence at `at`, or 0.
  size_t Utf8Length(size_t at) const {
    const auto b0 = static_cast<unsigned char>(t_[at]);
    size_t len = 0;
    unsigned cp = 0;
    unsigned min = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      len = 2, cp = b0 & 0x1f, min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      len = 3, cp = b0 & 0x0f, min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
      return 0;
    }
    if (at + len > t_.size()) return 0;
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(t_[at + k]);
      if ((b & 0xc0) != 0x80) return 0;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
  }

  std::string_view t_;
  size_t max_depth_;
  SyntaxError& err_;
  size_t i_ = 0;
};

}  // namespace

bool IsJsonNumber(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  if (i >= t.size()) return false;
  if (t[i] == '0') {
    ++i;
  } else if (t[i] >= '1' && t[i] <= '9') {
    while (i < t.size() && IsDigit(t[i])) ++i;
  } else {
    return false;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (i >= t.size() || !IsDigit(t[i])) return false;
    while (i < t.size() && IsDigit(t[i])) ++i;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (i >= t.size() || !IsDigit(t[i])) return false;
    while (i < t.size() && IsDigit(t[i])) ++i;
  }
  return i == t.size();
}

bool ReplaceLoneSurrogates(std::string& text) {
  auto hex4 = [&](size_t at, unsigned& cp) {
    cp = 0;
    for (size_t k = 0; k < 4; ++k) {
      if (at + k >= text.size() || !IsHex(text[at + k])) return false;
      const char c = text[at + k];
      cp = cp * 16 + static_cast<unsigned>(IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return true;
  };
  bool changed = false;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_string) {
      in_string = (c == '"');
      continue;
    }
    if (c == '"') {
      in_string = false;
    } else if (c == '\\' && i + 1 < text.size()) {
      unsigned cp = 0;
      if (text[i + 1] != 'u' || !hex4(i + 2, cp)) {
        ++i;  // a two-character escape (or a malformed one, reported by the parse)
        continue;
      }
      unsigned low = 0;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 7 < text.size() && text[i + 6] == '\\' && text[i + 7] == 'u' &&
          hex4(i + 8, low) && low >= 0xdc00 && low <= 0xdfff) {
        i += 11;  // a proper pair
        continue;
      }
      if (cp >= 0xd800 && cp <= 0xdfff) {
        text.replace(i + 2, 4, "fffd");  // same length: byte offsets stay valid
        changed = true;
      }
      i += 5;
    }
  }
  return changed;
}

bool Validate(std::string_view text, size_t max_depth, SyntaxError& err) {
  Checker c(text, max_depth, err);
  return c.Run();
}

}  // namespace sp::json::detail

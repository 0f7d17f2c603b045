#pragma once
// Internal: helpers shared by the two walks over simdjson's DOM tape (parse.cpp's pooled one and
// arena_build.cpp's). The tape keeps no number text, so these recover it from the JSON text when it matters.

#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json/value.hpp"

namespace sp::json::detail {

inline bool IsJsonWs(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

//! Whether the text may hold a negative-zero number ("-0" then a delimiter), which the tape stores as integer 0.
//! Dates ("2025-01-02") have a digit after "-0" and do not count.
inline bool MayHoldNegativeZero(std::string_view text) {
  const char* p = text.data();
  const size_t n = text.size();
  // `-0` at `i`: whether a delimiter (or the end) follows, as a number token would have.
  auto ends_token = [&](size_t i) {
    if (i + 2 >= n) return true;
    const char c = p[i + 2];
    return c == ',' || c == ']' || c == '}' || IsJsonWs(c);
  };
  size_t i = 0;
#if defined(__SSE2__)
  // Dates and slugs put many '-' in API payloads: 16 positions at a time beats a memchr per '-'.
  const __m128i minus = _mm_set1_epi8('-');
  const __m128i zero = _mm_set1_epi8('0');
  for (; i + 17 <= n; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1));
    auto mask =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, minus), _mm_cmpeq_epi8(b, zero))));
    while (mask) {
      if (ends_token(i + static_cast<size_t>(__builtin_ctz(mask)))) return true;
      mask &= mask - 1;
    }
  }
#endif
  for (; i + 1 < n; ++i) {
    if (p[i] == '-' && p[i + 1] == '0' && ends_token(i)) return true;
  }
  return false;
}

//! Finds the text of the k-th number token of a (valid) JSON text, scanning forward only: the tape lists numbers
//! in text order, so a walk that needs a few of them pays one pass at most.
class NumberTokens {
 public:
  explicit NumberTokens(std::string_view text) : t_(text) {}

  std::string_view Get(size_t k) {
    while (seen_ <= k) {
      const char c = t_[pos_];
      if (c == '"') {
        for (++pos_; t_[pos_] != '"'; ++pos_) {
          if (t_[pos_] == '\\') ++pos_;
        }
        ++pos_;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        const size_t start = pos_;
        while (pos_ < t_.size() && !IsNumberEnd(t_[pos_])) ++pos_;
        last_ = t_.substr(start, pos_ - start);
        ++seen_;
      } else {
        ++pos_;
      }
    }
    return last_;
  }

 private:
  static bool IsNumberEnd(char c) { return c == ',' || c == ']' || c == '}' || IsJsonWs(c); }

  std::string_view t_;
  size_t pos_ = 0;
  size_t seen_ = 0;
  std::string_view last_;
};

//! An integer from the tape: up to 15 digits a plain double (it holds the integer exactly and prints it as
//! written), beyond that a literal-carrying number.
Value TapeInteger(bool negative, uint64_t magnitude);

}  // namespace sp::json::detail

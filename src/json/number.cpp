// Numbers as jq 1.7.1 prints them: literals in decNumber's to-scientific-string form, doubles in jq's dtoa form.

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "json/detail/node.hpp"
#include "json/value.hpp"

namespace sp::json {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// A number token split into its parts. Accepts JSON's grammar plus the forms jq's lexer allows in programs
// (leading zeros, "1.", ".5").
struct Decimal {
  bool negative = false;
  std::string_view int_digits;
  std::string_view frac_digits;
  int64_t exponent = 0;  // as written after 'e'
};

bool SplitToken(std::string_view t, Decimal& d) {
  size_t i = 0;
  if (i < t.size() && t[i] == '-') d.negative = true, ++i;
  size_t start = i;
  while (i < t.size() && IsDigit(t[i])) ++i;
  d.int_digits = t.substr(start, i - start);
  if (i < t.size() && t[i] == '.') {
    ++i;
    start = i;
    while (i < t.size() && IsDigit(t[i])) ++i;
    d.frac_digits = t.substr(start, i - start);
  }
  if (d.int_digits.empty() && d.frac_digits.empty()) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool neg_exp = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) neg_exp = (t[i] == '-'), ++i;
    if (i == t.size()) return false;
    int64_t e = 0;
    for (; i < t.size() && IsDigit(t[i]); ++i) {
      // Saturate: beyond this every double is 0 or infinite anyway, and decNumber would overflow too.
      if (e < 1000000000) e = e * 10 + (t[i] - '0');
    }
    d.exponent = neg_exp ? -e : e;
  }
  return i == t.size();
}

void AppendInt(std::string& out, int64_t v, int min_digits) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  for (int pad = min_digits - static_cast<int>(r.ptr - buf); pad > 0; --pad) out.push_back('0');
  out.append(buf, r.ptr);
}

// Coefficient digits without leading zeros ("0" for zero) and the exponent of its last digit.
void Coefficient(const Decimal& d, std::string& digits, int64_t& exponent) {
  digits.clear();
  digits.append(d.int_digits);
  digits.append(d.frac_digits);
  size_t nz = digits.find_first_not_of('0');
  digits.erase(0, nz == std::string::npos ? digits.size() - 1 : nz);
  exponent = d.exponent - static_cast<int64_t>(d.frac_digits.size());
}

}  // namespace

std::string CanonicalNumberLiteral(std::string_view token) {
  Decimal d;
  if (!SplitToken(token, d)) return {};
  std::string digits;
  int64_t exponent = 0;
  Coefficient(d, digits, exponent);
  const auto n = static_cast<int64_t>(digits.size());
  const int64_t adjusted = exponent + n - 1;
  std::string out;
  out.reserve(digits.size() + 16);
  if (d.negative) out.push_back('-');
  if (exponent <= 0 && adjusted >= -6) {
    if (exponent == 0) {
      out += digits;
    } else if (n + exponent > 0) {
      out.append(digits, 0, static_cast<size_t>(n + exponent));
      out.push_back('.');
      out.append(digits, static_cast<size_t>(n + exponent));
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-(n + exponent)), '0');
      out += digits;
    }
    return out;
  }
  out.push_back(digits[0]);
  if (n > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  out.push_back('E');
  out.push_back(adjusted < 0 ? '-' : '+');
  AppendInt(out, adjusted < 0 ? -adjusted : adjusted, 1);
  return out;
}

void AppendDouble(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "null";
    return;
  }
  // jq prints infinities as the largest finite double.
  if (d > DBL_MAX) d = DBL_MAX;
  if (d < -DBL_MAX) d = -DBL_MAX;
  if (d == 0) {
    out += std::signbit(d) ? "-0" : "0";
    return;
  }
  // Integers below 1e15 print as plain digits: the common case (counts, timestamps) skips the digit search.
  if (d > -1e15 && d < 1e15 && d == static_cast<double>(static_cast<int64_t>(d))) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof(buf), static_cast<int64_t>(d));
    out.append(buf, r.ptr);
    return;
  }
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  // Shortest round-trip digits in the form [-]d[.ddd]e[+-]xx.
  const char* p = buf;
  if (*p == '-') out.push_back('-'), ++p;
  char digits[24];
  int n = 0;
  for (; *p != 'e'; ++p) {
    if (*p != '.') digits[n++] = *p;
  }
  ++p;
  int e = 0;
  std::from_chars(*p == '+' ? p + 1 : p, r.ptr, e);
  const int decpt = e + 1;  // value = 0.d1..dn x 10^decpt
  if (decpt <= -4 || decpt > n + 15) {
    out.push_back(digits[0]);
    if (n > 1) {
      out.push_back('.');
      out.append(digits + 1, static_cast<size_t>(n - 1));
    }
    out.push_back('e');
    out.push_back(e < 0 ? '-' : '+');
    AppendInt(out, e < 0 ? -e : e, 2);
  } else if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-decpt), '0');
    out.append(digits, static_cast<size_t>(n));
  } else if (decpt >= n) {
    out.append(digits, static_cast<size_t>(n));
    out.append(static_cast<size_t>(decpt - n), '0');
  } else {
    out.append(digits, static_cast<size_t>(decpt));
    out.push_back('.');
    out.append(digits + decpt, static_cast<size_t>(n - decpt));
  }
}

std::string FormatDouble(double d) {
  std::string out;
  AppendDouble(out, d);
  return out;
}

Value Value::NumberFromToken(std::string_view token) {
  // Fast path: short plain integers are exact doubles that print as written.
  {
    size_t i = (!token.empty() && token[0] == '-') ? 1 : 0;
    const size_t digits = token.size() - i;
    if (digits >= 1 && digits <= 15 && (token[i] != '0' || digits == 1)) {
      int64_t v = 0;
      bool plain = true;
      for (; i < token.size(); ++i) {
        if (!IsDigit(token[i])) {
          plain = false;
          break;
        }
        v = v * 10 + (token[i] - '0');
      }
      if (plain) {
        double d = static_cast<double>(v);
        return Number(token[0] == '-' ? -d : d);
      }
    }
  }
  std::string canonical = CanonicalNumberLiteral(token);
  if (canonical.empty()) return Value();
  double d = 0;
  auto r = std::from_chars(canonical.data(), canonical.data() + canonical.size(), d);
  if (r.ec == std::errc::result_out_of_range) {
    // from_chars leaves `d` untouched: decide between overflow and underflow from the exponent.
    Decimal dec;
    SplitToken(token, dec);
    std::string digits;
    int64_t exponent = 0;
    Coefficient(dec, digits, exponent);
    const bool huge = exponent + static_cast<int64_t>(digits.size()) > 0;
    d = huge ? HUGE_VAL : 0.0;
    if (dec.negative) d = -d;
  }
  // An out-of-range literal becomes a plain double: jq 1.7.1 prints it as +-DBL_MAX too.
  if (std::isinf(d)) return Number(d);
  // Keep the literal when it prints differently, and also when it has more significant digits than a double
  // holds: two such literals may share a double yet differ (jq compares literals as decimals).
  size_t significant = 0;
  for (char c : canonical) {
    if (c == 'E') break;
    if (IsDigit(c)) ++significant;
  }
  std::string formatted = FormatDouble(d);
  if (formatted == canonical && significant <= 15) return Number(d);
  return NumberLiteral(d, std::move(canonical));
}

namespace detail {

namespace {

// A canonical literal reduced to sign, significant digits (no leading or trailing zeros) and the power of ten of
// its first digit; zero has no digits.
struct Reduced {
  bool negative = false;
  std::string digits;
  int64_t adjusted = 0;
};

Reduced Reduce(std::string_view literal) {
  Decimal d;
  Reduced r;
  if (!SplitToken(literal, d)) return r;
  int64_t exponent = 0;
  Coefficient(d, r.digits, exponent);
  size_t last = r.digits.find_last_not_of('0');
  if (last == std::string::npos) {
    r.digits.clear();
    return r;
  }
  const auto n = static_cast<int64_t>(r.digits.size());
  r.adjusted = exponent + n - 1;
  r.digits.resize(last + 1);
  r.negative = d.negative;
  return r;
}

}  // namespace

int CompareDecimalLiterals(std::string_view a, std::string_view b) {
  Reduced x = Reduce(a);
  Reduced y = Reduce(b);
  auto sign = [](const Reduced& r) { return r.digits.empty() ? 0 : (r.negative ? -1 : 1); };
  const int sx = sign(x);
  const int sy = sign(y);
  if (sx != sy) return sx < sy ? -1 : 1;
  if (sx == 0) return 0;
  int magnitude = 0;
  if (x.adjusted != y.adjusted) {
    magnitude = x.adjusted < y.adjusted ? -1 : 1;
  } else {
    int c = x.digits.compare(y.digits);  // same leading power: digit strings order as the numbers do
    magnitude = c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return sx < 0 ? -magnitude : magnitude;
}

}  // namespace detail
}  // namespace sp::json

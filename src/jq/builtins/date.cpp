// Date builtins of jq 1.7.1 (manual, "Dates"): mktime, gmtime, localtime, strftime/1, strflocaltime/1,
// strptime/1, now. The jq-level ones (todate, fromdate, date, dateadd, ...) are in families.jq.
//
// "Broken down time" is [year, month (0-11), day of month, hours, minutes, seconds (may be fractional), day of
// week, day of year]. Everything is UTC and reentrant (gmtime_r, timegm, strptime/strftime in the C locale
// they run in); only localtime/strflocaltime read the process time zone, and nothing here changes TZ.
// Out-of-range numbers are errors or clamped fields, never undefined casts.

#include <chrono>
#include <climits>
#include <cmath>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "jq/builtins/detail/text.hpp"
#include "jq/builtins/native.hpp"

namespace sp::jq {
namespace {

using json::Value;

// time_t covers far more than any calendar glibc can print; beyond this gmtime_r fails anyway.
constexpr double kMaxSeconds = 1e17;

int ClampToInt(double d) {
  if (std::isnan(d)) return 0;
  if (d >= static_cast<double>(INT_MAX)) return INT_MAX;
  if (d <= static_cast<double>(INT_MIN)) return INT_MIN;
  return static_cast<int>(d);
}

Value TmToValue(const std::tm& tm, double seconds) {
  return Value::Array({Value::Number(static_cast<double>(tm.tm_year) + 1900.0), Value::Number(tm.tm_mon),
                       Value::Number(tm.tm_mday), Value::Number(tm.tm_hour), Value::Number(tm.tm_min),
                       Value::Number(seconds), Value::Number(tm.tm_wday), Value::Number(tm.tm_yday)});
}

// Fields present must be numbers; missing trailing fields (day of week, day of year) stay 0. Values are
// clamped to int so that no cast overflows.
bool ValueToTm(const Value& v, std::tm& tm) {
  std::memset(&tm, 0, sizeof(tm));
  if (!v.IsArray()) return false;
  int* const fields[] = {&tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                         &tm.tm_min,  &tm.tm_sec, &tm.tm_wday, &tm.tm_yday};
  for (size_t i = 0; i < 8 && i < v.Size(); ++i) {
    if (!v[i].IsNumber()) return false;
    double d = v[i].AsNumber();
    if (i == 0) d -= 1900;
    *fields[i] = ClampToInt(d);
  }
  return true;
}

// Seconds since the epoch -> broken down time. Fractional seconds are kept in the seconds field; the whole
// part is truncated toward zero as jq does.
Result<Value> SecondsToValue(double seconds, bool local) {
  const Error range_error = detail::RuntimeError("error converting number of seconds since epoch to datetime");
  if (!std::isfinite(seconds) || std::fabs(seconds) > kMaxSeconds) return range_error;
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if ((local ? ::localtime_r(&t, &tm) : ::gmtime_r(&t, &tm)) == nullptr) return range_error;
  return TmToValue(tm, tm.tm_sec + (seconds - std::floor(seconds)));
}

Result<Value> Gmtime(const Value& input, std::span<const Value>, const NativeContext&) {
  if (!input.IsNumber()) return detail::RuntimeError("gmtime() requires a number");
  return SecondsToValue(input.AsNumber(), false);
}

Result<Value> Localtime(const Value& input, std::span<const Value>, const NativeContext&) {
  if (!input.IsNumber()) return detail::RuntimeError("localtime() requires a number");
  return SecondsToValue(input.AsNumber(), true);
}

Result<Value> Mktime(const Value& input, std::span<const Value>, const NativeContext&) {
  if (!input.IsArray() || input.Size() < 6) return detail::RuntimeError("mktime requires array of 6 numbers");
  std::tm tm{};
  if (!ValueToTm(input, tm)) return detail::RuntimeError("mktime requires parsed datetime inputs");
  const std::time_t t = ::timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return detail::RuntimeError("invalid gmtime representation");
  return Value::Number(static_cast<double>(t));
}

Result<Value> Format(const std::tm& tm, const std::string& fmt, const char* name) {
  if (fmt.empty()) return Value::String("");
  // jq uses a fixed buffer of strlen(fmt) + 100 bytes; growing it only turns its "failure" into output.
  std::vector<char> buf(fmt.size() + 100);
  while (true) {
// The format is the user's jq argument by design; strftime has no varargs, so nothing can be misread.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    const size_t n = std::strftime(buf.data(), buf.size(), fmt.c_str(), &tm);
#pragma GCC diagnostic pop
    if (n > 0) return Value::String(std::string_view(buf.data(), n));
    if (buf.size() > (1u << 16)) return detail::RuntimeError(std::string(name) + ": unknown system failure");
    buf.resize(buf.size() * 4);
  }
}

Result<Value> StrftimeImpl(const Value& input, const Value& format, bool local) {
  const char* name = local ? "strflocaltime/1" : "strftime/1";
  Value broken = input;
  if (input.IsNumber()) {
    auto converted = SecondsToValue(input.AsNumber(), local);
    if (!converted) return converted.error();
    broken = std::move(converted).value();
  } else if (!input.IsArray()) {
    return detail::RuntimeError(std::string(name) + " requires parsed datetime inputs");
  }
  if (!format.IsString()) return detail::RuntimeError(std::string(name) + " requires a string format");
  std::tm tm{};
  if (!ValueToTm(broken, tm)) return detail::RuntimeError(std::string(name) + " requires parsed datetime inputs");
  if (local) {
    // The zone name and offset (%Z, %z) come from normalising a copy in the local zone.
    std::tm normalized = tm;
    normalized.tm_isdst = -1;
    if (::mktime(&normalized) != static_cast<std::time_t>(-1)) {
      tm.tm_isdst = normalized.tm_isdst;
      tm.tm_gmtoff = normalized.tm_gmtoff;
      tm.tm_zone = normalized.tm_zone;
    }
  } else {
    tm.tm_zone = "UTC";
  }
  return Format(tm, std::string(format.AsString()), name);
}

Result<Value> Strftime(const Value& input, std::span<const Value> args, const NativeContext&) {
  return StrftimeImpl(input, args[0], false);
}

Result<Value> Strflocaltime(const Value& input, std::span<const Value> args, const NativeContext&) {
  return StrftimeImpl(input, args[0], true);
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

Result<Value> Strptime(const Value& input, std::span<const Value> args, const NativeContext&) {
  if (!input.IsString() || !args[0].IsString()) {
    return detail::RuntimeError("strptime/1 requires string inputs and arguments");
  }
  const std::string text(input.AsString());
  const std::string fmt(args[0].AsString());
  std::tm tm{};
  constexpr int kUnsetWday = 8;
  constexpr int kUnsetYday = 367;
  tm.tm_wday = kUnsetWday;
  tm.tm_yday = kUnsetYday;
  const char* end = ::strptime(text.c_str(), fmt.c_str(), &tm);
  if (end == nullptr || (*end != '\0' && !IsSpace(*end))) {
    return detail::RuntimeError("date \"" + text + "\" does not match format \"" + fmt + "\"");
  }
  if ((tm.tm_wday == kUnsetWday || tm.tm_yday == kUnsetYday) && tm.tm_mday >= 1 && tm.tm_mday <= 31) {
    // The format did not give them: derive day of week and of year from the date.
    std::tm copy = tm;
    copy.tm_wday = 0;
    copy.tm_yday = 0;
    if (::timegm(&copy) != static_cast<std::time_t>(-1)) {
      if (tm.tm_wday == kUnsetWday) tm.tm_wday = copy.tm_wday;
      if (tm.tm_yday == kUnsetYday) tm.tm_yday = copy.tm_yday;
    }
  }
  Value out = TmToValue(tm, tm.tm_sec);
  if (*end != '\0') out.Append(Value::String(end));  // jq keeps trailing whitespace as a 9th element
  return out;
}

Result<Value> Now(const Value&, std::span<const Value>, const NativeContext&) {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return Value::Number(std::chrono::duration<double>(since_epoch).count());
}

constexpr NativeBuiltin kDateBuiltins[] = {
    {"gmtime", 0, Gmtime},     {"localtime", 0, Localtime},         {"mktime", 0, Mktime},
    {"strftime", 1, Strftime}, {"strflocaltime", 1, Strflocaltime}, {"strptime", 1, Strptime},
    {"now", 0, Now},
};

}  // namespace

std::span<const NativeBuiltin> DateBuiltins() {
  return kDateBuiltins;
}

}  // namespace sp::jq

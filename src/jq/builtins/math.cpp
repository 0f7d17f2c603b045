// Math builtins: the C math functions jq 1.7.1 exposes (manual, "Math"). One-input functions are 0-arity
// filters on `.`, two- and three-input ones ignore `.` and take their arguments.
//
// Every function is total on doubles: NaN, infinities and huge values go straight to libm, which returns NaN
// or an infinity rather than trapping. Integer parameters (ldexp, scalbln, jn, yn) never go through an
// out-of-range cast (undefined behaviour in C++): NaN and out-of-range values become INT_MIN / LONG_MIN,
// which is what jq's plain C cast yields on x86-64.

#include <cfloat>
#include <climits>
#include <cmath>

#include "jq/builtins/detail/text.hpp"
#include "jq/builtins/native.hpp"

namespace sp::jq {
namespace {

using json::Value;

Error NumberRequired(const Value& v) {
  return detail::TypeError(v, "number required");
}

// C's (int) cast as x86-64 performs it, without the undefined behaviour: NaN and out-of-range values give
// INT_MIN (the "integer indefinite" value the cvttsd2si instruction produces).
int ToCInt(double d) {
  if (std::isnan(d) || d >= 2147483648.0 || d <= -2147483649.0) return INT_MIN;
  return static_cast<int>(d);
}

long ToCLong(double d) {
  if (std::isnan(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) return LONG_MIN;
  return static_cast<long>(d);
}

template <double (*F)(double)>
Result<Value> Unary(const Value& input, std::span<const Value>, const NativeContext&) {
  if (!input.IsNumber()) return NumberRequired(input);
  return Value::Number(F(input.AsNumber()));
}

template <double (*F)(double, double)>
Result<Value> Binary(const Value&, std::span<const Value> args, const NativeContext&) {
  if (!args[0].IsNumber()) return NumberRequired(args[0]);
  if (!args[1].IsNumber()) return NumberRequired(args[1]);
  return Value::Number(F(args[0].AsNumber(), args[1].AsNumber()));
}

// Wrappers give one signature to overloaded or non-standard libm functions.
double Acos(double x) {
  return std::acos(x);
}
double Acosh(double x) {
  return std::acosh(x);
}
double Asin(double x) {
  return std::asin(x);
}
double Asinh(double x) {
  return std::asinh(x);
}
double Atan(double x) {
  return std::atan(x);
}
double Atanh(double x) {
  return std::atanh(x);
}
double Cbrt(double x) {
  return std::cbrt(x);
}
double Ceil(double x) {
  return std::ceil(x);
}
double Cos(double x) {
  return std::cos(x);
}
double Cosh(double x) {
  return std::cosh(x);
}
double Erf(double x) {
  return std::erf(x);
}
double Erfc(double x) {
  return std::erfc(x);
}
double Exp(double x) {
  return std::exp(x);
}
double Exp10(double x) {
  return ::exp10(x);
}
double Exp2(double x) {
  return std::exp2(x);
}
double Expm1(double x) {
  return std::expm1(x);
}
double Fabs(double x) {
  return std::fabs(x);
}
double Floor(double x) {
  return std::floor(x);
}
// glibc's gamma() is lgamma() (the 4.3BSD meaning); jq 1.7.1 on Linux returns that.
double Gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}
double J0(double x) {
  return ::j0(x);
}
double J1(double x) {
  return ::j1(x);
}
double Lgamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);  // lgamma() writes the global signgam; lgamma_r keeps threads apart
}
double Log(double x) {
  return std::log(x);
}
double Log10(double x) {
  return std::log10(x);
}
double Log1p(double x) {
  return std::log1p(x);
}
double Log2(double x) {
  return std::log2(x);
}
double Logb(double x) {
  return std::logb(x);
}
double Nearbyint(double x) {
  return std::nearbyint(x);
}
double Rint(double x) {
  return std::rint(x);
}
double Round(double x) {
  return std::round(x);
}
double Significand(double x) {
  return ::significand(x);
}
double Sin(double x) {
  return std::sin(x);
}
double Sinh(double x) {
  return std::sinh(x);
}
double Sqrt(double x) {
  return std::sqrt(x);
}
double Tan(double x) {
  return std::tan(x);
}
double Tanh(double x) {
  return std::tanh(x);
}
double Tgamma(double x) {
  return std::tgamma(x);
}
double Trunc(double x) {
  return std::trunc(x);
}
double Y0(double x) {
  return ::y0(x);
}
double Y1(double x) {
  return ::y1(x);
}

double Atan2(double y, double x) {
  return std::atan2(y, x);
}
double Copysign(double x, double y) {
  return std::copysign(x, y);
}
double Drem(double x, double y) {
  return std::remainder(x, y);
}
double Fdim(double x, double y) {
  return std::fdim(x, y);
}
double Fmax(double x, double y) {
  return std::fmax(x, y);
}
double Fmin(double x, double y) {
  return std::fmin(x, y);
}
double Fmod(double x, double y) {
  return std::fmod(x, y);
}
double Hypot(double x, double y) {
  return std::hypot(x, y);
}
double Jn(double n, double x) {
  return ::jn(ToCInt(n), x);
}
double Ldexp(double x, double e) {
  return std::ldexp(x, ToCInt(e));
}
double Nextafter(double x, double y) {
  return std::nextafter(x, y);
}
double Nexttoward(double x, double y) {
  return std::nexttoward(x, static_cast<long double>(y));
}
double Pow(double x, double y) {
  return std::pow(x, y);
}
double Remainder(double x, double y) {
  return std::remainder(x, y);
}
double Scalb(double x, double e) {
  return ::scalb(x, e);
}
double Scalbln(double x, double e) {
  return std::scalbln(x, ToCLong(e));
}
double Yn(double n, double x) {
  return ::yn(ToCInt(n), x);
}

// glibc dropped pow10 in 2.27, so jq 1.7.1 built on it defines the name and fails at run time with this text.
Result<Value> Pow10(const Value&, std::span<const Value>, const NativeContext&) {
  return detail::RuntimeError("Error: pow10/0 not found at build time");
}

Result<Value> Frexp(const Value& input, std::span<const Value>, const NativeContext&) {
  if (!input.IsNumber()) return NumberRequired(input);
  int exponent = 0;
  const double mantissa = std::frexp(input.AsNumber(), &exponent);
  return Value::Array({Value::Number(mantissa), Value::Number(exponent)});
}

Result<Value> Modf(const Value& input, std::span<const Value>, const NativeContext&) {
  if (!input.IsNumber()) return NumberRequired(input);
  double integral = 0;
  const double fraction = std::modf(input.AsNumber(), &integral);
  return Value::Array({Value::Number(fraction), Value::Number(integral)});
}

Result<Value> LgammaR(const Value& input, std::span<const Value>, const NativeContext&) {
  if (!input.IsNumber()) return NumberRequired(input);
  int sign = 0;
  const double value = ::lgamma_r(input.AsNumber(), &sign);
  return Value::Array({Value::Number(value), Value::Number(sign)});
}

Result<Value> Fma(const Value&, std::span<const Value> args, const NativeContext&) {
  for (const Value& a : args) {
    if (!a.IsNumber()) return NumberRequired(a);
  }
  return Value::Number(std::fma(args[0].AsNumber(), args[1].AsNumber(), args[2].AsNumber()));
}

constexpr NativeBuiltin kMathBuiltins[] = {
    {"acos", 0, Unary<Acos>},
    {"acosh", 0, Unary<Acosh>},
    {"asin", 0, Unary<Asin>},
    {"asinh", 0, Unary<Asinh>},
    {"atan", 0, Unary<Atan>},
    {"atanh", 0, Unary<Atanh>},
    {"cbrt", 0, Unary<Cbrt>},
    {"ceil", 0, Unary<Ceil>},
    {"cos", 0, Unary<Cos>},
    {"cosh", 0, Unary<Cosh>},
    {"erf", 0, Unary<Erf>},
    {"erfc", 0, Unary<Erfc>},
    {"exp", 0, Unary<Exp>},
    {"exp10", 0, Unary<Exp10>},
    {"exp2", 0, Unary<Exp2>},
    {"expm1", 0, Unary<Expm1>},
    {"fabs", 0, Unary<Fabs>},
    {"floor", 0, Unary<Floor>},
    {"gamma", 0, Unary<Gamma>},
    {"j0", 0, Unary<J0>},
    {"j1", 0, Unary<J1>},
    {"lgamma", 0, Unary<Lgamma>},
    {"log", 0, Unary<Log>},
    {"log10", 0, Unary<Log10>},
    {"log1p", 0, Unary<Log1p>},
    {"log2", 0, Unary<Log2>},
    {"logb", 0, Unary<Logb>},
    {"nearbyint", 0, Unary<Nearbyint>},
    {"pow10", 0, Pow10},
    {"rint", 0, Unary<Rint>},
    {"round", 0, Unary<Round>},
    {"significand", 0, Unary<Significand>},
    {"sin", 0, Unary<Sin>},
    {"sinh", 0, Unary<Sinh>},
    {"sqrt", 0, Unary<Sqrt>},
    {"tan", 0, Unary<Tan>},
    {"tanh", 0, Unary<Tanh>},
    {"tgamma", 0, Unary<Tgamma>},
    {"trunc", 0, Unary<Trunc>},
    {"y0", 0, Unary<Y0>},
    {"y1", 0, Unary<Y1>},
    {"frexp", 0, Frexp},
    {"modf", 0, Modf},
    {"lgamma_r", 0, LgammaR},
    {"atan2", 2, Binary<Atan2>},
    {"copysign", 2, Binary<Copysign>},
    {"drem", 2, Binary<Drem>},
    {"fdim", 2, Binary<Fdim>},
    {"fmax", 2, Binary<Fmax>},
    {"fmin", 2, Binary<Fmin>},
    {"fmod", 2, Binary<Fmod>},
    {"hypot", 2, Binary<Hypot>},
    {"jn", 2, Binary<Jn>},
    {"ldexp", 2, Binary<Ldexp>},
    {"nextafter", 2, Binary<Nextafter>},
    {"nexttoward", 2, Binary<Nexttoward>},
    {"pow", 2, Binary<Pow>},
    {"remainder", 2, Binary<Remainder>},
    {"scalb", 2, Binary<Scalb>},
    {"scalbln", 2, Binary<Scalbln>},
    {"yn", 2, Binary<Yn>},
    {"fma", 3, Fma},
};

}  // namespace

std::span<const NativeBuiltin> MathBuiltins() {
  return kMathBuiltins;
}

}  // namespace sp::jq

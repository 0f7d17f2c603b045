#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "native_call.hpp"

namespace sp::jq {
namespace {

using json::Value;
using testing::J;

double Num(std::string_view name, double x) {
  auto r = testing::Call(MathBuiltins(), name, Value::Number(x));
  EXPECT_TRUE(r.ok()) << name;
  return r.ok() ? r.value().AsNumber() : std::nan("");
}

double Num2(std::string_view name, double a, double b) {
  auto r = testing::Call(MathBuiltins(), name, Value(), {Value::Number(a), Value::Number(b)});
  EXPECT_TRUE(r.ok()) << name;
  return r.ok() ? r.value().AsNumber() : std::nan("");
}

TEST(Math, TableHasJq171SetByArity) {
  std::set<std::string> names;
  for (const NativeBuiltin& b : MathBuiltins()) names.insert(std::string(b.name) + "/" + std::to_string(b.arity));
  for (const char* expected :
       {"acos/0",      "cbrt/0",     "erf/0",         "exp10/0", "floor/0",  "gamma/0", "j1/0",         "logb/0",
        "nearbyint/0", "pow10/0",    "significand/0", "sqrt/0",  "tgamma/0", "trunc/0", "y1/0",         "frexp/0",
        "modf/0",      "lgamma_r/0", "atan2/2",       "drem/2",  "jn/2",     "ldexp/2", "nexttoward/2", "pow/2",
        "remainder/2", "scalb/2",    "scalbln/2",     "yn/2",    "fma/3"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }
  // Not jq 1.7.1 builtins.
  for (const char* absent : {"abs/0", "toarray/0", "ilogb/0", "exp/1"}) EXPECT_FALSE(names.count(absent)) << absent;
}

TEST(Math, OneInput) {
  EXPECT_EQ(Num("floor", -1.1), -2);
  EXPECT_EQ(Num("floor", 3.14159), 3);
  EXPECT_EQ(Num("sqrt", 9), 3);
  EXPECT_EQ(Num("ceil", 1.1), 2);
  EXPECT_EQ(Num("round", 2.5), 3);
  EXPECT_EQ(Num("trunc", -1.9), -1);
  EXPECT_EQ(Num("fabs", -10), 10);
  EXPECT_EQ(Num("exp10", 2), 100);
  EXPECT_EQ(Num("log2", 8), 3);
  EXPECT_EQ(Num("significand", 12), 1.5);
  EXPECT_EQ(Num("logb", 12), 3);
  EXPECT_NEAR(Num("atan", 1) * 4, 3.141592653589793, 1e-15);
  EXPECT_NEAR(Num("gamma", 5), std::log(24.0), 1e-12);  // glibc's gamma is lgamma
  EXPECT_EQ(Num("tgamma", 5), 24);
}

TEST(Math, TwoAndThreeInputs) {
  EXPECT_EQ(Num2("pow", 2, 10), 1024);
  EXPECT_EQ(Num2("atan2", 0, 1), 0);
  EXPECT_EQ(Num2("fmod", 7, 3), 1);
  EXPECT_EQ(Num2("ldexp", 3, 2), 12);
  EXPECT_EQ(Num2("scalbln", 3, 2), 12);
  EXPECT_EQ(Num2("drem", 7, 4), -1);
  EXPECT_EQ(Num2("copysign", 3, -1), -3);
  EXPECT_EQ(Num2("fmin", 1, 2), 1);
  EXPECT_EQ(Num2("hypot", 3, 4), 5);
  auto fma = testing::Call(MathBuiltins(), "fma", Value(), {Value::Number(2), Value::Number(3), Value::Number(4)});
  ASSERT_TRUE(fma.ok());
  EXPECT_EQ(fma.value().AsNumber(), 10);
}

TEST(Math, ArrayResults) {
  EXPECT_EQ(testing::Run(MathBuiltins(), "frexp", "8"), "[0.5,4]");
  EXPECT_EQ(testing::Run(MathBuiltins(), "modf", "3.5"), "[0.5,3]");
  EXPECT_EQ(testing::Run(MathBuiltins(), "lgamma_r", "-0.5"),
            testing::Dump(Value::Array({Value::Number(std::lgamma(-0.5)), Value::Number(-1)})));
}

TEST(Math, PowersOfTwoRoundTrip) {
  for (int p = -52; p < 52; ++p) EXPECT_EQ(std::round(Num("log2", Num2("pow", 2, p))), p);
}

TEST(Math, NumberRequired) {
  EXPECT_EQ(testing::Run(MathBuiltins(), "sin", R"("a")"), R"(error: string ("a") number required)");
  EXPECT_EQ(testing::Run(MathBuiltins(), "pow", "null", {J("null"), J("1")}), "error: null (null) number required");
  EXPECT_EQ(testing::Run(MathBuiltins(), "pow", "null", {J("1"), J("[]")}), "error: array ([]) number required");
  EXPECT_EQ(testing::Run(MathBuiltins(), "frexp", "{}"), "error: object ({}) number required");
  EXPECT_EQ(testing::Run(MathBuiltins(), "fma", "null", {J("1"), J("2"), J("true")}),
            "error: boolean (true) number required");
}

TEST(Math, Pow10FailsAsOnGlibc) {
  EXPECT_EQ(testing::Run(MathBuiltins(), "pow10", "2"), "error: Error: pow10/0 not found at build time");
}

// Huge, infinite and NaN inputs return values (NaN/inf) and never trap; integer parameters are clamped.
TEST(Math, NonFiniteAndHugeInputsDoNotTrap) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::nan("");
  for (const NativeBuiltin& b : MathBuiltins()) {
    for (double x : {inf, -inf, nan, 1e308, -1e308, 0.0, -0.0}) {
      std::vector<Value> args(static_cast<size_t>(b.arity), Value::Number(x));
      NativeContext ctx{};
      auto r = b.fn(Value::Number(x), args, ctx);
      if (std::string_view(b.name) != "pow10") {
        EXPECT_TRUE(r.ok()) << b.name << "(" << x << ")";
      }
    }
  }
  EXPECT_TRUE(std::isinf(Num("exp", 1e308)));
  EXPECT_TRUE(std::isnan(Num("sqrt", -1)));
  // jq's (int) cast on x86-64 turns every out-of-range exponent into INT_MIN.
  EXPECT_EQ(Num2("ldexp", 1, 1e300), 0);
  EXPECT_EQ(Num2("ldexp", 1, -1e300), 0);
  EXPECT_EQ(Num2("ldexp", 1, nan), 0);
}

}  // namespace
}  // namespace sp::jq

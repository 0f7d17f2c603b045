#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>

#include "json/parse.hpp"
#include "json/value.hpp"
#include "json/write.hpp"

namespace sp::json {
namespace {

TEST(CanonicalNumberLiteral, DecNumberScientificString) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"0", "0"},
      {"-0", "-0"},
      {"0.0", "0.0"},
      {"-0.0", "-0.0"},
      {"1", "1"},
      {"42", "42"},
      {"100", "100"},
      {"1.0", "1.0"},
      {"1.50", "1.50"},
      {"1e3", "1E+3"},
      {"1E3", "1E+3"},
      {"1e+3", "1E+3"},
      {"1.5e3", "1.5E+3"},
      {"15e2", "1.5E+3"},
      {"100e-2", "1.00"},
      {"0.0001e4", "1"},
      {"1e-7", "1E-7"},
      {"1e-6", "0.000001"},
      {"0.000001", "0.000001"},
      {"0.0000001", "1E-7"},
      {"123.456e-10", "1.23456E-8"},
      {"0e5", "0E+5"},
      {"0e-9", "0E-9"},
      {"1e0", "1"},
      {"100000000000000000001", "100000000000000000001"},
      {"-12.5e1", "-125"},
      {"12e-1", "1.2"},
      {"1E1000", "1E+1000"},
      {"0.00", "0.00"},
      {"1.", "1"},
      {".5", "0.5"},
      {"007", "7"},
  };
  for (const Case& c : cases) EXPECT_EQ(CanonicalNumberLiteral(c.in), c.out) << c.in;
  for (const char* bad : {"", "-", "abc", "1e", "1e+", "--1", "1.2.3", "0x10", "1 ", "nan", "Infinity", "."}) {
    EXPECT_EQ(CanonicalNumberLiteral(bad), "") << bad;
  }
}

// Expected texts produced by jq 1.6 on this machine (`jq -nc 'EXPR+0'`); 1.7.1 prints doubles the same way.
TEST(FormatDouble, MatchesJq) {
  struct Case {
    double d;
    const char* out;
  } cases[] = {
      {1e16, "1e+16"},
      {1e15, "1000000000000000"},
      {1e17, "1e+17"},
      {123456789012345678.0, "123456789012345680"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {1e-7, "1e-07"},
      {6.000000000000001e-05, "6.000000000000001e-05"},
      {1e20, "1e+20"},
      {0.1 + 0.2, "0.30000000000000004"},
      {0.0, "0"},
      {-0.0, "-0"},
      {3.0, "3"},
      {1.5, "1.5"},
      {100, "100"},
      {0.000123, "0.000123"},
      {12345678901234567.0, "12345678901234568"},
      {1234567890123456.0, "1234567890123456"},
      {123456789012345.6, "123456789012345.6"},
      {1e100, "1e+100"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {2.5e-5, "2.5e-05"},
      {1.0 / 3, "0.3333333333333333"},
      {0.001, "0.001"},
      {1e21, "1e+21"},
      {-42, "-42"},
      {-1.5e-10, "-1.5e-10"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatDouble(c.d), c.out) << c.out;
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::infinity()), "1.7976931348623157e+308");
  EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::infinity()), "-1.7976931348623157e+308");
  EXPECT_EQ(FormatDouble(std::nan("")), "null");
  std::string out = "x";
  AppendDouble(out, 2);
  EXPECT_EQ(out, "x2");
}

TEST(NumberFromToken, KeepsLiteralOnlyWhenItPrintsDifferently) {
  struct Case {
    const char* token;
    const char* printed;
    bool literal;
  } cases[] = {
      {"42", "42", false},
      {"-7", "-7", false},
      {"1.5", "1.5", false},
      {"-0", "-0", false},
      {"0", "0", false},
      {"1.50", "1.50", true},
      {"1.0", "1.0", true},
      {"3.0", "3.0", true},
      {"1e3", "1E+3", true},
      {"100", "100", false},
      {"0.0", "0.0", true},
      {"100000000000000000001", "100000000000000000001", true},
      {"13911860366432393", "13911860366432393", true},
      {"1e-7", "1E-7", true},
      {"0.0001", "0.0001", false},
  };
  for (const Case& c : cases) {
    Value v = Value::NumberFromToken(c.token);
    ASSERT_TRUE(v.IsNumber()) << c.token;
    EXPECT_EQ(ToJson(v), c.printed) << c.token;
    EXPECT_EQ(!v.NumberLiteralText().empty(), c.literal) << c.token;
  }
  EXPECT_EQ(Value::NumberFromToken("1.50").AsNumber(), 1.5);
  EXPECT_EQ(Value::NumberFromToken("1e3").AsNumber(), 1000);
  EXPECT_TRUE(std::signbit(Value::NumberFromToken("-0").AsNumber()));
  EXPECT_TRUE(Value::NumberFromToken("abc").IsNull());
  EXPECT_TRUE(Value::NumberFromToken("").IsNull());
  // Beyond double range: a plain (infinite) double, printed as jq prints infinities.
  Value huge = Value::NumberFromToken("1e1000");
  EXPECT_TRUE(std::isinf(huge.AsNumber()));
  EXPECT_EQ(ToJson(huge), "1.7976931348623157e+308");
  Value tiny = Value::NumberFromToken("1e-1000");
  EXPECT_EQ(tiny.AsNumber(), 0);
  EXPECT_EQ(ToJson(tiny), "1E-1000");
}

TEST(NumberFromToken, ArithmeticResultPrintsAsDouble) {
  Value lit = Value::NumberFromToken("1.50");
  Value computed = Value::Number(lit.AsNumber() + 0);
  EXPECT_EQ(ToJson(computed), "1.5");
  EXPECT_EQ(ToJson(Value::Number(1e20)), "1e+20");
  EXPECT_EQ(ToJson(Value::Number(1e-7)), "1e-07");
}

TEST(NumberFromToken, LiteralsRoundTripThroughParseAndWrite) {
  for (const char* text : {"[1.50,1E+3,100000000000000000001,-0,1.0,0.0,1E-7,12.000,1.5E+300]"}) {
    Result<Value> v = Parse(text);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(ToJson(*v), text);
  }
  Result<Value> v = Parse("[1e3, 1e-7, 1.5e300]");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(ToJson(*v), "[1E+3,1E-7,1.5E+300]");
}

}  // namespace
}  // namespace sp::json

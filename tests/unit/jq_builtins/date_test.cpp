#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "native_call.hpp"

namespace sp::jq {
namespace {

using json::Value;
using testing::J;

std::string D(std::string_view name, std::string_view input, std::initializer_list<Value> args = {}) {
  return testing::Run(DateBuiltins(), name, input, args);
}

Value Str(std::string_view s) {
  return Value::String(s);
}

TEST(Date, Gmtime) {
  EXPECT_EQ(D("gmtime", "1425599507"), "[2015,2,5,23,51,47,4,63]");
  EXPECT_EQ(D("gmtime", "0"), "[1970,0,1,0,0,0,4,0]");
  EXPECT_EQ(D("gmtime", "-86400"), "[1969,11,31,0,0,0,3,364]");
  EXPECT_EQ(D("gmtime", R"("x")"), "error: gmtime() requires a number");
}

TEST(Date, GmtimeKeepsFractionalSeconds) {
  auto r = testing::Call(DateBuiltins(), "gmtime", J("1425599621.123"));
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r.value()[5].AsNumber(), 41.123, 1e-6);
  EXPECT_EQ(r.value()[4].AsNumber(), 53);
}

TEST(Date, GmtimeOutOfRange) {
  EXPECT_EQ(D("gmtime", "1e300"), "error: error converting number of seconds since epoch to datetime");
  auto r = testing::Call(DateBuiltins(), "gmtime", Value::Number(std::nan("")));
  ASSERT_FALSE(r.ok());
}

TEST(Date, Mktime) {
  EXPECT_EQ(D("mktime", "[2015,2,5,23,51,47,4,63]"), "1425599507");
  EXPECT_EQ(D("mktime", "[2015,2,5,23,51,47.9,4,63]"), "1425599507");
  EXPECT_EQ(D("mktime", R"(["a",1,2,3,4,5,6,7])"), "error: mktime requires parsed datetime inputs");
  EXPECT_EQ(D("mktime", "[2015,2,5,23,51,47]"), "1425599507");
  EXPECT_EQ(D("mktime", "[2015,2,5]"), "error: mktime requires array of 6 numbers");
  EXPECT_EQ(D("mktime", "1"), "error: mktime requires array of 6 numbers");
}

TEST(Date, Strftime) {
  EXPECT_EQ(D("strftime", "[2015,2,5,23,51,47,4,63]", {Str("%Y-%m-%dT%H:%M:%SZ")}), R"("2015-03-05T23:51:47Z")");
  EXPECT_EQ(D("strftime", "1435677542.822351", {Str("%A, %B %d, %Y")}), R"("Tuesday, June 30, 2015")");
  EXPECT_EQ(D("strftime", "0", {Str("%Z %j")}), R"("UTC 001")");
  EXPECT_EQ(D("strftime", "0", {Str("")}), R"("")");
}

TEST(Date, StrftimeErrors) {
  EXPECT_EQ(D("strftime", R"(["a",1,2,3,4,5,6,7])", {Str("%Y")}), "error: strftime/1 requires parsed datetime inputs");
  EXPECT_EQ(D("strftime", R"("2015")", {Str("%Y")}), "error: strftime/1 requires parsed datetime inputs");
  EXPECT_EQ(D("strftime", "0", {J("1")}), "error: strftime/1 requires a string format");
  EXPECT_EQ(D("strflocaltime", R"(["a",1,2,3,4,5,6,7])", {Str("%Y")}),
            "error: strflocaltime/1 requires parsed datetime inputs");
}

// libjq 1.6 can crash on absurd broken-down times; here every field is clamped and glibc prints "?" for
// names it does not have.
TEST(Date, StrftimeWithAbsurdValues) {
  for (const char* input : {"[1e300,1e300,1e300,1e300,1e300,1e300,1e300,1e300]", "[-1e300,-5,-40,-1,-1,-1,-9,-999]",
                            "[2015,99,99,99,99,99,99,999]"}) {
    auto r = testing::Call(DateBuiltins(), "strftime", J(input), {Str("%A %a %B %b %c %d %j %Y %y %H %M %S %U %Z")});
    EXPECT_TRUE(r.ok()) << input;
  }
  EXPECT_FALSE(testing::Call(DateBuiltins(), "strftime", J("1e300"), {Str("%Y")}).ok());
}

TEST(Date, StrftimeLongOutputGrowsTheBuffer) {
  std::string fmt;
  for (int i = 0; i < 200; ++i) fmt += "%A";
  auto r = testing::Call(DateBuiltins(), "strftime", J("0"), {Str(fmt)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().AsString().size(), 200u * 8u);  // "Thursday"
}

TEST(Date, Strptime) {
  EXPECT_EQ(D("strptime", R"("2015-03-05T23:51:47Z")", {Str("%Y-%m-%dT%H:%M:%SZ")}), "[2015,2,5,23,51,47,4,63]");
  EXPECT_EQ(D("strptime", R"("10 March 2015")", {Str("%d %B %Y")}), "[2015,2,10,0,0,0,2,68]");
  EXPECT_EQ(D("strptime", R"("2015-03-05T23:51:47.123Z")", {Str("%Y-%m-%dT%H:%M:%SZ")}),
            R"(error: date "2015-03-05T23:51:47.123Z" does not match format "%Y-%m-%dT%H:%M:%SZ")");
  EXPECT_EQ(D("strptime", "1", {Str("%Y")}), "error: strptime/1 requires string inputs and arguments");
  EXPECT_EQ(D("strptime", R"("2015")", {J("1")}), "error: strptime/1 requires string inputs and arguments");
}

TEST(Date, StrptimeThenMktime) {
  auto parsed = testing::Call(DateBuiltins(), "strptime", J(R"("2015-03-05T23:51:47Z")"), {Str("%Y-%m-%dT%H:%M:%SZ")});
  ASSERT_TRUE(parsed.ok());
  auto seconds = testing::Call(DateBuiltins(), "mktime", parsed.value());
  ASSERT_TRUE(seconds.ok());
  EXPECT_EQ(seconds.value().AsNumber(), 1425599507);
}

TEST(Date, LocaltimeAndStrflocaltimeWork) {
  auto r = testing::Call(DateBuiltins(), "localtime", J("1425599507"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().Size(), 8u);
  EXPECT_EQ(D("localtime", "null"), "error: localtime() requires a number");
  EXPECT_TRUE(testing::Call(DateBuiltins(), "strflocaltime", J("1425599507"), {Str("%Y %Z")}).ok());
}

TEST(Date, NowIsCurrentTime) {
  auto r = testing::Call(DateBuiltins(), "now", Value());
  ASSERT_TRUE(r.ok());
  const double expected = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(r.value().AsNumber(), expected, 60);
}

}  // namespace
}  // namespace sp::jq

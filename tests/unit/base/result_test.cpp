#include "base/result.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sp {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return Error(ErrorCode::INVALID_ARGUMENT, "must be positive", "value");
  return v;
}

TEST(Result, CarriesValueOrError) {
  auto good = ParsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  auto bad = ParsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error().ToString(), "value: must be positive");
}

TEST(Result, StatusDefaultsToSuccess) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  Status failed = Error(ErrorCode::UNAVAILABLE, "down");
  EXPECT_FALSE(failed.ok());
  EXPECT_STREQ(ErrorCodeName(failed.error().code), "unavailable");
  EXPECT_EQ(failed.error().ToString(), "down");
}

}  // namespace
}  // namespace sp

#include <gtest/gtest.h>

#include "net/http_client.hpp"

namespace sp::net {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(UrlEncodeTest, KeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(UrlEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(UrlEncode("a b&c=d/e?f+g"), "a%20b%26c%3Dd%2Fe%3Ff%2Bg");
  EXPECT_EQ(UrlEncode("é"), "%C3%A9");
  EXPECT_EQ(UrlEncode(std::string_view("\0\xff", 2)), "%00%FF");
  EXPECT_EQ(UrlEncode(""), "");
}

TEST(UrlDecodeTest, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(UrlDecode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(UrlDecode("a+b"), "a b");
  EXPECT_EQ(UrlDecode("a+b", false), "a+b");
  EXPECT_EQ(UrlDecode("%c3%A9"), "é");
}

TEST(UrlDecodeTest, KeepsMalformedEscapesLiterally) {
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%4"), "%4");
  EXPECT_EQ(UrlDecode("%zz%41"), "%zzA");
  EXPECT_EQ(UrlDecode("%%41"), "%A");
}

TEST(UrlDecodeTest, RoundTripsEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(UrlDecode(UrlEncode(all)), all);
}

TEST(ParseQueryTest, SplitsAndDecodesInOrder) {
  EXPECT_EQ(ParseQuery("a=1&b=&c"), (Pairs{{"a", "1"}, {"b", ""}, {"c", ""}}));
  EXPECT_EQ(ParseQuery("?q=is%3Aunresolved+level%3Aerror&cursor=0:100:0"),
            (Pairs{{"q", "is:unresolved level:error"}, {"cursor", "0:100:0"}}));
  EXPECT_EQ(ParseQuery("x=1&x=2"), (Pairs{{"x", "1"}, {"x", "2"}}));
  EXPECT_EQ(ParseQuery("a=b=c"), (Pairs{{"a", "b=c"}}));
  EXPECT_EQ(ParseQuery("&&a=1&"), (Pairs{{"a", "1"}}));
  EXPECT_TRUE(ParseQuery("").empty());
}

}  // namespace
}  // namespace sp::net

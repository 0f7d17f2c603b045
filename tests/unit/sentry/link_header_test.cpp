#include "sentry/link_header.hpp"

#include <gtest/gtest.h>

namespace sp::sentry {
namespace {

TEST(LinkHeader, ReadsNextCursorAttributeNotTheUrl) {
  // sentry-api.md §3.1: previous first, host differs from the one called.
  const char* v =
      "<https://elsewhere.example/api/0/organizations/acme/issues/"
      "?project=-1&query=&limit=100&cursor=1768914127000:0:1>; "
      "rel=\"previous\"; results=\"false\"; cursor=\"1768914127000:0:1\", "
      "<https://elsewhere.example/api/0/organizations/acme/issues/"
      "?project=-1&query=&limit=100&cursor=1768310400000:0:0>; "
      "rel=\"next\"; results=\"true\"; cursor=\"1768310400000:0:0\"";
  auto entries = ParseLinkHeader(v);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].rel, "previous");
  EXPECT_FALSE(entries[0].results);
  EXPECT_EQ(entries[1].rel, "next");
  EXPECT_TRUE(entries[1].results);
  EXPECT_EQ(entries[1].url.rfind("https://elsewhere.example/", 0), 0u);
  EXPECT_EQ(NextCursor(v).value(), "1768310400000:0:0");
}

TEST(LinkHeader, StopsWhenNextHasNoResults) {
  const char* v =
      "<http://x/?&cursor=100:-1:1>; rel=\"previous\"; results=\"false\"; cursor=\"100:-1:1\", "
      "<http://x/?&cursor=100:1:0>; rel=\"next\"; results=\"false\"; cursor=\"100:1:0\"";
  EXPECT_FALSE(NextCursor(v).has_value());
}

TEST(LinkHeader, EmptyOrGarbageHasNoNext) {
  EXPECT_FALSE(NextCursor("").has_value());
  EXPECT_FALSE(NextCursor("garbage, more garbage").has_value());
  EXPECT_FALSE(NextCursor("<http://x/>; rel=\"next\"; results=\"true\"").has_value());  // no cursor attribute
}

TEST(LinkHeader, UrlsWithCommasAndSemicolonsInsideBrackets) {
  const char* v = "<http://x/?q=a,b;c&cursor=0:100:0>; rel=\"next\"; results=\"true\"; cursor=\"0:100:0\"";
  auto entries = ParseLinkHeader(v);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].url, "http://x/?q=a,b;c&cursor=0:100:0");
  EXPECT_EQ(NextCursor(v).value(), "0:100:0");
}

}  // namespace
}  // namespace sp::sentry

#include <gtest/gtest.h>

#include "net/http_server.hpp"

namespace sp::net {
namespace {

TEST(FindHeaderTest, IsCaseInsensitiveAndReturnsTheFirstMatch) {
  const Headers headers = {{"Content-Type", "application/json"}, {"X-Multi", "1"}, {"x-multi", "2"}};
  ASSERT_NE(FindHeader(headers, "content-type"), nullptr);
  EXPECT_EQ(*FindHeader(headers, "CONTENT-TYPE"), "application/json");
  EXPECT_EQ(*FindHeader(headers, "X-MULTI"), "1");
  EXPECT_EQ(FindHeader(headers, "content-typ"), nullptr);
  EXPECT_EQ(FindHeader(headers, "content-type-x"), nullptr);
  EXPECT_EQ(FindHeader({}, "a"), nullptr);
}

TEST(FindHeaderTest, RequestAndResponseHelpersUseIt) {
  HttpRequest request;
  request.headers = {{"Sentry-Hook-Signature", "abc"}};
  ASSERT_NE(request.Header("sentry-hook-signature"), nullptr);
  EXPECT_EQ(*request.Header("sentry-hook-signature"), "abc");
  EXPECT_EQ(request.Header("missing"), nullptr);
}

TEST(HttpResponseTest, FactoriesSetContentType) {
  const HttpResponse json = HttpResponse::Json(201, "{}");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.body, "{}");
  ASSERT_NE(FindHeader(json.headers, "content-type"), nullptr);
  EXPECT_EQ(*FindHeader(json.headers, "content-type"), "application/json");
  const HttpResponse text = HttpResponse::Text(404, "no");
  EXPECT_EQ(*FindHeader(text.headers, "Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(text.action, ResponseAction::SEND);
  EXPECT_FALSE(text.close);
  EXPECT_EQ(text.delay.count(), 0);
}

}  // namespace
}  // namespace sp::net

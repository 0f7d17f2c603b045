#include <gtest/gtest.h>

#include <set>

#include "config/keys.hpp"
#include "config/settings.hpp"

namespace sp::config {
namespace {

TEST(ParseBool, AcceptsOceanSpellings) {
  for (const char* yes : {"true", "TRUE", "True", "1", "yes", "YES", "on"}) EXPECT_TRUE(*ParseBool(yes)) << yes;
  for (const char* no : {"false", "False", "0", "no", "NO", "off"}) EXPECT_FALSE(*ParseBool(no)) << no;
  auto bad = ParseBool("maybe");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'maybe'"), std::string::npos);
}

TEST(ParseInteger, RejectsNonNumbersAndOutOfRange) {
  EXPECT_EQ(*ParseInteger(" 42 ", 1, 100), 42);
  EXPECT_EQ(*ParseInteger("+7", 1, 100), 7);
  EXPECT_FALSE(ParseInteger("abc", 1, 100).ok());
  EXPECT_FALSE(ParseInteger("12abc", 1, 100).ok());
  EXPECT_FALSE(ParseInteger("1.5", 1, 100).ok());
  EXPECT_FALSE(ParseInteger("", 1, 100).ok());
  EXPECT_FALSE(ParseInteger("0", 1, 100).ok());
  EXPECT_FALSE(ParseInteger("-3", 1, 100).ok());
  EXPECT_FALSE(ParseInteger("99999999999999999999999", 1, 100).ok());
  EXPECT_NE(ParseInteger("0", 1, 100).error().message.find("between 1 and 100"), std::string::npos);
}

TEST(ParseHttpUrl, NeedsSchemeAndHost) {
  EXPECT_EQ(*ParseHttpUrl("https://sentry.io/"), "https://sentry.io");
  EXPECT_EQ(*ParseHttpUrl("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
  EXPECT_EQ(*ParseHttpUrl("HTTPS://Sentry.example.com/base//"), "HTTPS://Sentry.example.com/base");
  for (const char* bad : {"sentry.io", "ftp://sentry.io", "https://", "https:///path", "//sentry.io", ""}) {
    auto result = ParseHttpUrl(bad);
    EXPECT_FALSE(result.ok()) << bad;
  }
  EXPECT_NE(ParseHttpUrl("sentry.io").error().message.find("https://"), std::string::npos);
}

TEST(ParseEventListenerType, ListsValidTypes) {
  EXPECT_EQ(*ParseEventListenerType("once"), EventListenerType::ONCE);
  EXPECT_EQ(*ParseEventListenerType("POLLING"), EventListenerType::POLLING);
  EXPECT_EQ(*ParseEventListenerType("webhook"), EventListenerType::WEBHOOK);
  EXPECT_EQ(*ParseEventListenerType("WEBHOOKS_ONLY"), EventListenerType::WEBHOOKS_ONLY);
  auto unknown = ParseEventListenerType("SOMETIMES");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("ONCE, POLLING, WEBHOOK, WEBHOOKS_ONLY"), std::string::npos);
  auto kafka = ParseEventListenerType("KAFKA");
  ASSERT_FALSE(kafka.ok());
  EXPECT_NE(kafka.error().message.find("does not support"), std::string::npos);
  EXPECT_FALSE(ParseEventListenerType("ACTIONS_ONLY").ok());
}

TEST(Suggestions, ClosestNameByEditDistance) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  std::vector<std::string> names = {"OCEAN__PORT__CLIENT_ID", "OCEAN__PORT__CLIENT_SECRET", "OCEAN__BASE_URL"};
  EXPECT_EQ(ClosestName("ocean__port__client_sercet", names), "OCEAN__PORT__CLIENT_SECRET");
  EXPECT_EQ(ClosestName("OCEAN__BASEURL", names), "OCEAN__BASE_URL");
  EXPECT_EQ(ClosestName("x", {}), "");
}

TEST(KeyTable, EveryKeyIsWellFormedAndDefaultsAgreeWithSettings) {
  Settings defaults;
  std::set<std::string_view> seen;
  for (const KeySpec& spec : AllKeys()) {
    EXPECT_TRUE(seen.insert(spec.key).second) << "duplicate key " << spec.key;
    ASSERT_FALSE(spec.env.empty()) << spec.key;
    ASSERT_NE(spec.apply, nullptr) << spec.key;
    ASSERT_NE(spec.show, nullptr) << spec.key;
    EXPECT_FALSE(spec.help.empty()) << spec.key;
    EXPECT_EQ(spec.show(defaults), spec.default_text) << spec.key;
    EXPECT_EQ(FindKey(spec.key), &spec);
  }
  EXPECT_EQ(FindKey("no.such.key"), nullptr);
}

}  // namespace
}  // namespace sp::config

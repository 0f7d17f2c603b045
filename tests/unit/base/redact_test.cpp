#include "base/redact.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace sp {
namespace {

class RedactTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearSecretsForTesting(); }
  void TearDown() override { ClearSecretsForTesting(); }
};

TEST_F(RedactTest, MasksEveryOccurrence) {
  RegisterSecret("s3cr3t-token");
  EXPECT_EQ(Redact("a s3cr3t-token b s3cr3t-token"), "a *** b ***");
  EXPECT_EQ(Redact("nothing here"), "nothing here");
}

TEST_F(RedactTest, MasksUrlEncodedAndJsonEscapedForms) {
  RegisterSecret("p@ss word/\"x\"");
  EXPECT_EQ(Redact("url?secret=p%40ss%20word%2F%22x%22&x=1"), "url?secret=***&x=1");
  EXPECT_EQ(Redact("form=p%40ss+word%2F%22x%22"), "form=***");
  EXPECT_EQ(Redact(R"({"m":"p@ss word/\"x\""})"), R"({"m":"***"})");
  EXPECT_EQ(Redact("raw p@ss word/\"x\" end"), "raw *** end");
}

TEST_F(RedactTest, IgnoresEmptyAndShortValues) {
  RegisterSecret("");
  RegisterSecret("abc");
  RegisterSecret("   ");
  EXPECT_EQ(RegisteredSecretPatternCount(), 0u);
  EXPECT_EQ(Redact("abc"), "abc");
}

TEST_F(RedactTest, TrimsSurroundingWhitespace) {
  RegisterSecret("  token-value\n");
  EXPECT_EQ(Redact("x token-value y"), "x *** y");
}

TEST_F(RedactTest, LongestSecretWins) {
  RegisterSecret("abcd");
  RegisterSecret("abcdefgh");
  EXPECT_EQ(Redact("abcdefgh abcd"), "*** ***");
}

TEST_F(RedactTest, ConcurrentRegisterAndRedact) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) {
        std::string secret = "secret-" + std::to_string(t) + "-" + std::to_string(i);
        RegisterSecret(secret);
        EXPECT_EQ(Redact("<" + secret + ">"), "<***>");
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

TEST(UrlEncode, EncodesReservedCharacters) {
  EXPECT_EQ(UrlEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(UrlEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

}  // namespace
}  // namespace sp

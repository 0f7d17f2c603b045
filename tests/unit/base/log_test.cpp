#include "base/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <string>

#include "base/redact.hpp"

namespace sp {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void TearDown() override {
    InitLogging({});  // drop the logger that points at `out_`
    ClearSecretsForTesting();
  }
  std::ostringstream out_;
};

TEST_F(LogTest, JsonLinesAreOneEscapedObjectPerLine) {
  InitLogging({.level = LogLevel::DEBUG, .format = LogFormat::JSON, .output = &out_});
  spdlog::info("hello \"world\"\nnext");
  spdlog::debug("second");
  std::string text = out_.str();
  auto first_end = text.find('\n');
  ASSERT_NE(first_end, std::string::npos);
  std::string first = text.substr(0, first_end);
  EXPECT_EQ(first.rfind("{\"time\":\"", 0), 0u) << first;
  EXPECT_NE(first.find(R"("level":"info","message":"hello \"world\"\nnext","logger":"sentry-port"})"),
            std::string::npos)
      << first;
  EXPECT_NE(text.find(R"("level":"debug","message":"second")"), std::string::npos) << text;
}

TEST_F(LogTest, AutoIsTextOnTtyAndJsonOtherwise) {
  InitLogging({.format = LogFormat::AUTO, .output = &out_, .output_is_tty = true});
  spdlog::warn("careful");
  EXPECT_NE(out_.str().find(" WARNING careful\n"), std::string::npos) << out_.str();
  out_.str("");
  InitLogging({.format = LogFormat::AUTO, .output = &out_, .output_is_tty = false});
  spdlog::warn("careful");
  EXPECT_NE(out_.str().find(R"("level":"warning","message":"careful")"), std::string::npos) << out_.str();
}

TEST_F(LogTest, LevelFiltersLowerLines) {
  InitLogging({.level = LogLevel::WARNING, .format = LogFormat::TEXT, .output = &out_});
  spdlog::info("dropped");
  spdlog::error("kept");
  EXPECT_EQ(out_.str().find("dropped"), std::string::npos);
  EXPECT_NE(out_.str().find("ERROR kept"), std::string::npos);
}

TEST_F(LogTest, EveryLevelAndFormatIsRedacted) {
  RegisterSecret("tok-123456");
  RegisterSecret("quote\"secret");
  for (LogFormat format : {LogFormat::TEXT, LogFormat::JSON}) {
    InitLogging({.level = LogLevel::DEBUG, .format = format, .output = &out_});
    spdlog::debug("d tok-123456");
    spdlog::info("i {}", "tok-123456");
    spdlog::warn("w quote\"secret");
    spdlog::error("e tok-123456");
    spdlog::critical("c tok-123456 quote\"secret");
  }
  std::string text = out_.str();
  EXPECT_EQ(text.find("tok-123456"), std::string::npos) << text;
  EXPECT_EQ(text.find("quote"), std::string::npos) << text;
  EXPECT_NE(text.find("***"), std::string::npos);
}

TEST(LogLevels, ParseIsCaseInsensitive) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::DEBUG);
  EXPECT_EQ(*ParseLogLevel("Info"), LogLevel::INFO);
  EXPECT_EQ(*ParseLogLevel("WARNING"), LogLevel::WARNING);
  EXPECT_EQ(*ParseLogLevel("warn"), LogLevel::WARNING);
  EXPECT_EQ(*ParseLogLevel("error"), LogLevel::ERROR);
  EXPECT_EQ(*ParseLogLevel("CRITICAL"), LogLevel::CRITICAL);
  auto bad = ParseLogLevel("verbose");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("DEBUG, INFO, WARNING, ERROR, CRITICAL"), std::string::npos);
  EXPECT_EQ(*ParseLogFormat("JSON"), LogFormat::JSON);
  EXPECT_FALSE(ParseLogFormat("xml").ok());
}

TEST(JsonString, EscapesControlCharacters) {
  std::string out;
  AppendJsonString(out, std::string("a\"b\\c\x01\t", 7));
  EXPECT_EQ(out, R"("a\"b\\c\u0001\t")");
}

}  // namespace
}  // namespace sp

#include "mapping/raw_input.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "json/write.hpp"

namespace sp::mapping {
namespace {

// Reads `text` with every chunk size from 1 byte up, so that every cut position is exercised.
std::vector<std::string> ReadAll(const std::string& text, size_t chunk, Status* status = nullptr,
                                 size_t batch_size = 2) {
  std::istringstream in(text);
  std::vector<std::string> out;
  Status st = ReadRawItems(in,
                           [&](std::vector<json::Value>& batch) {
                             EXPECT_LE(batch.size(), batch_size);
                             for (const json::Value& v : batch) out.push_back(json::ToJson(v));
                             return true;
                           },
                           {.batch_size = batch_size, .chunk_bytes = chunk});
  if (status != nullptr) *status = st;
  EXPECT_TRUE(status != nullptr || st.ok()) << st.error().ToString();
  return out;
}

TEST(RawInput, AcceptsOneValueAnArrayOrJsonLines) {
  std::vector<std::string> want = {R"({"a":"x]}"})", R"({"b":["[",{"c":"\"]"}]})", "3", R"("s , ]")"};
  const std::string forms[] = {
      R"({"a":"x]}"} {"b":["[",{"c":"\"]"}]} 3 "s , ]")",
      "[{\"a\":\"x]}\"},\n {\"b\":[\"[\",{\"c\":\"\\\"]\"}]} , 3,\"s , ]\"]\n",
      "{\"a\":\"x]}\"}\n{\"b\":[\"[\",{\"c\":\"\\\"]\"}]}\n3\n\"s , ]\"\n",
      "[{\"a\":\"x]}\"}, {\"b\":[\"[\",{\"c\":\"\\\"]\"}]}] [3] \"s , ]\"",
  };
  for (const std::string& text : forms) {
    for (size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
      EXPECT_EQ(ReadAll(text, chunk), want) << text << " chunk " << chunk;
    }
  }
  EXPECT_TRUE(ReadAll("[]", 1).empty());
  EXPECT_TRUE(ReadAll("  \n", 1).empty());
  EXPECT_EQ(ReadAll("[[1],[2]]", 3), (std::vector<std::string>{"[1]", "[2]"}));
}

TEST(RawInput, ReportsMalformedInput) {
  for (const char* bad : {"[1,,2]", "[1,]", "[,1]", "{\"a\":1", "[{\"a\":1}", "{\"a\" 1}", "\"open"}) {
    Status st;
    ReadAll(bad, 4, &st);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().code, ErrorCode::PARSE) << bad;
    EXPECT_THAT(st.error().message, ::testing::HasSubstr("byte")) << bad;
  }
}

TEST(RawInput, ItemsBeforeAnErrorAreDelivered) {
  Status st;
  std::vector<std::string> got = ReadAll("{\"a\":1}\n{\"b\":2}\n{oops}\n", 64, &st, 1);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(got, (std::vector<std::string>{R"({"a":1})", R"({"b":2})"}));
}

TEST(RawInput, StreamsLargeInputInBoundedBatches) {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text += "{\"id\":" + std::to_string(i) + ",\"pad\":\"" + std::string(40, 'x') + "\"}\n";
  std::istringstream in(text);
  size_t total = 0, batches = 0;
  Status st = ReadRawItems(in,
                           [&](std::vector<json::Value>& batch) {
                             EXPECT_LE(batch.size(), 500u);
                             total += batch.size();
                             ++batches;
                             return true;
                           },
                           {.batch_size = 500, .chunk_bytes = 4096});
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_EQ(total, 20000u);
  EXPECT_EQ(batches, 40u);
}

TEST(RawInput, StopsWhenAsked) {
  std::istringstream in("1 2 3 4 5 6");
  size_t calls = 0;
  Status st =
      ReadRawItems(in, [&](std::vector<json::Value>&) { return ++calls < 2; }, {.batch_size = 2, .chunk_bytes = 1});
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(calls, 2u);
}

}  // namespace
}  // namespace sp::mapping

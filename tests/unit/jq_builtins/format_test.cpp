#include <gtest/gtest.h>

#include "native_call.hpp"

namespace sp::jq {
namespace {

using testing::Dump;
using testing::J;

std::string Fmt(std::string_view name, std::string_view input_json) {
  auto r = ApplyFormat(name, J(input_json));
  if (!r.ok()) return "error: " + r.error().message;
  return Dump(r.value());
}

// jq 1.7.1's suite: @text,@json,([1,.]|@csv,@tsv),@html,@uri,@sh,@base64 on one string.
TEST(Format, SuiteStringThroughEveryFormat) {
  const char* input = R"("!()<>&'\"\t")";
  EXPECT_EQ(Fmt("text", input), R"("!()<>&'\"\t")");
  EXPECT_EQ(Fmt("json", input), R"("\"!()<>&'\\\"\\t\"")");
  EXPECT_EQ(Fmt("csv", R"([1,"!()<>&'\"\t"])"), R"("1,\"!()<>&'\"\"\t\"")");
  EXPECT_EQ(Fmt("tsv", R"([1,"!()<>&'\"\t"])"), R"("1\t!()<>&'\"\\t")");
  EXPECT_EQ(Fmt("html", input), R"("!()&lt;&gt;&amp;&apos;&quot;\t")");
  EXPECT_EQ(Fmt("uri", input), R"("%21%28%29%3C%3E%26%27%22%09")");
  EXPECT_EQ(Fmt("sh", input), R"("'!()<>&'\\''\"\t'")");
  EXPECT_EQ(Fmt("base64", input), R"("ISgpPD4mJyIJ")");
  EXPECT_EQ(Fmt("base64d", R"("ISgpPD4mJyIJ")"), input);
}

TEST(Format, AcceptsTheNameWithOrWithoutAt) {
  EXPECT_EQ(Fmt("@base64", R"("a")"), R"("YQ==")");
}

TEST(Format, NonStringsAreTurnedIntoTextFirst) {
  EXPECT_EQ(Fmt("text", "[1,{\"a\":null}]"), R"("[1,{\"a\":null}]")");
  EXPECT_EQ(Fmt("html", "[\"<\"]"), R"("[&quot;&lt;&quot;]")");
  EXPECT_EQ(Fmt("base64", "123"), R"("MTIz")");
  EXPECT_EQ(Fmt("uri", "null"), R"("null")");
}

TEST(Format, UriKeepsOnlyUnreservedAndEncodesUtf8Bytes) {
  EXPECT_EQ(Fmt("uri", R"("\u03bc")"), R"("%CE%BC")");
  EXPECT_EQ(Fmt("uri", R"("aZ09-_.~ /?")"), R"("aZ09-_.~%20%2F%3F")");
}

TEST(Format, Base64RoundTripsUtf8AndPads) {
  EXPECT_EQ(Fmt("base64", R"("foóbar\n")"), R"("Zm/Ds2Jhcgo=")");
  EXPECT_EQ(Fmt("base64d", R"("Zm/Ds2Jhcgo=")"), R"("foóbar\n")");
  EXPECT_EQ(Fmt("base64", R"("")"), R"("")");
  EXPECT_EQ(Fmt("base64", R"("ab")"), R"("YWI=")");
}

TEST(Format, Base64dToleratesMissingPadding) {
  EXPECT_EQ(Fmt("base64d", R"("YWI")"), R"("ab")");
  EXPECT_EQ(Fmt("base64d", R"("YQ")"), R"("a")");
  EXPECT_EQ(Fmt("base64d", R"("VGhpcyBpcyBhIG1lc3NhZ2U=")"), R"("This is a message")");
}

TEST(Format, Base64dErrors) {
  EXPECT_EQ(Fmt("base64d", R"("a*b")"), R"(error: string ("a*b") is not valid base64 data)");
  EXPECT_EQ(Fmt("base64d", R"("YWJjZ")"), R"(error: string ("YWJjZ") trailing base64 byte found)");
}

TEST(Format, Base64dReplacesInvalidUtf8) {
  // "/w==" decodes to the single byte 0xFF.
  EXPECT_EQ(Fmt("base64d", R"("/w==")"), "\"\xEF\xBF\xBD\"");
}

TEST(Format, Base32RoundTrip) {
  EXPECT_EQ(Fmt("base32", R"("")"), R"("")");
  EXPECT_EQ(Fmt("base32", R"("f")"), R"("MY======")");
  EXPECT_EQ(Fmt("base32", R"("fo")"), R"("MZXQ====")");
  EXPECT_EQ(Fmt("base32", R"("foo")"), R"("MZXW6===")");
  EXPECT_EQ(Fmt("base32", R"("foob")"), R"("MZXW6YQ=")");
  EXPECT_EQ(Fmt("base32", R"("fooba")"), R"("MZXW6YTB")");
  EXPECT_EQ(Fmt("base32", R"("foobar")"), R"("MZXW6YTBOI======")");
  EXPECT_EQ(Fmt("base32d", R"("MZXW6YTBOI======")"), R"("foobar")");
  EXPECT_EQ(Fmt("base32d", R"("MZXW6YQ")"), R"("foob")");
}

TEST(Format, CsvCells) {
  EXPECT_EQ(Fmt("csv", R"([1,"a\"b",null,true,false,1.5])"), R"("1,\"a\"\"b\",,true,false,1.5")");
  EXPECT_EQ(Fmt("csv", "[]"), R"("")");
}

TEST(Format, CsvAndTsvErrors) {
  EXPECT_EQ(Fmt("csv", R"({"a":1})"), R"(error: object ({"a":1}) cannot be csv-formatted, only an array can be)");
  EXPECT_EQ(Fmt("csv", "[[1]]"), "error: array ([1]) is not valid in a csv row");
  EXPECT_EQ(Fmt("tsv", "\"x\""), R"(error: string ("x") cannot be tsv-formatted, only an array can be)");
  EXPECT_EQ(Fmt("tsv", R"([{"a":1}])"), R"(error: object ({"a":1}) is not valid in a tsv row)");
}

TEST(Format, TsvEscapes) {
  EXPECT_EQ(Fmt("tsv", R"(["a\\b\nc\rd\te",null,2])"), R"("a\\\\b\\nc\\rd\\te\t\t2")");
}

TEST(Format, ShellQuotesStringsAndJoinsArrays) {
  EXPECT_EQ(Fmt("sh", R"("O'Hara's Ale")"), R"("'O'\\''Hara'\\''s Ale'")");
  EXPECT_EQ(Fmt("sh", R"(["a b",1,null,false])"), R"("'a b' 1 null false")");
  EXPECT_EQ(Fmt("sh", "[[1]]"), "error: array ([1]) can not be escaped for shell");
  EXPECT_EQ(Fmt("sh", R"({"a":"b"})"), R"(error: object ({"a":"b"}) can not be escaped for shell)");
}

TEST(Format, JsonKeepsNumberLiterals) {
  EXPECT_EQ(Fmt("json", "[1.50,100000000000000000001]"), R"("[1.50,100000000000000000001]")");
}

TEST(Format, UnknownFormat) {
  EXPECT_EQ(Fmt("foo", "1"), "error: foo is not a valid format");
}

TEST(Format, FormatBuiltin) {
  EXPECT_EQ(testing::Run(FormatBuiltins(), "format", "[1,2]", {J("\"csv\"")}), R"("1,2")");
  EXPECT_EQ(testing::Run(FormatBuiltins(), "format", "1", {J("1")}), "error: number (1) is not a valid format");
}

TEST(Format, HtmlPreviewTruncatesLongValuesInErrors) {
  EXPECT_EQ(Fmt("csv", R"([{"a":{"b":{"c":1}}}])"), R"(error: object ({"a":{"b":{...) is not valid in a csv row)");
}

}  // namespace
}  // namespace sp::jq

// OCEAN__EVENT_LISTENER in its JSON form ('{"type":"ONCE"}', as in Port's docker recipes), parsed with sp_json
// so that a malformed value is reported with the parser's byte offset.
#include "config/detail/sources.hpp"
#include "json/parse.hpp"
#include "json/value.hpp"

namespace sp::config::detail {

Result<std::vector<JsonMember>> ParseEventListenerJson(std::string_view text) {
  auto parsed = json::Parse(text);
  if (!parsed.ok()) {
    return Error(ErrorCode::PARSE, "invalid JSON: " + parsed.error().ToString());
  }
  const json::Value& value = *parsed;
  if (!value.IsObject()) {
    return Error(ErrorCode::INVALID_ARGUMENT,
                 std::string("expected a JSON object such as {\"type\":\"POLLING\"}, got a JSON ") + value.TypeName());
  }
  std::vector<JsonMember> members;
  for (const json::Member& member : value.Members()) {
    std::string key(member.key.AsString());
    const json::Value& item = member.value;
    std::string item_text;
    if (item.IsString()) {
      item_text = std::string(item.AsString());
    } else if (item.IsBool()) {
      item_text = item.AsBool() ? "true" : "false";
    } else if (item.IsNumber()) {
      std::string_view literal = item.NumberLiteralText();
      item_text = literal.empty() ? json::FormatDouble(item.AsNumber()) : std::string(literal);
    } else if (item.IsNull()) {
      continue;  // null means "not set", as an absent key
    } else {
      return Error(ErrorCode::INVALID_ARGUMENT,
                   "key '" + key + "' must be a string, number or boolean, got a JSON " + item.TypeName());
    }
    members.push_back({std::move(key), std::move(item_text)});
  }
  return members;
}

}  // namespace sp::config::detail

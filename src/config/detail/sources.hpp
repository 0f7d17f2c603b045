#pragma once
// Internal to config/: each source (config.yaml, environment, OCEAN__EVENT_LISTENER's JSON) turns its input into
// raw candidate values with their Origin; loader.cpp merges them by precedence and validates them.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "config/config.hpp"

namespace sp::config::detail {

//! One scalar of config.yaml, placeholders already resolved.
struct FileEntry {
  std::string path;  //!< dotted YAML path as written ("integration.config.sentryHost")
  std::string text;
  int line = 0;        //!< 1-based
  bool scalar = true;  //!< false for a sequence or other non-scalar where one value was expected
};

//! Reads and flattens a config.yaml. Errors: the file cannot be read; malformed YAML (PARSE, context
//! "path:line:column"); a `{{ from env NAME }}` placeholder whose variable is not set (context "path:line").
Result<std::vector<FileEntry>> ReadYamlFile(const std::string& path, const Environment& env);

//! Replaces every `{{ from env NAME }}` in `text`; a variable that is not set is an error naming it.
Result<std::string> ResolvePlaceholders(std::string_view text, const Environment& env);

//! One member of the OCEAN__EVENT_LISTENER JSON object, as text ("POLLING", "60", "true").
struct JsonMember {
  std::string key;
  std::string text;
};

//! Parses OCEAN__EVENT_LISTENER's value: a JSON object whose members are strings, numbers or booleans.
//! Errors (PARSE / INVALID_ARGUMENT) carry the byte offset from the JSON parser.
Result<std::vector<JsonMember>> ParseEventListenerJson(std::string_view text);

//! Lower-case, without '_' and '-': how YAML keys and paths are compared (sentryHost == sentry_host).
std::string NormalizeYamlPath(std::string_view path);

//! ASCII upper-case (environment names are compared case-insensitively, as pydantic-settings does).
std::string UpperAscii(std::string_view text);

}  // namespace sp::config::detail

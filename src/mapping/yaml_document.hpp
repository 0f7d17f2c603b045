#pragma once
// YAML (and therefore JSON) text -> json::Value, remembering where each node came from.
//
// Scalars follow YAML 1.2's core schema: plain `true`/`false`, `null`/`~`/empty, and numbers become JSON
// values; quoted scalars stay strings (so `query: 'true'` is the JQ text "true"). yaml-cpp stays inside the .cpp.
// Bounded: nesting deeper than max_depth or more than max_nodes nodes (alias bombs) is an error, not a crash.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.hpp"
#include "json/value.hpp"
#include "mapping/config_issue.hpp"

namespace sp::mapping {

struct SourceMark {
  int line = 0;    //!< 1-based
  int column = 0;  //!< 1-based
};

struct YamlDocument {
  json::Value value;                                  //!< null for an empty document
  std::unordered_map<std::string, SourceMark> marks;  //!< config path -> where its node starts
  ConfigIssues warnings;                              //!< duplicate keys (the last one wins, as in PyYAML)

  //! " (line L, column C)" for `path`, or "" when unknown.
  std::string Where(const std::string& path) const;
};

struct YamlOptions {
  size_t max_depth = 256;
  size_t max_nodes = 1'000'000;
};

//! Parses one YAML document. Errors: ErrorCode::PARSE, "line L, column C: <yaml-cpp's message>";
//! ErrorCode::LIMIT_EXCEEDED for depth/size bounds.
Result<YamlDocument> ParseYaml(std::string_view text, const YamlOptions& options = {});

}  // namespace sp::mapping

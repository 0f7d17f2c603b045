#pragma once
// Which kinds a port app config may name and which selector keys each kind accepts.
//
// The mapping module never includes a source client (conventions §3): the caller passes a KindTable. The six
// Sentry kinds are provided as DefaultSentryKinds() so that tools and tests work before the Sentry client
// registers its own table; that client may replace it without touching the mapping code.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/value.hpp"

namespace sp::mapping {

enum class SelectorFieldType {
  BOOL,         //!< true / false
  STRING,       //!< one string
  STRING_LIST,  //!< a list of strings; a single string is accepted as a one-element list
  NUMBER,       //!< a non-negative integer (a JSON number without a fraction, at most 2^53)
};

//! A selector key a kind accepts besides `query` (which every kind has).
struct SelectorField {
  std::string name;  //!< key as written in the config (`includeMembers`)
  SelectorFieldType type = SelectorFieldType::STRING;
  std::vector<std::string> allowed_values = {};  //!< for STRING / STRING_LIST; empty = any value
  //! Extra check on a well-typed value; returns an error sentence or nullopt.
  std::function<std::optional<std::string>(const json::Value&)> check = nullptr;
  std::string description = {};  //!< one line, for docs and `--help`
};

struct KindInfo {
  std::string name;  //!< kind as written in the config (`project-tag`)
  std::vector<SelectorField> selector_fields = {};
};

using KindTable = std::vector<KindInfo>;

//! The kinds of Port's Sentry integration (port-api.md §10.2) with the selector keys the Sentry client reads.
const KindTable& DefaultSentryKinds();

//! The entry named `name`, or nullptr.
const KindInfo* FindKind(const KindTable& table, std::string_view name);

//! "project, issue, ..." in table order, for "unknown kind" messages.
std::string KindNames(const KindTable& table);

}  // namespace sp::mapping

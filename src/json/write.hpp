#pragma once
// json::Value -> JSON text, the way jq writes it.

#include <string>

#include "json/value.hpp"

namespace sp::json {

struct WriteOptions {
  int indent = 0;          //!< 0: compact (`jq -c`); n > 0: pretty with n spaces (`jq`, `--indent n`)
  bool ascii = false;      //!< escape every non-ASCII code point as lowercase \uXXXX (surrogate pairs above
                           //!< U+FFFF): `jq -a`, and Sentry's webhook encoder (ensure_ascii)
  bool sort_keys = false;  //!< `jq -S`
};

//! Appends the JSON text of `v` to `out`. Strings are escaped as jq does (\" \\ \n \t \r \b \f, other control
//! characters and U+007F as \u00XX).
void Write(const Value& v, std::string& out, const WriteOptions& options = {});
//! Convenience: the JSON text of `v`.
std::string ToJson(const Value& v, const WriteOptions& options = {});
//! Appends `s` as a quoted, escaped JSON string.
void WriteString(std::string_view s, std::string& out, bool ascii = false);

}  // namespace sp::json

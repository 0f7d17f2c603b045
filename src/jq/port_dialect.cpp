// Port's single-quote rewrite (port-webhook.md §1.6, port-api.md §6.1), byte for byte:
// /(^|\s)'(?!\s|")|(?<!\s|")'(\s|$)/g  ->  $1"$2
// A quote becomes `"` when it opens (at the start or after whitespace, not followed by whitespace or `"`) or
// closes (not preceded by whitespace or `"`, followed by whitespace or the end). Matches never overlap: the
// scan resumes after the consumed whitespace, as a global regex replace does.

#include <string>

#include "jq/program.hpp"

namespace sp::jq {
namespace {

// JavaScript's and Python's \s for ASCII text.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string PortDialectRewrite(std::string_view src) {
  std::string out;
  out.reserve(src.size());
  const size_t n = src.size();
  size_t i = 0;
  while (i < n) {
    // Alternative 1: (^|\s)'(?!\s|")  -- the match starts at the whitespace (or at position 0).
    if (i == 0 && src[0] == '\'' && !(n > 1 && (IsSpace(src[1]) || src[1] == '"'))) {
      out += '"';
      i = 1;
      continue;
    }
    if (IsSpace(src[i]) && i + 1 < n && src[i + 1] == '\'' &&
        !(i + 2 < n && (IsSpace(src[i + 2]) || src[i + 2] == '"'))) {
      out += src[i];
      out += '"';
      i += 2;
      continue;
    }
    // Alternative 2: (?<!\s|")'(\s|$)
    if (src[i] == '\'' && !(i > 0 && (IsSpace(src[i - 1]) || src[i - 1] == '"')) &&
        (i + 1 == n || IsSpace(src[i + 1]))) {
      out += '"';
      if (i + 1 < n) out += src[i + 1];
      i += 2;
      continue;
    }
    out += src[i];
    ++i;
  }
  return out;
}

}  // namespace sp::jq

#pragma once
// Sentry's pagination header (sentry-api.md §3.1):
//   Link: <url>; rel="previous"; results="false"; cursor="...", <url>; rel="next"; results="true"; cursor="..."
// We read the cursor *attribute* of rel="next" and re-issue our own request with it; the URL's host may be a
// different host (customer domain, a misconfigured self-hosted proxy), so it is never followed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::sentry {

struct LinkEntry {
  std::string url;
  std::string rel;       //!< "previous" or "next"
  bool results = false;  //!< results="true"
  std::string cursor;    //!< the cursor attribute, opaque
};

//! Parses every entry of a Link header value; malformed entries are skipped.
std::vector<LinkEntry> ParseLinkHeader(std::string_view value);

//! The cursor to request next: rel="next" with results="true". nullopt when there is no next page (no header,
//! results="false", or no cursor attribute).
std::optional<std::string> NextCursor(std::string_view link_header_value);

}  // namespace sp::sentry

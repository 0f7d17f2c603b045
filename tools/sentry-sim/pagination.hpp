#pragma once
// Sentry's pagination (sentry-api.md §3): cursor strings "<value>:<offset>:<is_prev>", the Link header with
// the `previous` entry first and a `cursor` attribute, `?&cursor=` when no other parameter is left, results
// flags computed from fetching limit+1 rows, and the two paginator families the simulator serves:
// keyset (Sequence/DateTime paginators: value = score, offset = rows to skip among equal scores) and
// OffsetPaginator (value = page size, offset = page number; the first page's previous cursor is "100:-1:1").

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sp::sentry_sim {

struct Cursor {
  int64_t value = 0;
  int64_t offset = 0;
  bool is_prev = false;
};

//! Three integers separated by ':' (the value may carry a fraction, truncated as Sentry does); nullopt ⇒ 400.
std::optional<Cursor> ParseCursor(std::string_view s);
std::string FormatCursor(const Cursor& c);

struct PageLinks {
  Cursor prev;
  bool prev_results = false;
  Cursor next;
  bool next_results = false;
};

using Params = std::vector<std::pair<std::string, std::string>>;

//! The Link header value. `link_base` is scheme+host (the configurable url prefix), `path` the request path as
//! received; `params` the decoded query parameters (cursor is dropped; repeated keys are grouped by first
//! appearance, as Django's QueryDict.urlencode() does).
std::string BuildLinkHeader(std::string_view link_base, std::string_view path, const Params& params,
                            const PageLinks& links);

struct KeysetPage {
  std::vector<size_t> positions;  //!< positions (in the ordered sequence) of the rows of this page
  PageLinks links;
};

//! Keyset pagination over a sequence ordered by descending score. `score(pos)` is monotone non-increasing;
//! `match(pos)` applies the filters (offsets count matching rows only, as SQL OFFSET after WHERE would).
//! `max_rows` caps the rows reachable in total (tag values: 1000).
KeysetPage PaginateKeyset(size_t size, const std::function<int64_t(size_t)>& score,
                          const std::function<bool(size_t)>& match, const std::optional<Cursor>& cursor, size_t limit,
                          size_t max_rows = SIZE_MAX);

struct OffsetPage {
  size_t begin = 0;  //!< row range [begin, end) of this page
  size_t end = 0;
  PageLinks links;
};

//! OffsetPaginator over `total` rows. Error text (for a 400) when the page number is negative.
std::optional<OffsetPage> PaginateOffset(size_t total, size_t per_page, const std::optional<Cursor>& cursor,
                                         std::string* error);

}  // namespace sp::sentry_sim

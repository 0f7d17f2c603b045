#include "pagination.hpp"

#include <algorithm>

#include "sim_util.hpp"

namespace sp::sentry_sim {

std::optional<Cursor> ParseCursor(std::string_view s) {
  auto bits = Split(s, ':');
  if (bits.size() != 3) return std::nullopt;
  std::string v = bits[0];
  auto dot = v.find('.');
  if (dot != std::string::npos) {
    for (size_t i = dot + 1; i < v.size(); ++i)
      if (v[i] < '0' || v[i] > '9') return std::nullopt;
    v = v.substr(0, dot);
    if (v.empty() || v == "-") v += "0";
  }
  auto value = ParseInt(v), offset = ParseInt(bits[1]), prev = ParseInt(bits[2]);
  if (!value || !offset || !prev) return std::nullopt;
  return Cursor{*value, *offset, *prev != 0};
}

std::string FormatCursor(const Cursor& c) {
  return std::to_string(c.value) + ":" + std::to_string(c.offset) + ":" + (c.is_prev ? "1" : "0");
}

std::string BuildLinkHeader(std::string_view link_base, std::string_view path, const Params& params,
                            const PageLinks& links) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : params)
    if (k != "cursor" && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  std::string query;
  for (const auto& key : keys) {
    for (const auto& [k, v] : params) {
      if (k != key) continue;
      if (!query.empty()) query += '&';
      query += QuotePlus(k);
      query += '=';
      query += QuotePlus(v);
    }
  }
  std::string base = std::string(link_base) + std::string(path) + "?" + query;
  auto entry = [&](const Cursor& c, const char* rel, bool results) {
    std::string cs = FormatCursor(c);
    return "<" + base + "&cursor=" + cs + ">; rel=\"" + rel + "\"; results=\"" + (results ? "true" : "false") +
           "\"; cursor=\"" + cs + "\"";
  };
  return entry(links.prev, "previous", links.prev_results) + ", " + entry(links.next, "next", links.next_results);
}

KeysetPage PaginateKeyset(size_t size, const std::function<int64_t(size_t)>& score,
                          const std::function<bool(size_t)>& match, const std::optional<Cursor>& cursor, size_t limit,
                          size_t max_rows) {
  KeysetPage page;
  Cursor c = cursor.value_or(Cursor{});
  std::vector<size_t> fetched;  // limit + 1 rows
  size_t reachable = 0;         // matching rows seen from the top, for the max_rows cap
  if (!c.is_prev) {
    // First position whose score <= value (scores descend).
    size_t lo = 0, hi = size;
    if (c.value != 0) {
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (score(mid) > c.value)
          lo = mid + 1;
        else
          hi = mid;
      }
    }
    if (max_rows != SIZE_MAX)
      for (size_t p = 0; p < lo; ++p) reachable += match(p) ? 1 : 0;
    int64_t skip = std::max<int64_t>(0, c.offset);
    for (size_t p = lo; p < size && fetched.size() <= limit && reachable < max_rows; ++p) {
      if (!match(p)) continue;
      ++reachable;
      if (skip > 0) {
        --skip;
        continue;
      }
      fetched.push_back(p);
    }
    bool has_next = fetched.size() > limit;
    bool has_prev = c.value != 0 || c.offset > 0;
    // Next cursor: key of the first row of the next page (the extra row), offset = rows of this page sharing it.
    Cursor next{c.value, 0, false};
    if (!fetched.empty()) {
      int64_t next_value = score(fetched.back());
      if (next_value == c.value) {
        next.offset = c.offset + static_cast<int64_t>(limit);
      } else {
        for (size_t k = fetched.size() - 1; k-- > 0;) {
          if (score(fetched[k]) != next_value) break;
          ++next.offset;
        }
      }
      next.value = next_value;
    }
    if (fetched.size() > limit) fetched.resize(limit);
    Cursor prev{fetched.empty() ? c.value : score(fetched.front()), 0, true};
    for (size_t k = 1; k < fetched.size() && score(fetched[k]) == prev.value; ++k) ++prev.offset;
    page.positions = std::move(fetched);
    page.links = {prev, has_prev, next, has_next};
    return page;
  }
  // Previous page: rows with score >= value, walking upwards, then reversed.
  size_t lo = 0, hi = size;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (score(mid) >= c.value)
      lo = mid + 1;
    else
      hi = mid;
  }
  int64_t skip = std::max<int64_t>(0, c.offset);
  for (size_t p = lo; p-- > 0 && fetched.size() <= limit;) {
    if (!match(p)) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    fetched.push_back(p);
  }
  bool has_prev = fetched.size() > limit;
  if (fetched.size() > limit) fetched.resize(limit);
  std::reverse(fetched.begin(), fetched.end());
  Cursor prev{fetched.empty() ? c.value : score(fetched.front()), 0, true};
  Cursor next{fetched.empty() ? c.value : score(fetched.back()), 1, false};
  page.positions = std::move(fetched);
  page.links = {prev, has_prev, next, true};
  return page;
}

std::optional<OffsetPage> PaginateOffset(size_t total, size_t per_page, const std::optional<Cursor>& cursor,
                                         std::string* error) {
  Cursor c = cursor.value_or(Cursor{0, 0, false});
  int64_t size = c.value > 0 ? std::min<int64_t>(c.value, 100) : static_cast<int64_t>(per_page);
  if (c.offset < 0) {
    *error = "Pagination offset cannot be negative";
    return std::nullopt;
  }
  OffsetPage page;
  size_t start = static_cast<size_t>(c.offset) * static_cast<size_t>(size);
  page.begin = std::min(start, total);
  page.end = std::min(page.begin + static_cast<size_t>(size), total);
  bool has_next = total > page.begin + static_cast<size_t>(size);
  page.links.prev = {size, c.offset - 1, true};
  page.links.prev_results = c.offset > 0;
  page.links.next = {size, c.offset + 1, false};
  page.links.next_results = has_next;
  return page;
}

}  // namespace sp::sentry_sim

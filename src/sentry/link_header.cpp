#include "sentry/link_header.hpp"

#include <cctype>

namespace sp::sentry {
namespace {

void SkipSpace(std::string_view s, size_t& i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
}

// Reads `name="value"` or `name=value` starting at i; leaves i after the value.
bool ReadParam(std::string_view s, size_t& i, std::string& name, std::string& value) {
  SkipSpace(s, i);
  size_t start = i;
  while (i < s.size() && s[i] != '=' && s[i] != ';' && s[i] != ',') ++i;
  if (i >= s.size() || s[i] != '=') return false;
  name.assign(s.substr(start, i - start));
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
  ++i;
  SkipSpace(s, i);
  value.clear();
  if (i < s.size() && s[i] == '"') {
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      value.push_back(s[i++]);
    }
    if (i < s.size()) ++i;  // closing quote
  } else {
    while (i < s.size() && s[i] != ';' && s[i] != ',') value.push_back(s[i++]);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
  }
  return true;
}

}  // namespace

std::vector<LinkEntry> ParseLinkHeader(std::string_view s) {
  std::vector<LinkEntry> out;
  size_t i = 0;
  while (i < s.size()) {
    SkipSpace(s, i);
    if (i >= s.size()) break;
    if (s[i] != '<') {
      // Not an entry start: skip to the next comma outside quotes.
      while (i < s.size() && s[i] != ',') ++i;
      if (i < s.size()) ++i;
      continue;
    }
    size_t close = s.find('>', i);
    if (close == std::string_view::npos) break;
    LinkEntry entry;
    entry.url.assign(s.substr(i + 1, close - i - 1));
    i = close + 1;
    // Parameters until the next top-level comma. URLs may contain commas only inside <>, which we skipped.
    while (true) {
      SkipSpace(s, i);
      if (i >= s.size()) break;
      if (s[i] == ',') {
        ++i;
        break;
      }
      if (s[i] != ';') {
        ++i;
        continue;
      }
      ++i;
      std::string name, value;
      if (!ReadParam(s, i, name, value)) continue;
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name == "rel") {
        entry.rel = value;
      } else if (name == "results") {
        entry.results = value == "true";
      } else if (name == "cursor") {
        entry.cursor = value;
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::optional<std::string> NextCursor(std::string_view value) {
  for (auto& e : ParseLinkHeader(value)) {
    if (e.rel == "next") {
      if (!e.results || e.cursor.empty()) return std::nullopt;
      return e.cursor;
    }
  }
  return std::nullopt;
}

}  // namespace sp::sentry

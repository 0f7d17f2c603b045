#include "query.hpp"

#include <algorithm>
#include <array>

namespace sp::sentry_sim {

std::optional<std::vector<QueryToken>> TokenizeQuery(std::string_view q, std::string* error) {
  std::vector<QueryToken> out;
  size_t i = 0;
  auto read_value = [&](std::string& v) -> bool {
    if (i < q.size() && q[i] == '"') {
      size_t end = q.find('"', i + 1);
      if (end == std::string_view::npos) {
        *error = "Unterminated quoted string";
        return false;
      }
      v = std::string(q.substr(i + 1, end - i - 1));
      i = end + 1;
      return true;
    }
    size_t start = i;
    while (i < q.size() && q[i] != ' ' && q[i] != ',' && q[i] != ']') ++i;
    v = std::string(q.substr(start, i - start));
    return true;
  };
  while (i < q.size()) {
    if (q[i] == ' ' || q[i] == '\t') {
      ++i;
      continue;
    }
    QueryToken t;
    if (q[i] == '"') {
      std::string v;
      if (!read_value(v)) return std::nullopt;
      t.values.push_back(v);
      out.push_back(std::move(t));
      continue;
    }
    size_t start = i;
    while (i < q.size() && q[i] != ' ' && q[i] != ':' && q[i] != '"') ++i;
    if (i < q.size() && q[i] == ':') {
      std::string_view key = q.substr(start, i - start);
      if (!key.empty() && key[0] == '!') {
        t.negate = true;
        key.remove_prefix(1);
      }
      if (key.empty()) {
        *error = "Empty key before ':' at position " + std::to_string(start);
        return std::nullopt;
      }
      t.key = std::string(key);
      ++i;
      if (i < q.size() && q[i] == '[') {
        ++i;
        while (true) {
          while (i < q.size() && q[i] == ' ') ++i;
          std::string v;
          if (!read_value(v)) return std::nullopt;
          if (!v.empty()) t.values.push_back(v);
          if (i < q.size() && q[i] == ',') {
            ++i;
            continue;
          }
          if (i < q.size() && q[i] == ']') {
            ++i;
            break;
          }
          *error = "Unterminated list for key '" + t.key + "'";
          return std::nullopt;
        }
      } else {
        // Comma lists (id:1,2) are kept as one raw value; issue keys split lists only with [].
        size_t vstart = i;
        if (i < q.size() && q[i] == '"') {
          std::string v;
          if (!read_value(v)) return std::nullopt;
          t.values.push_back(v);
        } else {
          while (i < q.size() && q[i] != ' ') ++i;
          t.values.emplace_back(q.substr(vstart, i - vstart));
        }
      }
      if (t.values.empty() || (t.values.size() == 1 && t.values[0].empty())) {
        *error = "Missing value for key '" + t.key + "'";
        return std::nullopt;
      }
    } else {
      if (i < q.size() && q[i] == '"') {
        *error = "Unexpected quote at position " + std::to_string(i);
        return std::nullopt;
      }
      t.values.emplace_back(q.substr(start, i - start));
    }
    out.push_back(std::move(t));
  }
  return out;
}

namespace {

constexpr std::array IS_VALUES = {"archived", "assigned",  "escalating", "ignored",    "new",
                                  "ongoing",  "regressed", "resolved",   "unassigned", "unresolved"};
constexpr std::array TAG_KEYS = {"browser", "os", "server_name", "url", "user", "customer_tier"};

bool ParseDateTerm(const std::string& key, const std::string& raw, Micros now, IssueTerm& term, std::string* error) {
  std::string_view v = raw;
  auto fail = [&]() {
    *error = "Invalid format for \"" + key + "\" search: " + raw;
    return false;
  };
  if (v.empty()) return fail();
  if (v[0] == '-' || v[0] == '+') {
    auto period = ParsePeriod(v.substr(1));
    if (!period) return fail();
    term.bound = now - *period;
    // lastSeen:-24h = within the last 24 hours; lastSeen:+30d = older than 30 days.
    term.at_least = v[0] == '-';
    return true;
  }
  bool at_least = true;
  if (v.substr(0, 2) == ">=" || v.substr(0, 2) == "<=") {
    at_least = v[0] == '>';
    v.remove_prefix(2);
  } else if (v[0] == '>' || v[0] == '<') {
    at_least = v[0] == '>';
    v.remove_prefix(1);
  }
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
    auto period = ParsePeriod(v.substr(1));
    if (!period) return fail();
    // ">-24h" reads as "more recent than 24h ago" in Sentry's relative syntax.
    term.bound = now - *period;
    term.at_least = at_least;
    return true;
  }
  auto t = ParseIso(v);
  if (!t) return fail();
  term.bound = *t;
  term.at_least = at_least;
  return true;
}

}  // namespace

std::optional<IssueQuery> ParseIssueQuery(std::string_view query, Micros now, std::string* error) {
  std::string why;
  auto tokens = TokenizeQuery(query, &why);
  auto fail = [&](const std::string& msg) -> std::optional<IssueQuery> {
    *error = "Error parsing search query: " + msg;
    return std::nullopt;
  };
  if (!tokens) return fail(why);
  IssueQuery out;
  std::string text;
  for (auto& tok : *tokens) {
    if (tok.key.empty()) {
      if (tok.negate) return fail("Negation is not supported on free text");
      if (!text.empty()) text += ' ';
      text += tok.values[0];
      continue;
    }
    IssueTerm term;
    term.negate = tok.negate;
    term.values = tok.values;
    const std::string& key = tok.key;
    if (key == "is") {
      for (const auto& v : tok.values) {
        if (std::find(IS_VALUES.begin(), IS_VALUES.end(), v) == IS_VALUES.end())
          return fail(
              "Invalid value for \"is\" search, valid values are [archived, assigned, escalating, ignored, "
              "new, ongoing, regressed, resolved, unassigned, unresolved]");
      }
      for (const auto& v : tok.values) {
        IssueTerm t;
        t.kind = IssueTermKind::STATUS;
        t.negate = tok.negate;
        if (v == "assigned" || v == "unassigned") {
          t.kind = IssueTermKind::ASSIGNED_P;
          t.values = {v == "assigned" ? "1" : "0"};
        } else if (v == "unresolved" || v == "resolved" || v == "ignored" || v == "archived") {
          t.values = {v == "archived" ? "ignored" : v};
        } else {
          t.kind = IssueTermKind::SUBSTATUS;
          t.values = {v};
        }
        // Several is:<status> tokens mean "any of these statuses".
        bool merged = false;
        for (auto& existing : out.terms) {
          if (existing.kind == IssueTermKind::STATUS && t.kind == IssueTermKind::STATUS && !t.negate &&
              !existing.negate) {
            existing.values.push_back(t.values[0]);
            merged = true;
          }
        }
        if (!merged) out.terms.push_back(t);
      }
      continue;
    }
    if (key == "environment") {
      term.kind = IssueTermKind::ENVIRONMENT;
    } else if (key == "release") {
      term.kind = IssueTermKind::RELEASE;
    } else if (key == "level") {
      term.kind = IssueTermKind::LEVEL;
    } else if (key == "assigned" || key == "assigned_to") {
      term.kind = IssueTermKind::ASSIGNED;
    } else if (key == "lastSeen" || key == "firstSeen" || key == "age") {
      term.kind = key == "lastSeen" ? IssueTermKind::LAST_SEEN : IssueTermKind::FIRST_SEEN;
      if (tok.values.size() != 1) return fail("Invalid format for \"" + key + "\" search: list not allowed");
      if (!ParseDateTerm(key, tok.values[0], now, term, &why)) return fail(why);
    } else if (key == "issue.category") {
      term.kind = IssueTermKind::CATEGORY;
    } else if (key == "issue.priority") {
      term.kind = IssueTermKind::PRIORITY;
    } else if (key == "has") {
      term.kind = IssueTermKind::HAS;
    } else if (std::find(TAG_KEYS.begin(), TAG_KEYS.end(), key) != TAG_KEYS.end()) {
      term.kind = IssueTermKind::TAG;
      term.key = key;
    } else {
      return fail("Invalid key for this search: " + key);
    }
    out.terms.push_back(std::move(term));
  }
  if (!text.empty()) {
    IssueTerm t;
    t.values = {text};
    out.terms.push_back(std::move(t));
  }
  return out;
}

}  // namespace sp::sentry_sim

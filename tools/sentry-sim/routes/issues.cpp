// Issue routes: the organization issue search, the deprecated project issue list and issue detail
// (sentry-api.md §2.5-§2.7, §7.6), including the silent defaults a naive client trips on.
#include <algorithm>

#include "issue_text.hpp"
#include "query.hpp"
#include "render.hpp"
#include "sim_internal.hpp"
#include "tags.hpp"

namespace sp::sentry_sim {

namespace {

constexpr size_t MAX_HITS = 1000;

struct Search {
  std::vector<char> projects;  // by project index
  std::vector<std::string> environments;
  IssueQuery query;
  Micros window_start = 0;
  Micros window_end = 0;
};

bool In(const std::vector<std::string>& values, std::string_view s) {
  return std::find(values.begin(), values.end(), s) != values.end();
}

bool TermMatches(const Ctx& c, uint32_t i, const IssueTerm& t) {
  const Dataset& d = c.data;
  const Issue& is = d.issues[i];
  switch (t.kind) {
    case IssueTermKind::STATUS:
      return In(t.values, is.status == IssueStatus::UNRESOLVED ? "unresolved"
                          : is.status == IssueStatus::RESOLVED ? "resolved"
                                                               : "ignored");
    case IssueTermKind::SUBSTATUS: return In(t.values, SUBSTATUSES[is.substatus]);
    case IssueTermKind::ASSIGNED_P: return (is.assignee.type != Assignee::Type::NONE) == (t.values[0] == "1");
    case IssueTermKind::ENVIRONMENT:
      for (uint32_t e : IssueEnvironments(d, c.sim.seed, i))
        if (In(t.values, d.projects[is.project].environments[e])) return true;
      return false;
    case IssueTermKind::LEVEL: return In(t.values, LEVELS[is.level]);
    case IssueTermKind::CATEGORY: return In(t.values, RenderIssueText(d, i).issue_category);
    case IssueTermKind::PRIORITY: return In(t.values, PRIORITIES[is.priority]);
    case IssueTermKind::LAST_SEEN: return t.at_least ? is.last_seen >= t.bound : is.last_seen <= t.bound;
    case IssueTermKind::FIRST_SEEN: return t.at_least ? is.first_seen >= t.bound : is.first_seen <= t.bound;
    case IssueTermKind::ASSIGNED:
      for (const auto& v : t.values) {
        const Assignee& a = is.assignee;
        if (v == "none" && a.type == Assignee::Type::NONE) return true;
        if (a.type == Assignee::Type::USER) {
          const Member& m = d.members[a.index];
          if (v == m.email || v == m.user_id || (v == "me" && !c.token.member_id.empty() && c.token.member_id == m.id))
            return true;
        }
        if (a.type == Assignee::Type::TEAM && !v.empty() && v[0] == '#' && v.substr(1) == d.teams[a.index].slug)
          return true;
      }
      return false;
    case IssueTermKind::HAS: {
      auto keys = IssueTagKeys(d, c.sim.seed, i);
      for (const auto& v : t.values)
        if (In(keys, v)) return true;
      return false;
    }
    case IssueTermKind::RELEASE:
    case IssueTermKind::TAG: {
      auto values = IssueTagValues(d, c.sim.seed, i, t.kind == IssueTermKind::RELEASE ? "release" : t.key);
      if (!values) return false;
      for (const auto& v : *values)
        if (In(t.values, v.value)) return true;
      return false;
    }
    case IssueTermKind::TEXT: {
      IssueText text = RenderIssueText(d, i);
      return ContainsNoCase(text.title, t.values[0]) || ContainsNoCase(text.culprit, t.values[0]);
    }
  }
  return false;
}

bool Matches(const Ctx& c, const Search& s, uint32_t i) {
  const Issue& is = c.data.issues[i];
  if (!s.projects[is.project]) return false;
  if (is.last_seen < s.window_start || is.first_seen > s.window_end) return false;
  if (!s.environments.empty()) {
    bool any = false;
    for (uint32_t e : IssueEnvironments(c.data, c.sim.seed, i))
      any = any || In(s.environments, c.data.projects[is.project].environments[e]);
    if (!any) return false;
  }
  for (const auto& t : s.query.terms)
    if (TermMatches(c, i, t) == t.negate) return false;
  return true;
}

// Parses the query parameter with Sentry's default: absent => is:unresolved, present-but-empty => everything.
std::optional<Reply> ParseQueryParam(const Ctx& c, Search& s) {
  auto q = c.Get("query");
  std::string error;
  auto parsed = ParseIssueQuery(q ? *q : "is:unresolved", c.now, &error);
  if (!parsed) return DetailReply(400, error);
  s.query = std::move(*parsed);
  return std::nullopt;
}

std::set<std::string> SetOf(const std::vector<std::string>& v) {
  std::set<std::string> out;
  for (const auto& x : v)
    for (auto& part : Split(x, ','))
      if (!part.empty()) out.insert(part);
  return out;
}

Reply Page(const Ctx& c, const Search& s, const IssueRenderOptions& ro, size_t limit,
           const std::optional<Cursor>& cursor, const std::string& sort, bool hits) {
  const Dataset& d = c.data;
  const std::vector<uint32_t>& order = sort == "new"    ? d.by_first_seen
                                       : sort == "freq" ? d.by_count
                                       : sort == "user" ? d.by_user_count
                                                        : d.by_last_seen;
  auto score = [&](size_t pos) -> int64_t {
    const Issue& is = d.issues[order[pos]];
    if (sort == "new") return is.first_seen / 1000;
    if (sort == "freq") return is.count;
    if (sort == "user") return is.user_count;
    return is.last_seen / 1000;  // cursor scores are milliseconds for date sorts
  };
  auto page = PaginateKeyset(
      order.size(), score, [&](size_t pos) { return Matches(c, s, order[pos]); }, cursor, limit);
  std::string body;
  body.reserve(page.positions.size() * 1600);
  body += '[';
  std::string cursor_key = c.Get("cursor").value_or("");
  // Rows come from the render cache: a sync walking the org renders each issue once per data version.
  auto rows = c.sim.render_cache.Get(RenderFingerprint(ro), d.issues.size());
  // "HACK: remove auto resolved entries" (§2.5 item 3): a status query for unresolved drops rows that render
  // as auto-resolved after the search, so pages go short while results="true".
  bool drop_auto_resolved = false;
  for (const auto& t : s.query.terms)
    if (t.kind == IssueTermKind::STATUS && !t.negate && In(t.values, "unresolved") && !In(t.values, "resolved"))
      drop_auto_resolved = true;
  bool first = true;
  for (size_t pos : page.positions) {
    uint32_t i = order[pos];
    // Post-query filter simulation (§2.5 item 3): rows vanish after pagination, pages go short or empty.
    if (c.cfg.post_filter_drop > 0) {
      uint64_t h = Hash(c.sim.seed, d.issues[i].id, std::hash<std::string>{}(cursor_key));
      if (static_cast<double>(h % 1000000) / 1e6 < c.cfg.post_filter_drop) continue;
    }
    if (drop_auto_resolved && IsAutoResolved(d, d.issues[i], ro.now)) continue;
    if (!first) body += ',';
    first = false;
    c.sim.render_cache.Append(*rows, i, body, [&](std::string& out) {
      JsonOut j(out);
      RenderIssue(j, d, i, ro);
    });
  }
  body += ']';
  Reply r;
  r.body = std::move(body);
  c.AddLink(r, page.links);
  if (hits) {
    size_t count = 0;
    for (size_t pos = 0; pos < order.size() && count < MAX_HITS; ++pos) count += Matches(c, s, order[pos]) ? 1 : 0;
    r.headers.emplace_back("X-Hits", std::to_string(count));
    r.headers.emplace_back("X-Max-Hits", std::to_string(MAX_HITS));
  }
  return r;
}

std::optional<Reply> LimitParam(const Ctx& c, size_t& limit) {
  limit = 100;
  if (auto v = c.Get("limit")) {
    auto n = ParseInt(*v);
    if (!n || *n < 1) return DetailReply(400, "Invalid limit parameter.");
    limit = static_cast<size_t>(std::min<int64_t>(*n, 100));  // silently capped; per_page is ignored here
  }
  return std::nullopt;
}

std::optional<Reply> SortParam(const Ctx& c, std::string& sort) {
  sort = c.Get("sort").value_or("date");
  if (sort == "trends" || sort == "inbox" || sort.empty()) sort = "date";
  if (sort != "date" && sort != "new" && sort != "freq" && sort != "user")
    return DetailReply(400, "Invalid sort: " + sort);
  return std::nullopt;
}

}  // namespace

Reply RouteOrgIssues(const Ctx& c) {
  const Dataset& d = c.data;
  Search s;
  // project: absent => member projects; -1 => all accessible; ids otherwise.
  std::vector<char> member = c.MemberProjects();
  std::vector<char> accessible(d.projects.size(), 1);
  auto project_ids = c.GetAll("project");
  auto project_slugs = c.GetAll("projectSlug");
  if (project_ids.empty() && project_slugs.empty()) {
    s.projects = member;
  } else {
    s.projects.assign(d.projects.size(), 0);
    for (const auto& v : project_ids) {
      auto n = ParseInt(v);
      if (!n) return DetailReply(400, "Invalid project parameter. Values must be numbers.");
      if (*n == -1) {
        s.projects = accessible;
        continue;
      }
      const Project* p = d.FindProject(std::to_string(*n));
      if (!p || p->id != std::to_string(*n)) return JsonReply(BODY_FORBIDDEN, 403);
      s.projects[static_cast<size_t>(p - d.projects.data())] = 1;
    }
    for (const auto& v : project_slugs) {
      if (v == "$all") {
        s.projects = accessible;
        continue;
      }
      const Project* p = d.FindProject(v);
      if (!p || p->slug != v) return JsonReply(BODY_FORBIDDEN, 403);
      s.projects[static_cast<size_t>(p - d.projects.data())] = 1;
    }
  }
  if (std::none_of(s.projects.begin(), s.projects.end(), [](char x) { return x != 0; }))
    return JsonReply("[]");  // no accessible project: 200 [] without a Link header
  s.environments = c.GetAll("environment");
  // Window: statsPeriod or start/end, default 90 days, intersected with retention.
  s.window_end = c.now;
  s.window_start = c.now - 90 * MICROS_PER_DAY;
  auto sp = c.Get("statsPeriod");
  auto start = c.Get("start"), end = c.Get("end");
  if (sp && !sp->empty()) {
    auto period = ParsePeriod(*sp);
    if (!period) return DetailReply(400, "Invalid statsPeriod: " + *sp);
    s.window_start = c.now - *period;
  } else if (start || end) {
    std::optional<Micros> ts, te;
    if (start) ts = ParseIso(*start);
    if (end) te = ParseIso(*end);
    if (!ts.has_value() || !te.has_value())
      return DetailReply(400, "start and end are both required and must be ISO-8601 datetimes");
    Micros from = ts.value_or(0), to = te.value_or(0);
    if (from > to) return DetailReply(400, "start must be before end");
    s.window_start = from;
    s.window_end = to;
  }
  s.window_start = std::max(s.window_start, c.now - static_cast<Micros>(d.org.retention_days) * MICROS_PER_DAY);
  std::string gsp = c.Get("groupStatsPeriod").value_or("24h");
  if (gsp != "" && gsp != "24h" && gsp != "14d" && gsp != "auto")
    return DetailReply(400, "Invalid stats_period. Valid choices are '', '24h', '14d' and 'auto'");
  if (auto bad = ParseQueryParam(c, s)) return *bad;
  std::string sort;
  if (auto bad = SortParam(c, sort)) return *bad;
  size_t limit;
  if (auto bad = LimitParam(c, limit)) return *bad;
  std::optional<Cursor> cursor;
  if (auto bad = c.CursorParam(cursor)) return *bad;

  IssueRenderOptions ro;
  ro.seed = c.sim.seed;
  ro.now = c.now;
  ro.windowed = true;
  ro.window_start = s.window_start;
  ro.window_end = s.window_end;
  ro.stats_period = gsp == "auto" ? "24h" : gsp;
  ro.collapse = SetOf(c.GetAll("collapse"));
  ro.expand = SetOf(c.GetAll("expand"));

  auto groups = c.GetAll("group");
  if (!groups.empty()) {
    // group= bypasses search and pagination.
    std::string body;
    JsonOut j(body);
    j.BeginArray();
    for (const auto& g : groups) {
      auto i = d.FindIssue(g);
      if (i && s.projects[d.issues[*i].project]) RenderIssue(j, d, *i, ro);
    }
    j.EndArray();
    return JsonReply(std::move(body));
  }
  return Page(c, s, ro, limit, cursor, sort, true);
}

Reply RouteProjectIssues(const Ctx& c) {
  const Dataset& d = c.data;
  const Project* p = d.FindProject(c.seg[2]);
  if (!p) return NotFound();
  Search s;
  s.projects.assign(d.projects.size(), 0);
  s.projects[static_cast<size_t>(p - d.projects.data())] = 1;
  // statsPeriod selects the sparkline only and must be '', 24h or 14d (§2.6).
  std::string sp = c.Get("statsPeriod").value_or("24h");
  if (sp != "" && sp != "24h" && sp != "14d")
    return DetailReply(400, "Invalid stats_period. Valid choices are '', '24h', and '14d'");
  if (c.Has("hashes") && c.Has("query")) return DetailReply(400, "Cannot use 'hashes' with 'query'");
  s.environments = c.GetAll("environment");
  s.window_end = c.now;
  s.window_start = c.now - static_cast<Micros>(d.org.retention_days) * MICROS_PER_DAY;  // retention only
  if (auto bad = ParseQueryParam(c, s)) return *bad;
  std::string sort;
  if (auto bad = SortParam(c, sort)) return *bad;
  size_t limit;
  if (auto bad = LimitParam(c, limit)) return *bad;
  std::optional<Cursor> cursor;
  if (auto bad = c.CursorParam(cursor)) return *bad;
  IssueRenderOptions ro;
  ro.seed = c.sim.seed;
  ro.now = c.now;
  ro.stats_period = sp;
  ro.lifetime = false;
  ro.filtered = false;
  return Page(c, s, ro, limit, cursor, sort, false);
}

Reply RouteIssueDetail(const Ctx& c) {
  auto i = c.data.FindIssue(c.seg[3]);
  if (!i) return NotFound();
  IssueRenderOptions ro;
  ro.seed = c.sim.seed;
  ro.now = c.now;
  ro.collapse = SetOf(c.GetAll("collapse"));
  ro.expand = SetOf(c.GetAll("expand"));
  std::string body;
  JsonOut j(body);
  RenderIssueDetail(j, c.data, *i, ro);
  return JsonReply(std::move(body));
}

}  // namespace sp::sentry_sim

// Tag-value routes (sentry-api.md §2.8, §2.9): project tag values (90-day window, -last_seen, at most 1000
// values, 404 for unknown keys or environments) and issue tag values (sort options, default -id, 404 when the
// issue never had the key).
#include "tags.hpp"

#include <algorithm>

#include "render.hpp"
#include "sim_internal.hpp"

namespace sp::sentry_sim {

namespace {

constexpr size_t MAX_VALUES = 1000;

Reply RenderValues(const Ctx& c, const std::string& key, const std::vector<TagValue>& values,
                   const std::function<int64_t(const TagValue&)>& score, size_t per_page,
                   const std::optional<Cursor>& cursor) {
  auto page = PaginateKeyset(
      values.size(), [&](size_t p) { return score(values[p]); }, [](size_t) { return true; }, cursor, per_page,
      MAX_VALUES);
  std::string body;
  JsonOut j(body);
  j.BeginArray();
  for (size_t p : page.positions) RenderTagValue(j, key, values[p]);
  j.EndArray();
  Reply r;
  r.body = std::move(body);
  c.AddLink(r, page.links);
  return r;
}

}  // namespace

Reply RouteProjectTagValues(const Ctx& c) {
  const Dataset& d = c.data;
  const Project* p = d.FindProject(c.seg[2]);
  if (!p) return NotFound();
  uint32_t pi = static_cast<uint32_t>(p - d.projects.data());
  const std::string& key = c.seg[4];
  size_t per_page;
  if (auto bad = c.PerPage(per_page)) return *bad;
  std::optional<Cursor> cursor;
  if (auto bad = c.CursorParam(cursor)) return *bad;
  for (const auto& env : c.GetAll("environment"))
    if (std::find(p->environments.begin(), p->environments.end(), env) == p->environments.end()) return NotFound();
  auto values = ProjectTagValues(d, c.sim.seed, pi, key, c.now);
  if (!values) return NotFound();
  Micros start = c.now - 90 * MICROS_PER_DAY, end = c.now;
  if (auto sp = c.Get("statsPeriod"); sp && !sp->empty()) {
    auto period = ParsePeriod(*sp);
    if (!period) return DetailReply(400, "Invalid statsPeriod: " + *sp);
    start = c.now - *period;
  } else if (auto s = c.Get("start")) {
    auto ts = ParseIso(*s);
    auto te = c.Get("end") ? ParseIso(*c.Get("end")) : std::optional<Micros>(c.now);
    if (!ts || !te) return DetailReply(400, "start and end are both required and must be ISO-8601 datetimes");
    start = *ts;
    end = *te;
  }
  std::string contains = c.Get("query").value_or("");
  std::vector<TagValue> kept;
  for (auto& v : *values)
    if (v.last_seen >= start && v.first_seen <= end && ContainsNoCase(v.value, contains)) kept.push_back(std::move(v));
  std::stable_sort(kept.begin(), kept.end(),
                   [](const TagValue& a, const TagValue& b) { return a.last_seen / 1000 > b.last_seen / 1000; });
  return RenderValues(
      c, key, kept, [](const TagValue& v) { return v.last_seen / 1000; }, per_page, cursor);
}

Reply RouteIssueTagValues(const Ctx& c) {
  const Dataset& d = c.data;
  auto i = d.FindIssue(c.seg[3]);
  if (!i) return NotFound();
  const std::string& key = c.seg[5];
  size_t per_page;
  if (auto bad = c.PerPage(per_page)) return *bad;
  std::optional<Cursor> cursor;
  if (auto bad = c.CursorParam(cursor)) return *bad;
  auto values = IssueTagValues(d, c.sim.seed, *i, key);
  if (!values) return NotFound();
  auto envs = c.GetAll("environment");
  if (!envs.empty() && key == "environment") {
    std::erase_if(*values,
                  [&](const TagValue& v) { return std::find(envs.begin(), envs.end(), v.value) == envs.end(); });
  }
  std::string sort = c.Get("sort").value_or("");
  std::function<int64_t(const TagValue&)> score;
  if (sort == "date")
    score = [](const TagValue& v) { return v.last_seen / 1000; };
  else if (sort == "age")
    score = [](const TagValue& v) { return v.first_seen / 1000; };
  else if (sort == "count")
    score = [](const TagValue& v) { return v.count; };
  else
    score = [](const TagValue& v) { return static_cast<int64_t>(v.id); };  // default -id
  std::stable_sort(values->begin(), values->end(),
                   [&](const TagValue& a, const TagValue& b) { return score(a) > score(b); });
  return RenderValues(c, key, *values, score, per_page, cursor);
}

}  // namespace sp::sentry_sim

// Members, teams and team members (sentry-api.md §2.10-§2.12): OffsetPaginator lists; members include pending
// invites, team members exclude them; teams embed their projects when detailed (the default).
#include <algorithm>

#include "query.hpp"
#include "render.hpp"
#include "sim_internal.hpp"

namespace sp::sentry_sim {

namespace {

Reply OffsetList(const Ctx& c, const std::vector<uint32_t>& rows,
                 const std::function<void(JsonOut&, uint32_t)>& render) {
  size_t per_page;
  if (auto bad = c.PerPage(per_page)) return *bad;
  std::optional<Cursor> cursor;
  if (auto bad = c.CursorParam(cursor)) return *bad;
  std::string err;
  auto page = PaginateOffset(rows.size(), per_page, cursor, &err);
  if (!page) return DetailReply(400, err);
  std::string body;
  JsonOut j(body);
  j.BeginArray();
  for (size_t k = page->begin; k < page->end; ++k) render(j, rows[k]);
  j.EndArray();
  Reply r;
  r.body = std::move(body);
  c.AddLink(r, page->links);
  return r;
}

}  // namespace

Reply RouteMembers(const Ctx& c) {
  const Dataset& d = c.data;
  std::string error;
  auto tokens = TokenizeQuery(c.Get("query").value_or(""), &error);
  std::vector<uint32_t> rows;
  for (uint32_t m = 0; tokens && m < d.members.size(); ++m) {
    const Member& mem = d.members[m];
    bool ok = true;
    for (const auto& t : *tokens) {
      const std::string& v = t.values[0];
      bool hit;
      if (t.key.empty())
        hit = ContainsNoCase(mem.email, v) || ContainsNoCase(mem.name, v);
      else if (t.key == "email")
        hit = mem.email == v;
      else if (t.key == "id")
        hit = mem.id == v;
      else if (t.key == "user.id")
        hit = !mem.pending && mem.user_id == v;
      else if (t.key == "role")
        hit = v == mem.org_role;
      else if (t.key == "isInvited")
        hit = (v == "true") == mem.pending;
      else if (t.key == "has2fa")
        hit = (v == "true") == mem.has2fa;
      else if (t.key == "ssoLinked")
        hit = (v == "true") == mem.sso_linked;
      else
        hit = false;  // unknown key => empty list
      ok = ok && (t.negate ? !hit : hit);
    }
    if (ok) rows.push_back(m);
  }
  return OffsetList(c, rows, [&](JsonOut& j, uint32_t m) { RenderMember(j, d, m, nullptr, nullptr); });
}

Reply RouteTeams(const Ctx& c) {
  const Dataset& d = c.data;
  bool detailed = c.Get("detailed").value_or("1") != "0";
  std::string error;
  auto tokens = TokenizeQuery(c.Get("query").value_or(""), &error);
  std::vector<uint32_t> rows;
  for (uint32_t t = 0; tokens && t < d.teams.size(); ++t) {
    bool ok = true;
    for (const auto& tok : *tokens) {
      const std::string& v = tok.values[0];
      if (tok.key.empty())
        ok = ok && (ContainsNoCase(d.teams[t].slug, v) || ContainsNoCase(d.teams[t].name, v));
      else if (tok.key == "slug")
        ok = ok && d.teams[t].slug == v;
      else if (tok.key == "id")
        ok = ok && d.teams[t].id == v;
      else if (tok.key == "hasExternalTeams")
        ok = ok && v == "false";
      else
        ok = false;
    }
    if (ok) rows.push_back(t);
  }
  return OffsetList(c, rows, [&](JsonOut& j, uint32_t t) { RenderTeam(j, d, t, detailed); });
}

Reply RouteTeamMembers(const Ctx& c) {
  const Dataset& d = c.data;
  const Team* team = d.FindTeam(c.seg[2]);
  if (!team) return NotFound();
  std::vector<std::pair<uint32_t, const char*>> rows;
  for (const auto& tm : team->members)
    if (!d.members[tm.member].pending) rows.emplace_back(tm.member, tm.role);  // pending invites excluded
  std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    const Member& x = d.members[a.first];
    const Member& y = d.members[b.first];
    return x.email != y.email ? x.email < y.email : x.id < y.id;
  });
  std::vector<uint32_t> idx(rows.size());
  for (uint32_t k = 0; k < rows.size(); ++k) idx[k] = k;
  return OffsetList(c, idx,
                    [&](JsonOut& j, uint32_t k) { RenderMember(j, d, rows[k].first, rows[k].second, &team->slug); });
}

}  // namespace sp::sentry_sim

// Organization-level routes: organization detail, org projects, org-less projects, sentry apps, installations
// (sentry-api.md §2.2-§2.4, §2.13).
#include <algorithm>

#include "query.hpp"
#include "render.hpp"
#include "sim_internal.hpp"

namespace sp::sentry_sim {

namespace {

// Comma-separated token values ("id:1,2").
std::vector<std::string> Values(const QueryToken& t) {
  std::vector<std::string> out;
  for (const auto& v : t.values)
    for (auto& part : Split(v, ','))
      if (!part.empty()) out.push_back(part);
  return out;
}

bool AnyEquals(const std::vector<std::string>& values, const std::string& s) {
  return std::find(values.begin(), values.end(), s) != values.end();
}

}  // namespace

Reply RouteOrganization(const Ctx& c) {
  auto detailed = c.Get("detailed");
  std::string body;
  JsonOut j(body);
  RenderOrganization(j, c.data, !detailed || *detailed != "0");
  return JsonReply(std::move(body));
}

Reply RouteOrgProjects(const Ctx& c) {
  if (auto sp = c.Get("statsPeriod")) {
    static const char* valid[] = {"", "1h", "24h", "7d", "14d", "30d", "90d"};
    if (std::none_of(std::begin(valid), std::end(valid), [&](const char* v) { return *sp == v; }))
      return JsonReply(
          R"({"error":{"params":{"stats_period":{"message":"Invalid stats_period. Valid choices are '', '1h', '24h', '7d', '14d', '30d', and '90d'"}}}})",
          400);
  }
  bool all = c.Get("all_projects").value_or("") == "1";
  size_t per_page = 100;
  if (!all)
    if (auto bad = c.PerPage(per_page)) return *bad;
  std::optional<Cursor> cursor;
  if (auto bad = c.CursorParam(cursor)) return *bad;
  std::vector<char> member = c.MemberProjects();
  // Query tokens (§2.3): any other key means an empty result.
  std::vector<uint32_t> rows;
  std::string error;
  auto tokens = TokenizeQuery(c.Get("query").value_or(""), &error);
  bool unknown = !tokens;
  for (uint32_t p = 0; p < c.data.projects.size() && !unknown; ++p) {
    const Project& pr = c.data.projects[p];
    bool ok = true;
    for (const auto& t : *tokens) {
      if (t.key.empty()) {
        ok = ok && (ContainsNoCase(pr.name, t.values[0]) || ContainsNoCase(pr.slug, t.values[0]));
      } else if (t.key == "id") {
        ok = ok && AnyEquals(Values(t), pr.id);
      } else if (t.key == "slug") {
        ok = ok && AnyEquals(Values(t), pr.slug);
      } else if (t.key == "team") {
        bool on = false;
        for (uint32_t tm : pr.teams) on = on || AnyEquals(Values(t), c.data.teams[tm].slug);
        ok = ok && (t.negate ? !on : on);
      } else if (t.key == "is_member") {
        ok = ok && (member[p] != 0) == (t.values[0] == "1");
      } else {
        unknown = true;
      }
    }
    if (ok) rows.push_back(p);
  }
  if (unknown) rows.clear();
  // Ordered by slug; a project renamed at run time moves.
  std::sort(rows.begin(), rows.end(),
            [&](uint32_t a, uint32_t b) { return c.data.projects[a].slug < c.data.projects[b].slug; });
  std::string body;
  JsonOut j(body);
  j.BeginArray();
  Reply r;
  if (all) {
    for (uint32_t p : rows) RenderProject(j, c.data, p, false, member[p] != 0);
  } else {
    std::string err;
    auto page = PaginateOffset(rows.size(), per_page, cursor, &err);
    if (!page) return DetailReply(400, err);
    for (size_t k = page->begin; k < page->end; ++k) RenderProject(j, c.data, rows[k], false, member[rows[k]] != 0);
    c.AddLink(r, page->links);
  }
  j.EndArray();
  r.body = std::move(body);
  return r;
}

Reply RouteProjects(const Ctx& c) {
  size_t per_page = 100;
  if (auto bad = c.PerPage(per_page)) return *bad;
  std::optional<Cursor> cursor;
  if (auto bad = c.CursorParam(cursor)) return *bad;
  // Org-less list: user tokens see only their teams' projects (§2.4). DateTimePaginator on -date_added.
  std::vector<char> visible = c.MemberProjects();
  std::vector<uint32_t> order;
  for (uint32_t p = 0; p < c.data.projects.size(); ++p)
    if (visible[p]) order.push_back(p);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return c.data.projects[a].date_created / 1000 > c.data.projects[b].date_created / 1000;
  });
  std::string error;
  auto tokens = TokenizeQuery(c.Get("query").value_or(""), &error);
  auto org_filter = c.Get("organizationId");
  bool status_ok = c.Get("status").value_or("active") == "active";
  auto match = [&](size_t pos) {
    if (!tokens || !status_ok) return false;
    if (org_filter && *org_filter != c.data.org.id) return false;
    const Project& pr = c.data.projects[order[pos]];
    for (const auto& t : *tokens) {
      const std::string& v = t.values[0];
      if (t.key.empty() || t.key == "query") {
        if (!ContainsNoCase(pr.name, v) && !ContainsNoCase(pr.slug, v)) return false;
      } else if (t.key == "slug") {
        if (pr.slug != v) return false;
      } else if (t.key == "name") {
        if (pr.name != v) return false;
      } else if (t.key == "platform") {
        if (!pr.platform || pr.platform != v) return false;
      } else if (t.key == "id") {
        if (pr.id != v) return false;
      } else {
        return false;  // unknown key (incl. dsn, which the simulator has no data for) => empty
      }
    }
    return true;
  };
  auto page = PaginateKeyset(
      order.size(), [&](size_t pos) { return c.data.projects[order[pos]].date_created / 1000; }, match, cursor,
      per_page);
  std::string body;
  JsonOut j(body);
  j.BeginArray();
  for (size_t pos : page.positions) RenderProject(j, c.data, order[pos], true, true);
  j.EndArray();
  Reply r;
  r.body = std::move(body);
  c.AddLink(r, page.links);
  return r;
}

Reply RouteSentryApps(const Ctx& c) {
  size_t per_page = 100;
  if (auto bad = c.PerPage(per_page)) return *bad;
  std::optional<Cursor> cursor;
  if (auto bad = c.CursorParam(cursor)) return *bad;
  std::string err;
  auto page = PaginateOffset(c.data.installations.size(), per_page, cursor, &err);
  if (!page) return DetailReply(400, err);
  std::string body;
  JsonOut j(body);
  j.BeginArray();
  for (size_t k = page->begin; k < page->end; ++k) {
    const Installation& in = c.data.installations[k];
    j.BeginObject().KV("name", in.app_name).KV("slug", in.app_slug).KV("uuid", in.app_uuid);
    j.KV("author", c.data.org.name).KNull("overview").KV("status", "internal");
    j.Key("scopes").BeginArray();
    for (const auto& s : AllReadScopes()) j.String(s);
    j.EndArray();
    j.Key("events").BeginArray();
    for (const auto& e : in.events) j.String(e);
    j.EndArray();
    j.KBool("isAlertable", false).KBool("verifyInstall", false).KV("webhookUrl", c.cfg.webhook_url);
    j.KNull("redirectUrl").Key("allowedOrigins").BeginArray().EndArray();
    j.Key("schema").BeginObject().EndObject().Key("metadata").BeginObject().EndObject();
    j.Key("avatars").BeginArray().EndArray().Key("featureData").BeginArray().EndArray().KNull("popularity");
    Rng id_rng(Hash(c.sim.seed, 0xC1, k));
    j.KV("clientId", HexId(id_rng, 64));
    // Real secrets are shown only within 24 h of creation to org:write members (§2.13): masked here.
    j.KV("clientSecret", "*************************");
    j.Key("owner").BeginObject().KV("id", c.data.org.id).KV("slug", c.data.org.slug).EndObject();
    j.EndObject();
  }
  j.EndArray();
  Reply r;
  r.body = std::move(body);
  c.AddLink(r, page->links);
  return r;
}

Reply RouteSentryAppInstallations(const Ctx& c) {
  std::string body;
  JsonOut j(body);
  j.BeginArray();
  for (const auto& in : c.data.installations) {
    j.BeginObject().KV("uuid", in.uuid).KV("status", "installed");
    j.Key("app").BeginObject().KV("slug", in.app_slug).KV("uuid", in.app_uuid).EndObject();
    j.Key("organization").BeginObject().KV("slug", c.data.org.slug).KV("id", c.data.org.id).EndObject();
    j.EndObject();
  }
  j.EndArray();
  Reply r;
  r.body = std::move(body);
  std::optional<Cursor> none;
  std::string err;
  c.AddLink(r, PaginateOffset(c.data.installations.size(), 100, none, &err)->links);
  return r;
}

}  // namespace sp::sentry_sim

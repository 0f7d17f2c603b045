#include "render.hpp"

#include <algorithm>
#include <charconv>

#include "issue_text.hpp"

namespace sp::sentry_sim {

namespace {

void Avatar(JsonOut& j) {
  j.Key("avatar").BeginObject().KV("avatarType", "letter_avatar").KNull("avatarUuid").EndObject();
}

void ProjectRef(JsonOut& j, const Project& p) {
  j.BeginObject().KV("id", p.id).KV("name", p.name).KV("slug", p.slug);
  j.Key("platform");
  p.platform ? j.String(p.platform) : j.Null();
  j.EndObject();
}

void Stats(JsonOut& j, const Issue& is, uint64_t seed, Micros now, const std::string& period) {
  bool daily = period == "14d" || period == "30d";
  int points = period == "30d" ? 30 : daily ? 14 : 24;
  int64_t step = daily ? 86400 : 3600;
  int64_t end = now / MICROS_PER_SECOND / step * step;
  // Written as one raw chunk: 24-30 [time,count] pairs per issue were a third of a page's writer calls.
  std::string out;
  out.reserve(static_cast<size_t>(points) * 24 + 2);
  out += '[';
  for (int k = points - 1; k >= 0; --k) {
    int64_t t = end - k * step;
    int64_t c = t * MICROS_PER_SECOND < is.first_seen || t * MICROS_PER_SECOND > is.last_seen + step * MICROS_PER_SECOND
                    ? 0
                    : static_cast<int64_t>(Hash(seed, is.id, static_cast<uint64_t>(t)) % (1 + is.count / 50));
    char pair[64];
    char* p = pair;
    *p++ = '[';
    p = std::to_chars(p, pair + 30, t).ptr;
    *p++ = ',';
    p = std::to_chars(p, pair + 60, c).ptr;
    *p++ = ']';
    out.append(pair, p);
    if (k > 0) out += ',';
  }
  out += ']';
  j.Raw(out);
}

std::string Date(Micros t, const IssueRenderOptions& o) {
  return FormatIso(t, o.webhook ? o.webhook_dates : IsoStyle::DRF);
}

}  // namespace

void RenderAssignee(JsonOut& j, const Dataset& d, const Assignee& a) {
  if (a.type == Assignee::Type::USER) {
    const Member& m = d.members[a.index];
    j.BeginObject().KV("type", "user").KV("id", m.user_id).KV("name", m.name).KV("email", m.email).EndObject();
  } else if (a.type == Assignee::Type::TEAM) {
    const Team& t = d.teams[a.index];
    j.BeginObject().KV("type", "team").KV("id", t.id).KV("name", t.slug).EndObject();
  } else {
    j.Null();
  }
}

void RenderIssue(JsonOut& j, const Dataset& d, uint32_t index, const IssueRenderOptions& o) {
  const Issue& is = d.issues[index];
  const Project& p = d.projects[is.project];
  const std::string id = std::to_string(is.id);
  // Window-scoped seen stats (sentry-api.md §2.5 item 6): the share of lifetime events inside the window.
  int64_t count = is.count, users = is.user_count;
  Micros first = is.first_seen, last = is.last_seen;
  if (o.windowed) {
    first = std::max(first, o.window_start);
    last = std::min(last, o.window_end);
    double life = static_cast<double>(std::max<Micros>(is.last_seen - is.first_seen, 1));
    double frac = std::clamp(static_cast<double>(last - first) / life, 0.0, 1.0);
    count = std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(is.count) * frac));
    users =
        std::max<int64_t>(1, std::min<int64_t>(count, static_cast<int64_t>(static_cast<double>(is.user_count) * frac)));
  }
  bool collapse_stats = o.collapse.count("stats") > 0;
  auto seen_stats = [&]() {
    if (collapse_stats) return;  // the collapse=stats trap: seen stats go too
    j.KV("count", std::to_string(count)).KInt("userCount", users);
    j.KV("firstSeen", Date(first, o)).KV("lastSeen", Date(last, o));
  };
  auto tail = [&]() {
    if (!o.webhook && !collapse_stats && !o.stats_period.empty()) {
      j.Key("stats").BeginObject().Key(o.stats_period);
      Stats(j, is, o.seed, o.now, o.stats_period);
      j.EndObject();
    }
    if (o.lifetime && !o.webhook && !o.collapse.count("lifetime")) {
      j.Key("lifetime").BeginObject().KV("count", std::to_string(is.count)).KInt("userCount", is.user_count);
      j.KV("firstSeen", FormatIso(is.first_seen)).KV("lastSeen", FormatIso(is.last_seen)).KNull("stats").EndObject();
    }
    if (o.filtered && !o.webhook && !o.collapse.count("filtered")) j.KNull("filtered");
    for (const auto& e : o.expand) {
      if (e == "inbox")
        j.KNull("inbox");
      else if (e == "owners")
        j.KNull("owners");
      else if (e == "integrationIssues" || e == "sentryAppIssues" || e == "pluginIssues" || e == "pluginActions")
        j.Key(e).BeginArray().EndArray();
      else if (e == "latestEventHasAttachments")
        j.KBool(e, false);
      else if (e == "sessions")
        j.Key("sessionCount").Null();
    }
  };
  j.BeginObject();
  if (o.collapse.count("base")) {
    j.KV("id", id);
    seen_stats();
    tail();
    j.EndObject();
    return;
  }
  IssueText t = RenderIssueText(d, index);
  if (o.created_urls) {
    j.KV("url", o.api_base + "/api/0/organizations/" + d.org.slug + "/issues/" + id + "/");
    j.KV("web_url", d.org.organization_url + "/issues/" + id + "/");
    j.KV("project_url", d.org.organization_url + "/issues/?project=" + p.id);
  }
  j.KV("id", id).KNull("shareId").KV("shortId", d.ShortId(is)).KV("title", t.title).KV("culprit", t.culprit);
  if (o.webhook)
    j.KNull("permalink");
  else
    j.KV("permalink", d.org.organization_url + "/issues/" + id + "/");
  j.KNull("logger").KV("level", LEVELS[is.level]);
  // GroupSerializer renders an over-age unresolved issue as resolved (the auto-resolve task has not run yet);
  // substatus keeps its stored value.
  bool auto_resolved = !o.webhook && IsAutoResolved(d, is, o.now);
  j.KV("status", auto_resolved                          ? "resolved"
                 : is.status == IssueStatus::UNRESOLVED ? "unresolved"
                 : is.status == IssueStatus::RESOLVED   ? "resolved"
                                                        : "ignored");
  j.Key("statusDetails").BeginObject();
  if (auto_resolved) {
    j.KBool("autoResolved", true);
  } else if (is.status == IssueStatus::RESOLVED) {
    if (is.resolution == 1) j.KBool("inNextRelease", true);
    if (is.resolution == 2 && !p.releases.empty()) j.KV("inRelease", p.releases.back().version);
  } else if (is.status == IssueStatus::IGNORED && is.substatus == 6) {
    j.KInt("ignoreCount", 100).KNull("ignoreWindow");
  }
  j.EndObject();
  j.Key("substatus");
  is.substatus == 0 ? j.Null() : j.String(SUBSTATUSES[is.substatus]);
  j.KBool("isPublic", false).Key("platform");
  p.platform ? j.String(p.platform) : j.Null();
  j.Key("project");
  ProjectRef(j, p);
  j.KV("type", t.type);
  j.Key("metadata").BeginObject();
  if (!t.meta_type.empty()) j.KV("type", t.meta_type);
  j.KV("value", t.meta_value);
  if (!t.meta_filename.empty()) j.KV("filename", t.meta_filename).KV("function", t.meta_function);
  if (is.kind == IssueKind::ERROR && !o.webhook) j.KV("in_app_frame_mix", "in-app-only");
  if (is.kind != IssueKind::ERROR) j.KV("title", t.title);
  j.EndObject();
  j.KInt("numComments", is.num_comments).Key("assignedTo");
  RenderAssignee(j, d, is.assignee);
  j.KBool("isBookmarked", false).KBool("isSubscribed", false).KNull("subscriptionDetails").KBool("hasSeen", false);
  j.Key("annotations").BeginArray().EndArray();
  j.KV("issueType", t.issue_type).KV("issueCategory", t.issue_category);
  j.KV("priority", PRIORITIES[is.priority]).KNull("priorityLockedAt");
  if (!o.collapse.count("unhandled")) j.KBool("isUnhandled", is.unhandled);
  seen_stats();
  tail();
  j.EndObject();
}

bool IsAutoResolved(const Dataset& d, const Issue& is, Micros now) {
  int hours = d.projects[is.project].auto_resolve_hours;
  return hours > 0 && is.status == IssueStatus::UNRESOLVED &&
         is.last_seen < now - static_cast<Micros>(hours) * 3600 * MICROS_PER_SECOND;
}

std::string RenderFingerprint(const IssueRenderOptions& o) {
  std::string f = std::to_string(o.seed) + '|' + std::to_string(o.now) + '|' + (o.windowed ? "w" : "-") + '|' +
                  std::to_string(o.window_start) + '|' + std::to_string(o.window_end) + '|' + o.stats_period + '|';
  for (const auto& c : o.collapse) f += c + ',';
  f += '|';
  for (const auto& e : o.expand) f += e + ',';
  f += '|';
  f += o.lifetime ? 'l' : '-';
  f += o.filtered ? 'f' : '-';
  f += o.webhook ? 'h' : '-';
  f += std::to_string(static_cast<int>(o.webhook_dates));
  f += o.created_urls ? 'u' : '-';
  f += '|' + o.api_base;
  return f;
}

void RenderIssueDetail(JsonOut& j, const Dataset& d, uint32_t index, const IssueRenderOptions& o) {
  // The detail form is the base issue plus extras; render the base and splice the extras before the final '}'.
  std::string base;
  JsonOut b(base);
  IssueRenderOptions bo = o;
  bo.lifetime = false;
  bo.filtered = false;
  bo.stats_period = "";
  RenderIssue(b, d, index, bo);
  base.pop_back();
  const Issue& is = d.issues[index];
  const Project& p = d.projects[is.project];
  std::string extra;
  JsonOut x(extra);
  x.BeginObject();
  if (!o.collapse.count("release")) {
    x.Key("firstRelease");
    p.releases.empty() ? x.Null() : x.BeginObject().KV("version", p.releases.front().version).EndObject();
    x.Key("lastRelease");
    p.releases.empty() ? x.Null() : x.BeginObject().KV("version", p.releases.back().version).EndObject();
  }
  if (!o.collapse.count("tags")) {
    x.Key("tags").BeginArray();
    for (const auto& key : IssueTagKeys(d, o.seed, index)) {
      auto values = IssueTagValues(d, o.seed, index, key);
      if (!values) continue;
      std::sort(values->begin(), values->end(), [](const TagValue& a, const TagValue& c) { return a.count > c.count; });
      x.BeginObject()
          .KV("key", key)
          .KV("name", key)
          .KInt("totalValues", 0)
          .KInt("uniqueValues", static_cast<int64_t>(values->size()));
      int64_t total = 0;
      for (const auto& v : *values) total += v.count;
      x.Key("topValues").BeginArray();
      for (size_t k = 0; k < values->size() && k < 9; ++k) RenderTagValue(x, key, (*values)[k]);
      x.EndArray().EndObject();
      (void)total;
    }
    x.EndArray();
  }
  x.Key("activity").BeginArray().EndArray().Key("seenBy").BeginArray().EndArray();
  x.Key("participants").BeginArray().EndArray().KInt("userReportCount", 0);
  if (!o.collapse.count("stats")) {
    x.Key("stats").BeginObject().Key("24h");
    Stats(x, is, o.seed, o.now, "24h");
    x.Key("30d");
    Stats(x, is, o.seed, o.now, "30d");
    x.EndObject();
  }
  x.EndObject();
  // extra is "{...}": drop its braces and join.
  std::string joined = base;
  if (extra.size() > 2)
    joined += "," + extra.substr(1);
  else
    joined += "}";
  j.Raw(joined);
}

void RenderOrganizationSummary(JsonOut& j, const Organization& org) {
  j.BeginObject().KV("id", org.id).KV("slug", org.slug);
  j.Key("status").BeginObject().KV("id", "active").KV("name", "active").EndObject();
  j.KV("name", org.name).KV("dateCreated", FormatIso(org.date_created)).KBool("isEarlyAdopter", false);
  j.KBool("require2FA", false);
  Avatar(j);
  j.Key("links").BeginObject().KV("organizationUrl", org.organization_url).KV("regionUrl", org.region_url).EndObject();
  j.KBool("hasAuthProvider", false).KBool("allowMemberInvite", true).KBool("allowMemberProjectCreation", true);
  j.KBool("allowSuperuserAccess", false);
  j.Key("features").BeginArray().String("advanced-search").String("integrations-event-hooks");
  if (org.webhooks_unresolved) j.String("webhooks-unresolved");
  j.EndArray();
  j.EndObject();
}

void RenderOrganization(JsonOut& j, const Dataset& d, bool detailed) {
  std::string summary;
  JsonOut s(summary);
  RenderOrganizationSummary(s, d.org);
  summary.pop_back();
  std::string out = summary;
  out += ",\"dataScrubber\":false,\"eventsMemberAdmin\":true,\"orgRole\":null";
  std::string tail;
  JsonOut t(tail);
  t.BeginObject();
  if (detailed) {
    t.Key("projects").BeginArray();
    for (uint32_t p = 0; p < d.projects.size(); ++p) {
      const Project& pr = d.projects[p];
      t.BeginObject().KV("id", pr.id).KV("slug", pr.slug).KV("name", pr.name).Key("platform");
      pr.platform ? t.String(pr.platform) : t.Null();
      t.EndObject();
    }
    t.EndArray();
    t.Key("teams").BeginArray();
    for (uint32_t k = 0; k < d.teams.size(); ++k) RenderTeam(t, d, k, false);
    t.EndArray();
  }
  t.EndObject();
  if (tail.size() > 2)
    out += "," + tail.substr(1);
  else
    out += "}";
  j.Raw(out);
}

void RenderProject(JsonOut& j, const Dataset& d, uint32_t index, bool with_org, bool is_member) {
  const Project& p = d.projects[index];
  j.BeginObject().KV("id", p.id).KV("slug", p.slug).KV("name", p.name).Key("platform");
  p.platform ? j.String(p.platform) : j.Null();
  j.KV("dateCreated", FormatIso(p.date_created)).KBool("isBookmarked", false).KBool("isMember", is_member);
  j.Key("features").BeginArray();
  for (const char* f : {"alert-filters", "custom-inbound-filters", "data-forwarding", "discard-groups", "minidump",
                        "rate-limits", "servicehooks", "similarity-indexing", "similarity-view", "releases"})
    j.String(f);
  j.EndArray();
  j.Key("firstEvent");
  p.first_event ? j.String(FormatIso(p.first_event)) : j.Null();
  j.KBool("firstTransactionEvent", false);
  j.Key("access").BeginArray();
  for (const char* a : {"project:read", "event:read", "team:read", "alerts:read", "org:read", "event:write",
                        "project:releases", "member:read"})
    j.String(a);
  j.EndArray();
  j.KBool("hasAccess", true).KBool("hasMinifiedStackTrace", false).KBool("hasMonitors", false);
  j.KBool("hasProfiles", false).KBool("hasReplays", false).KBool("hasFeedbacks", false).KBool("hasFlags", false);
  j.KBool("hasNewFeedbacks", false).KBool("hasSessions", false).KBool("hasInsightsHttp", false);
  j.KBool("hasInsightsDb", false).KBool("isInternal", false).KBool("isPublic", false);
  Avatar(j);
  j.KV("color", p.color).KV("status", "active");
  if (with_org) {
    j.Key("organization");
    RenderOrganizationSummary(j, d.org);
  } else {
    if (!p.teams.empty()) {
      const Team& t0 = d.teams[p.teams[0]];
      j.Key("team").BeginObject().KV("id", t0.id).KV("name", t0.name).KV("slug", t0.slug).EndObject();
    }
    j.Key("teams").BeginArray();
    for (uint32_t t : p.teams)
      j.BeginObject().KV("id", d.teams[t].id).KV("name", d.teams[t].name).KV("slug", d.teams[t].slug).EndObject();
    j.EndArray();
    j.Key("eventProcessing").BeginObject().KBool("symbolicationDegraded", false).EndObject();
    j.Key("platforms").BeginArray();
    if (p.platform) j.String(p.platform);
    j.EndArray();
    j.KBool("hasUserReports", false);
    j.Key("environments").BeginArray();
    for (const auto& e : p.environments) j.String(e);
    j.EndArray();
    j.Key("latestRelease");
    p.releases.empty() ? j.Null() : j.BeginObject().KV("version", p.releases.back().version).EndObject();
    j.KNull("latestDeploys");
  }
  j.EndObject();
}

void RenderTeamProject(JsonOut& j, const Dataset& d, uint32_t index) {
  const Project& p = d.projects[index];
  j.BeginObject().KV("id", p.id).KV("slug", p.slug).KV("name", p.name).Key("platform");
  p.platform ? j.String(p.platform) : j.Null();
  j.KV("dateCreated", FormatIso(p.date_created)).KBool("isBookmarked", false).KBool("isMember", false);
  j.Key("features").BeginArray().String("releases").EndArray().Key("firstEvent");
  p.first_event ? j.String(FormatIso(p.first_event)) : j.Null();
  j.KBool("firstTransactionEvent", false).Key("access").BeginArray().String("project:read").EndArray();
  j.KBool("hasAccess", true).KBool("isInternal", false).KBool("isPublic", false);
  Avatar(j);
  j.KV("color", p.color).KV("status", "active").EndObject();
}

void RenderTeam(JsonOut& j, const Dataset& d, uint32_t index, bool detailed) {
  const Team& t = d.teams[index];
  int64_t members = 0;
  for (const auto& m : t.members) members += d.members[m.member].pending ? 0 : 1;
  j.BeginObject().KV("id", t.id).KV("slug", t.slug).KV("name", t.name).KV("dateCreated", FormatIso(t.date_created));
  j.KBool("isMember", false).KNull("teamRole");
  j.Key("flags").BeginObject().KBool("idp:provisioned", false).EndObject();
  j.Key("access").BeginArray();
  for (const char* a : {"member:read", "alerts:read", "org:read", "event:read", "project:read", "project:releases",
                        "event:write", "team:read"})
    j.String(a);
  j.EndArray();
  j.KBool("hasAccess", true).KBool("isPending", false).KInt("memberCount", members);
  Avatar(j);
  if (detailed) {
    j.Key("externalTeams").BeginArray().EndArray();
    j.Key("projects").BeginArray();
    for (uint32_t p : t.projects) RenderTeamProject(j, d, p);
    j.EndArray();
  }
  j.EndObject();
}

void RenderMember(JsonOut& j, const Dataset& d, uint32_t index, const char* team_role, const std::string* team_slug) {
  const Member& m = d.members[index];
  j.BeginObject().KV("id", m.id).KV("email", m.email).KV("name", m.name);
  if (!m.pending) {
    j.Key("user").BeginObject().KV("id", m.user_id).KV("name", m.name).KV("username", m.email).KV("email", m.email);
    j.KV("avatarUrl", "https://gravatar.com/avatar/" + m.user_id + "?s=32&d=mm").KBool("isActive", true);
    j.KBool("hasPasswordAuth", false).KBool("isManaged", false).KV("dateJoined", FormatIso(m.date_joined));
    j.KV("lastLogin", FormatIso(m.last_login)).KBool("has2fa", m.has2fa).KV("lastActive", FormatIso(m.last_active));
    j.KBool("isSuperuser", false).KBool("isStaff", false).Key("experiments").BeginObject().EndObject();
    Avatar(j);
    j.EndObject();
  }
  j.KV("orgRole", m.org_role).KBool("pending", m.pending).KBool("expired", false);
  j.Key("flags").BeginObject().KBool("idp:provisioned", false).KBool("idp:role-restricted", false);
  j.KBool("sso:linked", m.sso_linked).KBool("sso:invalid", false).KBool("member-limit:restricted", false);
  j.KBool("partnership:restricted", false).EndObject();
  j.KV("dateCreated", FormatIso(m.date_created)).KV("inviteStatus", m.pending ? "pending" : "approved");
  j.KV("inviterName", d.members.empty() ? "" : d.members[0].email);
  if (team_slug) {
    j.Key("teamRole");
    team_role&&* team_role ? j.String(team_role) : j.Null();
    j.KV("teamSlug", *team_slug);
  }
  j.EndObject();
}

void RenderTagValue(JsonOut& j, const std::string& key, const TagValue& v) {
  j.BeginObject().KV("key", key).KV("name", v.value).KV("value", v.value).KInt("count", v.count);
  j.KV("lastSeen", FormatIso(v.last_seen)).KV("firstSeen", FormatIso(v.first_seen));
  if (key == "user")
    j.KV("query",
         "user." + v.value.substr(0, v.value.find(':')) + ":\"" + v.value.substr(v.value.find(':') + 1) + "\"");
  j.EndObject();
}

}  // namespace sp::sentry_sim

// /_sim/ control endpoints (not Sentry API): runtime knobs, tokens, the clock, state mutations that emit the
// webhooks Sentry would send (sentry-api.md §7.7), and the verification hooks of §7.9 (request log, stats,
// webhook deliveries). Bodies are JSON; errors are 400 {"error": "..."} naming the offending field.
#include <algorithm>

#include "generator.hpp"
#include "json/parse.hpp"
#include "net/http_client.hpp"
#include "sim_internal.hpp"

namespace sp::sentry_sim {

namespace {

net::HttpResponse Ok(std::string body, int status = 200) {
  return net::HttpResponse::Json(status, std::move(body));
}

net::HttpResponse Bad(const std::string& what) {
  std::string body;
  JsonOut j(body);
  j.BeginObject().KV("error", what).EndObject();
  return net::HttpResponse::Json(400, std::move(body));
}

std::string Str(const json::Value& v, std::string_view key, std::string def = "") {
  const json::Value* x = v.IsObject() ? v.Find(key) : nullptr;
  return x && x->IsString() ? std::string(x->AsString()) : def;
}

std::optional<double> Num(const json::Value& v, std::string_view key) {
  const json::Value* x = v.IsObject() ? v.Find(key) : nullptr;
  if (x && x->IsNumber()) return x->AsNumber();
  return std::nullopt;
}

std::optional<bool> Bool(const json::Value& v, std::string_view key) {
  const json::Value* x = v.IsObject() ? v.Find(key) : nullptr;
  if (x && x->IsBool()) return x->AsBool();
  return std::nullopt;
}

std::vector<std::string> StrList(const json::Value& v, std::string_view key) {
  std::vector<std::string> out;
  const json::Value* x = v.IsObject() ? v.Find(key) : nullptr;
  if (x && x->IsArray())
    for (const auto& e : x->Items())
      if (e.IsString()) out.emplace_back(e.AsString());
  return out;
}

// Applies one fail_next entry: {"route": "org_issues", "status": 503 | "kind": "reset", "count": 2}.
std::optional<std::string> ApplyFailNext(Simulator::Impl& sim, const json::Value& f) {
  std::string kind = Str(f, "kind");
  if (auto st = Num(f, "status")) kind = std::to_string(static_cast<int>(*st));
  auto k = ParseFaultKind(kind);
  if (!k)
    return "fail_next.kind: unknown fault '" + kind + "' (500, 502, 503, 504, reset, stall, malformed, query_timeout)";
  sim.faults.FailNext(Str(f, "route", "*"), *k, static_cast<int>(Num(f, "count").value_or(1)));
  return std::nullopt;
}

std::optional<std::string> ApplyConfig(Simulator::Impl& sim, const json::Value& v) {
  if (!v.IsObject()) return "body: expected a JSON object";
  auto rl = sim.limiter.options();
  auto fo = sim.faults.options();
  if (auto b = Bool(v, "self_hosted")) rl.enabled = !*b;
  if (auto b = Bool(v, "enforce_concurrency")) rl.enforce_concurrency = *b;
  if (auto b = Bool(v, "retry_after")) rl.retry_after = *b;
  if (auto n = Num(v, "budget_multiplier")) {
    if (*n <= 0) return "budget_multiplier: must be > 0";
    rl.budget_multiplier = *n;
  }
  if (const json::Value* limits = v.Find("rate_limits"); limits && limits->IsObject()) {
    for (const auto& m : limits->Members()) {
      std::string route(m.key.AsString());
      EndpointLimits el = route == "default"          ? rl.defaults
                          : rl.overrides.count(route) ? rl.overrides[route]
                                                      : rl.defaults;
      for (const char* cat : {"ip", "user", "org"}) {
        const json::Value* r = m.value.Find(cat);
        if (!r) continue;
        RateLimitRule& rule = std::string(cat) == "ip" ? el.ip : std::string(cat) == "user" ? el.user : el.org;
        if (auto n = Num(*r, "limit")) rule.limit = static_cast<int>(*n);
        if (auto n = Num(*r, "window")) rule.window_s = static_cast<int>(*n);
        if (auto n = Num(*r, "concurrent")) rule.concurrent = static_cast<int>(*n);
      }
      if (route == "default")
        rl.defaults = el;
      else
        rl.overrides[route] = el;
    }
  }
  if (auto n = Num(v, "latency_scale")) fo.latency_scale = *n;
  if (const json::Value* lat = v.Find("latency"); lat && lat->IsObject()) {
    for (const auto& m : lat->Members())
      fo.latency[std::string(m.key.AsString())] = {Num(m.value, "p50").value_or(0), Num(m.value, "p99").value_or(0)};
  }
  if (const json::Value* faults = v.Find("faults"); faults && faults->IsObject()) {
    for (const auto& m : faults->Members()) {
      FaultRates rates;
      for (const auto& f : m.value.Members()) {
        std::string name(f.key.AsString());
        if (name == "slow_tail") {
          rates.slow_tail_probability = f.value.IsNumber() ? f.value.AsNumber() : 0;
          continue;
        }
        if (name == "slow_tail_ms") {
          rates.slow_tail_ms = f.value.IsNumber() ? f.value.AsNumber() : rates.slow_tail_ms;
          continue;
        }
        auto k = ParseFaultKind(name);
        if (!k || !f.value.IsNumber())
          return "faults." + std::string(m.key.AsString()) + "." + name + ": unknown fault or non-numeric probability";
        rates.probability[*k] = f.value.AsNumber();
      }
      fo.faults[std::string(m.key.AsString())] = rates;
    }
  }
  if (const json::Value* fn = v.Find("fail_next")) {
    if (fn->IsArray()) {
      for (const auto& f : fn->Items())
        if (auto err = ApplyFailNext(sim, f)) return err;
    } else if (auto err = ApplyFailNext(sim, *fn)) {
      return err;
    }
  }
  auto delay = Num(v, "webhook_delay_ms");
  auto reorder = Bool(v, "webhook_reorder");
  if (delay && (*delay < 0 || *delay > 60000)) return "webhook_delay_ms: must be between 0 and 60000";
  if (delay || reorder) {
    auto [cur_delay, cur_reorder] = sim.webhooks->Delivery();
    sim.webhooks->SetDelivery(delay ? static_cast<int>(*delay) : cur_delay, reorder.value_or(cur_reorder));
  }
  const json::Value* auto_resolve = v.Find("auto_resolve_hours");
  if (auto_resolve && !auto_resolve->IsNumber() && !auto_resolve->IsObject())
    return "auto_resolve_hours: expected a number of hours or an object {\"<project slug or id>\": hours}";
  if (auto_resolve && auto_resolve->IsObject()) {
    std::shared_lock lock(sim.data_mu);
    for (const auto& m : auto_resolve->Members()) {
      if (!sim.data.FindProject(m.key.AsString()))
        return "auto_resolve_hours." + std::string(m.key.AsString()) + ": unknown project";
      if (!m.value.IsNumber() || m.value.AsNumber() < 0)
        return "auto_resolve_hours." + std::string(m.key.AsString()) + ": expected hours >= 0";
    }
  } else if (auto_resolve && auto_resolve->AsNumber() < 0) {
    return "auto_resolve_hours: expected hours >= 0";
  }
  if (const json::Value* wf = v.Find("webhook_fault_next")) {
    std::string kind = Str(*wf, "kind");
    if (!sim.webhooks->FaultNext(kind, static_cast<int>(Num(*wf, "count").value_or(1))))
      return "webhook_fault_next.kind: unknown fault '" + kind +
             "' (duplicate, bad_signature, stale_timestamp, truncated_body, wrong_installation)";
  }
  sim.limiter.SetOptions(rl);
  sim.faults.SetOptions(fo);
  {
    std::lock_guard lock(sim.cfg_mu);
    if (v.Find("link_host")) sim.cfg.link_host = Str(v, "link_host");
    if (auto n = Num(v, "post_filter_drop")) sim.cfg.post_filter_drop = *n;
    if (auto n = Num(v, "time_scale")) sim.cfg.time_scale = *n;
    if (auto n = Num(v, "clock_advance_ms")) sim.clock_offset_ms += static_cast<int64_t>(*n);
    if (v.Find("webhook_url")) sim.cfg.webhook_url = Str(v, "webhook_url");
    if (v.Find("webhook_secret")) sim.cfg.webhook_secret = Str(v, "webhook_secret");
  }
  std::unique_lock lock(sim.data_mu);
  sim.render_cache.Clear();
  if (auto b = Bool(v, "webhooks_unresolved")) sim.data.org.webhooks_unresolved = *b;
  if (auto b = Bool(v, "expanded_webhooks")) sim.data.org.expanded_webhooks = *b;
  if (auto b = Bool(v, "legacy_archived")) sim.data.installations[0].legacy_archived_only = *b;
  if (auto n = Num(v, "retention_days")) sim.data.org.retention_days = static_cast<int>(*n);
  if (auto_resolve && auto_resolve->IsNumber())
    for (auto& p : sim.data.projects) p.auto_resolve_hours = static_cast<int>(auto_resolve->AsNumber());
  if (auto_resolve && auto_resolve->IsObject())
    for (const auto& m : auto_resolve->Members())
      for (auto& p : sim.data.projects)
        if (p.slug == m.key.AsString() || p.id == m.key.AsString())
          p.auto_resolve_hours = static_cast<int>(m.value.AsNumber());
  return std::nullopt;
}

std::string ConfigJson(Simulator::Impl& sim) {
  auto rl = sim.limiter.options();
  auto fo = sim.faults.options();
  auto cfg = sim.Config();
  std::string body;
  JsonOut j(body);
  j.BeginObject().KBool("self_hosted", !rl.enabled).KBool("enforce_concurrency", rl.enforce_concurrency);
  j.KBool("retry_after", rl.retry_after).KV("budget_multiplier", std::to_string(rl.budget_multiplier));
  j.KV("latency_scale", std::to_string(fo.latency_scale)).KV("link_host", sim.LinkBase());
  j.KV("post_filter_drop", std::to_string(cfg.post_filter_drop)).KV("time_scale", std::to_string(cfg.time_scale));
  j.KInt("now_ms", sim.NowMs()).KBool("webhook_url_set", !cfg.webhook_url.empty());
  j.EndObject();
  return body;
}

WebhookActor ActorFrom(const Dataset& d, const json::Value& v) {
  WebhookActor a;
  std::string who = Str(v, "actor");
  if (who == "sentry") return a;
  if (who == "app") {
    a.type = WebhookActor::Type::APPLICATION;
    a.app_uuid = d.installations[0].app_uuid;
    a.name = d.installations[0].app_name;
    return a;
  }
  for (const auto& m : d.members) {
    if (m.pending) continue;
    if (who.empty() || who == m.id || who == m.email || who == m.user_id) {
      a.type = WebhookActor::Type::USER;
      a.user_id = *ParseInt(m.user_id);
      a.name = m.name;
      return a;
    }
  }
  return a;
}

struct Pending {
  std::string resource, action, body;
};

}  // namespace

net::HttpResponse HandleControl(Simulator::Impl& sim, const net::HttpRequest& req) {
  std::string path = req.path.substr(std::string("/_sim/").size());
  if (!path.empty() && path.back() == '/') path.pop_back();
  auto params = net::ParseQuery(req.query);
  auto param = [&](const std::string& k) -> std::string {
    for (const auto& [pk, pv] : params)
      if (pk == k) return pv;
    return "";
  };
  json::Value body = json::Value::Object();
  if (req.method == "POST" && !req.body.empty()) {
    auto parsed = json::Parse(req.body);
    if (!parsed.ok()) return Bad("body: " + parsed.error().ToString());
    body = std::move(parsed.value());
  }
  bool wait = param("wait") == "1";

  if (req.method == "GET" && path == "info") {
    std::shared_lock lock(sim.data_mu);
    std::string out;
    JsonOut j(out);
    j.BeginObject().KV("org", sim.data.org.slug).KV("org_id", sim.data.org.id);
    j.KV("installation_uuid", sim.data.installations[0].uuid)
        .KInt("projects", static_cast<int64_t>(sim.data.projects.size()));
    j.KInt("issues", static_cast<int64_t>(sim.data.issues.size()))
        .KInt("members", static_cast<int64_t>(sim.data.members.size()));
    j.KInt("teams", static_cast<int64_t>(sim.data.teams.size())).KV("now", FormatIso(sim.data_now)).EndObject();
    return Ok(out);
  }
  if (req.method == "GET" && path == "log") {
    auto since = ParseInt(param("since")).value_or(0);
    std::string route = param("route");
    std::lock_guard lock(sim.log_mu);
    std::string out;
    JsonOut j(out);
    j.BeginArray();
    for (const auto& e : sim.log) {
      if (static_cast<int64_t>(e.seq) <= since || (!route.empty() && e.route != route)) continue;
      j.BeginObject().KInt("seq", static_cast<int64_t>(e.seq)).KV("method", e.method).KV("path", e.path);
      j.KV("params", e.params).KV("token", e.token).KV("route", e.route).KV("bucket", e.bucket);
      j.KV("decision", e.decision).KInt("status", e.status).KInt("latency_ms", e.latency_ms);
      j.KInt("in_flight", e.in_flight).EndObject();
    }
    j.EndArray();
    return Ok(out);
  }
  if (req.method == "GET" && path == "stats") {
    std::string out;
    JsonOut j(out);
    j.BeginObject().Key("routes").BeginObject();
    int64_t total = 0;
    {
      std::lock_guard lock(sim.log_mu);
      for (const auto& [name, s] : sim.stats) {
        total += s.calls;
        j.Key(name).BeginObject().KInt("calls", s.calls).KInt("rate_limited", s.rate_limited);
        j.Key("statuses").BeginObject();
        for (const auto& [st, n] : s.statuses) j.KInt(std::to_string(st), n);
        j.EndObject().EndObject();
      }
    }
    j.EndObject().KInt("requests", total).KInt("rate_limited_total", sim.limiter.Rejections());
    j.Key("max_in_flight").BeginObject();
    for (const auto& [bucket, n] : sim.limiter.MaxInFlight()) j.KInt(bucket, n);
    j.EndObject().KInt("webhook_attempts", static_cast<int64_t>(sim.webhooks->Records().size())).EndObject();
    return Ok(out);
  }
  if (req.method == "POST" && path == "reset-stats") {
    {
      std::lock_guard lock(sim.log_mu);
      sim.log.clear();
      sim.stats.clear();
    }
    sim.limiter.ResetStats();
    sim.webhooks->ClearRecords();
    return Ok("{}");
  }
  if (req.method == "POST" && path == "reset-rate-limits") {
    sim.limiter.ResetWindows();
    return Ok("{}");
  }
  if (path == "config") {
    if (req.method == "POST")
      if (auto err = ApplyConfig(sim, body)) return Bad(*err);
    return Ok(ConfigJson(sim));
  }
  if (req.method == "POST" && path == "clock") {
    std::lock_guard lock(sim.cfg_mu);
    sim.clock_offset_ms += static_cast<int64_t>(Num(body, "advance_ms").value_or(0));
    return Ok("{}");
  }
  if (req.method == "POST" && (path == "tokens" || path == "tokens/revoke")) {
    std::string tok = Str(body, "token");
    if (tok.empty()) return Bad("token: required");
    if (path == "tokens/revoke") return Ok(sim.tokens.Revoke(tok) ? "{\"revoked\":true}" : "{\"revoked\":false}");
    TokenInfo info;
    std::string type = Str(body, "type", "integration");
    info.type = type == "user" ? TokenType::USER : type == "org" ? TokenType::ORG : TokenType::INTEGRATION;
    if (type != "user" && type != "org" && type != "integration") return Bad("type: expected integration, user or org");
    info.label = Str(body, "label", "token");
    auto scopes = StrList(body, "scopes");
    info.scopes = body.Find("scopes") ? std::set<std::string>(scopes.begin(), scopes.end()) : AllReadScopes();
    info.teams = StrList(body, "teams");
    info.member_id = Str(body, "member");
    info.org = Str(body, "org", info.type == TokenType::USER ? "" : sim.data.org.slug);
    info.expired = Bool(body, "expired").value_or(false);
    info.inactive = Bool(body, "inactive").value_or(false);
    info.sso_required = Bool(body, "sso").value_or(false);
    sim.tokens.Add(tok, info);
    return Ok("{}", 201);
  }
  if (req.method == "GET" && path == "webhooks") {
    std::string out;
    JsonOut j(out);
    j.BeginArray();
    for (const auto& r : sim.webhooks->Records()) {
      j.BeginObject().KInt("seq", static_cast<int64_t>(r.seq)).KV("request_id", r.request_id);
      j.KV("resource", r.resource).KV("action", r.action).KV("url", r.url).KV("timestamp", r.timestamp);
      j.KV("fault", r.fault).KInt("status", r.status).KV("error", r.error);
      j.KInt("body_bytes", static_cast<int64_t>(r.body_bytes)).EndObject();
    }
    j.EndArray();
    return Ok(out);
  }

  // Project rename (§1.5): the old slug keeps answering project-scoped URLs with 302 resource-moved unless
  // "redirect": false (then it is simply gone: 404).
  if (req.method == "POST" && path.rfind("projects/", 0) == 0) {
    auto parts = Split(path, '/');
    if (parts.size() != 3 || parts[2] != "rename") return Bad("path: expected /_sim/projects/{project}/rename");
    std::string slug = Str(body, "slug");
    if (slug.empty() || slug.size() > 50 || !std::all_of(slug.begin(), slug.end(), [](char ch) {
          return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        }))
      return Bad("slug: required, 1-50 characters of [a-z0-9_-]");
    std::unique_lock lock(sim.data_mu);
    Dataset& d = sim.data;
    const Project* found = d.FindProject(parts[1]);
    if (!found) return Bad("project: unknown project '" + parts[1] + "'");
    auto index = static_cast<uint32_t>(found - d.projects.data());
    if (const Project* other = d.FindProject(slug); other && other != found)
      return Bad("slug: '" + slug + "' is already used by another project");
    sim.render_cache.Clear();  // issue rows embed the project slug and short ids derive from it
    Project& p = d.projects[index];
    std::string old = p.slug;
    p.slug = slug;
    d.moved_slugs.erase(slug);
    if (Bool(body, "redirect").value_or(true) && old != slug) d.moved_slugs[old] = index;
    // Team project lists stay in slug order.
    for (auto& t : d.teams)
      std::sort(t.projects.begin(), t.projects.end(),
                [&](uint32_t a, uint32_t b) { return d.projects[a].slug < d.projects[b].slug; });
    std::string out;
    JsonOut j(out);
    j.BeginObject().KV("id", p.id).KV("slug", p.slug).KV("old_slug", old).EndObject();
    return Ok(out);
  }

  // State mutations: /_sim/issues and /_sim/issues/{id}/{action}.
  if (req.method == "POST" && (path == "issues" || path.rfind("issues/", 0) == 0)) {
    auto parts = Split(path, '/');
    std::vector<Pending> pending;
    std::string response = "{}";
    auto cfg = sim.Config();
    std::string api_base = sim.LinkBase();
    std::string uuid;
    {
      std::unique_lock lock(sim.data_mu);
      Dataset& d = sim.data;
      const Installation& inst = d.installations[0];
      uuid = inst.uuid;
      bool subscribed_issue = std::find(inst.events.begin(), inst.events.end(), "issue") != inst.events.end();
      WebhookActor actor = ActorFrom(d, body);
      sim.render_cache.Clear();
      sim.data_now += MICROS_PER_SECOND;
      Micros now = sim.data_now;
      auto issue_body = [&](uint32_t i, const std::string& action, const std::function<void(JsonOut&)>& before,
                            const std::function<void(JsonOut&)>& after, const WebhookActor& who) {
        return BuildIssueWebhookBody(d, sim.seed, now, i, action, uuid, who, before, after, api_base);
      };
      if (parts.size() == 1) {
        const Project* p = d.FindProject(Str(body, "project", d.projects.empty() ? "" : d.projects[0].slug));
        if (!p) return Bad("project: unknown project");
        std::string kind_name = Str(body, "kind", "error");
        IssueKind kind = kind_name == "default"       ? IssueKind::DEFAULT
                         : kind_name == "performance" ? IssueKind::PERFORMANCE
                         : kind_name == "feedback"    ? IssueKind::FEEDBACK
                                                      : IssueKind::ERROR;
        std::string level = Str(body, "level", "error");
        uint8_t lvl = 1;
        for (uint8_t k = 0; k < 4; ++k)
          if (level == LEVELS[k]) lvl = k;
        uint32_t i = AddIssue(d, sim.seed, static_cast<uint32_t>(p - d.projects.data()), now, kind, lvl);
        if (auto title = Str(body, "title"); !title.empty()) d.title_override[i] = title;
        response = "{\"id\":\"" + std::to_string(d.issues[i].id) + "\",\"shortId\":\"" + d.ShortId(d.issues[i]) + "\"}";
        // issue.created: error issues only unless the expanded flag is on (§5.3); the actor is Sentry.
        if (subscribed_issue && (kind == IssueKind::ERROR || d.org.expanded_webhooks))
          pending.push_back({"issue", "created", issue_body(i, "created", nullptr, nullptr, WebhookActor{})});
      } else {
        auto found = d.FindIssue(parts[1]);
        if (!found) return Bad("issue: unknown issue id '" + parts[1] + "'");
        uint32_t i = *found;
        Issue& is = d.issues[i];
        std::string action = parts.size() > 2 ? parts[2] : "";
        if (action == "resolve") {
          std::string rt = Str(body, "resolution_type", "now");
          is.status = IssueStatus::RESOLVED;
          is.substatus = 0;
          is.resolution = rt == "in_next_release" ? 1 : rt == "in_release" ? 2 : 0;
          if (subscribed_issue)
            pending.push_back({"issue", "resolved",
                               issue_body(
                                   i, "resolved", [&](JsonOut& j) { j.KV("resolution_type", rt); }, nullptr, actor)});
        } else if (action == "assign") {
          std::string who = Str(body, "assignee");
          Assignee a;
          if (!who.empty() && who[0] == '#') {
            const Team* t = d.FindTeam(who.substr(1));
            if (!t) return Bad("assignee: unknown team '" + who + "'");
            a = {Assignee::Type::TEAM, static_cast<uint32_t>(t - d.teams.data())};
          } else if (!who.empty()) {
            for (uint32_t m = 0; m < d.members.size(); ++m)
              if (!d.members[m].pending &&
                  (d.members[m].email == who || d.members[m].id == who || d.members[m].user_id == who))
                a = {Assignee::Type::USER, m};
            if (a.type == Assignee::Type::NONE) return Bad("assignee: unknown member '" + who + "'");
          }
          is.assignee = a;
          // Unassignment sends no webhook (§5.3).
          if (subscribed_issue && a.type != Assignee::Type::NONE) {
            auto after = [&](JsonOut& j) {
              j.Key("assignee").BeginObject();
              if (a.type == Assignee::Type::TEAM) {
                j.KV("type", "team").KV("name", d.teams[a.index].slug).KInt("id", *ParseInt(d.teams[a.index].id));
              } else {
                const Member& m = d.members[a.index];
                j.KV("type", "user").KV("name", m.name).KInt("id", *ParseInt(m.user_id)).KV("email", m.email);
              }
              j.EndObject();
            };
            pending.push_back({"issue", "assigned", issue_body(i, "assigned", nullptr, after, actor)});
          }
        } else if (action == "archive") {
          std::string sub = Str(body, "substatus", "archived_until_escalating");
          is.status = IssueStatus::IGNORED;
          is.substatus = sub == "archived_forever" ? 7 : sub == "archived_until_condition_met" ? 6 : 5;
          // The code sends "ignored"; only apps subscribed to issue.archived alone get "archived" (§5.3).
          std::string name = inst.legacy_archived_only ? "archived" : "ignored";
          if (subscribed_issue) pending.push_back({"issue", name, issue_body(i, name, nullptr, nullptr, actor)});
        } else if (action == "unresolve") {
          is.status = IssueStatus::UNRESOLVED;
          is.substatus = 1;
          if (subscribed_issue && d.org.webhooks_unresolved)
            pending.push_back({"issue", "unresolved", issue_body(i, "unresolved", nullptr, nullptr, actor)});
        } else if (action == "comments") {
          Comment cm;
          cm.id = ++d.next_comment_id;
          cm.issue_id = is.id;
          cm.text = Str(body, "text", "Looking into it — merci 🙏");
          cm.date = now;
          d.comments.push_back(cm);
          ++is.num_comments;
          response = "{\"comment_id\":" + std::to_string(cm.id) + "}";
          if (std::find(inst.events.begin(), inst.events.end(), "comment") != inst.events.end())
            pending.push_back({"comment", "created", BuildCommentWebhookBody(d, cm, "created", uuid, actor)});
        } else if (action == "touch") {
          // A new event: lastSeen moves (keyset drift during pagination, §2.5 item 5).
          is.last_seen = now / MICROS_PER_SECOND * MICROS_PER_SECOND;
          ++is.count;
          d.RebuildOrders();
        } else {
          return Bad("action: unknown issue action '" + action +
                     "' (resolve, assign, archive, unresolve, comments, touch)");
        }
      }
    }
    if (!cfg.webhook_url.empty())
      for (auto& p : pending)
        sim.webhooks->Enqueue(cfg.webhook_url, cfg.webhook_secret, p.resource, p.action, std::move(p.body), uuid);
    if (wait) sim.webhooks->Flush(5000);
    return Ok(response, parts.size() == 1 ? 201 : 200);
  }
  return net::HttpResponse::Json(404, "{\"error\":\"unknown control endpoint\"}");
}

}  // namespace sp::sentry_sim

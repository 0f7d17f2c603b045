#include "generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace sp::sentry_sim {

const char* const LEVELS[4] = {"fatal", "error", "warning", "info"};
const char* const SUBSTATUSES[8] = {"",
                                    "ongoing",
                                    "new",
                                    "escalating",
                                    "regressed",
                                    "archived_until_escalating",
                                    "archived_until_condition_met",
                                    "archived_forever"};
const char* const PRIORITIES[3] = {"high", "medium", "low"};

namespace {

constexpr std::array PREFIXES = {
    "checkout", "billing",  "auth",   "search",  "catalog", "orders",  "payments", "inventory", "shipping",  "profile",
    "gateway",  "ledger",   "notify", "reports", "mobile",  "admin",   "partner",  "pricing",   "wallet",    "review",
    "cart",     "identity", "media",  "metrics", "session", "storage", "support",  "tax",       "telemetry", "ui",
    "web",      "worker",   "export", "import",  "sync",    "feed",    "chat",     "rewards",   "invoice",   "booking"};
constexpr std::array SUFFIXES = {
    "api",  "web",       "worker",   "service", "frontend", "backend", "ios",      "android", "cron",      "gateway",
    "app",  "jobs",      "consumer", "proxy",   "edge",     "admin",   "sdk",      "bff",     "scheduler", "ingest",
    "cli",  "dashboard", "portal",   "lambda",  "batch",    "stream",  "rpc",      "graphql", "internal",  "public",
    "core", "ops",       "ml",       "etl",     "cache",    "search",  "notifier", "indexer", "mailer",    "vault"};
constexpr std::array PLATFORMS = {
    "javascript-react", "node",      "python-django", "java-spring-boot",  "go",     "ruby-rails",
    "android",          "apple-ios", "php-laravel",   "dotnet-aspnetcore", "python", "javascript"};
constexpr std::array FIRST_NAMES = {"Dana",  "Noam",  "Maya",  "José",  "Zoë",    "Øyvind", "Aiko", "Chen",
                                    "Priya", "Lars",  "Amara", "Björn", "Fatima", "Kenji",  "Olga", "Sven",
                                    "Ines",  "Mateo", "Yara",  "Omar",  "Léa",    "Tomás",  "Hana", "Ivan"};
constexpr std::array FIRST_ASCII = {"dana",  "noam",  "maya",  "jose",  "zoe",    "oyvind", "aiko", "chen",
                                    "priya", "lars",  "amara", "bjorn", "fatima", "kenji",  "olga", "sven",
                                    "ines",  "mateo", "yara",  "omar",  "lea",    "tomas",  "hana", "ivan"};
constexpr std::array LAST_NAMES = {"Levi",  "Cohen",  "García", "Müller", "Nakamura", "Singh", "Novak", "Rossi",
                                   "Smith", "Okafor", "Larsen", "Dubois", "Kowalski", "Silva", "Ito",   "Haddad"};
constexpr std::array LAST_ASCII = {"levi",  "cohen",  "garcia", "muller", "nakamura", "singh", "novak", "rossi",
                                   "smith", "okafor", "larsen", "dubois", "kowalski", "silva", "ito",   "haddad"};
constexpr std::array TEAM_WORDS = {"payments", "platform", "mobile", "growth",   "search",   "infra",   "data",
                                   "web",      "security", "sre",    "checkout", "identity", "billing", "core",
                                   "frontend", "backend",  "ml",     "devex",    "support",  "partners"};
constexpr std::array TAIL_ENVS = {"qa", "canary", "perf", "sandbox", "demo", "uat"};

std::string Digits(Rng& rng, int n) {
  std::string s;
  s += static_cast<char>('1' + rng.Below(9));
  for (int i = 1; i < n; ++i) s += static_cast<char>('0' + rng.Below(10));
  return s;
}

std::string TitleCase(std::string s) {
  bool up = true;
  for (char& c : s) {
    if (up && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    up = c == '-' || c == ' ';
    if (c == '-') c = ' ';
  }
  return s;
}

Micros RandomMicros(Rng& rng) {
  return rng.Chance(0.5) ? 0 : static_cast<Micros>(rng.Below(1000000));
}

void FillIssue(Issue& is, Rng& rng, Micros now) {
  double u = rng.Unit();
  is.kind = u < 0.78   ? IssueKind::ERROR
            : u < 0.88 ? IssueKind::DEFAULT
            : u < 0.96 ? IssueKind::PERFORMANCE
                       : IssueKind::FEEDBACK;
  double l = rng.Unit();
  is.level = l < 0.80 ? 1 : l < 0.92 ? 2 : l < 0.95 ? 0 : 3;
  if (is.kind == IssueKind::FEEDBACK) is.level = 3;
  double s = rng.Unit();
  if (s < 0.55) {
    is.status = IssueStatus::UNRESOLVED;
    double ss = rng.Unit();
    is.substatus = ss < 0.6 ? 1 : ss < 0.8 ? 2 : ss < 0.9 ? 3 : 4;
  } else if (s < 0.90) {
    is.status = IssueStatus::RESOLVED;
    is.substatus = 0;
    is.resolution = static_cast<uint8_t>(rng.Below(3));
  } else {
    is.status = IssueStatus::IGNORED;
    is.substatus = static_cast<uint8_t>(5 + rng.Below(3));
  }
  is.priority = static_cast<uint8_t>(is.level <= 1 ? (rng.Chance(0.7) ? 0 : 1) : 1 + rng.Below(2));
  is.unhandled = is.kind == IssueKind::ERROR && rng.Chance(0.6);
  // Heavy-tailed event counts (Pareto-like), users a fraction of events.
  double c = 1.0 / std::pow(std::max(rng.Unit(), 1e-7), 1.1);
  is.count = static_cast<uint32_t>(std::min(c, 5e6));
  is.user_count = std::max<uint32_t>(1, static_cast<uint32_t>(is.count * (0.05 + 0.5 * rng.Unit())));
  is.num_comments = rng.Chance(0.15) ? static_cast<uint16_t>(1 + rng.Below(6)) : 0;
  // Most issues are recent; a long tail reaches 400 days back so that windows and retention bite.
  Micros age_last = rng.Chance(0.7) ? static_cast<Micros>(rng.Unit() * rng.Unit() * 60 * MICROS_PER_DAY)
                                    : static_cast<Micros>(rng.Unit() * 400 * MICROS_PER_DAY);
  Micros last = now - age_last;
  Micros span = static_cast<Micros>(rng.Unit() * rng.Unit() * static_cast<double>(400 * MICROS_PER_DAY - age_last));
  is.last_seen = last / MICROS_PER_SECOND * MICROS_PER_SECOND;  // Snuba-derived: whole seconds
  is.first_seen = last - span - RandomMicros(rng);
  if (is.first_seen >= is.last_seen) is.first_seen = is.last_seen - 1000;
}

}  // namespace

Micros DefaultNow() {
  return *ParseIso("2026-01-20T13:00:00Z");
}

Status ApplyPreset(const std::string& preset, GeneratorOptions& o) {
  if (preset == "small") {
    o.projects = 5, o.issues_per_project = 40, o.members = 12, o.teams = 4;
  } else if (preset == "medium") {
    o.projects = 40, o.issues_per_project = 500, o.members = 150, o.teams = 20;
  } else if (preset == "large") {
    o.projects = 1500, o.issues_per_project = 334, o.members = 3000, o.teams = 300;
  } else {
    return Error(ErrorCode::INVALID_ARGUMENT, "unknown preset '" + preset + "' (expected small, medium or large)",
                 "--preset");
  }
  return {};
}

std::string Base32(uint32_t n) {
  static const char* alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out;
  do {
    out.insert(out.begin(), alphabet[n % 32]);
    n /= 32;
  } while (n != 0);
  return out;
}

Dataset Generate(const GeneratorOptions& opt) {
  const Micros now = opt.now != 0 ? opt.now : DefaultNow();
  Dataset d;
  Rng rng(Hash(opt.seed, 0x06));
  d.org.id = Digits(rng, 7);
  d.org.slug = opt.org_slug;
  d.org.name = opt.org_name;
  d.org.date_created = now - 1800 * MICROS_PER_DAY + RandomMicros(rng);
  d.org.organization_url =
      opt.organization_url.empty() ? "https://" + opt.org_slug + ".sentry.io" : opt.organization_url;
  d.org.region_url = opt.region_url;
  d.org.retention_days = opt.retention_days;

  // Teams: unique slugs, sorted by slug.
  std::unordered_set<std::string> used;
  for (int t = 0; t < opt.teams; ++t) {
    Team team;
    std::string slug = TEAM_WORDS[static_cast<size_t>(t) % TEAM_WORDS.size()];
    if (t >= static_cast<int>(TEAM_WORDS.size())) slug += "-" + std::to_string(t / TEAM_WORDS.size() + 1);
    used.insert(slug);
    team.slug = slug;
    team.name = rng.Chance(0.5) ? slug : TitleCase(slug);
    team.id = Digits(rng, 4 + static_cast<int>(rng.Below(6)));
    team.date_created = d.org.date_created + static_cast<Micros>(rng.Below(1000)) * MICROS_PER_DAY / 2;
    d.teams.push_back(std::move(team));
  }
  std::sort(d.teams.begin(), d.teams.end(), [](const Team& a, const Team& b) { return a.slug < b.slug; });

  // Members: ids ascending (the members route orders by id), 5-10 % pending invites.
  uint64_t member_id = 57377900000ULL + rng.Below(1000);
  for (int m = 0; m < opt.members; ++m) {
    Member mem;
    member_id += 1 + rng.Below(5000);
    mem.id = std::to_string(member_id);
    size_t f = rng.Below(FIRST_NAMES.size()), l = rng.Below(LAST_NAMES.size());
    mem.name = std::string(FIRST_NAMES[f]) + " " + LAST_NAMES[l];
    mem.email = std::string(FIRST_ASCII[f]) + "." + LAST_ASCII[l] + (m >= 20 ? std::to_string(m) : "") + "@" +
                opt.org_slug + ".io";
    if (m >= 20 && !used.insert(mem.email).second) mem.email = std::to_string(m) + mem.email;
    double r = rng.Unit();
    mem.org_role = m == 0 ? "owner" : r < 0.85 ? "member" : r < 0.93 ? "admin" : r < 0.98 ? "manager" : "owner";
    mem.pending = m > 0 && (rng.Chance(0.07) || m == 5);  // at least one pending invite in any org of 6+
    mem.date_created = d.org.date_created + static_cast<Micros>(rng.Unit() * 1500 * MICROS_PER_DAY);
    if (mem.pending) {
      mem.name = mem.email;
    } else {
      mem.user_id = Digits(rng, 6 + static_cast<int>(rng.Below(7)));
      mem.date_joined = mem.date_created + RandomMicros(rng);
      mem.last_login = now - static_cast<Micros>(rng.Unit() * 30 * MICROS_PER_DAY);
      mem.last_active = now - static_cast<Micros>(rng.Unit() * 10 * MICROS_PER_DAY);
      mem.has2fa = rng.Chance(0.6);
      mem.sso_linked = rng.Chance(0.5);
    }
    d.members.push_back(std::move(mem));
  }

  // Team memberships (pending invites may be on teams too; the team-members route excludes them).
  for (uint32_t t = 0; t < d.teams.size(); ++t) {
    size_t n = d.members.empty() ? 0 : std::min<size_t>(d.members.size(), 1 + rng.Below(8));
    for (size_t k = 0; k < n; ++k) {
      uint32_t m = static_cast<uint32_t>(rng.Below(d.members.size()));
      bool dup = false;
      for (const auto& tm : d.teams[t].members) dup = dup || tm.member == m;
      if (dup) continue;
      const char* role = rng.Chance(0.2) ? "admin" : rng.Chance(0.7) ? "contributor" : "";
      d.teams[t].members.push_back({m, role});
      d.members[m].teams.push_back(t);
    }
  }

  // Projects.
  for (int p = 0; p < opt.projects; ++p) {
    Project pr;
    std::string slug;
    size_t combos = PREFIXES.size() * SUFFIXES.size();
    size_t pick = (static_cast<size_t>(p) * 7919 + Hash(opt.seed, 0x77) % combos) % combos;
    slug = std::string(PREFIXES[pick / SUFFIXES.size()]) + "-" + SUFFIXES[pick % SUFFIXES.size()];
    if (p >= static_cast<int>(combos) || !used.insert(slug).second) slug += "-" + std::to_string(p);
    used.insert(slug);
    pr.slug = slug;
    pr.name = slug;
    bool legacy = rng.Chance(0.2);
    pr.id = legacy ? Digits(rng, 6 + static_cast<int>(rng.Below(2))) : "45" + Digits(rng, 14);
    pr.platform = rng.Chance(0.05) ? nullptr : PLATFORMS[rng.Below(PLATFORMS.size())];
    pr.date_created = d.org.date_created + static_cast<Micros>(rng.Unit() * 1700 * MICROS_PER_DAY);
    pr.first_event = rng.Chance(0.03) ? 0 : pr.date_created + static_cast<Micros>(rng.Unit() * 5 * MICROS_PER_DAY);
    char color[8];
    std::snprintf(color, sizeof color, "#%06x", static_cast<unsigned>(rng.Below(0x1000000)));
    pr.color = color;
    size_t nteams = d.teams.empty() ? 0 : rng.Below(4);
    for (size_t k = 0; k < nteams; ++k) {
      uint32_t t = static_cast<uint32_t>(rng.Below(d.teams.size()));
      if (std::find(pr.teams.begin(), pr.teams.end(), t) == pr.teams.end()) pr.teams.push_back(t);
    }
    pr.has_environment_tag = !rng.Chance(0.1);
    if (pr.has_environment_tag) {
      pr.environments.push_back("production");
      if (rng.Chance(0.6)) pr.environments.push_back("staging");
      if (rng.Chance(0.3)) pr.environments.push_back("development");
      for (auto e : TAIL_ENVS)
        if (rng.Chance(0.1)) pr.environments.push_back(e);
      // A long tail of preview environments on some projects exercises tag-value pagination.
      if (rng.Chance(0.15)) {
        size_t n = 20 + rng.Below(200);
        for (size_t k = 0; k < n; ++k) pr.environments.push_back("preview-" + std::to_string(1000 + k * 7));
      }
    }
    size_t nrel = 3 + rng.Below(20);
    Micros rdate = now - 400 * MICROS_PER_DAY;
    int major = 1 + static_cast<int>(rng.Below(3)), minor = 0, patch = 0;
    bool sha = rng.Chance(0.2);
    for (size_t k = 0; k < nrel; ++k) {
      rdate += static_cast<Micros>(rng.Unit() * (400.0 / static_cast<double>(nrel)) * MICROS_PER_DAY);
      if (rng.Chance(0.2)) ++minor, patch = 0;
      ++patch;
      std::string version =
          sha ? HexId(rng, 40)
              : slug + "@" + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
      pr.releases.push_back({version, rdate});
    }
    d.projects.push_back(std::move(pr));
  }
  std::sort(d.projects.begin(), d.projects.end(), [](const Project& a, const Project& b) { return a.slug < b.slug; });
  for (uint32_t p = 0; p < d.projects.size(); ++p)
    for (uint32_t t : d.projects[p].teams) d.teams[t].projects.push_back(p);

  // Issues: ids ascending with creation order, spread over projects.
  const size_t total = static_cast<size_t>(opt.projects) * static_cast<size_t>(opt.issues_per_project);
  d.issues.reserve(total);
  d.issue_by_id.reserve(total);
  d.next_issue_id = 4500000000ULL + rng.Below(100000000);
  for (size_t i = 0; i < total; ++i) {
    Issue is;
    Rng ir(Hash(opt.seed, 0x155, i));
    is.project = static_cast<uint32_t>(i % d.projects.size());
    d.next_issue_id += 1 + ir.Below(40);
    is.id = d.next_issue_id;
    is.short_counter = ++d.projects[is.project].issue_counter;
    is.text_variant = static_cast<uint32_t>(ir.Next());
    FillIssue(is, ir, now);
    double a = ir.Unit();
    if (a < 0.35 && !d.members.empty()) {
      uint32_t m = static_cast<uint32_t>(ir.Below(d.members.size()));
      if (!d.members[m].pending) is.assignee = {Assignee::Type::USER, m};
    } else if (a < 0.5 && !d.teams.empty()) {
      is.assignee = {Assignee::Type::TEAM, static_cast<uint32_t>(ir.Below(d.teams.size()))};
    }
    d.issue_by_id.emplace(is.id, static_cast<uint32_t>(d.issues.size()));
    d.issues.push_back(is);
  }

  d.next_comment_id = 1000 + rng.Below(1000);
  Installation inst;
  inst.uuid = Uuid4(rng);
  inst.app_slug = "port-sync-" + HexId(rng, 6);
  inst.app_name = "Port Sync";
  inst.app_uuid = Uuid4(rng);
  inst.client_secret = HexId(rng, 64);
  inst.date_created = now - 30 * MICROS_PER_DAY;
  d.installations.push_back(inst);

  d.RebuildOrders();
  return d;
}

uint32_t AddIssue(Dataset& d, uint64_t seed, uint32_t project, Micros now, IssueKind kind, uint8_t level) {
  Issue is;
  Rng ir(Hash(seed, 0x1AD, d.issues.size()));
  d.next_issue_id += 1 + ir.Below(40);
  is.id = d.next_issue_id;
  is.project = project;
  is.short_counter = ++d.projects[project].issue_counter;
  is.text_variant = static_cast<uint32_t>(ir.Next());
  is.kind = kind;
  is.level = level;
  is.status = IssueStatus::UNRESOLVED;
  is.substatus = 2;  // new
  is.priority = level <= 1 ? 0 : 1;
  is.unhandled = kind == IssueKind::ERROR;
  is.first_seen = now;
  is.last_seen = now;
  uint32_t index = static_cast<uint32_t>(d.issues.size());
  d.issue_by_id.emplace(is.id, index);
  d.issues.push_back(is);
  d.RebuildOrders();
  return index;
}

void Dataset::RebuildOrders() {
  auto build = [this](std::vector<uint32_t>& order, auto key) {
    order.resize(issues.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      auto ka = key(issues[a]), kb = key(issues[b]);
      if (ka != kb) return ka > kb;
      return issues[a].id > issues[b].id;
    });
  };
  build(by_last_seen, [](const Issue& i) { return i.last_seen / 1000; });
  build(by_first_seen, [](const Issue& i) { return i.first_seen / 1000; });
  build(by_count, [](const Issue& i) { return static_cast<int64_t>(i.count); });
  build(by_user_count, [](const Issue& i) { return static_cast<int64_t>(i.user_count); });
}

const Project* Dataset::FindProject(std::string_view id_or_slug) const {
  for (const auto& p : projects)
    if (p.slug == id_or_slug || p.id == id_or_slug) return &p;
  return nullptr;
}

const Team* Dataset::FindTeam(std::string_view id_or_slug) const {
  for (const auto& t : teams)
    if (t.slug == id_or_slug || t.id == id_or_slug) return &t;
  return nullptr;
}

std::optional<uint32_t> Dataset::FindIssue(std::string_view id) const {
  auto n = ParseInt(id);
  if (!n || *n <= 0) return std::nullopt;
  auto it = issue_by_id.find(static_cast<uint64_t>(*n));
  if (it == issue_by_id.end()) return std::nullopt;
  return it->second;
}

std::string Dataset::ShortId(const Issue& issue) const {
  return ToUpper(projects[issue.project].slug) + "-" + Base32(issue.short_counter);
}

}  // namespace sp::sentry_sim

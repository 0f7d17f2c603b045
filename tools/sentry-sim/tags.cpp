#include "tags.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace sp::sentry_sim {

namespace {

constexpr std::array BROWSERS = {"Chrome 120", "Firefox 121", "Safari 17.2", "Edge 120", "Chrome Mobile 119"};
constexpr std::array OSES = {"Windows 10", "Mac OS X 14.2", "Ubuntu 22.04", "iOS 17.2", "Android 14"};
constexpr std::array TIERS = {"free", "team", "business", "enterprise"};

bool IsFrontend(const Project& p) {
  return p.platform && (std::strncmp(p.platform, "javascript", 10) == 0 || std::strcmp(p.platform, "apple-ios") == 0 ||
                        std::strcmp(p.platform, "android") == 0);
}

// Which optional keys the issue has: one bit each, derived from one hash.
struct IssueKeys {
  bool release, browser, os, server_name, url, user, tier, many_urls;
};

IssueKeys KeysOf(const Dataset& d, uint64_t seed, uint32_t i) {
  uint64_t h = Hash(seed, 0x7A65, i);
  const Project& p = d.projects[d.issues[i].project];
  bool fe = IsFrontend(p);
  IssueKeys k{};
  k.release = (h % 10) < 7;
  k.browser = fe && ((h >> 4) % 10) < 8;
  k.os = ((h >> 8) % 10) < 6;
  k.server_name = !fe && ((h >> 12) % 10) < 8;
  k.url = ((h >> 16) % 10) < 5;
  k.user = ((h >> 20) % 10) < 6;
  k.tier = ((h >> 24) % 10) < 3;
  k.many_urls = k.url && ((h >> 28) % 50) == 0;
  return k;
}

// Spreads `n` values over the issue's lifetime with decreasing counts.
std::vector<TagValue> Spread(uint64_t seed, uint64_t salt, const std::vector<std::string>& values, Micros first,
                             Micros last, int64_t total, uint64_t id_base) {
  std::vector<TagValue> out;
  out.reserve(values.size());
  Rng rng(Hash(seed, salt));
  Micros span = std::max<Micros>(last - first, 1);
  for (size_t k = 0; k < values.size(); ++k) {
    TagValue v;
    v.value = values[k];
    v.count = std::max<int64_t>(1, total / static_cast<int64_t>(k + 1) / 2);
    v.first_seen = first + static_cast<Micros>(rng.Unit() * static_cast<double>(span) * 0.5);
    v.last_seen =
        k == 0 ? last : v.first_seen + static_cast<Micros>(rng.Unit() * static_cast<double>(last - v.first_seen));
    v.last_seen = v.last_seen / MICROS_PER_SECOND * MICROS_PER_SECOND;
    if (v.last_seen < v.first_seen) v.last_seen = v.first_seen;
    v.id = id_base + k;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

std::vector<uint32_t> IssueEnvironments(const Dataset& d, uint64_t seed, uint32_t i) {
  const Project& p = d.projects[d.issues[i].project];
  std::vector<uint32_t> out;
  if (p.environments.empty()) return out;
  uint64_t h = Hash(seed, 0xE4, i);
  if (h % 100 < 20) return out;  // 20 % of issues never saw an environment
  if ((h >> 8) % 100 < 85) out.push_back(0);
  size_t extra = (h >> 16) % 3;
  for (size_t k = 0; k < extra && p.environments.size() > 1; ++k) {
    uint32_t e = static_cast<uint32_t>(1 + (Hash(seed, 0xE5, i, k) % std::min<size_t>(p.environments.size() - 1, 6)));
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  }
  if (out.empty()) out.push_back(static_cast<uint32_t>((h >> 24) % p.environments.size()));
  return out;
}

std::vector<std::string> IssueTagKeys(const Dataset& d, uint64_t seed, uint32_t i) {
  IssueKeys k = KeysOf(d, seed, i);
  std::vector<std::string> keys;
  if (k.browser) keys.push_back("browser");
  if (k.tier) keys.push_back("customer_tier");
  if (!IssueEnvironments(d, seed, i).empty()) keys.push_back("environment");
  keys.push_back("level");
  if (k.os) keys.push_back("os");
  if (k.release && !d.projects[d.issues[i].project].releases.empty()) keys.push_back("release");
  if (k.server_name) keys.push_back("server_name");
  if (k.url) keys.push_back("url");
  if (k.user) keys.push_back("user");
  return keys;
}

std::optional<std::vector<TagValue>> IssueTagValues(const Dataset& d, uint64_t seed, uint32_t i,
                                                    const std::string& key) {
  const Issue& is = d.issues[i];
  const Project& p = d.projects[is.project];
  IssueKeys k = KeysOf(d, seed, i);
  std::vector<std::string> values;
  uint64_t salt = Hash(seed, 0x7A66, i, std::hash<std::string>{}(key));
  Rng rng(salt);
  if (key == "environment") {
    for (uint32_t e : IssueEnvironments(d, seed, i)) values.push_back(p.environments[e]);
  } else if (key == "level") {
    values.push_back(LEVELS[is.level]);
  } else if (key == "release" && k.release && !p.releases.empty()) {
    size_t n = 1 + rng.Below(std::min<size_t>(5, p.releases.size()));
    for (size_t r = 0; r < n; ++r) values.push_back(p.releases[p.releases.size() - 1 - r].version);
  } else if (key == "browser" && k.browser) {
    for (size_t r = 0, n = 1 + rng.Below(4); r < n; ++r) values.push_back(BROWSERS[(r + i) % BROWSERS.size()]);
  } else if (key == "os" && k.os) {
    for (size_t r = 0, n = 1 + rng.Below(3); r < n; ++r) values.push_back(OSES[(r + i) % OSES.size()]);
  } else if (key == "server_name" && k.server_name) {
    for (size_t r = 0, n = 1 + rng.Below(6); r < n; ++r) values.push_back("web-" + std::to_string(r + 1) + ".prod");
  } else if (key == "url" && k.url) {
    size_t n = k.many_urls ? 120 + rng.Below(150) : 1 + rng.Below(5);
    for (size_t r = 0; r < n; ++r) values.push_back("https://app.example.com/items/" + std::to_string(1000 + r));
  } else if (key == "user" && k.user) {
    for (size_t r = 0, n = 1 + rng.Below(8); r < n; ++r)
      values.push_back("id:" + std::to_string(10000 + (i * 13 + r) % 90000));
  } else if (key == "customer_tier" && k.tier) {
    values.push_back(TIERS[i % TIERS.size()]);
  } else {
    return std::nullopt;
  }
  if (values.empty()) return std::nullopt;
  return Spread(seed, salt, values, is.first_seen, is.last_seen, is.count, (static_cast<uint64_t>(i) + 1) * 1000);
}

std::optional<std::vector<TagValue>> ProjectTagValues(const Dataset& d, uint64_t seed, uint32_t project,
                                                      const std::string& key, Micros now) {
  const Project& p = d.projects[project];
  std::vector<std::string> values;
  uint64_t salt = Hash(seed, 0x7A67, project, std::hash<std::string>{}(key));
  if (key == "environment") {
    if (!p.has_environment_tag || p.environments.empty()) return std::nullopt;
    values = p.environments;
  } else if (key == "release") {
    for (auto it = p.releases.rbegin(); it != p.releases.rend(); ++it) values.push_back(it->version);
  } else if (key == "level") {
    for (const char* l : LEVELS) values.push_back(l);
  } else if (key == "browser" && IsFrontend(p)) {
    for (const char* b : BROWSERS) values.push_back(b);
  } else if (key == "os") {
    for (const char* o : OSES) values.push_back(o);
  } else if (key == "server_name" && !IsFrontend(p)) {
    for (int r = 0; r < 8; ++r) values.push_back("web-" + std::to_string(r + 1) + ".prod");
  } else if (key == "user") {
    for (int r = 0; r < 40; ++r) values.push_back("id:" + std::to_string(10000 + r * 17));
  } else {
    return std::nullopt;
  }
  // Values age with their position: the tail falls outside the default 90-day window.
  auto out = Spread(seed, salt, values, now - 400 * MICROS_PER_DAY, now, 100000, (project + 1ULL) * 100000);
  for (size_t k = 0; k < out.size(); ++k) {
    Micros age = static_cast<Micros>(k) * (k < 3 ? MICROS_PER_DAY / 24 : 2 * MICROS_PER_DAY) +
                 static_cast<Micros>(Hash(salt, k) % 3600) * MICROS_PER_SECOND;
    out[k].last_seen = (now - age) / MICROS_PER_SECOND * MICROS_PER_SECOND;
    if (out[k].first_seen > out[k].last_seen) out[k].first_seen = out[k].last_seen - MICROS_PER_DAY;
  }
  return out;
}

}  // namespace sp::sentry_sim

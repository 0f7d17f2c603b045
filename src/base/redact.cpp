#include "base/redact.hpp"

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace sp {
namespace {

struct Registry {
  std::shared_mutex mutex;
  std::vector<std::string> patterns;  // longest first
};

Registry& GetRegistry() {
  // Leaked on purpose: loggers may still redact during static destruction at exit.
  static Registry* registry = new Registry();
  return *registry;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// The form a secret takes inside a JSON string (a JSON log line, a --json dump).
std::string JsonEscaped(std::string_view text) {
  static constexpr char HEX[] = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += HEX[u >> 4];
      out += HEX[u & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

void AddPattern(std::vector<std::string>& patterns, std::string pattern) {
  if (pattern.size() < MIN_SECRET_LENGTH) return;
  if (std::find(patterns.begin(), patterns.end(), pattern) != patterns.end()) return;
  patterns.push_back(std::move(pattern));
}

}  // namespace

std::string UrlEncode(std::string_view text) {
  static constexpr char HEX[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += HEX[u >> 4];
      out += HEX[u & 0xF];
    }
  }
  return out;
}

void RegisterSecret(std::string_view secret) {
  secret = Trim(secret);
  if (secret.size() < MIN_SECRET_LENGTH) return;
  Registry& registry = GetRegistry();
  std::unique_lock lock(registry.mutex);
  auto& patterns = registry.patterns;
  AddPattern(patterns, std::string(secret));
  AddPattern(patterns, UrlEncode(secret));
  AddPattern(patterns, JsonEscaped(secret));
  // Form-encoding writes spaces as '+' (query strings, token request bodies).
  // Built by appending: GCC 12 reports a false -Wrestrict on std::string::replace at -O2.
  std::string encoded = UrlEncode(secret);
  std::string plus;
  plus.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded.compare(i, 3, "%20") == 0) {
      plus.push_back('+');
      i += 2;
    } else {
      plus.push_back(encoded[i]);
    }
  }
  AddPattern(patterns, std::move(plus));
  std::stable_sort(patterns.begin(), patterns.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redact(std::string_view text) {
  Registry& registry = GetRegistry();
  std::shared_lock lock(registry.mutex);
  std::string out(text);
  for (const std::string& pattern : registry.patterns) {
    size_t pos = out.find(pattern);
    if (pos == std::string::npos) continue;
    std::string replaced;
    replaced.reserve(out.size());
    size_t start = 0;
    while (pos != std::string::npos) {
      replaced.append(out, start, pos - start);
      replaced.append(REDACTED);
      start = pos + pattern.size();
      pos = out.find(pattern, start);
    }
    replaced.append(out, start, std::string::npos);
    out = std::move(replaced);
  }
  return out;
}

size_t RegisteredSecretPatternCount() {
  Registry& registry = GetRegistry();
  std::shared_lock lock(registry.mutex);
  return registry.patterns.size();
}

void ClearSecretsForTesting() {
  Registry& registry = GetRegistry();
  std::unique_lock lock(registry.mutex);
  registry.patterns.clear();
}

}  // namespace sp

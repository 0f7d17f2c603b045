// Value parsers for configuration text and the "did you mean" helper. Messages quote the offending text; the
// loader never passes a secret's text to a parser whose message could echo it without redaction.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/keys.hpp"

namespace sp::config {
namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Error Invalid(std::string message) {
  return Error(ErrorCode::INVALID_ARGUMENT, std::move(message));
}

}  // namespace

const char* EventListenerTypeName(EventListenerType type) {
  switch (type) {
    case EventListenerType::ONCE: return "ONCE";
    case EventListenerType::POLLING: return "POLLING";
    case EventListenerType::WEBHOOK: return "WEBHOOK";
    case EventListenerType::WEBHOOKS_ONLY: return "WEBHOOKS_ONLY";
  }
  return "POLLING";
}

Result<bool> ParseBool(std::string_view text) {
  std::string upper = Upper(Trim(text));
  if (upper == "TRUE" || upper == "1" || upper == "YES" || upper == "ON") return true;
  if (upper == "FALSE" || upper == "0" || upper == "NO" || upper == "OFF") return false;
  return Invalid("expected a boolean (true/false, 1/0, yes/no), got '" + std::string(text) + "'");
}

Result<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max) {
  std::string_view trimmed = Trim(text);
  if (!trimmed.empty() && trimmed.front() == '+') trimmed.remove_prefix(1);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (trimmed.empty() || ec == std::errc::invalid_argument || end != trimmed.data() + trimmed.size()) {
    return Invalid("expected a whole number, got '" + std::string(text) + "'");
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    return Invalid("expected a number between " + std::to_string(min) + " and " + std::to_string(max) + ", got '" +
                   std::string(text) + "'");
  }
  return value;
}

Result<std::string> ParseHttpUrl(std::string_view text) {
  std::string_view url = Trim(text);
  std::string lower(url);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t scheme_end = 0;
  if (lower.rfind("https://", 0) == 0) {
    scheme_end = 8;
  } else if (lower.rfind("http://", 0) == 0) {
    scheme_end = 7;
  } else {
    return Invalid("expected a URL starting with https:// or http://, got '" + std::string(text) + "'");
  }
  std::string_view rest = url.substr(scheme_end);
  size_t host_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, host_end);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.empty() || authority.front() == ':') {
    return Invalid("expected a URL with a host, got '" + std::string(text) + "'");
  }
  if (authority.find_first_of(" \t") != std::string_view::npos) {
    return Invalid("the host of the URL contains whitespace: '" + std::string(text) + "'");
  }
  std::string out(url);
  while (out.size() > scheme_end && out.back() == '/') out.pop_back();
  return out;
}

Result<EventListenerType> ParseEventListenerType(std::string_view text) {
  std::string upper = Upper(Trim(text));
  if (upper == "ONCE") return EventListenerType::ONCE;
  if (upper == "POLLING") return EventListenerType::POLLING;
  if (upper == "WEBHOOK") return EventListenerType::WEBHOOK;
  if (upper == "WEBHOOKS_ONLY") return EventListenerType::WEBHOOKS_ONLY;
  static constexpr const char* VALID = "ONCE, POLLING, WEBHOOK, WEBHOOKS_ONLY";
  if (upper == "KAFKA" || upper == "ACTIONS_ONLY") {
    return Invalid("event listener type " + upper + " is an Ocean listener that sentry-port does not support " +
                   "(supported: " + VALID + ")");
  }
  return Invalid("unknown event listener type '" + std::string(text) + "' (valid: " + VALID + ")");
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates) {
  std::string upper = Upper(name);
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& candidate : candidates) {
    std::string other = Upper(candidate);
    size_t distance = EditDistance(upper, other);
    // A truncated name (SENTRY_ORG for SENTRY_ORGANIZATION) is closer than its edit distance says.
    if (upper.size() >= 8 && other.size() > upper.size() && other.compare(0, upper.size(), upper) == 0) {
      distance = std::min<size_t>(distance, 1);
    }
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace sp::config

#include "generate.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace sp::bench {
namespace {

constexpr std::array<std::string_view, 6> kPlatforms = {"python", "node", "javascript-react", "go", "java", "ruby"};
constexpr std::array<std::string_view, 4> kStatuses = {"unresolved", "resolved", "ignored", "unresolved"};
constexpr std::array<std::string_view, 3> kEnvironments = {"production", "staging", "development"};
constexpr std::array<std::string_view, 5> kErrors = {
    "TypeError: Cannot read properties of undefined (reading 'id')", "ZeroDivisionError: division by zero",
    "KeyError: 'customer_id'", "NullPointerException: order.items is null", "ConnectionResetError: peer reset"};

// A tiny deterministic mixer so ids and counts look varied without a random generator.
uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

std::string Num(uint64_t n) {
  return std::to_string(n);
}

std::string ProjectSlug(int i) {
  return "service-" + Num(static_cast<uint64_t>(i) % 5000);
}

void Append(std::string& out, std::string_view a) {
  out.append(a);
}

}  // namespace

std::string ProjectText(int i, bool with_tag) {
  const uint64_t u = static_cast<uint64_t>(i);
  const std::string slug = ProjectSlug(i) + "-" + Num(u);
  const std::string_view platform = kPlatforms[u % kPlatforms.size()];
  std::string out;
  out.reserve(2600);
  Append(out, R"({"id":")" + Num(4505244102426624ULL + u) + R"(","slug":")" + slug + R"(","name":")" + slug);
  Append(out, R"(","platform":")" + std::string(platform) + R"(","dateCreated":"2023-03-29T15:21:49.)" +
                  Num(100000 + Mix(u) % 900000) + R"(Z","isBookmarked":false,"isMember":true,)");
  Append(out, R"("features":["alert-filters","custom-inbound-filters","data-forwarding","discard-groups","minidump",)"
              R"("rate-limits","servicehooks","similarity-indexing","similarity-view","releases"],)");
  Append(out, u % 7 == 0 ? R"("firstEvent":null,)" : R"("firstEvent":"2023-04-05T21:02:08.054000Z",)");
  Append(out, R"("firstTransactionEvent":false,"access":["project:read","event:read","team:read","alerts:read",)"
              R"("org:read","event:write","project:releases","member:read"],"hasAccess":true,)"
              R"("hasMinifiedStackTrace":true,"hasMonitors":false,"hasProfiles":false,"hasReplays":false,)"
              R"("hasFeedbacks":false,"hasFlags":false,"hasNewFeedbacks":false,"hasSessions":false,)"
              R"("hasInsightsHttp":false,"hasInsightsDb":false,"isInternal":false,"isPublic":false,)"
              R"("avatar":{"avatarType":"letter_avatar","avatarUuid":null},"color":"#3f70bf","status":"active",)");
  const std::string team = R"({"id":")" + Num(2349234102ULL + u % 40) + R"(","name":"Team )" + Num(u % 40) +
                           R"(","slug":"team-)" + Num(u % 40) + R"("})";
  Append(out, R"("team":)" + team + R"(,"teams":[)" + team + R"(],"eventProcessing":{"symbolicationDegraded":false},)");
  Append(out, R"("platforms":[")" + std::string(platform) +
                  R"("],"hasUserReports":false,"environments":["production","staging"],)"
                  R"("latestRelease":{"version":")" +
                  slug + "@2." + Num(Mix(u) % 30) + R"(.1"},"latestDeploys":null,)");
  Append(out, R"("organization":{"id":"4504931754901504","slug":"acme","name":"Acme Inc","dateCreated":)"
              R"("2021-01-10T09:00:00.000000Z","isEarlyAdopter":false,"require2FA":false,"avatar":{"avatarType":)"
              R"("letter_avatar","avatarUuid":null},"features":["onboarding","performance-view","session-replay"],)"
              R"("links":{"organizationUrl":"https://acme.sentry.io","regionUrl":"https://us.sentry.io"},)"
              R"("hasAuthProvider":false})");
  if (with_tag) {
    const std::string_view env = kEnvironments[u % kEnvironments.size()];
    Append(out, R"(,"__tags":{"key":"environment","name":")" + std::string(env) + R"(","value":")" + std::string(env) +
                    R"(","count":)" + Num(Mix(u) % 10000) + "}");
  }
  out += '}';
  return out;
}

std::string IssueText(int i, bool with_tags) {
  const uint64_t u = static_cast<uint64_t>(i);
  const std::string id = Num(6066674569ULL + u);
  const std::string project = ProjectSlug(i);
  const std::string_view platform = kPlatforms[u % kPlatforms.size()];
  const std::string_view error = kErrors[u % kErrors.size()];
  std::string out;
  out.reserve(2600);
  std::string escaped_error;
  for (char c : error) {
    if (c == '"' || c == '\\') escaped_error += '\\';
    escaped_error += c;
  }
  Append(out, R"({"id":")" + id + R"(","shareId":null,"shortId":"SERVICE-)" + Num(u % 5000) + "-" + Num(u) +
                  R"(","title":")" + escaped_error + R"(","culprit":"app/services/cart.ts in applyCoupon",)");
  Append(out, R"("permalink":"https://acme.sentry.io/issues/)" + id + R"(/","logger":null,"level":"error",)");
  Append(out, R"("status":")" + std::string(kStatuses[u % kStatuses.size()]) +
                  R"(","statusDetails":{},"substatus":"ongoing","isPublic":false,"platform":")" +
                  std::string(platform) + R"(",)");
  Append(out, R"("project":{"id":")" + Num(4505244102426624ULL + u % 5000) + R"(","name":")" + project +
                  R"(","slug":")" + project + R"(","platform":")" + std::string(platform) + R"("},"type":"error",)");
  Append(out, R"("metadata":{"type":"TypeError","value":")" + escaped_error +
                  R"(","filename":"app/services/cart.ts","function":"applyCoupon","in_app_frame_mix":"in-app-only"},)");
  Append(out, R"("numComments":)" + Num(Mix(u) % 5) + ",");
  if (u % 3 == 0) {
    Append(out, R"("assignedTo":null,)");
  } else if (u % 3 == 1) {
    Append(out, R"("assignedTo":{"type":"user","id":")" + Num(2817651 + u % 200) + R"(","name":"Dev )" + Num(u % 200) +
                    R"(","email":"dev)" + Num(u % 200) + R"(@acme.io"},)");
  } else {
    Append(out, R"("assignedTo":{"type":"team","id":")" + Num(2349234102ULL + u % 40) + R"(","name":"team-)" +
                    Num(u % 40) + R"("},)");
  }
  Append(out,
         R"("isBookmarked":false,"isSubscribed":false,"subscriptionDetails":null,"hasSeen":false,"annotations":[],)"
         R"("issueType":"error","issueCategory":"error","priority":"high","priorityLockedAt":null,)");
  Append(out, R"("isUnhandled":)" + std::string(u % 2 ? "true" : "false") + R"(,"count":")" + Num(Mix(u) % 100000) +
                  R"(","userCount":)" + Num(Mix(u + 1) % 5000) + ",");
  Append(out, R"("firstSeen":"2025-11-02T08:14:51.482000Z","lastSeen":"2026-01-20T13:02:07Z","stats":{"24h":[)");
  for (int h = 0; h < 24; ++h) {
    Append(out, (h ? ",[" : "[") + Num(1768827600ULL + 3600ULL * static_cast<uint64_t>(h)) + "," +
                    Num(Mix(u * 24 + static_cast<uint64_t>(h)) % 40) + "]");
  }
  Append(out, R"(]},"lifetime":{"count":")" + Num(Mix(u) % 200000) +
                  R"(","userCount":401,"firstSeen":"2025-10-30T17:40:03.102000Z","lastSeen":"2026-01-20T13:02:07Z",)"
                  R"("stats":null},"filtered":null)");
  if (with_tags) {
    Append(out, R"(,"__tags":[)");
    const uint64_t n = 1 + u % kEnvironments.size();
    for (uint64_t t = 0; t < n; ++t) {
      const std::string env(kEnvironments[t]);
      Append(out, (t ? "," : "") + std::string(R"({"key":"environment","name":")") + env + R"(","value":")" + env +
                      R"(","count":)" + Num(Mix(u + t) % 1000) + R"(,"lastSeen":"2026-01-20T13:02:07Z"})");
    }
    out += ']';
  }
  out += '}';
  return out;
}

std::string UserText(int i) {
  const uint64_t u = static_cast<uint64_t>(i);
  const std::string email = "dev" + Num(u) + "@acme.io";
  return R"({"id":")" + Num(10909027 + u) + R"(","email":")" + email + R"(","name":"Dev )" + Num(u) +
         R"(","user":{"id":")" + Num(2817651 + u) + R"(","name":"Dev )" + Num(u) + R"(","username":")" + email +
         R"(","email":")" + email + R"(","avatarUrl":"https://gravatar.com/avatar/)" + Num(Mix(u)) +
         R"(","isActive":true,"hasPasswordAuth":false,"isManaged":false,"dateJoined":"2022-01-18T22:38:13.946094Z",)"
         R"("lastLogin":"2024-11-10T23:25:31.826834Z","has2fa":true,"lastActive":"2024-11-12T10:00:00.000000Z",)"
         R"("isSuperuser":false,"isStaff":false,"experiments":{},"emails":[{"id":"1","email":")" +
         email +
         R"(","is_verified":true}]},"orgRole":"member","pending":false,"expired":false,)"
         R"("flags":{"idp:provisioned":false,"idp:role-restricted":false,"sso:linked":false,"sso:invalid":false,)"
         R"("member-limit:restricted":false,"partnership:restricted":false},"dateCreated":"2022-01-18T22:38:13Z",)"
         R"("inviteStatus":"approved","inviterName":null,"role":"member","roleName":"Member"})";
}

std::string TeamText(int i) {
  const uint64_t u = static_cast<uint64_t>(i);
  std::string out = R"({"id":")" + Num(2349234102ULL + u) + R"(","slug":"team-)" + Num(u) + R"(","name":"Team )" +
                    Num(u) +
                    R"(","dateCreated":"2021-11-16T13:25:53.617157Z","isMember":true,"teamRole":"contributor",)"
                    R"("flags":{"idp:provisioned":false},"access":["event:read","project:read"],"hasAccess":true,)"
                    R"("isPending":false,"memberCount":5,"avatar":{"avatarType":"letter_avatar","avatarUuid":null},)"
                    R"("projects":[)";
  for (uint64_t p = 0; p < 3; ++p) {
    const std::string slug = "service-" + Num((u * 3 + p) % 5000);
    out += (p ? "," : "") + std::string(R"({"id":")") + Num(4505244102426624ULL + u * 3 + p) + R"(","slug":")" + slug +
           R"(","name":")" + slug + R"(","platform":"python","isMember":true,"hasAccess":true})";
  }
  out += R"(],"__members":[)";
  for (uint64_t m = 0; m < 5; ++m) {
    out += (m ? "," : "") + std::string(R"({"id":")") + Num(10909027 + u * 5 + m) + R"(","user":{"email":)";
    // One member in five is a pending invite without a user e-mail: the mapping's select() drops it.
    out += (m == 4 ? std::string("null") : R"(")" + Num(u * 5 + m) + R"(@acme.io")") + R"(},"role":"member"})";
  }
  out += "]}";
  return out;
}

}  // namespace sp::bench

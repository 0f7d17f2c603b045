#pragma once
// The simulated organization: plain structs the generator fills and the routes render. Issues are stored
// compactly (numbers and indexes only, ~64 bytes each); their text, tags and environments are derived lazily
// from (seed, issue index) by issue_text.hpp and tags.hpp, so a 500k-issue organization stays small.
//
// Ownership: one Dataset per Simulator; routes read it under the simulator's shared lock, control endpoints
// mutate it under the exclusive lock.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim_util.hpp"

namespace sp::sentry_sim {

struct Organization {
  std::string id;    //!< 7-8 digit string
  std::string slug;  //!< "acme"
  std::string name;
  Micros date_created = 0;
  std::string organization_url;  //!< links.organizationUrl
  std::string region_url;        //!< links.regionUrl
  int retention_days = 90;
  bool webhooks_unresolved = false;  //!< organizations:webhooks-unresolved
  bool expanded_webhooks = false;    //!< organizations:expanded-sentry-apps-webhooks
};

struct TeamMembership {
  uint32_t member = 0;    //!< index into Dataset::members
  const char* role = "";  //!< teamRole: "contributor", "admin" or "" (null)
};

struct Team {
  std::string id;
  std::string slug;
  std::string name;
  Micros date_created = 0;
  std::vector<TeamMembership> members;  //!< active and pending members alike; routes filter
  std::vector<uint32_t> projects;       //!< indexes into Dataset::projects, in slug order
};

struct Member {
  std::string id;  //!< 11-digit string
  std::string email;
  std::string name;
  const char* org_role = "member";
  bool pending = false;  //!< pending invite: no user object
  std::string user_id;   //!< 6-12 digit string; empty when pending
  Micros date_created = 0;
  Micros date_joined = 0;
  Micros last_login = 0;
  Micros last_active = 0;
  bool has2fa = false;
  bool sso_linked = false;
  std::vector<uint32_t> teams;  //!< indexes into Dataset::teams
};

struct Release {
  std::string version;
  Micros date = 0;
};

struct Project {
  std::string id;
  std::string slug;
  std::string name;
  const char* platform = nullptr;  //!< nullptr renders as null
  Micros date_created = 0;
  Micros first_event = 0;  //!< 0 renders as null
  std::string color;
  std::vector<uint32_t> teams;            //!< indexes into Dataset::teams (0-3)
  std::vector<std::string> environments;  //!< the project's environment tag values
  std::vector<Release> releases;          //!< ascending by date
  bool has_environment_tag = true;        //!< false: project tag values for `environment` answer 404
  uint32_t issue_counter = 0;             //!< last short-id counter handed out
  //! Sentry's per-project auto-resolve age: unresolved issues without an event for this long are rendered
  //! as resolved with statusDetails.autoResolved (sentry-api.md §2.5 item 3). 0 = off.
  int auto_resolve_hours = 0;
};

enum class IssueStatus : uint8_t { UNRESOLVED, RESOLVED, IGNORED };
enum class IssueKind : uint8_t { ERROR, DEFAULT, PERFORMANCE, FEEDBACK };

//! Assignee encoding: NONE, or a member / team index.
struct Assignee {
  enum class Type : uint8_t { NONE, USER, TEAM } type = Type::NONE;
  uint32_t index = 0;
};

struct Issue {
  uint64_t id = 0;       //!< 10-digit, globally unique
  uint32_t project = 0;  //!< index into Dataset::projects
  uint32_t short_counter = 0;
  uint32_t text_variant = 0;  //!< selects title/culprit templates (issue_text.cpp)
  IssueKind kind = IssueKind::ERROR;
  uint8_t level = 0;  //!< index into LEVELS
  IssueStatus status = IssueStatus::UNRESOLVED;
  uint8_t substatus = 0;   //!< index into SUBSTATUSES (0 = null)
  uint8_t priority = 0;    //!< index into PRIORITIES
  uint8_t resolution = 0;  //!< statusDetails variant for resolved/ignored issues
  bool unhandled = false;
  Assignee assignee;
  uint16_t num_comments = 0;
  uint32_t count = 1;       //!< lifetime events
  uint32_t user_count = 1;  //!< lifetime users
  Micros first_seen = 0;
  Micros last_seen = 0;
};

extern const char* const LEVELS[4];       //!< fatal, error, warning, info
extern const char* const SUBSTATUSES[8];  //!< "" (null), ongoing, new, escalating, regressed, archived_*
extern const char* const PRIORITIES[3];   //!< high, medium, low

struct Comment {
  uint64_t id = 0;
  uint64_t issue_id = 0;
  std::string text;
  uint32_t author = 0;  //!< member index
  Micros date = 0;
};

//! A webhook installation of an internal integration (sentry-api.md §7.7).
struct Installation {
  std::string uuid;
  std::string app_slug;
  std::string app_name;
  std::string app_uuid;
  std::string webhook_url;  //!< "" = no deliveries
  std::string client_secret;
  std::vector<std::string> events = {"issue", "comment"};  //!< resource names
  bool legacy_archived_only = false;  //!< subscribed to issue.archived only: archive sends "archived"
  Micros date_created = 0;
};

struct Dataset {
  Organization org;
  std::vector<Team> teams;        //!< sorted by slug
  std::vector<Member> members;    //!< sorted by id
  std::vector<Project> projects;  //!< sorted by slug
  std::vector<Issue> issues;      //!< index = creation order
  std::unordered_map<uint64_t, uint32_t> issue_by_id;
  std::unordered_map<uint32_t, std::string> title_override;  //!< issues created through control endpoints
  std::vector<Comment> comments;
  std::vector<Installation> installations;
  //! Old slugs of renamed projects => project index: project-scoped URLs answer 302 resource-moved (§1.5).
  std::unordered_map<std::string, uint32_t> moved_slugs;
  uint64_t next_issue_id = 0;
  uint64_t next_comment_id = 0;

  //! Issue indexes ordered by each sort key, descending, ties by id descending.
  std::vector<uint32_t> by_last_seen, by_first_seen, by_count, by_user_count;
  void RebuildOrders();

  const Project* FindProject(std::string_view id_or_slug) const;
  const Team* FindTeam(std::string_view id_or_slug) const;
  std::optional<uint32_t> FindIssue(std::string_view id) const;
  std::string ShortId(const Issue& issue) const;
};

//! Sentry's base-32 short-id counter ("3K", "1A2"), Crockford alphabet.
std::string Base32(uint32_t n);

}  // namespace sp::sentry_sim

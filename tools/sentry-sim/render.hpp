#pragma once
// Serializers: the simulated entities rendered field-for-field as Sentry's serializers emit them
// (sentry-api.md §2.2-§2.13, §5.4), straight into a JsonOut. Pure functions of the dataset.

#include <cstdint>
#include <set>
#include <string>

#include "json_out.hpp"
#include "model.hpp"
#include "tags.hpp"

namespace sp::sentry_sim {

struct IssueRenderOptions {
  uint64_t seed = 1;
  Micros now = 0;
  bool windowed = false;  //!< top-level count/userCount/firstSeen/lastSeen are scoped to [window_start, window_end]
  Micros window_start = 0;
  Micros window_end = 0;
  std::string stats_period = "24h";  //!< "" = no stats; "24h", "14d"
  std::set<std::string> collapse;    //!< stats, lifetime, base, unhandled, filtered
  std::set<std::string> expand;      //!< inbox, owners, ...
  bool lifetime = true;              //!< render the lifetime object (list form)
  bool filtered = true;              //!< render "filtered": null (org list form)
  bool webhook = false;              //!< permalink null, no stats; dates as `webhook_dates`
  IsoStyle webhook_dates = IsoStyle::FIXED_MICROS;
  bool created_urls = false;  //!< issue.created: url, web_url, project_url first
  std::string api_base;       //!< for `url` in created payloads
};

void RenderIssue(JsonOut& j, const Dataset& d, uint32_t index, const IssueRenderOptions& o);
//! True when the issue is unresolved but past its project's auto-resolve age at `now`: the API renders it
//! resolved with statusDetails.autoResolved (webhook bodies do not).
bool IsAutoResolved(const Dataset& d, const Issue& is, Micros now);
//! Every option that changes RenderIssue's output, as a cache key (render_cache.hpp).
std::string RenderFingerprint(const IssueRenderOptions& o);
//! Issue detail extras (firstRelease, lastRelease, tags, activity, ...) for GET .../issues/{id}/.
void RenderIssueDetail(JsonOut& j, const Dataset& d, uint32_t index, const IssueRenderOptions& o);

//! OrganizationSerializer (+ projects/teams when detailed).
void RenderOrganization(JsonOut& j, const Dataset& d, bool detailed);
//! The organization object embedded by /api/0/projects/ items.
void RenderOrganizationSummary(JsonOut& j, const Organization& org);
//! ProjectSummarySerializer (org projects). `with_org`: ProjectWithOrganizationSerializer (/api/0/projects/).
void RenderProject(JsonOut& j, const Dataset& d, uint32_t index, bool with_org, bool is_member);
//! The smaller ProjectSerializer used inside detailed teams.
void RenderTeamProject(JsonOut& j, const Dataset& d, uint32_t index);
void RenderTeam(JsonOut& j, const Dataset& d, uint32_t index, bool detailed);
//! Organization member; `team_role`/`team_slug` non-null for the team-members route.
void RenderMember(JsonOut& j, const Dataset& d, uint32_t index, const char* team_role, const std::string* team_slug);
void RenderTagValue(JsonOut& j, const std::string& key, const TagValue& v);
void RenderAssignee(JsonOut& j, const Dataset& d, const Assignee& a);

}  // namespace sp::sentry_sim

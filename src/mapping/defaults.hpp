#pragma once
// The default blueprints and port app config, embedded in the binary at build time from src/mapping/defaults/.
//
// Profile DEFAULT is what Port's Ocean Sentry integration ships today (port-api.md §10.2: sentryUser, sentryTeam,
// sentryProject, sentryIssue; resources user, team, project-tag, issue-tag). Profile SEED is the simpler
// project/issue example of Port's documentation page (shared/seed). The texts are static and never change.

#include <string_view>

#include "base/result.hpp"

namespace sp::mapping {

enum class Profile { DEFAULT, SEED };

//! "default" / "seed".
const char* ProfileName(Profile profile);
//! Parses "default" or "seed"; INVALID_ARGUMENT otherwise (listing both).
Result<Profile> ParseProfile(std::string_view name);

//! The blueprints as a JSON array (Port's blueprint bodies, relation targets first).
std::string_view DefaultBlueprints(Profile profile = Profile::DEFAULT);
//! The port app config as YAML.
std::string_view DefaultMapping(Profile profile = Profile::DEFAULT);

}  // namespace sp::mapping

#include "mapping/defaults.hpp"

#include <gtest/gtest.h>

#include <set>

#include "json/parse.hpp"
#include "mapping/app_config.hpp"

namespace sp::mapping {
namespace {

TEST(Defaults, ProfilesParse) {
  EXPECT_EQ(ParseProfile("default").value(), Profile::DEFAULT);
  EXPECT_EQ(ParseProfile("seed").value(), Profile::SEED);
  Result<Profile> bad = ParseProfile("prod");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("default, seed"), std::string::npos);
}

std::set<std::string> Identifiers(std::string_view blueprints_json) {
  Result<json::Value> v = json::Parse(blueprints_json);
  EXPECT_TRUE(v.ok());
  std::set<std::string> ids;
  if (!v.ok()) return ids;
  for (const json::Value& bp : v->Items()) ids.emplace(bp.Find("identifier")->AsString());
  return ids;
}

TEST(Defaults, DefaultBlueprintsAreTheFourSentryBlueprints) {
  EXPECT_EQ(Identifiers(DefaultBlueprints(Profile::DEFAULT)),
            (std::set<std::string>{"sentryUser", "sentryTeam", "sentryProject", "sentryIssue"}));
  json::Value bps = json::Parse(DefaultBlueprints()).value();
  // Relation targets come first so that blueprints can be created in file order.
  std::set<std::string> seen;
  for (const json::Value& bp : bps.Items()) {
    for (const json::Member& rel : bp.Find("relations")->Members()) {
      EXPECT_TRUE(seen.count(std::string(rel.value.Find("target")->AsString())))
          << bp.Find("identifier")->AsString() << " before its target";
    }
    seen.emplace(bp.Find("identifier")->AsString());
  }
  EXPECT_EQ(Identifiers(DefaultBlueprints(Profile::SEED)), (std::set<std::string>{"sentryProject", "sentryIssue"}));
}

TEST(Defaults, MappingsLoadWithoutWarnings) {
  for (Profile p : {Profile::DEFAULT, Profile::SEED}) {
    ConfigLoad load = LoadAppConfig(DefaultMapping(p));
    ASSERT_TRUE(load.ok()) << ProfileName(p) << ": " << load.ToError().ToString();
    EXPECT_TRUE(load.warnings.empty()) << ProfileName(p);
  }
  ConfigLoad def = LoadAppConfig(DefaultMapping());
  std::vector<std::string> kinds;
  for (const ResourceConfig& r : def.config->resources) kinds.push_back(r.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"user", "team", "project-tag", "issue-tag"}));
  EXPECT_TRUE(def.config->resources[1].selector.include_members);
  EXPECT_TRUE(def.config->resources[2].mappings.UsesSearchQuery());
  ConfigLoad seed = LoadAppConfig(DefaultMapping(Profile::SEED));
  EXPECT_EQ(seed.config->resources[0].kind, "project");
  EXPECT_EQ(seed.config->resources[1].kind, "issue");
}

}  // namespace
}  // namespace sp::mapping

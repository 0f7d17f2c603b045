#include "mapping/defaults.hpp"

#include <string>

namespace sp::mapping {
namespace embedded {
// Defined in the generated defaults_data.cpp (defaults/embed.cmake).
extern const std::string_view kBlueprintsDefault;
extern const std::string_view kMappingDefault;
extern const std::string_view kBlueprintsSeed;
extern const std::string_view kMappingSeed;
}  // namespace embedded

const char* ProfileName(Profile profile) {
  return profile == Profile::SEED ? "seed" : "default";
}

Result<Profile> ParseProfile(std::string_view name) {
  if (name == "default") return Profile::DEFAULT;
  if (name == "seed") return Profile::SEED;
  return Error(ErrorCode::INVALID_ARGUMENT, "unknown profile '" + std::string(name) + "'; profiles: default, seed",
               "--profile");
}

std::string_view DefaultBlueprints(Profile profile) {
  return profile == Profile::SEED ? embedded::kBlueprintsSeed : embedded::kBlueprintsDefault;
}

std::string_view DefaultMapping(Profile profile) {
  return profile == Profile::SEED ? embedded::kMappingSeed : embedded::kMappingDefault;
}

}  // namespace sp::mapping

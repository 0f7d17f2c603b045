#pragma once
// initializePortResources (port-api.md §8): create the default blueprints in three stages — bare, then with
// relations, then complete — because a relation can only name a blueprint that exists, and mirror/aggregation
// properties only relations that exist. Unlike Ocean (§11.15), blueprints that already exist are left exactly
// as the user has them and the missing ones are still created; nothing is ever patched that we did not
// create in this run. On a failure, the blueprints created in this run are deleted again.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"

namespace sp::app {

//! Where blueprints live (Port's API or the local catalog).
struct BlueprintStore {
  std::function<Result<json::Value>(std::string_view id)> get;  //!< null Value when absent
  std::function<Status(const json::Value& body)> create;
  std::function<Status(std::string_view id, const json::Value& body)> patch;
  std::function<Status(std::string_view id)> remove;
};

struct InitReport {
  std::vector<std::string> created;
  std::vector<std::string> existing;  //!< left untouched
};

//! `blueprints`: a JSON array of blueprint bodies.
Result<InitReport> InitializeBlueprints(const json::Value& blueprints, const BlueprintStore& store);

}  // namespace sp::app

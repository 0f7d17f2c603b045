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
#include "port/client.hpp"

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

//! The blueprint store of Port's API.
BlueprintStore PortBlueprintStore(port::PortClient& client);

struct PortSetupOptions {
  bool initialize_resources = true;  //!< OCEAN__INITIALIZE_PORT_RESOURCES
  bool dry_run = false;              //!< read only: never register, patch or create
  json::Value default_mapping;       //!< the default port app config (JSON object)
  json::Value default_blueprints;    //!< JSON array of blueprint bodies
};

//! Ocean's start-up against Port (port-api.md §4.2 and §8.2, origin Default): registers the integration when
//! it is absent (Ocean's I2 fields, the default mapping as its config), patches the fields that drifted, and,
//! unless the resources were initialized before, stores the default mapping when the stored one is empty,
//! creates the missing default blueprints (staged) and marks the resources initialized. Returns the
//! integration record (null in a dry run when it does not exist). Missing fields in Port's answers are fine.
Result<json::Value> SetUpPortIntegration(port::PortClient& client, const PortSetupOptions& options);

}  // namespace sp::app

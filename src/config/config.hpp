#pragma once
// Loading the configuration: Ocean's contract (OCEAN__* environment, config.yaml with camelCase keys and
// `{{ from env NAME }}` placeholders) plus command-line flags, merged as flags > environment > file > defaults.
// Every effective value remembers where it came from (Origin). Every secret value is registered with
// base/redact.hpp the moment it is read, before any validation can mention it.
// Load never reads the process environment itself: callers pass an Environment (ProcessEnvironment() in main).
// Errors (bad values) come back as an Error whose context names the variable, flag or file:line; unknown
// variables and risky settings come back as warnings for the caller to log once logging is set up.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "config/settings.hpp"

namespace sp::config {

//! Environment variable name -> value (names as given; lookups are case-insensitive).
using Environment = std::map<std::string, std::string>;

//! A copy of the process environment (`environ`). The only place that reads it.
Environment ProcessEnvironment();

//! Where an effective value came from.
struct Origin {
  enum class Kind { DEFAULT, FILE, ENV, FLAG };
  Kind kind = Kind::DEFAULT;
  std::string name;    //!< FILE: "path:line"; ENV: the variable; FLAG: "--flag"; DEFAULT: ""
  std::string detail;  //!< FILE: the YAML path; ENV: the JSON key inside OCEAN__EVENT_LISTENER; else ""

  //! Provenance as shown by `sentry-port config`: "default", "file:path:line", "env:NAME", "flag:--name".
  std::string ToString() const;
  //! Where, for an error message: "OCEAN__X", "OCEAN__EVENT_LISTENER (key 'interval')",
  //! "config.yaml:7 (eventListener.interval)", "--sentry-host".
  std::string Where() const;
};

//! One command-line override: `key` is a dotted setting key (see keys.hpp), `flag` how the user spelt it.
struct FlagValue {
  std::string key;  //!< e.g. "integration.config.sentry_host"
  std::string value;
  std::string flag;  //!< e.g. "--sentry-host" or "--set integration.config.sentry_host"
};

struct LoadOptions {
  //! config.yaml to read. Unset: $SENTRY_PORT__CONFIG if set, else ./config.yaml if `use_default_file` and it
  //! exists (Ocean reads config.yaml from its working directory). An explicit file that is missing is an error.
  std::optional<std::string> config_file;
  bool use_default_file = false;
  std::vector<FlagValue> flags;
};

struct Config {
  Settings settings;
  std::map<std::string, Origin> origins;  //!< dotted key -> origin of its effective value (every key present)
  std::vector<std::string> warnings;      //!< to be logged at WARNING once logging is set up
  std::string config_file;                //!< the file that was read, "" if none
};

//! Builds the effective configuration. Errors: INVALID_ARGUMENT (bad value; context names the source) or
//! PARSE (malformed YAML with line and column, bad JSON in OCEAN__EVENT_LISTENER with the byte offset).
Result<Config> Load(const Environment& env, const LoadOptions& options = {});

//! One row of `sentry-port config`.
struct ConfigRow {
  std::string key;       //!< dotted key
  std::string variable;  //!< canonical environment variable
  std::string value;     //!< display form; secrets that are set show as "***"; unset shows ""
  std::string source;    //!< Origin::ToString()
  bool secret = false;
};

//! Every setting in documentation order, secrets masked. (Callers still pass output through Redact.)
std::vector<ConfigRow> Describe(const Config& config);

}  // namespace sp::config

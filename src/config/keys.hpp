#pragma once
// The table of every setting: its dotted key, environment variable(s), config.yaml path(s), flag, default,
// whether it is a secret, and how its text is validated into Settings. Everything else (loading, provenance,
// `sentry-port config`, suggestions for misspelt names, docs/configuration.md) is driven by this one table.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "config/settings.hpp"

namespace sp::config {

struct KeySpec {
  std::string_view key;                //!< dotted snake_case key, e.g. "event_listener.interval"
  std::vector<std::string_view> env;   //!< environment names, highest priority first; env[0] is canonical
  std::vector<std::string_view> yaml;  //!< config.yaml paths (camelCase; matching ignores case and '_')
  std::string_view flag;               //!< dedicated global flag ("--sentry-host"), "" if only via --set
  std::string_view default_text;       //!< as documented ("" = unset)
  std::string_view help;               //!< one line for `config` and the docs
  bool secret = false;                 //!< registered for redaction, shown as ***
  //! Validates `text` and stores it. The error message says what is wrong (without the source: the loader
  //! adds it as context) and never contains the value of a secret.
  Status (*apply)(Settings& settings, std::string_view text) = nullptr;
  //! The current value as text ("" when unset).
  std::string (*show)(const Settings& settings) = nullptr;
};

//! All settings, in documentation order.
const std::vector<KeySpec>& AllKeys();
//! The setting with this dotted key, or nullptr.
const KeySpec* FindKey(std::string_view key);

//! Environment names that are sub-keys of OCEAN__EVENT_LISTENER in its JSON form ("type", "interval", ...)
//! map to these dotted keys.
inline constexpr std::string_view EVENT_LISTENER_VARIABLE = "OCEAN__EVENT_LISTENER";

// ---- value parsers shared by the table and tests ----

//! true/false/1/0/yes/no/on/off, case-insensitive.
Result<bool> ParseBool(std::string_view text);
//! A base-10 integer in [min, max] (surrounding whitespace allowed).
Result<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max);
//! An absolute http:// or https:// URL with a host; returns it without a trailing '/'.
Result<std::string> ParseHttpUrl(std::string_view text);
//! ONCE, POLLING, WEBHOOK, WEBHOOKS_ONLY (case-insensitive); KAFKA and ACTIONS_ONLY are recognised as Ocean
//! types sentry-port does not support; anything else lists the valid ones.
Result<EventListenerType> ParseEventListenerType(std::string_view text);

//! Levenshtein distance (for "did you mean" suggestions).
size_t EditDistance(std::string_view a, std::string_view b);
//! The candidate closest to `name` (case-insensitive edit distance; a candidate that `name` is a prefix of counts
//! as distance 1), "" if there are none.
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace sp::config

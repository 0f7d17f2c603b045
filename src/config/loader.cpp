// Load(): collects candidate values from config.yaml, the environment and flags, keeps the one with the highest
// precedence per key (flags > environment > file > defaults), registers secrets on sight, then validates each
// value into Settings. Within the environment: a canonical variable beats its aliases (OCEAN__CA_BUNDLE over
// SSL_CERT_FILE), and the nested OCEAN__EVENT_LISTENER__* form beats the same key in the OCEAN__EVENT_LISTENER
// JSON, as pydantic-settings merges them.
#include <filesystem>
#include <map>

#include "base/redact.hpp"
#include "config/config.hpp"
#include "config/detail/sources.hpp"
#include "config/keys.hpp"

namespace sp::config {
namespace {

using detail::NormalizeYamlPath;
using detail::UpperAscii;

// Precedence ranks. Gaps leave room for sub-ranks inside the environment.
constexpr int RANK_FILE = 100;
constexpr int RANK_ENV_JSON = 200;
constexpr int RANK_ENV = 300;  // minus the alias index
constexpr int RANK_FLAG = 400;

constexpr std::string_view CONFIG_FILE_VARIABLE = "SENTRY_PORT__CONFIG";

struct Candidate {
  std::string text;
  Origin origin;
  int rank = 0;
};

// Prefixes whose unknown variables deserve a warning (anything else in the environment is not ours).
bool IsOurPrefix(std::string_view upper) {
  return upper.rfind("OCEAN__", 0) == 0 || upper.rfind("SENTRY_PORT__", 0) == 0 || upper.rfind("APPLICATION__", 0) == 0;
}

bool LooksSecret(std::string_view upper) {
  for (std::string_view word : {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL"}) {
    if (upper.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// user:password@ in a proxy URL is a credential too.
void RegisterProxyCredentials(std::string_view url) {
  size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  size_t at = rest.find('@');
  if (at == std::string_view::npos) return;
  std::string_view userinfo = rest.substr(0, at);
  if (userinfo.find('/') != std::string_view::npos) return;
  size_t colon = userinfo.find(':');
  if (colon != std::string_view::npos) RegisterSecret(userinfo.substr(colon + 1));
  RegisterSecret(userinfo);
}

void RegisterIfSecret(const KeySpec& spec, std::string_view text) {
  if (spec.secret) RegisterSecret(text);
  if (spec.key.rfind("proxy.", 0) == 0) RegisterProxyCredentials(text);
}

class Collector {
 public:
  explicit Collector(std::vector<std::string>& warnings) : warnings_(warnings) {
    for (const KeySpec& spec : AllKeys()) {
      for (size_t i = 0; i < spec.env.size(); ++i) env_index_[UpperAscii(spec.env[i])] = {&spec, static_cast<int>(i)};
      yaml_index_[NormalizeYamlPath(spec.key)] = &spec;
      for (std::string_view path : spec.yaml) yaml_index_[NormalizeYamlPath(path)] = &spec;
      for (std::string_view name : spec.env) known_env_names_.emplace_back(name);
      for (std::string_view path : spec.yaml) known_yaml_paths_.emplace_back(path);
      if (spec.key.rfind("event_listener.", 0) == 0) {
        listener_json_keys_[std::string(spec.key.substr(15))] = &spec;
        listener_json_names_.emplace_back(spec.key.substr(15));
      }
    }
    known_env_names_.emplace_back(EVENT_LISTENER_VARIABLE);
    known_env_names_.emplace_back(CONFIG_FILE_VARIABLE);
  }

  void Offer(const KeySpec& spec, std::string text, Origin origin, int rank) {
    RegisterIfSecret(spec, text);
    // An empty value sets nothing: Helm charts and shells often export empty variables.
    if (text.empty()) return;
    Candidate& slot = candidates_[std::string(spec.key)];
    if (rank <= slot.rank) return;
    slot = Candidate{std::move(text), std::move(origin), rank};
  }

  Status AddFile(const std::string& path, const Environment& env) {
    auto entries = detail::ReadYamlFile(path, env);
    if (!entries.ok()) return entries.error();
    for (detail::FileEntry& entry : *entries) {
      Origin origin{Origin::Kind::FILE, path + ":" + std::to_string(entry.line), entry.path};
      auto it = yaml_index_.find(NormalizeYamlPath(entry.path));
      if (it == yaml_index_.end()) {
        warnings_.push_back("Unknown setting '" + entry.path + "' in " + origin.name + " ignored; did you mean '" +
                            ClosestName(entry.path, known_yaml_paths_) + "'?");
        continue;
      }
      if (!entry.scalar) {
        return Error(ErrorCode::INVALID_ARGUMENT, "expected a single value, not a list", origin.Where());
      }
      Offer(*it->second, std::move(entry.text), std::move(origin), RANK_FILE);
    }
    return {};
  }

  Status AddEnvironment(const Environment& env) {
    for (const auto& [name, value] : env) {
      std::string upper = UpperAscii(name);
      auto it = env_index_.find(upper);
      if (it != env_index_.end()) {
        auto [spec, alias] = it->second;
        Offer(*spec, value, Origin{Origin::Kind::ENV, name, ""}, RANK_ENV - alias);
        continue;
      }
      if (upper == EVENT_LISTENER_VARIABLE) {
        Status status = AddEventListenerJson(name, value);
        if (!status.ok()) return status;
        continue;
      }
      if (upper == CONFIG_FILE_VARIABLE || !IsOurPrefix(upper)) continue;
      if (LooksSecret(upper)) RegisterSecret(value);
      warnings_.push_back("Unknown variable " + name + " ignored; did you mean " +
                          ClosestName(upper, known_env_names_) + "?");
    }
    return {};
  }

  Status AddFlags(const std::vector<FlagValue>& flags) {
    for (const FlagValue& flag : flags) {
      const KeySpec* spec = FindKey(flag.key);
      if (spec == nullptr) {
        std::vector<std::string> keys;
        for (const KeySpec& known : AllKeys()) keys.emplace_back(known.key);
        return Error(ErrorCode::INVALID_ARGUMENT,
                     "unknown setting '" + flag.key + "'; did you mean '" + ClosestName(flag.key, keys) + "'?",
                     flag.flag);
      }
      Offer(*spec, flag.value, Origin{Origin::Kind::FLAG, flag.flag, ""}, RANK_FLAG);
    }
    return {};
  }

  const std::map<std::string, Candidate>& candidates() const { return candidates_; }

 private:
  Status AddEventListenerJson(const std::string& name, const std::string& value) {
    if (value.empty()) return {};
    auto members = detail::ParseEventListenerJson(value);
    if (!members.ok()) return Error(members.error().code, members.error().message, name);
    for (detail::JsonMember& member : *members) {
      auto it = listener_json_keys_.find(member.key);
      if (it == listener_json_keys_.end()) {
        // Ocean silently drops such keys (port-api.md §5.7: camelCase in env JSON is ignored); we say so.
        warnings_.push_back("Unknown key '" + member.key + "' in " + name + " ignored; did you mean '" +
                            ClosestName(member.key, listener_json_names_) + "'?");
        continue;
      }
      Offer(*it->second, std::move(member.text), Origin{Origin::Kind::ENV, name, member.key}, RANK_ENV_JSON);
    }
    return {};
  }

  std::vector<std::string>& warnings_;
  std::map<std::string, Candidate> candidates_;
  std::map<std::string, std::pair<const KeySpec*, int>> env_index_;
  std::map<std::string, const KeySpec*> yaml_index_;
  std::map<std::string, const KeySpec*> listener_json_keys_;
  std::vector<std::string> known_env_names_;
  std::vector<std::string> known_yaml_paths_;
  std::vector<std::string> listener_json_names_;
};

// The file to read, or "" for none.
Result<std::string> ChooseConfigFile(const Environment& env, const LoadOptions& options) {
  if (options.config_file) return *options.config_file;
  for (const auto& [name, value] : env) {
    if (UpperAscii(name) == CONFIG_FILE_VARIABLE && !value.empty()) return value;
  }
  if (options.use_default_file) {
    std::error_code ec;
    if (std::filesystem::is_regular_file("config.yaml", ec)) return std::string("config.yaml");
  }
  return std::string();
}

void AddStartupWarnings(const Config& config, std::vector<std::string>& warnings) {
  const Settings& s = config.settings;
  if (!s.tls.verify) {
    warnings.push_back("TLS certificate verification is DISABLED (" + config.origins.at("tls.no_verify_ssl").Where() +
                       "): anyone on the network path can read the Sentry token and Port credentials");
  }
  if (s.integration.type != "sentry") {
    warnings.push_back("Integration type is '" + s.integration.type + "' (" +
                       config.origins.at("integration.type").Where() + "); sentry-port only implements 'sentry'");
  }
}

}  // namespace

Result<Config> Load(const Environment& env, const LoadOptions& options) {
  Config config;
  Collector collector(config.warnings);

  auto file = ChooseConfigFile(env, options);
  if (!file.ok()) return file.error();
  config.config_file = *file;
  if (!config.config_file.empty()) {
    Status status = collector.AddFile(config.config_file, env);
    if (!status.ok()) return status.error();
  }
  if (Status status = collector.AddEnvironment(env); !status.ok()) return status.error();
  if (Status status = collector.AddFlags(options.flags); !status.ok()) return status.error();

  for (const KeySpec& spec : AllKeys()) {
    std::string key(spec.key);
    auto it = collector.candidates().find(key);
    if (it == collector.candidates().end()) {
      config.origins[key] = Origin{};
      continue;
    }
    const Candidate& candidate = it->second;
    Status status = spec.apply(config.settings, candidate.text);
    if (!status.ok()) {
      // Redact here too: a value can only be echoed by a non-secret key's message, but a secret's text may
      // have been pasted into the wrong variable.
      return Error(status.error().code, Redact(status.error().message), candidate.origin.Where());
    }
    config.origins[key] = candidate.origin;
  }
  AddStartupWarnings(config, config.warnings);
  return config;
}

}  // namespace sp::config

// Small pieces of the public API: reading the process environment, Origin's two spellings and Describe().
#include "config/config.hpp"

#include <cctype>

#include "config/detail/sources.hpp"
#include "config/keys.hpp"

extern char** environ;  // POSIX

namespace sp::config {

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view item(*entry);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
  }
  return env;
}

std::string Origin::ToString() const {
  switch (kind) {
    case Kind::DEFAULT: return "default";
    case Kind::FILE: return "file:" + name;
    case Kind::ENV: return "env:" + name;
    case Kind::FLAG: return "flag:" + name;
  }
  return "default";
}

std::string Origin::Where() const {
  switch (kind) {
    case Kind::DEFAULT: return "default";
    case Kind::FILE: return detail.empty() ? name : name + " (" + detail + ")";
    case Kind::ENV: return detail.empty() ? name : name + " (key '" + detail + "')";
    case Kind::FLAG: return name;
  }
  return name;
}

std::vector<ConfigRow> Describe(const Config& config) {
  std::vector<ConfigRow> rows;
  for (const KeySpec& spec : AllKeys()) {
    ConfigRow row;
    row.key = std::string(spec.key);
    row.variable = std::string(spec.env.front());
    row.value = spec.show(config.settings);
    row.secret = spec.secret;
    if (spec.secret && !row.value.empty()) row.value = "***";
    auto it = config.origins.find(row.key);
    row.source = it == config.origins.end() ? "default" : it->second.ToString();
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace detail {

std::string NormalizeYamlPath(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == '_' || c == '-') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string UpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace detail
}  // namespace sp::config

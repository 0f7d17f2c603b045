// config.yaml, read the way Ocean reads it: camelCase keys, `{{ from env NAME }}` placeholders, flattened to
// dotted paths with their line numbers so that every value can say where it came from.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "config/detail/sources.hpp"

namespace sp::config::detail {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// "from env NAME" -> NAME, or "" when the braces hold something else (left as it is, as Ocean does).
std::string PlaceholderName(std::string_view inside) {
  inside = Trim(inside);
  if (inside.rfind("from", 0) != 0) return "";
  inside = Trim(inside.substr(4));
  if (inside.rfind("env", 0) != 0) return "";
  std::string_view rest = inside.substr(3);
  if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) return "";
  std::string_view name = Trim(rest);
  if (name.empty()) return "";
  for (char c : name) {
    if (!IsNameChar(c)) return "";
  }
  return std::string(name);
}

Status Flatten(const YAML::Node& node, const std::string& prefix, const Environment& env, const std::string& file,
               std::vector<FileEntry>& out) {
  for (const auto& item : node) {
    const YAML::Node& key = item.first;
    const YAML::Node& value = item.second;
    int line = key.Mark().line + 1;
    if (!key.IsScalar()) {
      return Error(ErrorCode::PARSE, "expected a plain key", file + ":" + std::to_string(line));
    }
    std::string path = prefix.empty() ? key.Scalar() : prefix + "." + key.Scalar();
    if (value.IsMap()) {
      Status status = Flatten(value, path, env, file, out);
      if (!status.ok()) return status;
    } else if (value.IsScalar()) {
      auto text = ResolvePlaceholders(value.Scalar(), env);
      if (!text.ok()) {
        return Error(text.error().code, text.error().message, file + ":" + std::to_string(line) + " (" + path + ")");
      }
      out.push_back({path, std::move(text).value(), line, true});
    } else if (value.IsSequence()) {
      out.push_back({path, "", line, false});
    }
    // A null value (`key:` with nothing after it) sets nothing, as an unset variable.
  }
  return {};
}

}  // namespace

Result<std::string> ResolvePlaceholders(std::string_view text, const Environment& env) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    std::string name = PlaceholderName(text.substr(open + 2, close - open - 2));
    out.append(text.substr(pos, open - pos));
    if (name.empty()) {
      out.append(text.substr(open, close + 2 - open));
    } else {
      auto it = env.find(name);
      if (it == env.end()) {
        return Error(ErrorCode::INVALID_ARGUMENT,
                     "placeholder '{{ from env " + name + " }}' refers to " + name + ", which is not set");
      }
      out.append(it->second);
    }
    pos = close + 2;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

Result<std::vector<FileEntry>> ReadYamlFile(const std::string& path, const Environment& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::INVALID_ARGUMENT, "cannot read the configuration file", path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(buffer.str());
  } catch (const YAML::Exception& e) {
    // yaml-cpp marks are 0-based.
    return Error(ErrorCode::PARSE, "malformed YAML: " + e.msg,
                 path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1));
  }
  std::vector<FileEntry> entries;
  if (!root || root.IsNull()) return entries;
  if (!root.IsMap()) {
    return Error(ErrorCode::PARSE, "expected a mapping of settings at the top level",
                 path + ":" + std::to_string(root.Mark().line + 1));
  }
  try {
    Status status = Flatten(root, "", env, path, entries);
    if (!status.ok()) return status.error();
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::PARSE, "malformed YAML: " + e.msg,
                 path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1));
  }
  return entries;
}

}  // namespace sp::config::detail

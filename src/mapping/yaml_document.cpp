#include "mapping/yaml_document.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdlib>
#include <string>
#include <unordered_set>

namespace sp::mapping {
namespace {

bool IsCoreNull(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// YAML 1.2 core schema float/int forms that are not JSON tokens ("+1", ".5", "1.", "0x1F", "0o17").
bool ParseYamlNumber(const std::string& s, double& out) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    int base = s[1] == 'x' ? 16 : 8;
    for (size_t i = 2; i < s.size(); ++i) {
      if (base == 16 ? !std::isxdigit(static_cast<unsigned char>(s[i])) : (s[i] < '0' || s[i] > '7')) return false;
    }
    out = static_cast<double>(std::strtoull(s.c_str() + 2, nullptr, base));
    return true;
  }
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  out = std::strtod(s.c_str(), nullptr);
  return true;
}

json::Value ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  // "!" marks a quoted (non-plain) scalar; an explicit !!str tag also forces a string.
  if (node.Tag() != "?") return json::Value::String(text);
  if (IsCoreNull(text)) return json::Value::Null();
  if (text == "true" || text == "True" || text == "TRUE") return json::Value::Bool(true);
  if (text == "false" || text == "False" || text == "FALSE") return json::Value::Bool(false);
  json::Value number = json::Value::NumberFromToken(text);
  if (number.IsNumber()) return number;
  double d = 0;
  if (ParseYamlNumber(text, d)) return json::Value::Number(d);
  return json::Value::String(text);
}

class Converter {
 public:
  Converter(const YamlOptions& options, YamlDocument& doc) : options_(options), doc_(doc) {}

  Result<json::Value> Convert(const YAML::Node& node, const std::string& path, size_t depth) {
    if (depth > options_.max_depth) {
      return Error(ErrorCode::LIMIT_EXCEEDED, "nesting deeper than " + std::to_string(options_.max_depth) + " levels",
                   path);
    }
    if (++nodes_ > options_.max_nodes) {
      return Error(ErrorCode::LIMIT_EXCEEDED,
                   "more than " + std::to_string(options_.max_nodes) + " nodes (after expanding aliases)", path);
    }
    YAML::Mark mark = node.Mark();
    if (mark.line >= 0) doc_.marks.emplace(path, SourceMark{mark.line + 1, mark.column + 1});
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null: return json::Value::Null();
      case YAML::NodeType::Scalar: return ScalarToJson(node);
      case YAML::NodeType::Sequence: {
        json::Value arr = json::Value::Array();
        arr.Reserve(node.size());
        size_t i = 0;
        for (const YAML::Node& child : node) {
          Result<json::Value> v = Convert(child, IndexPath(path, i++), depth + 1);
          if (!v.ok()) return v;
          arr.Append(std::move(v).value());
        }
        return arr;
      }
      case YAML::NodeType::Map: {
        json::Value obj = json::Value::Object();
        std::unordered_set<std::string> seen;
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) {
            YAML::Mark km = kv.first.Mark();
            return Error(ErrorCode::INVALID_ARGUMENT,
                         "line " + std::to_string(km.line + 1) + ", column " + std::to_string(km.column + 1) +
                             ": mapping keys must be strings",
                         path);
          }
          const std::string& key = kv.first.Scalar();
          std::string child_path = ChildPath(path, key);
          if (!seen.insert(key).second) {
            doc_.warnings.push_back({child_path, "duplicate key; the last value is used"});
          }
          Result<json::Value> v = Convert(kv.second, child_path, depth + 1);
          if (!v.ok()) return v;
          obj.Set(key, std::move(v).value());
        }
        return obj;
      }
    }
    return json::Value::Null();
  }

 private:
  const YamlOptions& options_;
  YamlDocument& doc_;
  size_t nodes_ = 0;
};

}  // namespace

std::string YamlDocument::Where(const std::string& path) const {
  auto it = marks.find(path);
  if (it == marks.end()) return "";
  return " (line " + std::to_string(it->second.line) + ", column " + std::to_string(it->second.column) + ")";
}

Result<YamlDocument> ParseYaml(std::string_view text, const YamlOptions& options) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::PARSE, "line " + std::to_string(e.mark.line + 1) + ", column " +
                                       std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  YamlDocument doc;
  Converter converter(options, doc);
  try {
    Result<json::Value> v = converter.Convert(root, "", 0);
    if (!v.ok()) return v.error();
    doc.value = std::move(v).value();
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::PARSE, "line " + std::to_string(e.mark.line + 1) + ", column " +
                                       std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  return doc;
}

}  // namespace sp::mapping

#include "mapping/items_to_parse.hpp"

#include <cctype>

namespace sp::mapping {
namespace {

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Reads a jq string literal starting at s[i] == '"' (or '\'' in Port's dialect); returns its plain content when it
// has no interpolation, and moves i past it.
bool ReadStringLiteral(std::string_view s, size_t& i, std::string& out) {
  char quote = s[i++];
  bool plain = true;
  out.clear();
  while (i < s.size() && s[i] != quote) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      if (s[i + 1] == '(') plain = false;
      out += s[i + 1];
      i += 2;
      continue;
    }
    out += s[i++];
  }
  if (i < s.size()) ++i;
  return plain;
}

// Parses `.a.b["c"]?` starting at the '.' at s[i]; returns the keys (empty if not a path).
std::vector<std::string> ReadPath(std::string_view s, size_t i) {
  std::vector<std::string> keys;
  while (i < s.size() && s[i] == '.') {
    size_t j = i + 1;
    if (j < s.size() && IsIdentStart(s[j])) {
      size_t start = j;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      keys.emplace_back(s.substr(start, j - start));
    } else if (j + 1 < s.size() && s[j] == '[' && (s[j + 1] == '"' || s[j + 1] == '\'')) {
      size_t k = j + 1;
      std::string key;
      if (!ReadStringLiteral(s, k, key) || k >= s.size() || s[k] != ']') break;
      keys.push_back(std::move(key));
      j = k + 1;
    } else if (j < s.size() && (s[j] == '"' || s[j] == '\'')) {
      size_t k = j;
      std::string key;
      if (!ReadStringLiteral(s, k, key)) break;
      keys.push_back(std::move(key));
      j = k;
    } else {
      break;
    }
    if (j < s.size() && s[j] == '?') ++j;
    i = j;
  }
  return keys;
}

}  // namespace

std::vector<std::string> ExtractItemsPath(std::string_view expression) {
  for (size_t i = 0; i < expression.size(); ++i) {
    char c = expression[i];
    if (c == '"' || c == '\'') {
      std::string ignored;
      ReadStringLiteral(expression, i, ignored);
      --i;  // the loop's ++i
      continue;
    }
    if (c == '#') {  // comment to end of line
      while (i < expression.size() && expression[i] != '\n') ++i;
      continue;
    }
    if (c != '.') continue;
    // `$x.a` and `.a` after an identifier or `)`/`]` continue another term, not a fresh path from the input.
    if (i > 0) {
      char prev = expression[i - 1];
      if (IsIdentChar(prev) || prev == '$' || prev == ')' || prev == ']' || prev == '.') continue;
    }
    std::vector<std::string> keys = ReadPath(expression, i);
    if (!keys.empty()) return keys;
  }
  return {};
}

json::Value RemovePath(const json::Value& parent, const std::vector<std::string>& path) {
  if (path.empty() || !parent.IsObject()) return parent;
  json::Value copy = parent;
  if (path.size() == 1) {
    copy.Erase(path[0]);
    return copy;
  }
  json::Value* node = &copy;
  for (size_t k = 0; k + 1 < path.size(); ++k) {
    json::Value* child = node->MutableFind(path[k]);
    if (child == nullptr || !child->IsObject()) return parent;
    node = child;
  }
  node->Erase(path.back());
  return copy;
}

}  // namespace sp::mapping

#include "jq/errors.hpp"

#include "json/write.hpp"

namespace sp::jq {

std::string ValuePreview(const json::Value& v) {
  std::string s = json::ToJson(v);
  // jq 1.7.1 dumps into a 15-byte buffer and marks a cut with "...".
  if (s.size() > 14) {
    s.resize(11);
    s += "...";
  }
  return s;
}

std::string TypedPreview(const json::Value& v) {
  return std::string(v.TypeName()) + " (" + ValuePreview(v) + ")";
}

std::string CannotIndex(const json::Value& container, const json::Value& key) {
  std::string msg = "Cannot index ";
  msg += container.TypeName();
  msg += " with ";
  if (key.IsString()) {
    msg += "string \"";
    msg += key.AsString();
    msg += '"';
  } else {
    msg += key.TypeName();
  }
  return msg;
}

std::string CannotIterate(const json::Value& v) {
  if (v.IsNull()) return "Cannot iterate over null";
  return "Cannot iterate over " + TypedPreview(v);
}

std::string CannotBinop(const json::Value& a, const json::Value& b, std::string_view verb) {
  std::string msg = TypedPreview(a) + " and " + TypedPreview(b) + " cannot be ";
  msg += verb;
  return msg;
}

std::string TypeError(const json::Value& v, std::string_view what) {
  std::string msg = TypedPreview(v);
  msg += ' ';
  msg += what;
  return msg;
}

}  // namespace sp::jq

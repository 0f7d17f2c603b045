#pragma once
// One problem found in a port app config, located by its path in the config
// (`resources[2].port.entity.mappings.properties.link`), as every user-facing config message is.

#include <string>
#include <vector>

namespace sp::mapping {

struct ConfigIssue {
  std::string path;     //!< "" for the document as a whole
  std::string message;  //!< one sentence; may carry a "line L, column C" location

  //! "path: message" (or just the message at the root).
  std::string ToString() const { return path.empty() ? message : path + ": " + message; }
};

using ConfigIssues = std::vector<ConfigIssue>;

//! Path helpers: Child("a", "b") = "a.b", Child("", "b") = "b", Index("a", 2) = "a[2]".
inline std::string ChildPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}
inline std::string IndexPath(const std::string& parent, size_t i) {
  return parent + "[" + std::to_string(i) + "]";
}

}  // namespace sp::mapping

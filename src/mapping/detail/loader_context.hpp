#pragma once
// Shared state of one config load: where errors and warnings go, how JQ leaves are compiled, how nodes are
// located in the source text. Internal to sp_mapping.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "mapping/app_config.hpp"
#include "mapping/yaml_document.hpp"

namespace sp::mapping {

class LoaderContext {
 public:
  LoaderContext(const LoadOptions& options, const YamlDocument* doc, ConfigLoad& out);

  ConfigLoad& out() { return out_; }
  void Fail(const std::string& path, std::string message) { out_.errors.push_back({path, std::move(message)}); }
  void Warn(const std::string& path, std::string message) { out_.warnings.push_back({path, std::move(message)}); }
  //! "expected <expected>, got <what v is> (line L, column C)".
  void TypeError(const std::string& path, const std::string& expected, const json::Value& v);
  //! " (line L, column C)" of the node at `path` when the config came from text, else "".
  std::string Where(const std::string& path) const;

  //! "a string", "a list", "a mapping", ... as YAML users say it.
  static std::string Article(const json::Value& v);
  //! Compact JSON of `v`, cut to 60 characters.
  static std::string Preview(const json::Value& v);

  //! Reads optional boolean obj[key] into `out`.
  void ReadBool(const json::Value& obj, const std::string& path, std::string_view key, bool& out);
  //! One warning per key of `obj` not in `known`.
  void WarnUnknownKeys(const json::Value& obj, const std::string& path, std::initializer_list<std::string_view> known);

  //! Compiles a JQ leaf (a string; numbers and booleans are taken as their JQ text). Errors are recorded.
  std::optional<JqExpr> CompileLeaf(const json::Value& v, const std::string& path);
  std::optional<JqExpr> CompileText(std::string_view source, const std::string& path);

 private:
  jq::CompileOptions compile_options_;
  const YamlDocument* doc_;
  ConfigLoad& out_;
};

//! port.entity.mappings -> EntityMappings (errors and warnings go to `ctx`).
void ReadMappings(LoaderContext& ctx, const json::Value* v, const std::string& path, EntityMappings& out);

}  // namespace sp::mapping

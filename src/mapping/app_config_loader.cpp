// Validation of the port app config: builds the model of app_config.hpp from a parsed document, collecting every
// error and warning with its config path instead of stopping at the first.
#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "json/write.hpp"
#include "mapping/app_config.hpp"
#include "mapping/detail/loader_context.hpp"
#include "mapping/items_to_parse.hpp"
#include "mapping/yaml_document.hpp"

namespace sp::mapping {
namespace {

class ConfigLoader {
 public:
  ConfigLoader(const LoadOptions& options, const YamlDocument* doc, ConfigLoad& out)
      : kinds_(options.kinds != nullptr ? *options.kinds : DefaultSentryKinds()), ctx_(options, doc, out) {}

  void Load(const json::Value& root) {
    if (root.IsNull()) {
      ctx_.Fail("", "the port app config is empty (expected a mapping with `resources`)");
      return;
    }
    if (!root.IsObject()) {
      ctx_.Fail("", std::string("the port app config must be a mapping (object), got ") + ctx_.Article(root));
      return;
    }
    auto config = std::make_shared<AppConfig>();
    config->source = root;
    ctx_.WarnUnknownKeys(root, "",
                         {"enableMergeEntity", "deleteDependentEntities", "createMissingRelatedEntities",
                          "entityDeletionThreshold", "resources"});
    ctx_.ReadBool(root, "", "enableMergeEntity", config->enable_merge_entity);
    ctx_.ReadBool(root, "", "deleteDependentEntities", config->delete_dependent_entities);
    ctx_.ReadBool(root, "", "createMissingRelatedEntities", config->create_missing_related_entities);
    ReadThreshold(root, *config);
    ReadResources(root, *config);
    if (ctx_.out().errors.empty()) ctx_.out().config = std::move(config);
  }

 private:
  void ReadThreshold(const json::Value& root, AppConfig& config) {
    const json::Value* v = root.Find("entityDeletionThreshold");
    if (v == nullptr || v->IsNull()) return;
    if (!v->IsNumber() || !(v->AsNumber() >= 0.0 && v->AsNumber() <= 1.0)) {
      ctx_.Fail("entityDeletionThreshold",
                "must be a number between 0 and 1, got " + ctx_.Preview(*v) + ctx_.Where("entityDeletionThreshold"));
      return;
    }
    config.entity_deletion_threshold = v->AsNumber();
  }

  void ReadResources(const json::Value& root, AppConfig& config) {
    const json::Value* list = root.Find("resources");
    if (list == nullptr || list->IsNull()) {
      ctx_.Warn("resources", "no resources: nothing will be synced");
      return;
    }
    if (!list->IsArray()) {
      ctx_.TypeError("resources", "a list of resources", *list);
      return;
    }
    if (list->Empty()) ctx_.Warn("resources", "no resources: nothing will be synced");
    for (size_t i = 0; i < list->Size(); ++i) {
      ResourceConfig resource;
      resource.index = i;
      if (ReadResource((*list)[i], resource)) config.resources.push_back(std::move(resource));
    }
  }

  bool ReadResource(const json::Value& v, ResourceConfig& resource) {
    std::string path = resource.Path();
    if (!v.IsObject()) {
      ctx_.TypeError(path, "a mapping with kind, selector and port", v);
      return false;
    }
    size_t errors_before = ctx_.out().errors.size();
    ctx_.WarnUnknownKeys(v, path, {"kind", "selector", "port"});
    const KindInfo* kind = ReadKind(v, path, resource);
    ReadSelector(v.Find("selector"), ChildPath(path, "selector"), kind, resource.selector);
    ReadPort(v.Find("port"), ChildPath(path, "port"), resource);
    return ctx_.out().errors.size() == errors_before;
  }

  const KindInfo* ReadKind(const json::Value& v, const std::string& path, ResourceConfig& resource) {
    std::string kpath = ChildPath(path, "kind");
    const json::Value* kind = v.Find("kind");
    if (kind == nullptr || kind->IsNull()) {
      ctx_.Fail(kpath, "missing; supported kinds: " + KindNames(kinds_));
      return nullptr;
    }
    if (!kind->IsString()) {
      ctx_.TypeError(kpath, "a string", *kind);
      return nullptr;
    }
    resource.kind = std::string(kind->AsString());
    const KindInfo* info = FindKind(kinds_, resource.kind);
    if (info == nullptr) {
      ctx_.Fail(kpath,
                "unknown kind '" + resource.kind + "'; supported kinds: " + KindNames(kinds_) + ctx_.Where(kpath));
    }
    return info;
  }

  void ReadSelector(const json::Value* v, const std::string& path, const KindInfo* kind, Selector& selector) {
    if (v == nullptr || v->IsNull()) {
      selector.query = ctx_.CompileText("true", ChildPath(path, "query"));
      return;
    }
    if (!v->IsObject()) {
      ctx_.TypeError(path, "a mapping", *v);
      return;
    }
    selector.fields = *v;
    const json::Value* query = v->Find("query");
    if (query == nullptr || query->IsNull()) {
      selector.query = ctx_.CompileText("true", ChildPath(path, "query"));
    } else {
      selector.query = ctx_.CompileLeaf(*query, ChildPath(path, "query"));
    }
    for (const json::Member& m : v->Members()) {
      std::string key(m.key.AsString());
      if (key == "query") continue;
      const SelectorField* field = nullptr;
      if (kind != nullptr) {
        for (const SelectorField& f : kind->selector_fields) {
          if (f.name == key) field = &f;
        }
      }
      std::string fpath = ChildPath(path, key);
      if (field == nullptr) {
        if (kind != nullptr)
          ctx_.Warn(fpath, "unknown selector key for kind '" + kind->name + "' (ignored); " + KnownSelectorKeys(*kind));
        continue;
      }
      if (!m.value.IsNull()) ReadSelectorField(*field, m.value, fpath, selector);
    }
  }

  static std::string KnownSelectorKeys(const KindInfo& kind) {
    std::string keys = "known keys: query";
    for (const SelectorField& f : kind.selector_fields) keys += ", " + f.name;
    return keys;
  }

  void ReadSelectorField(const SelectorField& field, const json::Value& v, const std::string& path,
                         Selector& selector) {
    std::vector<std::string> strings;
    switch (field.type) {
      case SelectorFieldType::BOOL:
        if (!v.IsBool()) return ctx_.TypeError(path, "a boolean", v);
        break;
      case SelectorFieldType::STRING:
        if (!v.IsString()) return ctx_.TypeError(path, "a string", v);
        strings.emplace_back(v.AsString());
        break;
      case SelectorFieldType::STRING_LIST:
        if (v.IsString()) {
          strings.emplace_back(v.AsString());
        } else if (v.IsArray()) {
          for (const json::Value& item : v.Items()) {
            if (!item.IsString()) return ctx_.TypeError(path, "a string or a list of strings", v);
            strings.emplace_back(item.AsString());
          }
        } else {
          return ctx_.TypeError(path, "a string or a list of strings", v);
        }
        break;
      case SelectorFieldType::NUMBER: {
        if (!v.IsNumber()) return ctx_.TypeError(path, "a non-negative integer", v);
        const double d = v.AsNumber();
        if (!(d >= 0) || d != std::floor(d) || d > 9007199254740992.0) {
          return ctx_.Fail(path, "must be a non-negative integer, got " + json::ToJson(v) + ctx_.Where(path));
        }
        break;
      }
    }
    if (!field.allowed_values.empty()) {
      for (const std::string& s : strings) {
        if (std::find(field.allowed_values.begin(), field.allowed_values.end(), s) == field.allowed_values.end()) {
          std::string allowed;
          for (const std::string& a : field.allowed_values) allowed += (allowed.empty() ? "" : ", ") + a;
          return ctx_.Fail(path, "unknown value '" + s + "'; allowed: " + allowed + ctx_.Where(path));
        }
      }
    }
    if (field.check) {
      if (std::optional<std::string> problem = field.check(v)) return ctx_.Fail(path, *problem + ctx_.Where(path));
    }
    if (field.name == "tag") selector.tag = strings[0];
    if (field.name == "includeMembers") selector.include_members = v.AsBool();
    if (field.name == "includeArchived") selector.include_archived = v.AsBool();
    if (field.name == "statuses") selector.statuses = strings;
    if (field.name == "statsPeriod") selector.stats_period = strings[0];
    if (field.name == "environment") selector.environments = strings;
    if (field.name == "maxTagValuesPerProject") {
      selector.max_tag_values_per_project = static_cast<uint64_t>(v.AsNumber());
    }
  }

  void ReadPort(const json::Value* v, const std::string& path, ResourceConfig& resource) {
    if (v == nullptr || v->IsNull()) {
      ctx_.Fail(path, "missing (expected port.entity.mappings with identifier and blueprint)");
      return;
    }
    if (!v->IsObject()) return ctx_.TypeError(path, "a mapping", *v);
    ctx_.WarnUnknownKeys(*v, path, {"entity", "itemsToParse", "itemsToParseName", "itemsToParseTopLevelTransform"});
    if (const json::Value* items = v->Find("itemsToParse"); items != nullptr && !items->IsNull()) {
      resource.items_to_parse = ctx_.CompileLeaf(*items, ChildPath(path, "itemsToParse"));
      if (resource.items_to_parse)
        resource.items_to_parse_delete_path = ExtractItemsPath(resource.items_to_parse->source);
    }
    if (const json::Value* name = v->Find("itemsToParseName"); name != nullptr && !name->IsNull()) {
      if (!name->IsString() || name->AsString().empty()) {
        ctx_.TypeError(ChildPath(path, "itemsToParseName"), "a non-empty string", *name);
      } else {
        resource.items_to_parse_name = std::string(name->AsString());
      }
    }
    ctx_.ReadBool(*v, path, "itemsToParseTopLevelTransform", resource.items_to_parse_top_level_transform);
    std::string epath = ChildPath(path, "entity");
    const json::Value* entity = v->Find("entity");
    if (entity == nullptr || entity->IsNull()) return ctx_.Fail(epath, "missing (expected entity.mappings)");
    if (!entity->IsObject()) return ctx_.TypeError(epath, "a mapping", *entity);
    ctx_.WarnUnknownKeys(*entity, epath, {"mappings"});
    ReadMappings(ctx_, entity->Find("mappings"), ChildPath(epath, "mappings"), resource.mappings);
  }

  const KindTable& kinds_;
  LoaderContext ctx_;
};

}  // namespace

Error ConfigLoad::ToError() const {
  std::string message;
  for (const ConfigIssue& issue : errors) {
    if (!message.empty()) message += "\n";
    message += issue.ToString();
  }
  // The paths are in the message already; an Error context would repeat the first one in ToString().
  return Error(code, message);
}

ConfigLoad LoadAppConfig(std::string_view text, const LoadOptions& options) {
  ConfigLoad out;
  Result<YamlDocument> doc = ParseYaml(text);
  if (!doc.ok()) {
    out.code = doc.error().code == ErrorCode::PARSE ? ErrorCode::PARSE : ErrorCode::INVALID_ARGUMENT;
    out.errors.push_back({doc.error().context, doc.error().message});
    return out;
  }
  out.warnings = doc->warnings;
  ConfigLoader(options, &doc.value(), out).Load(doc->value);
  return out;
}

ConfigLoad LoadAppConfigValue(const json::Value& value, const LoadOptions& options) {
  ConfigLoad out;
  ConfigLoader(options, nullptr, out).Load(value);
  return out;
}

}  // namespace sp::mapping

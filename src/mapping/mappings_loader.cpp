// port.entity.mappings: JQ leaves, search queries, properties and relations (port-api.md §4.4).
#include <memory>

#include "json/write.hpp"
#include "mapping/detail/loader_context.hpp"

namespace sp::mapping {

LoaderContext::LoaderContext(const LoadOptions& options, const YamlDocument* doc, ConfigLoad& out)
    : doc_(doc), out_(out) {
  compile_options_.port_dialect = true;
  compile_options_.env = options.env;
  compile_options_.limits = options.limits;
}

void LoaderContext::TypeError(const std::string& path, const std::string& expected, const json::Value& v) {
  Fail(path, "expected " + expected + ", got " + Article(v) + Where(path));
}

std::string LoaderContext::Where(const std::string& path) const {
  return doc_ == nullptr ? "" : doc_->Where(path);
}

std::string LoaderContext::Article(const json::Value& v) {
  switch (v.kind()) {
    case json::Kind::NULL_VALUE: return "null";
    case json::Kind::FALSE_VALUE:
    case json::Kind::TRUE_VALUE: return "a boolean";
    case json::Kind::NUMBER: return "a number";
    case json::Kind::STRING: return "a string";
    case json::Kind::ARRAY: return "a list";
    case json::Kind::OBJECT: return "a mapping";
  }
  return "a value";
}

std::string LoaderContext::Preview(const json::Value& v) {
  std::string text = json::ToJson(v);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

void LoaderContext::ReadBool(const json::Value& obj, const std::string& path, std::string_view key, bool& out) {
  const json::Value* v = obj.Find(key);
  if (v == nullptr || v->IsNull()) return;
  std::string kpath = ChildPath(path, std::string(key));
  if (!v->IsBool()) return TypeError(kpath, "a boolean (true or false)", *v);
  out = v->AsBool();
}

void LoaderContext::WarnUnknownKeys(const json::Value& obj, const std::string& path,
                                    std::initializer_list<std::string_view> known) {
  for (const json::Member& m : obj.Members()) {
    bool found = false;
    for (std::string_view k : known) found = found || k == m.key.AsString();
    if (!found) {
      std::string kpath = ChildPath(path, std::string(m.key.AsString()));
      Warn(kpath, "unknown key (ignored)" + Where(kpath));
    }
  }
}

std::optional<JqExpr> LoaderContext::CompileLeaf(const json::Value& v, const std::string& path) {
  switch (v.kind()) {
    case json::Kind::STRING: return CompileText(v.AsString(), path);
    case json::Kind::NUMBER:
    case json::Kind::TRUE_VALUE:
    case json::Kind::FALSE_VALUE: return CompileText(json::ToJson(v), path);
    default: TypeError(path, "a JQ expression (string)", v); return std::nullopt;
  }
}

std::optional<JqExpr> LoaderContext::CompileText(std::string_view source, const std::string& path) {
  Result<jq::Program> program = jq::Program::Compile(source, compile_options_);
  if (!program.ok()) {
    Fail(path, program.error().message);
    return std::nullopt;
  }
  return JqExpr{path, std::string(source), std::move(program).value()};
}

namespace {

bool LooksLikeSearchQuery(const json::Value& v) {
  return v.IsObject() && (v.Find("combinator") != nullptr || v.Find("rules") != nullptr);
}

std::optional<SearchQuery> ReadSearchQuery(LoaderContext& ctx, const json::Value& v, const std::string& path,
                                           size_t depth) {
  if (depth > 32) {
    ctx.Fail(path, "search query nested deeper than 32 levels");
    return std::nullopt;
  }
  ctx.WarnUnknownKeys(v, path, {"combinator", "rules"});
  SearchQuery query;
  size_t errors_before = ctx.out().errors.size();
  const json::Value* combinator = v.Find("combinator");
  std::string cpath = ChildPath(path, "combinator");
  if (combinator == nullptr || combinator->IsNull()) {
    ctx.Fail(cpath, "missing (a search query needs combinator and rules)");
  } else {
    query.combinator = ctx.CompileLeaf(*combinator, cpath);
  }
  std::string rpath = ChildPath(path, "rules");
  const json::Value* rules = v.Find("rules");
  if (rules == nullptr || rules->IsNull()) {
    ctx.Fail(rpath, "missing (a search query needs combinator and rules)");
  } else if (!rules->IsArray()) {
    ctx.TypeError(rpath, "a list of rules", *rules);
  } else {
    for (size_t i = 0; i < rules->Size(); ++i) {
      const json::Value& r = (*rules)[i];
      std::string ipath = IndexPath(rpath, i);
      SearchRule rule;
      if (!r.IsObject()) {
        ctx.TypeError(ipath, "a rule {property, operator, value} or a nested {combinator, rules}", r);
        continue;
      }
      if (LooksLikeSearchQuery(r)) {
        std::optional<SearchQuery> nested = ReadSearchQuery(ctx, r, ipath, depth + 1);
        if (nested) rule.nested = std::make_shared<const SearchQuery>(std::move(*nested));
      } else {
        ctx.WarnUnknownKeys(r, ipath, {"property", "operator", "value"});
        for (auto [key, slot] : {std::pair{"property", &rule.property}, std::pair{"operator", &rule.op},
                                 std::pair{"value", &rule.value}}) {
          std::string kpath = ChildPath(ipath, key);
          const json::Value* leaf = r.Find(key);
          if (leaf == nullptr || leaf->IsNull()) {
            ctx.Fail(kpath, "missing (a rule needs property, operator and value)");
          } else {
            *slot = ctx.CompileLeaf(*leaf, kpath);
          }
        }
      }
      query.rules.push_back(std::move(rule));
    }
  }
  if (ctx.out().errors.size() != errors_before) return std::nullopt;
  return query;
}

std::optional<FieldExpr> ReadField(LoaderContext& ctx, const json::Value& v, const std::string& path) {
  if (v.IsObject()) {
    if (!LooksLikeSearchQuery(v)) {
      ctx.TypeError(path, "a JQ expression (string) or a search query {combinator, rules}", v);
      return std::nullopt;
    }
    std::optional<SearchQuery> query = ReadSearchQuery(ctx, v, path, 0);
    if (!query) return std::nullopt;
    return FieldExpr(std::move(*query));
  }
  std::optional<JqExpr> expr = ctx.CompileLeaf(v, path);
  if (!expr) return std::nullopt;
  return FieldExpr(std::move(*expr));
}

}  // namespace

void ReadMappings(LoaderContext& ctx, const json::Value* v, const std::string& path, EntityMappings& out) {
  if (v == nullptr || v->IsNull()) {
    ctx.Fail(path, "missing (expected a mapping with at least identifier and blueprint)");
    return;
  }
  if (!v->IsObject()) return ctx.TypeError(path, "a mapping", *v);
  ctx.WarnUnknownKeys(*v, path, {"identifier", "title", "blueprint", "icon", "team", "properties", "relations"});

  auto present = [&](std::string_view key) -> const json::Value* {
    const json::Value* f = v->Find(key);
    return (f == nullptr || f->IsNull()) ? nullptr : f;
  };
  if (const json::Value* f = present("identifier")) {
    out.identifier = ReadField(ctx, *f, ChildPath(path, "identifier"));
  } else {
    ctx.Fail(ChildPath(path, "identifier"), "missing (every entity needs an identifier)");
  }
  if (const json::Value* f = present("blueprint")) {
    out.blueprint = ctx.CompileLeaf(*f, ChildPath(path, "blueprint"));
  } else {
    ctx.Fail(ChildPath(path, "blueprint"), "missing (every entity needs a blueprint, e.g. '\"sentryIssue\"')");
  }
  if (const json::Value* f = present("title")) out.title = ctx.CompileLeaf(*f, ChildPath(path, "title"));
  if (const json::Value* f = present("icon")) out.icon = ctx.CompileLeaf(*f, ChildPath(path, "icon"));
  if (const json::Value* f = present("team")) out.team = ReadField(ctx, *f, ChildPath(path, "team"));

  if (const json::Value* props = present("properties")) {
    std::string ppath = ChildPath(path, "properties");
    if (!props->IsObject()) {
      ctx.TypeError(ppath, "a mapping of property names to JQ expressions", *props);
    } else {
      out.has_properties = true;
      for (const json::Member& m : props->Members()) {
        std::string name(m.key.AsString());
        std::optional<JqExpr> expr = ctx.CompileLeaf(m.value, ChildPath(ppath, name));
        if (expr) out.properties.emplace_back(name, std::move(*expr));
      }
    }
  }
  if (const json::Value* rels = present("relations")) {
    std::string rpath = ChildPath(path, "relations");
    if (!rels->IsObject()) {
      ctx.TypeError(rpath, "a mapping of relation names to JQ expressions or search queries", *rels);
    } else {
      out.has_relations = true;
      for (const json::Member& m : rels->Members()) {
        std::string name(m.key.AsString());
        std::optional<FieldExpr> field = ReadField(ctx, m.value, ChildPath(rpath, name));
        if (field) out.relations.emplace_back(name, std::move(*field));
      }
    }
  }
}

bool EntityMappings::UsesSearchQuery() const {
  auto is_search = [](const std::optional<FieldExpr>& f) { return f && std::holds_alternative<SearchQuery>(*f); };
  if (is_search(identifier) || is_search(team)) return true;
  for (const auto& [name, field] : relations) {
    if (std::holds_alternative<SearchQuery>(field)) return true;
  }
  return false;
}

}  // namespace sp::mapping

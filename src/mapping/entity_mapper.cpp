#include "mapping/entity_mapper.hpp"

#include <variant>

#include "base/assert.hpp"
#include "json/write.hpp"
#include "mapping/items_to_parse.hpp"

namespace sp::mapping {
namespace {

std::string FirstLine(std::string_view s) {
  size_t nl = s.find('\n');
  return std::string(nl == std::string_view::npos ? s : s.substr(0, nl));
}

std::string Preview(const json::Value& v) {
  std::string text = json::ToJson(v);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

// Per-batch state: counters and diagnostics aggregated by (severity, path) so that a field failing on every item
// of a batch is reported once, with its count.
class BatchState {
 public:
  explicit BatchState(BatchReport& report) : report_(report) {}

  KindCounters& counters() { return report_.counters; }
  void FailKind() { report_.kind_failed = true; }

  void Report(Severity severity, const std::string& path, std::string message, bool null_value = false) {
    for (Diagnostic& d : report_.diagnostics) {
      if (d.severity == severity && d.path == path && d.null_value == null_value) {
        ++d.count;
        return;
      }
    }
    report_.diagnostics.push_back({severity, path, std::move(message), 1, null_value});
  }

 private:
  BatchReport& report_;
};

class ItemMapper {
 public:
  ItemMapper(const ResourceConfig& resource, BatchState& state, EntitySink& sink, EntitySink* rejected)
      : resource_(resource), mappings_(resource.mappings), state_(state), sink_(sink), rejected_(rejected) {
    mappings_path_ = resource.Path() + ".port.entity.mappings";
  }

  void Map(const json::Value& item) {
    bool selector_error = false;
    if (!SelectorPasses(item, selector_error)) {
      if (!selector_error && rejected_ != nullptr) MapRejected(item);
      return;
    }
    json::Value identifier = EvalField(*mappings_.identifier, ChildPath(mappings_path_, "identifier"), item, false);
    json::Value blueprint = EvalLeaf(*mappings_.blueprint, item);
    if (!IsPythonTruthy(identifier) || !IsPythonTruthy(blueprint)) {
      bool bad_identifier = !IsPythonTruthy(identifier);
      state_.counters().invalid++;
      state_.FailKind();
      state_.Report(Severity::ERROR, ChildPath(mappings_path_, bad_identifier ? "identifier" : "blueprint"),
                    "evaluated to " + Preview(bad_identifier ? identifier : blueprint) +
                        " (empty, null or missing): entity dropped and the kind marked failed");
      return;
    }
    state_.counters().mapped++;
    sink_.Accept(BuildEntity(item, std::move(identifier), std::move(blueprint)));
  }

 private:
  // A live event's item that the selector rejected: its entity is a deletion candidate, never an upsert, so a
  // falsy identifier just means there is nothing to delete.
  void MapRejected(const json::Value& item) {
    json::Value identifier = EvalField(*mappings_.identifier, ChildPath(mappings_path_, "identifier"), item, false);
    json::Value blueprint = EvalLeaf(*mappings_.blueprint, item);
    if (IsPythonTruthy(identifier) && IsPythonTruthy(blueprint)) {
      rejected_->Accept(BuildEntity(item, std::move(identifier), std::move(blueprint)));
    }
  }

  // Key order follows Port's entity body (identifier, title, icon, blueprint, team, properties, relations).
  json::Value BuildEntity(const json::Value& item, json::Value identifier, json::Value blueprint) {
    json::Value entity = json::Value::Object();
    entity.Reserve(7);
    entity.Set("identifier", std::move(identifier));
    if (mappings_.title) entity.Set("title", EvalReported(*mappings_.title, item));
    if (mappings_.icon) entity.Set("icon", EvalReported(*mappings_.icon, item));
    entity.Set("blueprint", std::move(blueprint));
    if (mappings_.team) entity.Set("team", EvalField(*mappings_.team, ChildPath(mappings_path_, "team"), item));
    if (mappings_.has_properties) {
      json::Value props = json::Value::Object();
      props.Reserve(mappings_.properties.size());
      for (const auto& [name, expr] : mappings_.properties) props.Set(name, EvalReported(expr, item));
      entity.Set("properties", std::move(props));
    }
    if (mappings_.has_relations) {
      json::Value rels = json::Value::Object();
      rels.Reserve(mappings_.relations.size());
      std::string rpath = ChildPath(mappings_path_, "relations");
      for (const auto& [name, field] : mappings_.relations) {
        rels.Set(name, EvalField(field, ChildPath(rpath, name), item));
      }
      entity.Set("relations", std::move(rels));
    }
    return entity;
  }

  // port-api.md §6.2: only a JSON boolean is an answer; everything else is an error of the kind.
  bool SelectorPasses(const json::Value& item, bool& selector_error) {
    const JqExpr& query = *resource_.selector.query;
    json::Value first;
    bool got = false;
    Status status = query.program.Run(item, [&](const json::Value& v) {
      first = v;
      got = true;
      return false;
    });
    std::string problem;
    if (!status.ok()) {
      problem = "failed: " + FirstLine(status.error().message);
    } else if (!got) {
      problem = "produced no output (it must produce true or false)";
    } else if (first.IsNull()) {
      problem = "must produce a boolean, got null";
    } else if (!first.IsBool()) {
      problem = std::string("must produce a boolean, got ") + first.TypeName() + " " + Preview(first);
    } else {
      if (!first.AsBool()) state_.counters().filtered_out++;
      return first.AsBool();
    }
    selector_error = true;
    state_.counters().selector_errors++;
    state_.FailKind();
    state_.Report(Severity::ERROR, query.path, problem + " (query: " + query.source + "); item skipped");
    return false;
  }

  json::Value EvalLeaf(const JqExpr& expr, const json::Value& item) {
    Result<json::Value> r = expr.program.First(item);
    if (r.ok()) return std::move(r).value();
    state_.counters().field_errors++;
    state_.Report(Severity::WARNING, expr.path,
                  FirstLine(r.error().message) + " (expression: " + expr.source + "); the field is null");
    return json::Value::Null();
  }

  // A mapped field of the entity: null (from the data or from an error) is reported once per field per batch,
  // as Ocean's "Unable to find valid data for" warning does; an error is reported as an error only.
  json::Value EvalReported(const JqExpr& expr, const json::Value& item) {
    Result<json::Value> r = expr.program.First(item);
    if (!r.ok()) {
      state_.counters().field_errors++;
      state_.Report(Severity::WARNING, expr.path,
                    FirstLine(r.error().message) + " (expression: " + expr.source + "); the field is null");
      return json::Value::Null();
    }
    if (r->IsNull()) {
      state_.counters().null_fields++;
      state_.Report(Severity::WARNING, expr.path,
                    "Unable to find valid data: " + expr.source + " gave null (null, missing, or misconfigured)", true);
    }
    return std::move(r).value();
  }

  json::Value EvalSearch(const SearchQuery& query, const json::Value& item) {
    json::Value out = json::Value::Object();
    out.Set("combinator", EvalLeaf(*query.combinator, item));
    json::Value rules = json::Value::Array();
    rules.Reserve(query.rules.size());
    for (const SearchRule& rule : query.rules) {
      if (rule.nested) {
        rules.Append(EvalSearch(*rule.nested, item));
        continue;
      }
      json::Value r = json::Value::Object();
      r.Set("property", EvalLeaf(*rule.property, item));
      r.Set("operator", EvalLeaf(*rule.op, item));
      r.Set("value", EvalLeaf(*rule.value, item));
      rules.Append(std::move(r));
    }
    out.Set("rules", std::move(rules));
    return out;
  }

  // `report_null` is false for the identifier: a null one drops the entity, which is reported on its own.
  json::Value EvalField(const FieldExpr& field, const std::string& /*path*/, const json::Value& item,
                        bool report_null = true) {
    if (const JqExpr* expr = std::get_if<JqExpr>(&field)) {
      return report_null ? EvalReported(*expr, item) : EvalLeaf(*expr, item);
    }
    return EvalSearch(std::get<SearchQuery>(field), item);
  }

  const ResourceConfig& resource_;
  const EntityMappings& mappings_;
  BatchState& state_;
  EntitySink& sink_;
  EntitySink* rejected_;
  std::string mappings_path_;
};

}  // namespace

bool IsPythonTruthy(const json::Value& v) {
  switch (v.kind()) {
    case json::Kind::NULL_VALUE:
    case json::Kind::FALSE_VALUE: return false;
    case json::Kind::TRUE_VALUE: return true;
    case json::Kind::NUMBER: return v.AsNumber() != 0.0;
    case json::Kind::STRING: return !v.AsString().empty();
    case json::Kind::ARRAY:
    case json::Kind::OBJECT: return v.Size() != 0;
  }
  return false;
}

std::string Diagnostic::ToString() const {
  std::string out = severity == Severity::ERROR ? "error: " : "warning: ";
  out += path.empty() ? message : path + ": " + message;
  if (count > 1) out += " [" + std::to_string(count) + " items]";
  return out;
}

KindCounters& KindCounters::operator+=(const KindCounters& o) {
  raw += o.raw;
  expanded += o.expanded;
  filtered_out += o.filtered_out;
  selector_errors += o.selector_errors;
  invalid += o.invalid;
  mapped += o.mapped;
  field_errors += o.field_errors;
  null_fields += o.null_fields;
  return *this;
}

void BatchReport::Merge(const BatchReport& other) {
  counters += other.counters;
  kind_failed = kind_failed || other.kind_failed;
  for (const Diagnostic& d : other.diagnostics) {
    bool merged = false;
    for (Diagnostic& mine : diagnostics) {
      if (mine.severity == d.severity && mine.path == d.path && mine.null_value == d.null_value) {
        mine.count += d.count;
        merged = true;
        break;
      }
    }
    if (!merged) diagnostics.push_back(d);
  }
}

KindMapper::KindMapper(std::shared_ptr<const AppConfig> config, size_t resource_index) : config_(std::move(config)) {
  SP_ASSERT(config_ != nullptr && resource_index < config_->resources.size(), "KindMapper: no such resource");
  resource_ = &config_->resources[resource_index];
}

namespace {

// Maps `raw` for one resource. With itemsToParse and `chunk` > 0, `flush` runs after every `chunk` derived items
// (it hands the sink's entities and the report on and resets both).
void MapRaw(const ResourceConfig& res, std::span<const json::Value> raw, BatchReport& report, EntitySink& sink,
            EntitySink* rejected, size_t chunk, const std::function<void()>& flush) {
  BatchState state(report);
  ItemMapper mapper(res, state, sink, rejected);
  size_t in_chunk = 0;
  for (const json::Value& item : raw) {
    state.counters().raw++;
    if (!item.IsObject()) {
      state.counters().invalid++;
      state.FailKind();
      state.Report(Severity::ERROR, res.Path(),
                   std::string("raw item of kind '") + res.kind + "' is " + (item.IsArray() ? "an " : "a ") +
                       item.TypeName() + ", not an object: item skipped");
      continue;
    }
    if (!res.items_to_parse) {
      mapper.Map(item);
      continue;
    }
    // port-api.md §5.2-4b, for every kind (Ocean skips it for non-generator resync functions, §11 item 11).
    const JqExpr& items_expr = *res.items_to_parse;
    Result<json::Value> items = items_expr.program.First(item);
    if (!items.ok() || !items->IsArray()) {
      state.counters().invalid++;
      state.FailKind();
      state.Report(Severity::ERROR, items_expr.path,
                   (items.ok() ? std::string("expected an array, got ") + items->TypeName() + " " + Preview(*items)
                               : "failed: " + FirstLine(items.error().message)) +
                       " (expression: " + items_expr.source + "); item skipped");
      continue;
    }
    json::Value parent =
        res.items_to_parse_top_level_transform ? RemovePath(item, res.items_to_parse_delete_path) : item;
    for (const json::Value& element : items->Items()) {
      json::Value derived = parent;
      derived.Set(res.items_to_parse_name, element);
      state.counters().expanded++;
      mapper.Map(derived);
      if (chunk > 0 && ++in_chunk == chunk) {
        flush();
        in_chunk = 0;
      }
    }
  }
}

}  // namespace

BatchReport KindMapper::MapBatch(std::span<const json::Value> raw, EntitySink& sink, EntitySink* rejected) const {
  BatchReport report;
  MapRaw(*resource_, raw, report, sink, rejected, 0, [] {});
  return report;
}

void KindMapper::MapInBatches(std::span<const json::Value> raw, size_t batch_size,
                              const std::function<void(Batch&&)>& on_batch) const {
  VectorSink sink;
  BatchReport report;
  bool flushed_any = false;
  auto flush = [&] {
    Batch batch{std::move(sink.entities), std::move(report)};
    sink.entities.clear();
    report = BatchReport{};
    on_batch(std::move(batch));
  };
  MapRaw(*resource_, raw, report, sink, nullptr, resource_->items_to_parse ? batch_size : 0, [&] {
    flush();
    flushed_any = true;
  });
  // The remainder (or everything, without itemsToParse); nothing is left after an exact multiple of batch_size.
  const bool rest = report.counters.raw + report.counters.expanded > 0 || !report.diagnostics.empty();
  if (!flushed_any || rest) flush();
}

KindMapper::Batch KindMapper::MapBatch(std::span<const json::Value> raw) const {
  VectorSink sink;
  Batch batch;
  batch.report = MapBatch(raw, sink);
  batch.entities = std::move(sink.entities);
  return batch;
}

std::vector<KindMapper> MappersForKind(const std::shared_ptr<const AppConfig>& config, std::string_view kind) {
  std::vector<KindMapper> out;
  for (size_t i = 0; i < config->resources.size(); ++i) {
    if (config->resources[i].kind == kind) out.emplace_back(config, i);
  }
  return out;
}

}  // namespace sp::mapping

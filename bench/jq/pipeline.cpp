#include "pipeline.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "generate.hpp"
#include "jq/program.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

#ifdef SP_BENCH_HAVE_MAPPING
#include "mapping/app_config.hpp"
#include "mapping/defaults.hpp"
#include "mapping/entity_mapper.hpp"
#endif

namespace sp::bench {
namespace {

constexpr size_t kBatch = 500;  // the Sentry client's page is 100; the sync engine maps a few pages at once

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "bench_jq: %s\n", message.c_str());
  std::exit(1);
}

// The built-in mappings' expressions for the kinds the inline pipeline covers (copied from
// src/mapping/defaults/*.yaml, which the mapping pipeline reads itself).
struct Field {
  const char* group;  // "" (top level), "properties" or "relations"
  const char* name;
  const char* source;
};

const std::vector<Field>* InlineFields(std::string_view kind) {
  static const std::vector<Field> project = {
      {"", "identifier", ".slug"},
      {"", "title", ".name"},
      {"", "blueprint", R"("sentryProject")"},
      {"properties", "dateCreated", ".dateCreated"},
      {"properties", "platform", ".platform"},
      {"properties", "status", ".status"},
      {"properties", "link", R"(.organization.links.organizationUrl + "/projects/" + .name)"},
  };
  static const std::vector<Field> issue = {
      {"", "identifier", ".id"},
      {"", "title", ".title"},
      {"", "blueprint", R"("sentryIssue")"},
      {"properties", "link", ".permalink"},
      {"properties", "status", ".status"},
      {"properties", "isUnhandled", ".isUnhandled"},
      {"relations", "project", ".project.slug"},
  };
  static const std::vector<Field> issue_tag = {
      {"", "identifier", ".id"},
      {"", "title", ".title"},
      {"", "blueprint", R"("sentryIssue")"},
      {"properties", "link", ".permalink"},
      {"properties", "status", ".status"},
      {"properties", "isUnhandled", ".isUnhandled"},
      {"relations", "projectEnvironment", R"jq([(.project.slug as $slug | .__tags[] | "\($slug)-\(.name)")])jq"},
      {"relations", "assignedTo", ".assignedTo.email"},
  };
  if (kind == "project") return &project;
  if (kind == "issue") return &issue;
  if (kind == "issue-tag") return &issue_tag;
  return nullptr;
}

void Serialize(const json::Value& entity, std::string& buffer, Tally& tally) {
  buffer.clear();
  json::Write(entity, buffer);
  tally.bytes += buffer.size();
  ++tally.entities;
}

class InlinePipeline : public Pipeline {
 public:
  explicit InlinePipeline(const std::vector<Field>& fields) {
    for (const Field& f : fields) fields_.push_back({f, Compile(f.source)});
  }
  const char* Name() const override { return "inline"; }

  void Process(std::span<const std::string> texts, Tally& tally) const override {
    std::string buffer;
    for (const std::string& text : texts) {
      json::Value item = ParseItem(text);
      ++tally.items;
      auto keep = selector_.First(item);
      if (!keep.ok() || !(keep.value().IsBool() && keep.value().IsTruthy())) continue;
      json::Value entity = json::Value::Object();
      json::Value properties = json::Value::Object();
      json::Value relations = json::Value::Object();
      for (const auto& [field, program] : fields_) {
        auto result = program.First(item);
        json::Value v = result.ok() ? std::move(result).value() : json::Value();
        std::string_view group = field.group;
        if (group.empty()) {
          entity.Set(field.name, std::move(v));
        } else if (group == "properties") {
          properties.Set(field.name, std::move(v));
        } else {
          relations.Set(field.name, std::move(v));
        }
      }
      entity.Set("properties", std::move(properties));
      entity.Set("relations", std::move(relations));
      Serialize(entity, buffer, tally);
    }
  }

 private:
  static jq::Program Compile(const char* source) {
    jq::CompileOptions options;
    options.port_dialect = true;
    auto program = jq::Program::Compile(source, options);
    if (!program.ok()) Die(std::string("compile error in ") + source + ": " + program.error().ToString());
    return std::move(program).value();
  }

  jq::Program selector_ = Compile("true");
  std::vector<std::pair<Field, jq::Program>> fields_;
};

#ifdef SP_BENCH_HAVE_MAPPING
class SerializingSink : public mapping::EntitySink {
 public:
  explicit SerializingSink(Tally& tally) : tally_(tally) {}
  void Accept(json::Value entity) override { Serialize(entity, buffer_, tally_); }

 private:
  Tally& tally_;
  std::string buffer_;
};

class MappingPipeline : public Pipeline {
 public:
  explicit MappingPipeline(const KindSpec& spec) {
    auto profile = mapping::ParseProfile(spec.profile);
    if (!profile.ok()) Die(profile.error().ToString());
    mapping::ConfigLoad load = mapping::LoadAppConfig(mapping::DefaultMapping(profile.value()));
    if (!load.ok()) Die(load.ToError().ToString());
    mappers_ = mapping::MappersForKind(load.config, spec.kind);
    if (mappers_.empty()) Die(std::string("no resource of kind ") + spec.kind);
  }
  const char* Name() const override { return "mapping"; }

  void Process(std::span<const std::string> texts, Tally& tally) const override {
    SerializingSink sink(tally);
    std::vector<json::Value> batch;
    batch.reserve(kBatch);
    for (size_t off = 0; off < texts.size(); off += kBatch) {
      batch.clear();
      const size_t end = std::min(texts.size(), off + kBatch);
      for (size_t i = off; i < end; ++i) batch.push_back(ParseItem(texts[i]));
      tally.items += batch.size();
      for (const mapping::KindMapper& mapper : mappers_) {
        mapping::BatchReport report = mapper.MapBatch(batch, sink);
        if (report.kind_failed) Die("mapping reported a kind failure for " + mapper.kind());
      }
    }
  }

 private:
  std::vector<mapping::KindMapper> mappers_;
};
#endif

}  // namespace

const std::vector<KindSpec>& Kinds() {
  static const std::vector<KindSpec> kinds = {
      {"issue", "seed", [](int i) { return IssueText(i, false); }},
      {"project", "seed", [](int i) { return ProjectText(i, false); }},
      {"issue-tag", "default", [](int i) { return IssueText(i, true); }},
      {"project-tag", "default", [](int i) { return ProjectText(i, true); }},
      {"user", "default", UserText},
      {"team", "default", TeamText},
  };
  return kinds;
}

json::Value ParseItem(const std::string& text) {
  // SP_BENCH_JSON_ARENA=0 measures the pooled build (json::ParseOptions::arena off) for a before/after figure.
  static const json::ParseOptions options = [] {
    json::ParseOptions o;
    const char* arena = std::getenv("SP_BENCH_JSON_ARENA");
    o.arena = !(arena && std::string_view(arena) == "0");
    return o;
  }();
  auto parsed = json::Parse(text, options);
  if (!parsed.ok()) Die("generated text does not parse: " + parsed.error().ToString());
  return std::move(parsed).value();
}

std::vector<std::unique_ptr<Pipeline>> PipelinesFor(const KindSpec& spec) {
  std::vector<std::unique_ptr<Pipeline>> out;
#ifdef SP_BENCH_HAVE_MAPPING
  out.push_back(std::make_unique<MappingPipeline>(spec));
#endif
  if (const std::vector<Field>* fields = InlineFields(spec.kind))
    out.push_back(std::make_unique<InlinePipeline>(*fields));
  return out;
}

}  // namespace sp::bench

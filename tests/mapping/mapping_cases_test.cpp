// Runs every tests/mapping/**/*.yaml case (format in README.md): load the mapping, map the raw items of the kind
// through every resource of that kind, compare entities, counters, failure flag and diagnostics.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "json/parse.hpp"
#include "json/write.hpp"
#include "mapping/app_config.hpp"
#include "mapping/defaults.hpp"
#include "mapping/entity_mapper.hpp"
#include "mapping/yaml_document.hpp"

namespace sp::mapping {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> CaseFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(SP_MAPPING_CASES_DIR)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(fs::relative(entry.path(), SP_MAPPING_CASES_DIR).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<json::Value> LoadInput(const json::Value& spec, const fs::path& case_path) {
  std::vector<json::Value> items;
  if (const json::Value* inline_items = spec.Find("input")) {
    for (const json::Value& v : inline_items->Items()) items.push_back(v);
    return items;
  }
  const json::Value* file = spec.Find("input_file");
  if (file == nullptr) {
    ADD_FAILURE() << "case has neither input nor input_file";
    return items;
  }
  std::string text = ReadFile(case_path.parent_path() / std::string(file->AsString()));
  std::vector<json::Value> values;
  Status st = json::ParseSequence(text, [&](json::Value v) {
    values.push_back(std::move(v));
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  if (values.size() == 1 && values[0].IsArray()) {
    for (const json::Value& v : values[0].Items()) items.push_back(v);
  } else {
    items = std::move(values);
  }
  return items;
}

class MappingCase : public ::testing::TestWithParam<std::string> {};

TEST_P(MappingCase, ProducesExpectedEntities) {
  fs::path path = fs::path(SP_MAPPING_CASES_DIR) / GetParam();
  Result<YamlDocument> doc = ParseYaml(ReadFile(path));
  ASSERT_TRUE(doc.ok()) << doc.error().ToString();
  const json::Value& spec = doc->value;
  SCOPED_TRACE(std::string(spec.Find("name") ? spec.Find("name")->AsString() : GetParam()));

  std::string mapping_text;
  if (const json::Value* m = spec.Find("mapping")) {
    mapping_text = std::string(m->AsString());
  } else {
    const json::Value* profile = spec.Find("profile");
    ASSERT_NE(profile, nullptr) << "case needs mapping or profile";
    Result<Profile> p = ParseProfile(profile->AsString());
    ASSERT_TRUE(p.ok());
    mapping_text = std::string(DefaultMapping(*p));
  }
  ConfigLoad load = LoadAppConfig(mapping_text);
  ASSERT_TRUE(load.ok()) << load.ToError().ToString();

  std::string kind(spec.Find("kind")->AsString());
  std::vector<json::Value> input = LoadInput(spec, path);
  std::vector<KindMapper> mappers = MappersForKind(load.config, kind);
  ASSERT_FALSE(mappers.empty()) << "no resource of kind " << kind;
  VectorSink sink;
  BatchReport report;
  for (const KindMapper& mapper : mappers) report.Merge(mapper.MapBatch(input, sink));

  const json::Value& expect = *spec.Find("expect");
  if (const json::Value* entities = expect.Find("entities")) {
    ASSERT_EQ(sink.entities.size(), entities->Size())
        << "entities: " << json::ToJson(json::Value::Array(sink.entities));
    for (size_t i = 0; i < sink.entities.size(); ++i) {
      EXPECT_EQ(json::ToJson(sink.entities[i], {.sort_keys = true}), json::ToJson((*entities)[i], {.sort_keys = true}))
          << "entity " << i;
    }
  }
  if (const json::Value* counters = expect.Find("counters")) {
    const KindCounters& c = report.counters;
    for (const json::Member& m : counters->Members()) {
      std::string_view name = m.key.AsString();
      uint64_t actual = name == "raw"               ? c.raw
                        : name == "expanded"        ? c.expanded
                        : name == "filtered_out"    ? c.filtered_out
                        : name == "selector_errors" ? c.selector_errors
                        : name == "invalid"         ? c.invalid
                        : name == "mapped"          ? c.mapped
                        : name == "field_errors"    ? c.field_errors
                        : name == "null_fields"     ? c.null_fields
                                                    : ~uint64_t{0};
      EXPECT_EQ(actual, static_cast<uint64_t>(m.value.AsNumber())) << "counter " << name;
    }
  }
  if (const json::Value* failed = expect.Find("kind_failed")) {
    EXPECT_EQ(report.kind_failed, failed->AsBool());
  }
  if (const json::Value* diags = expect.Find("diagnostics")) {
    std::string all;
    for (const Diagnostic& d : report.diagnostics) all += d.ToString() + "\n";
    EXPECT_EQ(report.diagnostics.size(), diags->Size()) << all;
    for (const json::Value& want : diags->Items()) {
      EXPECT_NE(all.find(want.AsString()), std::string::npos) << "missing diagnostic: " << want.AsString() << "\n"
                                                              << all;
    }
  }
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, MappingCase, ::testing::ValuesIn(CaseFiles()), CaseName);

}  // namespace
}  // namespace sp::mapping

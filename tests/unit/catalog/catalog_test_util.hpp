#pragma once
// Shared fixtures for the catalog unit tests: JSON literals, a pinned clock and the Sentry-like blueprints
// (project <- issue) the rules are exercised on.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::catalog::testing {

inline json::Value J(std::string_view text) {
  auto v = json::Parse(text);
  if (!v.ok()) {
    ADD_FAILURE() << "bad JSON in test: " << text << ": " << v.error().ToString();
    return json::Value();
  }
  return v.value();
}

inline std::string Dump(const json::Value& v) {
  return json::ToJson(v);
}

constexpr const char* kUa = "port-ocean/sentry/0.3.153/my-sentry/exporter";
constexpr const char* kOtherUa = "port-ocean/github/1.0.0/my-github/exporter";

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(":memory:"); }

  void Reopen(const std::string& path, CatalogOptions options = {}) {
    catalog_.reset();
    if (!options.clock) options.clock = [this] { return now_us_; };
    auto opened = Catalog::Open(path, std::move(options));
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    catalog_ = std::move(opened.value());
  }

  void CreateSentryBlueprints() {
    ASSERT_TRUE(catalog_
                    ->CreateBlueprint(J(R"({"identifier":"sentryTeam","title":"Team",
      "schema":{"properties":{"projects":{"type":"array","items":{"type":"string"}}}},"relations":{}})"))
                    .ok());
    ASSERT_TRUE(catalog_
                    ->CreateBlueprint(J(R"({"identifier":"project","title":"Project","schema":{"properties":{
      "dateCreated":{"type":"string","format":"date-time"},"platform":{"type":"string"},
      "status":{"type":"string","enum":["active","disabled"]},"link":{"type":"string","format":"url"},
      "count":{"type":"number"},"tags":{"type":"array","items":{"type":"string"}},"meta":{"type":"object"},
      "owner":{"type":"string","format":"email"},"flag":{"type":"boolean"}}},
      "relations":{"team":{"target":"sentryTeam","many":false,"required":false}}})"))
                    .ok());
    ASSERT_TRUE(catalog_
                    ->CreateBlueprint(J(R"({"identifier":"issue","title":"Issue","schema":{"properties":{
      "link":{"type":"string","format":"url"},"status":{"type":"string"},"isUnhandled":{"type":"boolean"}}},
      "relations":{"project":{"target":"project","many":false,"required":false},
                   "environments":{"target":"project","many":true,"required":false}}})"))
                    .ok());
  }

  //! Upserts one entity; returns its item result (whole-call errors fail the test).
  UpsertItemResult Upsert(std::string_view bp, std::string_view entity, UpsertOptions options = {.upsert = true},
                          std::string_view ua = kUa) {
    std::vector<json::Value> items{J(entity)};
    auto r = catalog_->UpsertEntities(bp, items, options, ua);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    if (!r.ok()) return {};
    return r.value().at(0);
  }

  json::Value Get(std::string_view bp, std::string_view id) {
    auto e = catalog_->GetEntity(bp, id);
    EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message);
    return e.ok() ? e.value() : json::Value();
  }

  int64_t now_us_ = 1'700'000'000'000'000;  // 2023-11-14T22:13:20Z
  std::unique_ptr<Catalog> catalog_;
};

#define EXPECT_ITEM_ERROR(item, status_, code_)                                    \
  do {                                                                             \
    ASSERT_TRUE((item).error.has_value()) << "expected " << (code_) << ", got ok"; \
    EXPECT_EQ((item).error->status, (status_)) << (item).error->message;           \
    EXPECT_EQ((item).error->error, (code_)) << (item).error->message;              \
  } while (0)

}  // namespace sp::catalog::testing

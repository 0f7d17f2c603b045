// `sentry-port catalog` through RunCli: JSON when stdout is not a terminal, exit codes, refusals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/catalog.hpp"
#include "cli/commands.hpp"
#include "json/parse.hpp"

namespace sp::cli {
namespace {

using ::testing::HasSubstr;

class CatalogCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sp-catalog-cmd-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_ = dir_ + "/catalog.db";
    auto cat = catalog::Catalog::Open(db_);
    ASSERT_TRUE(cat.ok());
    ASSERT_TRUE((*cat)
                    ->CreateBlueprint(json::Parse(R"({"identifier":"project","title":"Project",
      "schema":{"properties":{"platform":{"type":"string"}}}})")
                                          .value())
                    .ok());
    std::vector<json::Value> items{json::Parse(R"({"identifier":"checkout","title":"Checkout",
      "properties":{"platform":"go"}})")
                                       .value()};
    ASSERT_TRUE((*cat)->UpsertEntities("project", items, {.upsert = true}, "port-ocean/sentry/1/x/exporter").ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    args.insert(args.begin(), "sentry-port");
    CliContext ctx({}, out_, err_);
    return RunCli(args, ctx, [](CLI::App& app, CliContext& c) { RegisterCatalogCommand(app, c); });
  }

  std::string dir_, db_;
  std::ostringstream out_, err_;
};

TEST_F(CatalogCommand, BlueprintsAndEntitiesAsJson) {
  ASSERT_EQ(Run({"catalog", "--db", db_, "blueprints"}), 0) << err_.str();
  auto bps = json::Parse(out_.str());
  ASSERT_TRUE(bps.ok()) << out_.str();
  ASSERT_EQ(bps->Size(), 1u);
  EXPECT_EQ((*bps)[0].Find("identifier")->AsString(), "project");

  ASSERT_EQ(Run({"catalog", "--db", db_, "entities", "project", "--json"}), 0) << err_.str();
  auto entities = json::Parse(out_.str());
  ASSERT_TRUE(entities.ok());
  ASSERT_EQ(entities->Size(), 1u);
  EXPECT_EQ((*entities)[0].Find("properties")->Find("platform")->AsString(), "go");

  ASSERT_EQ(Run({"catalog", "--db", db_, "get", "project", "checkout"}), 0);
  EXPECT_EQ(json::Parse(out_.str())->Find("title")->AsString(), "Checkout");

  ASSERT_EQ(Run({"catalog", "--db", db_, "export"}), 0);
  auto dump = json::Parse(out_.str());
  ASSERT_TRUE(dump.ok());
  EXPECT_EQ((*dump->Find("entities"))[0].Find("datasource")->AsString(), "port-ocean/sentry/1/x/exporter");
}

TEST_F(CatalogCommand, ErrorsSayWhatAndExitNonZero) {
  EXPECT_EQ(Run({"catalog", "--db", db_, "get", "project", "ghost"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("\"ghost\""));
  EXPECT_EQ(Run({"catalog", "--db", db_, "entities", "ghost"}), 1);
  EXPECT_EQ(Run({"catalog", "--db", db_, "frobnicate"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("unknown catalog action"));
  EXPECT_EQ(Run({"catalog", "--db", db_, "get", "project"}), 2);
  EXPECT_EQ(Run({"catalog", "--db", dir_ + "/missing.db", "blueprints"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("no catalog at"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/missing.db"));
  std::ofstream(dir_ + "/junk.db") << std::string(8192, 'j');
  EXPECT_EQ(Run({"catalog", "--db", dir_ + "/junk.db", "blueprints"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("is not a sentry-port catalog"));
}

}  // namespace
}  // namespace sp::cli

// Merge vs replace (§9.4 rule 12) and deletes with and without cascades (§9.5).
#include "catalog_test_util.hpp"

namespace sp::catalog::testing {
namespace {

class MergeReplace : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    CreateSentryBlueprints();
    ASSERT_FALSE(Upsert("project", R"({"identifier":"checkout"})").error);
    ASSERT_FALSE(Upsert("project", R"({"identifier":"cart"})").error);
    ASSERT_FALSE(Upsert("issue", R"({"identifier":"1","title":"Boom","icon":"Sentry",
      "properties":{"status":"unresolved","link":"https://s.io/1","isUnhandled":true},
      "relations":{"project":"checkout","environments":["checkout"]}})")
                     .error);
  }
};

TEST_F(MergeReplace, MergeChangesOnlySuppliedKeysAndNullClears) {
  auto item = Upsert("issue", R"({"identifier":"1","properties":{"status":"resolved","link":null},
                                  "relations":{"environments":null}})",
                     {.upsert = true, .merge = true});
  ASSERT_FALSE(item.error) << item.error->message;
  auto e = Get("issue", "1");
  EXPECT_EQ(e.Find("title")->AsString(), "Boom");  // unmapped top-level field survives
  EXPECT_EQ(e.Find("icon")->AsString(), "Sentry");
  EXPECT_EQ(Dump(*e.Find("properties")), R"({"status":"resolved","isUnhandled":true,"link":null})");
  EXPECT_EQ(Dump(*e.Find("relations")), R"({"project":"checkout","environments":[]})");
}

TEST_F(MergeReplace, MergeNullTitleClearsIt) {
  ASSERT_FALSE(Upsert("issue", R"({"identifier":"1","title":null})", {.upsert = true, .merge = true}).error);
  EXPECT_TRUE(Get("issue", "1").Find("title")->IsNull());
  EXPECT_EQ(Get("issue", "1").Find("properties")->Find("status")->AsString(), "unresolved");
}

TEST_F(MergeReplace, ReplaceWipesWhatWasNotSent) {
  ASSERT_FALSE(Upsert("issue", R"({"identifier":"1","relations":{"project":"cart"}})").error);
  auto e = Get("issue", "1");
  EXPECT_TRUE(e.Find("title")->IsNull());
  EXPECT_TRUE(e.Find("icon")->IsNull());
  EXPECT_EQ(Dump(*e.Find("properties")), R"({"link":null,"status":null,"isUnhandled":null})");
  EXPECT_EQ(Dump(*e.Find("relations")), R"({"project":"cart","environments":[]})");
  EXPECT_EQ(e.Find("createdAt")->AsString(), "2023-11-14T22:13:20.000Z");  // createdAt survives a replace
}

TEST_F(MergeReplace, MergeOfAMissingEntityCreatesIt) {
  auto item = Upsert("issue", R"({"identifier":"2","properties":{"status":"x"}})", {.upsert = true, .merge = true});
  ASSERT_FALSE(item.error);
  EXPECT_TRUE(item.created);
}

class Deletes : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    CreateSentryBlueprints();
    ASSERT_FALSE(Upsert("sentryTeam", R"({"identifier":"payments"})").error);
    ASSERT_FALSE(Upsert("project", R"({"identifier":"checkout","relations":{"team":"payments"}})").error);
    ASSERT_FALSE(Upsert("project", R"({"identifier":"lonely"})").error);
    ASSERT_FALSE(Upsert("issue", R"({"identifier":"1","relations":{"project":"checkout"}})").error);
    ASSERT_FALSE(Upsert("issue", R"({"identifier":"2","relations":{"environments":["checkout"]}})").error);
  }

  DeleteResult Delete(std::string_view bp, std::vector<std::string> ids, bool cascade) {
    auto r = catalog_->DeleteEntities(bp, ids, DeleteOptions{.delete_dependents = cascade});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : DeleteResult{};
  }
};

TEST_F(Deletes, RefusedWhileDependentsExist) {
  auto r = Delete("project", {"checkout", "lonely", "ghost"}, false);
  EXPECT_EQ(r.deleted, std::vector<std::string>{"lonely"});
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].first, "ghost");
  EXPECT_EQ(r.errors[0].second.status, 404);
  EXPECT_EQ(r.errors[0].second.error, "not_found");
  EXPECT_EQ(r.errors[1].first, "checkout");
  EXPECT_EQ(r.errors[1].second.status, 409);
  EXPECT_EQ(r.errors[1].second.error, "has_dependents");
  EXPECT_TRUE(Get("project", "checkout").IsObject());
}

TEST_F(Deletes, CascadeIsRecursive) {
  auto r = Delete("sentryTeam", {"payments"}, true);
  EXPECT_EQ(r.deleted, std::vector<std::string>{"payments"});
  EXPECT_EQ(r.cascaded, 3u);                         // checkout, and issues 1 and 2 through it
  EXPECT_EQ(catalog_->CountEntities().value(), 1u);  // lonely
}

TEST_F(Deletes, DependentsInTheSameRequestDoNotBlock) {
  auto r = Delete("issue", {"1", "2"}, false);
  EXPECT_EQ(r.deleted.size(), 2u);
  r = Delete("project", {"checkout"}, false);
  EXPECT_EQ(r.deleted, std::vector<std::string>{"checkout"});
}

TEST_F(Deletes, SourcesFirstThenTargetsWorksWithoutCascade) {
  EXPECT_EQ(Delete("issue", {"1"}, false).deleted.size(), 1u);
  EXPECT_EQ(Delete("project", {"checkout"}, false).errors.size(), 1u);  // issue 2 still points at it
  EXPECT_EQ(Delete("issue", {"2"}, false).deleted.size(), 1u);
  EXPECT_EQ(Delete("project", {"checkout"}, false).deleted.size(), 1u);
  EXPECT_EQ(Delete("sentryTeam", {"payments"}, false).deleted.size(), 1u);
}

TEST_F(Deletes, UnknownBlueprintIs404) {
  std::vector<std::string> ids{"x"};
  auto r = catalog_->DeleteEntities("ghost", ids, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status, 404);
}

TEST_F(Deletes, ReupsertWithoutRelationFreesTheTarget) {
  ASSERT_FALSE(Upsert("issue", R"({"identifier":"1"})").error);
  ASSERT_FALSE(Upsert("issue", R"({"identifier":"2","relations":{"environments":[]}})").error);
  EXPECT_EQ(Delete("project", {"checkout"}, false).deleted.size(), 1u);
}

}  // namespace
}  // namespace sp::catalog::testing

// Every entity-write rule of port-api.md §9.4 with the exact status and error code.
#include "catalog_test_util.hpp"

namespace sp::catalog::testing {
namespace {

class UpsertRules : public CatalogTest {
 protected:
  void SetUp() override {
    CatalogTest::SetUp();
    CreateSentryBlueprints();
    ASSERT_FALSE(Upsert("project", R"({"identifier":"checkout","title":"Checkout"})").error);
  }
};

TEST_F(UpsertRules, CreatedThenUpdatedWithStoredEntity) {
  auto created = Upsert("issue", R"({"identifier":"1","title":"Boom","properties":{"status":"unresolved"},
                                     "relations":{"project":"checkout"}})");
  ASSERT_FALSE(created.error) << created.error->message;
  EXPECT_TRUE(created.created);
  EXPECT_EQ(created.identifier, "1");
  EXPECT_EQ(Dump(created.entity), R"({"identifier":"1","title":"Boom","icon":null,"blueprint":"issue","team":[],)"
                                  R"("properties":{"status":"unresolved","link":null,"isUnhandled":null},)"
                                  R"("relations":{"project":"checkout","environments":[]},)"
                                  R"("createdAt":"2023-11-14T22:13:20.000Z","updatedAt":"2023-11-14T22:13:20.000Z"})");
  auto updated = Upsert("issue", R"({"identifier":"1","title":"Boom 2"})");
  ASSERT_FALSE(updated.error);
  EXPECT_FALSE(updated.created);
}

TEST_F(UpsertRules, UnknownBlueprintIsWholeCall404) {
  std::vector<json::Value> items{J(R"({"identifier":"x"})")};
  auto r = catalog_->UpsertEntities("ghost", items, {.upsert = true}, kUa);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status, 404);
  EXPECT_EQ(r.error().error, "not_found");
}

TEST_F(UpsertRules, IdentifierPattern) {
  for (const char* body : {R"({"identifier":"has space"})", R"({"identifier":""})", R"({"identifier":7})",
                           R"({"title":"no id"})", R"({"identifier":"a;b"})"}) {
    auto item = Upsert("project", body);
    EXPECT_ITEM_ERROR(item, 422, "invalid_identifier");
  }
  EXPECT_FALSE(Upsert("project", R"({"identifier":"a@b.c:d/e\\f=g-h_i"})").error);
}

TEST_F(UpsertRules, BodyShapeErrorsAre400) {
  EXPECT_ITEM_ERROR(Upsert("project", R"([1])"), 400, "bad_request");
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","colour":"red"})"), 400, "bad_request");
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","title":5})"), 400, "bad_request");
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","properties":[]})"), 400, "bad_request");
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","relations":"x"})"), 400, "bad_request");
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","blueprint":"issue"})"), 400, "bad_request");
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","team":{"combinator":"and","rules":[]}})"), 400,
                    "bad_request");
}

TEST_F(UpsertRules, UnknownPropertyIsSchemaMismatch) {
  auto item = Upsert("project", R"({"identifier":"p","properties":{"colour":"red"}})");
  EXPECT_ITEM_ERROR(item, 422, "blueprint_schema_mismatch");
  EXPECT_NE(item.error->message.find("entities[0].properties.colour"), std::string::npos) << item.error->message;
}

TEST_F(UpsertRules, PropertyTypes) {
  struct Case {
    const char* props;
    bool ok;
  } cases[] = {
      {R"({"platform":"python"})", true}, {R"({"platform":3})", false},   {R"({"count":3.5})", true},
      {R"({"count":"3"})", false},        {R"({"flag":false})", true},    {R"({"flag":"false"})", false},
      {R"({"tags":["a","b"]})", true},    {R"({"tags":["a",1]})", false}, {R"({"tags":"a"})", false},
      {R"({"meta":{"k":1}})", true},      {R"({"meta":[1]})", false},     {R"({"platform":null,"count":null})", true},
  };
  for (const auto& c : cases) {
    auto item = Upsert("project", std::string(R"({"identifier":"p","properties":)") + c.props + "}");
    if (c.ok) {
      EXPECT_FALSE(item.error) << c.props << ": " << item.error->message;
    } else {
      EXPECT_ITEM_ERROR(item, 422, "blueprint_schema_mismatch");
    }
  }
}

TEST_F(UpsertRules, FormatsAndEnums) {
  EXPECT_FALSE(Upsert("project", R"({"identifier":"p","properties":{"dateCreated":"2018-11-06T21:19:55.114Z",
    "link":"https://sentry.io/x","owner":"a@b.io","status":"active"}})")
                   .error);
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","properties":{"dateCreated":"yesterday"}})"), 422,
                    "blueprint_schema_mismatch");
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","properties":{"link":"not a url"}})"), 422,
                    "blueprint_schema_mismatch");
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","properties":{"owner":"nobody"}})"), 422,
                    "blueprint_schema_mismatch");
  auto bad_enum = Upsert("project", R"({"identifier":"p","properties":{"status":"pending_deletion"}})");
  EXPECT_ITEM_ERROR(bad_enum, 422, "blueprint_schema_mismatch");
  EXPECT_NE(bad_enum.error->message.find("enum"), std::string::npos);
  EXPECT_FALSE(Upsert("project", R"({"identifier":"p","properties":{"status":null}})").error);  // null allowed
}

TEST_F(UpsertRules, RequiredPropertiesAndRelations) {
  ASSERT_TRUE(catalog_
                  ->CreateBlueprint(J(R"({"identifier":"strict","schema":{"properties":{
    "name":{"type":"string"}},"required":["name"]},
    "relations":{"project":{"target":"project","required":true}}})"))
                  .ok());
  EXPECT_ITEM_ERROR(Upsert("strict", R"({"identifier":"s","relations":{"project":"checkout"}})"), 422,
                    "blueprint_schema_mismatch");
  EXPECT_ITEM_ERROR(
      Upsert("strict", R"({"identifier":"s","properties":{"name":null},"relations":{"project":"checkout"}})"), 422,
      "blueprint_schema_mismatch");
  EXPECT_ITEM_ERROR(Upsert("strict", R"({"identifier":"s","properties":{"name":"n"}})"), 422, "required_relation");
  EXPECT_ITEM_ERROR(Upsert("strict", R"({"identifier":"s","properties":{"name":"n"},"relations":{"project":null}})"),
                    422, "required_relation");
  EXPECT_FALSE(
      Upsert("strict", R"({"identifier":"s","properties":{"name":"n"},"relations":{"project":"checkout"}})").error);
  // a merge that clears a required property is refused, and the stored entity keeps it
  EXPECT_ITEM_ERROR(
      Upsert("strict", R"({"identifier":"s","properties":{"name":null}})", {.upsert = true, .merge = true}), 422,
      "blueprint_schema_mismatch");
  EXPECT_EQ(Get("strict", "s").Find("properties")->Find("name")->AsString(), "n");
}

TEST_F(UpsertRules, RelationShapes) {
  EXPECT_ITEM_ERROR(Upsert("issue", R"({"identifier":"1","relations":{"nope":"checkout"}})"), 422,
                    "blueprint_schema_mismatch");
  EXPECT_ITEM_ERROR(Upsert("issue", R"({"identifier":"1","relations":{"project":["checkout"]}})"), 422,
                    "relation_many_violation");
  EXPECT_ITEM_ERROR(Upsert("issue", R"({"identifier":"1","relations":{"environments":"checkout"}})"), 422,
                    "relation_many_violation");
  EXPECT_ITEM_ERROR(Upsert("issue", R"({"identifier":"1","relations":{"project":5}})"), 422, "relation_many_violation");
  EXPECT_ITEM_ERROR(Upsert("issue", R"({"identifier":"1","relations":{"environments":["checkout",5]}})"), 422,
                    "blueprint_schema_mismatch");
  auto ok = Upsert("issue", R"({"identifier":"1","relations":{"environments":["checkout","checkout"]}})");
  ASSERT_FALSE(ok.error);
  EXPECT_EQ(Dump(*ok.entity.Find("relations")->Find("environments")), R"(["checkout"])");
}

TEST_F(UpsertRules, MissingRelationTargetIs404UnlessPlaceholdersAllowed) {
  auto item = Upsert("issue", R"({"identifier":"1","relations":{"project":"ghost"}})");
  EXPECT_ITEM_ERROR(item, 404, "not_found");
  EXPECT_NE(item.error->message.find("\"ghost\""), std::string::npos);
  EXPECT_EQ(catalog_->GetEntity("issue", "1").error().status, 404);

  auto placed = Upsert("issue", R"({"identifier":"1","relations":{"project":"ghost","environments":["g2"]}})",
                       {.upsert = true, .create_missing_related_entities = true}, kUa);
  ASSERT_FALSE(placed.error) << placed.error->message;
  auto ghost = catalog_->Export();
  ASSERT_TRUE(ghost.ok());
  int placeholders = 0;
  for (const auto& e : ghost->Find("entities")->Items()) {
    if (e.Find("identifier")->AsString() == "ghost" || e.Find("identifier")->AsString() == "g2") {
      ++placeholders;
      EXPECT_EQ(e.Find("blueprint")->AsString(), "project");
      EXPECT_EQ(e.Find("datasource")->AsString(), kUa);  // tagged with the writer's datasource
      EXPECT_TRUE(e.Find("title")->IsNull());
    }
  }
  EXPECT_EQ(placeholders, 2);
}

TEST_F(UpsertRules, UpsertFalseOnExistingIsIdentifierTaken) {
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"checkout"})", {.upsert = false}), 409, "identifier_taken");
  EXPECT_FALSE(Upsert("project", R"({"identifier":"fresh"})", {.upsert = false}).error);
}

TEST_F(UpsertRules, ValidationOnlyWritesNothing) {
  auto item = Upsert("issue", R"({"identifier":"v","relations":{"project":"ghost"}})",
                     {.upsert = true, .create_missing_related_entities = true, .validation_only = true});
  ASSERT_FALSE(item.error);
  EXPECT_TRUE(item.created);
  EXPECT_EQ(catalog_->GetEntity("issue", "v").error().status, 404);
  EXPECT_EQ(catalog_->GetEntity("project", "ghost").error().status, 404);
  EXPECT_ITEM_ERROR(
      Upsert("issue", R"({"identifier":"v","properties":{"zzz":1}})", {.upsert = true, .validation_only = true}), 422,
      "blueprint_schema_mismatch");
}

TEST_F(UpsertRules, TeamsAreCheckedWhenConfigured) {
  CatalogOptions options;
  options.teams = {"payments", "core"};
  Reopen(":memory:", std::move(options));
  CreateSentryBlueprints();
  EXPECT_FALSE(Upsert("project", R"({"identifier":"p","team":"payments"})").error);
  auto p = Get("project", "p");
  EXPECT_EQ(Dump(*p.Find("team")), R"(["payments"])");
  EXPECT_FALSE(Upsert("project", R"({"identifier":"p","team":["payments","core"]})").error);
  EXPECT_ITEM_ERROR(Upsert("project", R"({"identifier":"p","team":["payments","ghosts"]})"), 422, "team_not_found");
}

TEST_F(UpsertRules, SearchIdentifierResolvesOrReportsUnknown) {
  auto item = Upsert("project", R"({"identifier":{"combinator":"and","rules":[
    {"property":"$title","operator":"=","value":"Checkout"}]},"properties":{"platform":"go"}})");
  ASSERT_FALSE(item.error) << item.error->message;
  EXPECT_EQ(item.identifier, "checkout");
  EXPECT_EQ(Get("project", "checkout").Find("properties")->Find("platform")->AsString(), "go");
  auto miss = Upsert("project", R"({"identifier":{"combinator":"and","rules":[
    {"property":"$title","operator":"=","value":"Nope"}]}})");
  EXPECT_ITEM_ERROR(miss, 404, "not_found");
  EXPECT_EQ(miss.identifier, "unknown");
}

TEST_F(UpsertRules, SearchRelationResolvesInTargetBlueprint) {
  ASSERT_FALSE(
      Upsert("sentryTeam", R"({"identifier":"payments","properties":{"projects":["checkout","cart"]}})").error);
  auto item = Upsert("project", R"({"identifier":"cart","relations":{"team":{"combinator":"and","rules":[
    {"property":"projects","operator":"contains","value":"cart"}]}}})");
  ASSERT_FALSE(item.error) << item.error->message;
  EXPECT_EQ(item.entity.Find("relations")->Find("team")->AsString(), "payments");
}

TEST_F(UpsertRules, BulkReportsPerItemResultsByIndex) {
  std::vector<json::Value> items{J(R"({"identifier":"ok1"})"), J(R"({"identifier":"bad id"})"),
                                 J(R"({"identifier":"ok2","properties":{"count":"x"}})"), J(R"({"identifier":"ok3"})")};
  auto r = catalog_->UpsertEntities("project", items, {.upsert = true}, kUa);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);
  EXPECT_FALSE((*r)[0].error);
  EXPECT_EQ((*r)[1].index, 1u);
  EXPECT_ITEM_ERROR((*r)[1], 422, "invalid_identifier");
  EXPECT_ITEM_ERROR((*r)[2], 422, "blueprint_schema_mismatch");
  EXPECT_FALSE((*r)[3].error);
  EXPECT_EQ(catalog_->CountEntities("project").value(), 3u);  // checkout, ok1, ok3
}

TEST_F(UpsertRules, DatasourceIsTheLastWriter) {
  ASSERT_FALSE(Upsert("project", R"({"identifier":"checkout"})", {.upsert = true}, kOtherUa).error);
  auto dump = catalog_->Export();
  EXPECT_EQ(dump->Find("entities")->Items()[0].Find("datasource")->AsString(), kOtherUa);
}

TEST_F(UpsertRules, UpdatedAtBumpOnNoopIsASwitch) {
  now_us_ += 1'000'000;
  ASSERT_FALSE(Upsert("project", R"({"identifier":"checkout","title":"Checkout"})").error);
  EXPECT_EQ(Get("project", "checkout").Find("updatedAt")->AsString(), "2023-11-14T22:13:21.000Z");
  EXPECT_EQ(Get("project", "checkout").Find("createdAt")->AsString(), "2023-11-14T22:13:20.000Z");

  CatalogOptions options;
  options.bump_updated_at_on_noop = false;
  Reopen(":memory:", std::move(options));
  CreateSentryBlueprints();
  ASSERT_FALSE(Upsert("project", R"({"identifier":"checkout","title":"Checkout"})").error);
  now_us_ += 1'000'000;
  ASSERT_FALSE(Upsert("project", R"({"identifier":"checkout","title":"Checkout"})").error);
  EXPECT_EQ(Get("project", "checkout").Find("updatedAt")->AsString(), "2023-11-14T22:13:21.000Z");
  now_us_ += 1'000'000;
  ASSERT_FALSE(Upsert("project", R"({"identifier":"checkout","title":"Changed"})").error);
  EXPECT_EQ(Get("project", "checkout").Find("updatedAt")->AsString(), "2023-11-14T22:13:23.000Z");
}

}  // namespace
}  // namespace sp::catalog::testing

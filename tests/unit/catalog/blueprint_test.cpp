#include "catalog/blueprint.hpp"

#include "catalog/timestamp.hpp"
#include "catalog_test_util.hpp"

namespace sp::catalog::testing {
namespace {

TEST(Timestamp, ParsesPortAndOceanForms) {
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestamp("2023-11-14T22:13:20.000Z"), 1'700'000'000'000'000);
  EXPECT_EQ(ParseTimestamp("2023-11-14T22:13:20.123456+00:00"), 1'700'000'000'123'456);
  EXPECT_EQ(ParseTimestamp("2023-11-15T00:13:20+02:00"), 1'700'000'000'000'000);
  EXPECT_EQ(ParseTimestamp("2023-11-14T22:13:20"), 1'700'000'000'000'000);
  EXPECT_EQ(FormatTimestamp(1'700'000'000'123'456), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
}

TEST(Timestamp, RejectsMalformedDates) {
  for (const char* bad : {"", "2023-11-14", "2023-02-30T00:00:00Z", "2023-13-01T00:00:00Z", "2023-11-14T25:00:00Z",
                          "yesterday", "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20+2", "2023-11-14T22:13:20Zjunk"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

TEST(Blueprint, IdentifierPattern) {
  for (const char* ok : {"a", "my-entity_1", "user@example.com", "a/b\\c:d=e.f"})
    EXPECT_TRUE(IsValidIdentifier(ok)) << ok;
  for (const char* bad : {"", "has space", "semi;colon", "ünï", "a#b", "q?"})
    EXPECT_FALSE(IsValidIdentifier(bad)) << bad;
}

TEST(Blueprint, Formats) {
  EXPECT_TRUE(MatchesFormat("url", "https://sentry.io/org/projects/x"));
  EXPECT_FALSE(MatchesFormat("url", "sentry.io/x"));
  EXPECT_FALSE(MatchesFormat("url", "https:// x"));
  EXPECT_TRUE(MatchesFormat("email", "a.b@example.com"));
  EXPECT_FALSE(MatchesFormat("email", "a.b@example"));
  EXPECT_FALSE(MatchesFormat("email", "@example.com"));
  EXPECT_TRUE(MatchesFormat("ipv4", "10.0.0.255"));
  EXPECT_FALSE(MatchesFormat("ipv4", "10.0.0.256"));
  EXPECT_TRUE(MatchesFormat("date-time", "2023-11-14T22:13:20Z"));
  EXPECT_FALSE(MatchesFormat("date-time", "last tuesday"));
  EXPECT_TRUE(MatchesFormat("markdown", "anything at all"));
}

TEST(Blueprint, ParseRejectsBadBodiesWithWhere) {
  struct Case {
    const char* body;
    int status;
    const char* needle;
  } cases[] = {
      {R"([1])", 400, "JSON object"},
      {R"({"title":"x"})", 422, "identifier"},
      {R"({"identifier":"bad id"})", 422, "identifier"},
      {R"({"identifier":"b","schema":{"properties":{"p":{"type":"strin"}}}})", 422, "schema.properties.p.type"},
      {R"({"identifier":"b","schema":{"properties":{"p":{"type":"string","enum":[]}}}})", 422,
       "schema.properties.p.enum"},
      {R"({"identifier":"b","schema":{"properties":{"p":{"type":"string","items":{"type":"string"}}}}})", 422,
       ".items"},
      {R"({"identifier":"b","schema":{"properties":{},"required":["nope"]}})", 422, "schema.required"},
      {R"({"identifier":"b","relations":{"r":{"many":true}}})", 422, "relations.r.target"},
      {R"({"identifier":"b","relations":{"r":{"target":"x","many":"yes"}}})", 422, "relations.r.many"},
      {R"({"identifier":"b","mirrorProperties":{"m":{"path":"nope.$title"}}})", 422, "mirrorProperties.m"},
  };
  for (const auto& c : cases) {
    auto r = ParseBlueprint(J(c.body));
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error().status, c.status) << c.body;
    EXPECT_NE(r.error().message.find(c.needle), std::string::npos) << r.error().message;
  }
}

TEST(Blueprint, CheckPropertyValueDescribesTheProblem) {
  auto bp = ParseBlueprint(J(R"({"identifier":"b","schema":{"properties":{
    "s":{"type":"string","enum":["a","b"]},"n":{"type":"number"},"arr":{"type":"array","items":{"type":"number"}}}}})"));
  ASSERT_TRUE(bp.ok());
  EXPECT_FALSE(CheckPropertyValue(*bp->FindProperty("s"), J(R"("a")")).has_value());
  EXPECT_EQ(CheckPropertyValue(*bp->FindProperty("s"), J("1")).value(), "must be a string, got number");
  EXPECT_EQ(CheckPropertyValue(*bp->FindProperty("s"), J(R"("c")")).value(),
            "is not one of the blueprint's enum values");
  EXPECT_EQ(CheckPropertyValue(*bp->FindProperty("arr"), J(R"([1,"x"])")).value(),
            "item 1 must be a number, got string");
  EXPECT_EQ(CheckPropertyValue(*bp->FindProperty("n"), J("true")).value(), "must be a number, got boolean");
}

class BlueprintRoutes : public CatalogTest {};

TEST_F(BlueprintRoutes, CreateGetPatchDelete) {
  auto created = catalog_->CreateBlueprint(J(R"({"identifier":"svc","title":"Service"})"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(Dump(*created->Find("schema")), R"({"properties":{},"required":[]})");
  EXPECT_EQ(Dump(*created->Find("relations")), "{}");
  EXPECT_EQ(created->Find("createdAt")->AsString(), "2023-11-14T22:13:20.000Z");

  auto dup = catalog_->CreateBlueprint(J(R"({"identifier":"svc"})"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().status, 409);
  EXPECT_EQ(dup.error().error, "identifier_taken");

  auto unknown_target = catalog_->CreateBlueprint(J(R"({"identifier":"x","relations":{"r":{"target":"nope"}}})"));
  ASSERT_FALSE(unknown_target.ok());
  EXPECT_EQ(unknown_target.error().status, 422);
  EXPECT_NE(unknown_target.error().message.find("\"nope\""), std::string::npos);

  EXPECT_TRUE(catalog_->CreateBlueprint(J(R"({"identifier":"self","relations":{"parent":{"target":"self"}}})")).ok());

  // staged PATCH: bare -> with relations -> full (§8.2)
  ASSERT_TRUE(catalog_->CreateBlueprint(J(R"({"identifier":"dep"})")).ok());
  auto staged = catalog_->PatchBlueprint("dep", J(R"({"relations":{"svc":{"target":"svc","many":false}}})"));
  ASSERT_TRUE(staged.ok()) << staged.error().message;
  staged = catalog_->PatchBlueprint("dep", J(R"({"schema":{"properties":{"p":{"type":"string"}}}})"));
  ASSERT_TRUE(staged.ok());
  EXPECT_EQ(Dump(*staged->Find("relations")), R"({"svc":{"target":"svc","many":false}})");
  auto bad_patch = catalog_->PatchBlueprint("dep", J(R"({"relations":{"r":{"target":"ghost"}}})"));
  ASSERT_FALSE(bad_patch.ok());
  EXPECT_EQ(bad_patch.error().status, 422);
  auto rename = catalog_->PatchBlueprint("dep", J(R"({"identifier":"other"})"));
  ASSERT_FALSE(rename.ok());
  EXPECT_EQ(rename.error().status, 422);
  auto missing = catalog_->PatchBlueprint("ghost", J("{}"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().status, 404);

  EXPECT_EQ(catalog_->GetBlueprint("ghost").error().status, 404);
  EXPECT_EQ(catalog_->DeleteBlueprint("ghost").error().status, 404);
  ASSERT_TRUE(catalog_
                  ->UpsertEntities("svc", std::vector<json::Value>{J(R"({"identifier":"a"})")},
                                   UpsertOptions{.upsert = true}, kUa)
                  .ok());
  auto busy = catalog_->DeleteBlueprint("svc");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().status, 409);
  EXPECT_EQ(busy.error().error, "has_entities");
  auto all = catalog_->DeleteAllEntities("svc", true);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(*all, 1u);
  EXPECT_EQ(catalog_->GetBlueprint("svc").error().status, 404);
  EXPECT_EQ(catalog_->ListBlueprints()->size(), 2u);  // self, dep
}

}  // namespace
}  // namespace sp::catalog::testing

// `sentry-port map` and `sentry-port defaults`, run in-process through RunCli with string streams.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/commands.hpp"
#include "json/parse.hpp"
#include "mapping/defaults.hpp"
#include "temp_dir.hpp"

namespace sp::cli {
namespace {

using ::testing::HasSubstr;

class MapCommand : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& content) { return dir_.Write(name, content); }
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    args.insert(args.begin(), "sentry-port");
    CliContext ctx({}, out_, err_);
    return RunCli(args, ctx, [](CLI::App& app, CliContext& c) {
      RegisterMapCommand(app, c);
      RegisterDefaultsCommand(app, c);
    });
  }
  sp::testing::TempDir dir_{"sp-map-test"};
  std::ostringstream out_, err_;
};

TEST_F(MapCommand, SeedProfileMapsTheSeedIssue) {
  std::string input = Write("issue.json", R"({"id":"4605173695","title":"ZeroDivisionError: division by zero",
      "permalink":"https://test-org.sentry.io/issues/4605173695/","status":"unresolved","isUnhandled":true,
      "project":{"slug":"python-fastapi"}})");
  EXPECT_EQ(Run({"map", "--profile", "seed", "--kind", "issue", "--input", input}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            R"({"identifier":"4605173695","title":"ZeroDivisionError: division by zero","blueprint":"sentryIssue",)"
            R"("properties":{"link":"https://test-org.sentry.io/issues/4605173695/","status":"unresolved",)"
            R"("isUnhandled":true},"relations":{"project":"python-fastapi"}})"
            "\n");
  EXPECT_THAT(err_.str(), HasSubstr("kind issue (resources[1]): raw 1, filtered out 0, selector errors 0, invalid 0, "
                                    "mapped 1, field errors 0"));
}

TEST_F(MapCommand, ConfigErrorsExitTwoWithTheirPath) {
  std::string mapping = Write("m.yaml",
                              "resources:\n  - kind: project\n    port: {entity: {mappings: "
                              "{identifier: .slug, blueprint: '\"p\"', properties: {link: '.a +'}}}}\n");
  EXPECT_EQ(Run({"map", "--mapping", mapping, "--kind", "project", "--input", Write("i.json", "{}")}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("error: resources[0].port.entity.mappings.properties.link: line 1, column"));
  EXPECT_EQ(out_.str(), "");

  EXPECT_EQ(Run({"map", "--kind", "projects", "--input", Write("i2.json", "{}")}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("unknown kind 'projects'; supported kinds: project, issue"));
  EXPECT_EQ(Run({"map", "--kind", "project", "--input", Write("i3.json", "{}")}), 2);
  EXPECT_THAT(err_.str(),
              HasSubstr("has no resource of kind 'project' (its kinds: user, team, project-tag, issue-tag)"));
  EXPECT_EQ(Run({"map", "--kind", "user", "--mapping", (dir_.path() / "missing.yaml").string()}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("cannot read"));
  EXPECT_EQ(Run({"map", "--kind", "user", "--mapping", Write("bad.yaml", "resources: [oops\n")}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("error: line "));
}

TEST_F(MapCommand, FailedItemsExitOne) {
  std::string input = Write("users.jsonl", "{\"email\":\"a@x.io\"}\n\"not an object\"\n{\"user\":{}}\n");
  EXPECT_EQ(Run({"map", "--kind", "user", "--input", input}), 1);
  EXPECT_EQ(out_.str().find("a@x.io") != std::string::npos, true);
  EXPECT_THAT(err_.str(), HasSubstr("raw item of kind 'user' is a string, not an object"));
  EXPECT_THAT(err_.str(), HasSubstr("identifier: evaluated to null"));
  EXPECT_THAT(err_.str(), HasSubstr("invalid 2, mapped 1"));
  EXPECT_THAT(err_.str(), HasSubstr("FAILED"));

  EXPECT_EQ(Run({"map", "--kind", "user", "--input", Write("broken.json", "[{\"email\":\"a@x.io\"},")}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("unexpected end of input"));
}

TEST_F(MapCommand, LargeJsonLinesInputIsStreamed) {
  std::string text;
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    text += R"({"id":")" + std::to_string(i) +
            R"(","title":"t","permalink":"p","status":"unresolved",)"
            R"("isUnhandled":false,"project":{"slug":"s"},"assignedTo":null,"__tags":[{"name":"production"}]})"
            "\n";
  }
  EXPECT_EQ(Run({"map", "--kind", "issue-tag", "--input", Write("big.jsonl", text)}), 0) << err_.str();
  std::string out = out_.str();
  EXPECT_EQ(static_cast<int>(std::count(out.begin(), out.end(), '\n')), n);
  EXPECT_THAT(err_.str(), HasSubstr("raw 5000, filtered out 0, selector errors 0, invalid 0, mapped 5000"));
}

TEST_F(MapCommand, DefaultsPrintsTheEmbeddedFiles) {
  EXPECT_EQ(Run({"defaults", "blueprints"}), 0);
  EXPECT_EQ(out_.str(), std::string(mapping::DefaultBlueprints()));
  EXPECT_TRUE(json::Parse(out_.str()).ok());
  EXPECT_EQ(Run({"defaults", "mapping", "--profile", "seed"}), 0);
  EXPECT_EQ(out_.str(), std::string(mapping::DefaultMapping(mapping::Profile::SEED)));
  EXPECT_EQ(Run({"defaults"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("sentryTeam"));
  EXPECT_THAT(out_.str(), HasSubstr("kind: issue-tag"));
  EXPECT_EQ(Run({"defaults", "actions"}), 2);
  EXPECT_EQ(Run({"defaults", "--profile", "prod"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("profiles: default, seed"));
}

}  // namespace
}  // namespace sp::cli

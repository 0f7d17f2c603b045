// The progress line (format, throttle, ETA only with a total, cleared once) and the summary (80 columns,
// capped lists, the JSON keys scripts rely on), on hand-made reports.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "app/progress.hpp"
#include "app/summary.hpp"
#include "base/log.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::app {
namespace {

using Clock = ProgressLine::Clock;
using std::chrono::milliseconds;

TEST(Progress, FormatShowsCountsRateAndEtaOnlyWithATotal) {
  KindProgress p;
  p.resource_index = 1;
  p.kind = "issue";
  p.fetched = 1200;
  p.mapped = 1180;
  p.written = 1100;
  std::string line = ProgressLine::Format(p, 4, std::chrono::duration<double>(2.0));
  EXPECT_EQ(line, "[2/4] issue  fetched 1,200  mapped 1,180  written 1,100  600/s");
  p.total = 3000;
  line = ProgressLine::Format(p, 4, std::chrono::duration<double>(2.0));
  EXPECT_EQ(line, "[2/4] issue  fetched 1,200/3,000  mapped 1,180  written 1,100  600/s  ETA 3s");
  p.failed = 7;
  p.fetched = 0;
  line = ProgressLine::Format(p, 4, std::chrono::duration<double>(0.0));
  EXPECT_EQ(line, "[2/4] issue  fetched 0/3,000  mapped 1,180  written 1,100  failed 7") << "no rate, no ETA yet";
  p.kind = std::string(200, 'k');
  EXPECT_EQ(ProgressLine::Format(p, 4, std::chrono::duration<double>(1.0)).size(), 79u);
}

TEST(Progress, ShortDurationAndThousands) {
  EXPECT_EQ(ShortDuration(0), "0s");
  EXPECT_EQ(ShortDuration(59.4), "59s");
  EXPECT_EQ(ShortDuration(185), "3m05s");
  EXPECT_EQ(ShortDuration(7260), "2h01m");
  EXPECT_EQ(ShortDuration(-3), "0s");
  EXPECT_EQ(GroupThousands(0), "0");
  EXPECT_EQ(GroupThousands(999), "999");
  EXPECT_EQ(GroupThousands(1000), "1,000");
  EXPECT_EQ(GroupThousands(1234567), "1,234,567");
}

TEST(Progress, RedrawsAtMostOncePerIntervalAndClearsOnce) {
  std::vector<std::string> drawn;
  auto t0 = Clock::time_point{} + std::chrono::hours(1);
  ProgressLine line(
      2, [&drawn](std::string_view s) { drawn.emplace_back(s); }, milliseconds(100), t0);
  KindProgress p;
  p.kind = "project";
  for (int i = 0; i < 50; ++i) {  // 50 updates within 49 ms: one draw
    p.fetched = static_cast<uint64_t>(i + 1);
    line.Update(p, t0 + milliseconds(i));
  }
  EXPECT_EQ(line.draws(), 1u);
  line.Update(p, t0 + milliseconds(99));
  EXPECT_EQ(line.draws(), 1u);
  line.Update(p, t0 + milliseconds(100));
  EXPECT_EQ(line.draws(), 2u);
  line.SetTotal(1, 100);
  KindProgress issues;
  issues.resource_index = 1;
  issues.kind = "issue";
  issues.fetched = 50;
  // The kind started at the previous update (t0+100ms); 50 items in 1 s: 50/s, 50 left: ETA 1s.
  line.Update(issues, t0 + milliseconds(1100));
  ASSERT_EQ(drawn.size(), 3u);
  EXPECT_EQ(drawn.back(), "[2/2] issue  fetched 50/100  mapped 0  written 0  50/s  ETA 1s");
  line.Finish();
  line.Finish();
  ASSERT_EQ(drawn.size(), 4u);
  EXPECT_EQ(drawn.back(), "") << "Finish clears the line once";
  line.Update(p, t0 + milliseconds(5000));
  EXPECT_EQ(drawn.size(), 4u) << "no drawing after Finish";
}

TEST(Progress, NothingDrawnNothingCleared) {
  int draws = 0;
  {
    ProgressLine line(1, [&draws](std::string_view) { ++draws; });
  }
  EXPECT_EQ(draws, 0);
}

TEST(Progress, UpdatesFromManyThreadsAreSafe) {
  std::atomic<int> draws{0};
  ProgressLine line(
      1, [&draws](std::string_view) { ++draws; }, milliseconds(0));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&line, t] {
      KindProgress p;
      p.kind = "issue";
      for (int i = 0; i < 200; ++i) {
        p.fetched = static_cast<uint64_t>(t * 1000 + i);
        line.Update(p);
      }
    });
  }
  for (auto& th : threads) th.join();
  line.Finish();
  EXPECT_GE(draws.load(), 2);
}

TEST(StatusLine, DrawsOnlyWithTextLogsOnATerminalAndLogLinesGoAbove) {
  std::ostringstream tty;
  InitLogging({.format = LogFormat::AUTO, .output = &tty, .output_is_tty = true});
  EXPECT_TRUE(StatusLineEnabled());
  SetStatusLine("[1/1] issue  fetched 5");
  spdlog::info("hello");
  SetStatusLine("");
  EXPECT_EQ(tty.str().rfind("\r\033[K[1/1] issue  fetched 5\r\033[K", 0), 0u) << tty.str();
  EXPECT_NE(tty.str().find("INFO hello\n[1/1] issue  fetched 5\r\033[K"), std::string::npos) << tty.str();

  std::ostringstream pipe;
  InitLogging({.format = LogFormat::AUTO, .output = &pipe, .output_is_tty = false});
  EXPECT_FALSE(StatusLineEnabled());
  SetStatusLine("[1/1] issue  fetched 5");
  spdlog::info("hello");
  EXPECT_EQ(pipe.str().find("fetched"), std::string::npos);
  EXPECT_TRUE(json::Parse(pipe.str()).ok()) << pipe.str();

  std::ostringstream json_tty;
  InitLogging({.format = LogFormat::JSON, .output = &json_tty, .output_is_tty = true});
  SetStatusLine("[1/1] issue  fetched 5");
  EXPECT_EQ(json_tty.str(), "");
  InitLogging({.format = LogFormat::AUTO, .output = nullptr, .output_is_tty = false});
}

sync::SyncReport SampleReport() {
  sync::SyncReport r;
  sync::KindReport k;
  k.kind = "issue";
  k.resource_index = 3;
  k.blueprints = {"sentryIssue"};
  k.counters.raw = 1234567;
  k.counters.mapped = 1234560;
  k.counters.filtered_out = 7;
  k.fetched = 1234567;
  k.created = 1000000;
  k.updated = 234560;
  k.failed = 20;
  k.kind_failed = true;
  for (int i = 0; i < 20; ++i) {
    k.failed_scopes.push_back({"project:p" + std::to_string(i) + "/issues", model::ScopeState::DENIED, "403"});
  }
  for (int i = 0; i < 10; ++i) k.upsert_errors.push_back("id" + std::to_string(i) + ": 422 invalid");
  r.kinds.push_back(k);
  sync::KindReport p;
  p.kind = "a-very-long-kind-name-indeed";
  p.resource_index = 0;
  p.counters.raw = 3;
  p.unchanged = 3;
  r.kinds.insert(r.kinds.begin(), p);
  r.plan.per_blueprint["sentryIssue"] = {.owned = 1300000, .stale = 12, .to_delete = 0, .skipped = 12};
  r.plan.skipped.push_back({"sentryIssue", "", "blueprint blocked: issue: denied scopes (12 stale entities kept)"});
  for (int i = 0; i < 5; ++i) {
    r.plan.skipped.push_back({"sentryProject", "p" + std::to_string(i), "related to an entity this resync wrote"});
  }
  r.plan.rate = 12.0 / 1300000.0;
  r.duration = milliseconds(1500);
  return r;
}

TEST(Summary, TableFitsEightyColumnsAndCapsLists) {
  auto report = SampleReport();
  SummaryFacts f;
  f.report = &report;
  f.target_type = "local";
  f.target = "/tmp/x.db";
  f.exit_code = 1;
  f.sentry_calls = 501;
  f.peak_rss_kb = 40 * 1024;
  std::ostringstream out;
  PrintSummaryTable(f, out);
  std::string text = out.str();
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 80u) << line;
  }
  EXPECT_NE(text.find("Resync into local catalog /tmp/x.db: INCOMPLETE"), std::string::npos) << text;
  EXPECT_NE(text.find("\nissue       !"), std::string::npos) << text;
  EXPECT_NE(text.find("1234567"), std::string::npos);
  EXPECT_NE(text.find("... and 12 more unread scopes of issue"), std::string::npos) << text;
  EXPECT_NE(text.find("... and 12 more failed writes of issue"), std::string::npos) << text;
  EXPECT_NE(text.find("  deletion skipped: sentryProject (5 entities: p0, p1, p2, ...): related to an\n    entity"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("API calls: Sentry 501, Port 0 (local target)\nDuration 1.50 s; peak memory 40 MiB"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("total"), std::string::npos);
  // Long words are cut, not left to overflow.
  report.fatal = std::string(200, 'x');
  std::ostringstream cut;
  PrintSummaryTable(f, cut);
  EXPECT_NE(cut.str().find("  stopped: " + std::string(68, 'x') + "\n    " + std::string(75, 'x') + "\n"),
            std::string::npos)
      << cut.str();
}

TEST(Summary, JsonHasTheDocumentedKeys) {
  auto report = SampleReport();
  SummaryFacts f;
  f.report = &report;
  f.target_type = "port";
  f.target = "https://api.getport.io";
  f.exit_code = 1;
  f.sentry_calls = 501;
  f.port_calls = 4160;
  f.sentry_calls_by_route = {{"org_issues", 500}, {"org_projects", 1}};
  f.peak_rss_kb = 1024;
  auto v = SummaryJson(f);
  // Round trip through the text, as a script would read it.
  auto parsed = json::Parse(json::ToJson(v));
  ASSERT_TRUE(parsed.ok());
  for (const char* key : {"summaryVersion", "dryRun", "target", "status", "exitCode", "stopped", "kinds", "deletions",
                          "apiCalls", "durationSeconds", "peakMemoryBytes"}) {
    EXPECT_NE(parsed->Find(key), nullptr) << key;
  }
  EXPECT_EQ(parsed->Find("status")->AsString(), "incomplete");
  EXPECT_EQ(parsed->Find("peakMemoryBytes")->AsNumber(), 1024.0 * 1024.0);
  EXPECT_EQ(parsed->Find("apiCalls")->Find("port")->AsNumber(), 4160.0);
  EXPECT_EQ(parsed->Find("apiCalls")->Find("sentryByRoute")->Find("org_issues")->AsNumber(), 500.0);
  EXPECT_EQ(parsed->Find("planned"), nullptr) << "only dry runs list planned changes";
  const json::Value& issue = parsed->Find("kinds")->Items()[1];
  for (const char* key : {"index",        "kind",
                          "blueprints",   "fetched",
                          "raw",          "filtered",
                          "invalid",      "selectorErrors",
                          "mapped",       "created",
                          "updated",      "unchanged",
                          "failed",       "deleted",
                          "complete",     "fetchError",
                          "failedScopes", "failedScopesTotal",
                          "writeErrors",  "writeErrorsTotal",
                          "diagnostics"}) {
    EXPECT_NE(issue.Find(key), nullptr) << key;
  }
  EXPECT_EQ(issue.Find("raw")->AsNumber(), 1234567.0);
  EXPECT_EQ(issue.Find("writeErrorsTotal")->AsNumber(), 20.0) << "the count includes what was not recorded";
  EXPECT_EQ(issue.Find("failedScopes")->Items().size(), 20u);
  const json::Value* del = parsed->Find("deletions");
  EXPECT_EQ(del->Find("blueprints")->Find("sentryIssue")->Find("skipped")->AsNumber(), 12.0);
  EXPECT_EQ(del->Find("skippedTotal")->AsNumber(), 6.0);
  EXPECT_TRUE(del->Find("skipped")->Items()[0].Find("identifier")->IsNull());
}

}  // namespace
}  // namespace sp::app

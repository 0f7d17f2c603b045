// `sentry-port sync` as the user runs it (RunCli in-process, explicit environment, string streams) against an
// in-process sentry-sim over loopback, into an embedded catalog in a temp dir: the summary's numbers against
// what the catalog holds, `--json-summary`, the target said at start, JSON log lines when stderr is not a
// terminal, the progress line only on a terminal, the token never in any output, and the exit codes.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "catalog/catalog.hpp"
#include "cli/commands.hpp"
#include "json/parse.hpp"
#include "net/http_client.hpp"
#include "simulator.hpp"

namespace sp {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The whitespace-separated cells of the summary row that starts with `first`.
std::vector<std::string> Row(const std::string& table, const std::string& first) {
  for (const auto& line : Lines(table)) {
    std::istringstream cells(line);
    std::vector<std::string> row;
    for (std::string c; cells >> c;) row.push_back(c);
    if (!row.empty() && row[0] == first) return row;
  }
  return {};
}

class SyncCli : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() / ("sp-sync-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    sentry_sim::SimulatorOptions o;
    o.generator.projects = 3;
    o.generator.issues_per_project = 40;
    o.generator.members = 6;
    o.generator.teams = 2;
    sim_ = std::make_unique<sentry_sim::Simulator>(o);
    ASSERT_TRUE(sim_->Start().ok());
  }

  void TearDown() override {
    sim_->Stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string CatalogPath() const { return (dir_ / "catalog.db").string(); }

  config::Environment Env() const {
    return {{"OCEAN__INTEGRATION__CONFIG__SENTRY_HOST", sim_->base_url()},
            {"OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN", sim_->token()},
            {"OCEAN__INTEGRATION__CONFIG__SENTRY_ORGANIZATION", sim_->org_slug()},
            {"SENTRY_PORT__LOCAL_CATALOG", CatalogPath()}};
  }

  CliRun Run(std::vector<std::string> args, const config::Environment& env, bool tty = false) {
    args.insert(args.begin(), "sentry-port");
    std::ostringstream out;
    std::ostringstream err;
    CliRun run;
    {
      cli::CliContext ctx(env, out, err, tty);
      run.code = cli::RunCli(args, ctx, [](CLI::App& app, cli::CliContext& c) { cli::RegisterSyncCommand(app, c); });
    }
    run.out = out.str();
    run.err = err.str();
    return run;
  }
  CliRun Run(std::vector<std::string> args, bool tty = false) { return Run(std::move(args), Env(), tty); }

  json::Value Control(const std::string& method, const std::string& path, const std::string& body = "") {
    net::ClientRequest r;
    r.method = method;
    r.url = sim_->base_url() + path;
    r.body = body;
    if (!body.empty()) r.headers = {{"Content-Type", "application/json"}};
    auto resp = http_.Send(r);
    EXPECT_TRUE(resp.ok());
    if (!resp.ok()) return json::Value();
    EXPECT_TRUE(resp->status == 200 || resp->status == 201) << path << ": " << resp->body;
    auto parsed = json::Parse(resp->body);
    return parsed.ok() ? *parsed : json::Value();
  }

  // Every API request the simulator answered (its control routes are not counted).
  uint64_t SimCalls() {
    auto stats = Control("GET", "/_sim/stats");
    return Num(stats, "requests");
  }

  size_t Count(const std::string& blueprint) {
    auto cat = catalog::Catalog::Open(CatalogPath());
    EXPECT_TRUE(cat.ok());
    if (!cat.ok()) return 0;
    auto n = (*cat)->CountEntities(blueprint);
    return n.ok() ? *n : 0;
  }

  static const json::Value& Kind(const json::Value& summary, const std::string& kind) {
    for (const auto& k : summary.Find("kinds")->Items()) {
      if (k.Find("kind")->AsString() == kind) return k;
    }
    static const json::Value none;
    ADD_FAILURE() << "kind " << kind << " not in the summary";
    return none;
  }

  static uint64_t Num(const json::Value& object, const char* key) {
    const json::Value* v = object.IsObject() ? object.Find(key) : nullptr;
    EXPECT_TRUE(v != nullptr && v->IsNumber()) << key;
    return v != nullptr && v->IsNumber() ? static_cast<uint64_t>(v->AsNumber()) : 0;
  }

  fs::path dir_;
  net::HttpClient http_;
  std::unique_ptr<sentry_sim::Simulator> sim_;
};

TEST_F(SyncCli, TableAndJsonSummaryMatchWhatTheCatalogHolds) {
  std::string json_file = (dir_ / "summary.json").string();
  CliRun run = Run({"sync", "--json-summary", json_file});
  ASSERT_EQ(run.code, 0) << run.err << run.out;
  std::ifstream in(json_file);
  std::stringstream text;
  text << in.rdbuf();
  auto summary = json::Parse(text.str());
  ASSERT_TRUE(summary.ok()) << text.str();

  EXPECT_EQ(summary->Find("status")->AsString(), "complete");
  EXPECT_EQ(Num(*summary, "exitCode"), 0u);
  EXPECT_FALSE(summary->Find("dryRun")->AsBool());
  EXPECT_EQ(summary->Find("target")->Find("type")->AsString(), "local");
  EXPECT_EQ(summary->Find("target")->Find("location")->AsString(), CatalogPath());
  const std::map<std::string, std::string> blueprint_of = {
      {"user", "sentryUser"}, {"team", "sentryTeam"}, {"project-tag", "sentryProject"}, {"issue-tag", "sentryIssue"}};
  for (const auto& [kind, blueprint] : blueprint_of) {
    const json::Value& k = Kind(*summary, kind);
    EXPECT_EQ(Num(k, "created"), Count(blueprint)) << kind;
    EXPECT_EQ(Num(k, "failed"), 0u) << kind;
    EXPECT_EQ(Num(k, "raw"), Num(k, "fetched")) << kind;
    // The table on stdout shows the same numbers: raw filtered invalid created updated unchanged failed deleted.
    auto row = Row(run.out, kind);
    ASSERT_EQ(row.size(), 9u) << kind << "\n" << run.out;
    EXPECT_EQ(row[1], std::to_string(Num(k, "raw"))) << kind;
    EXPECT_EQ(row[4], std::to_string(Num(k, "created"))) << kind;
    EXPECT_EQ(row[7], "0") << kind;
  }
  EXPECT_EQ(Count("sentryUser"), 6u);
  EXPECT_EQ(Count("sentryTeam"), 2u);
  EXPECT_GT(Count("sentryIssue"), 0u);
  EXPECT_GT(Num(*summary, "peakMemoryBytes"), 0u);
  EXPECT_GE(summary->Find("durationSeconds")->AsNumber(), 0.0);
  EXPECT_NE(run.out.find("Resync into local catalog " + CatalogPath() + ": complete"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("peak memory"), std::string::npos);
  for (const auto& line : Lines(run.out)) EXPECT_LE(line.size(), 80u) << "80 columns: " << line;
}

TEST_F(SyncCli, ApiCallsAreCountedWhereTheRequestsAreMade) {
  Control("POST", "/_sim/reset-stats", "{}");
  CliRun run = Run({"sync", "--json-summary"});
  ASSERT_EQ(run.code, 0) << run.err;
  auto summary = json::Parse(run.out);
  ASSERT_TRUE(summary.ok()) << "--json-summary alone prints only the JSON object on stdout\n" << run.out;
  const json::Value* calls = summary->Find("apiCalls");
  ASSERT_NE(calls, nullptr);
  EXPECT_EQ(Num(*calls, "sentry"), SimCalls()) << "every request the simulator answered, and no other";
  EXPECT_EQ(Num(*calls, "port"), 0u) << "a local target sends nothing to Port";
  uint64_t by_route = 0;
  for (const auto& [route, n] : calls->Find("sentryByRoute")->Members())
    by_route += static_cast<uint64_t>(n.AsNumber());
  EXPECT_GT(by_route, 0u);
  EXPECT_EQ(Row(run.out, "issue-tag").size(), 0u) << "no table with --json-summary";

  // '-' means the same as no value.
  CliRun dash = Run({"sync", "--json-summary", "-"});
  ASSERT_EQ(dash.code, 0) << dash.err;
  auto second = json::Parse(dash.out);
  ASSERT_TRUE(second.ok()) << dash.out;
  const json::Value& issues = Kind(*second, "issue-tag");
  EXPECT_EQ(Num(issues, "created"), 0u) << "an unchanged second resync writes nothing";
  EXPECT_EQ(Num(issues, "unchanged"), Count("sentryIssue"));
}

TEST_F(SyncCli, WithoutPortCredentialsTheDefaultLocalCatalogIsSaidAtStart) {
  config::Environment env = Env();
  env.erase("SENTRY_PORT__LOCAL_CATALOG");
  fs::path previous = fs::current_path();
  fs::current_path(dir_);
  CliRun run = Run({"sync"}, env);
  fs::current_path(previous);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(fs::exists(dir_ / "sentry-port.db")) << "the default path is ./sentry-port.db";
  // stderr is not a terminal: the notice is a JSON log line, the first one the job writes.
  bool said = false;
  for (const auto& line : Lines(run.err)) {
    auto v = json::Parse(line);
    ASSERT_TRUE(v.ok()) << "not a JSON line: " << line;
    std::string message(v->Find("message")->AsString());
    if (message.find("Target: local catalog ./sentry-port.db (no Port credentials") != std::string::npos) {
      said = true;
      EXPECT_EQ(v->Find("level")->AsString(), "info");
      break;
    }
  }
  EXPECT_TRUE(said) << run.err;
}

TEST_F(SyncCli, NotATerminalMeansJsonLogLinesAndNoProgress) {
  CliRun run = Run({"sync", "--log-level", "DEBUG"});
  ASSERT_EQ(run.code, 0) << run.err;
  auto lines = Lines(run.err);
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) {
    auto v = json::Parse(line);
    ASSERT_TRUE(v.ok()) << "not a JSON line: " << line;
    EXPECT_NE(v->Find("time"), nullptr);
    EXPECT_NE(v->Find("level"), nullptr);
    EXPECT_NE(v->Find("message"), nullptr);
  }
  EXPECT_EQ(run.err.find('\r'), std::string::npos);
  EXPECT_EQ(run.err.find("\033["), std::string::npos);
  EXPECT_EQ(run.out.find('\r'), std::string::npos);
  EXPECT_EQ(run.err.find("fetched"), std::string::npos);
}

TEST_F(SyncCli, OnATerminalTheProgressLineIsDrawnAndClearedAtTheEnd) {
  CliRun run = Run({"sync"}, /*tty=*/true);
  ASSERT_EQ(run.code, 0) << run.err;
  // The first report is always drawn (later ones at most every 100 ms, so which others appear depends on speed).
  EXPECT_NE(run.err.find("\r\033[K[1/4] user  fetched 6  mapped 6  written 6"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(" written "), std::string::npos);
  // Cleared before the summary: the last thing on stderr is the clearing sequence, nothing after it.
  ASSERT_GE(run.err.size(), 4u);
  EXPECT_EQ(run.err.substr(run.err.size() - 4), "\r\033[K") << run.err;
  EXPECT_EQ(run.out.find('\r'), std::string::npos) << "the summary on stdout never carries the progress line";
  EXPECT_EQ(run.err.find("{\"time\""), std::string::npos) << "text logs on a terminal";

  // Asked for JSON logs on a terminal: no progress line may mix into them.
  CliRun json = Run({"sync", "--log-format", "json"}, /*tty=*/true);
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_EQ(json.err.find('\r'), std::string::npos) << json.err;
  for (const auto& line : Lines(json.err)) EXPECT_TRUE(json::Parse(line).ok()) << line;
}

// The real executable with stderr on a pseudo-terminal: what a user at a terminal sees.
TEST_F(SyncCli, OnARealTerminalTheBinaryDrawsProgressAndTextLogs) {
  const char* bin_dir = std::getenv("SP_BINARY_DIR");
  if (bin_dir == nullptr) GTEST_SKIP() << "ctest sets SP_BINARY_DIR";
  std::string binary = std::string(bin_dir) + "/src/cli/sentry-port";
  ASSERT_TRUE(fs::exists(binary)) << binary;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : Env()) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string arg0 = binary;
  std::string arg1 = "sync";
  std::vector<char*> argv = {arg0.data(), arg1.data(), nullptr};
  int master = -1;
  int slave = -1;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  int out_pipe[2];
  ASSERT_EQ(::pipe(out_pipe), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // only async-signal-safe calls until exec: the parent has threads
    ::dup2(slave, 2);
    ::dup2(out_pipe[1], 1);
    ::close(master);
    ::close(slave);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(slave);
  ::close(out_pipe[1]);
  std::string terminal;
  char buf[4096];
  for (;;) {  // EIO once the child has exited and the slave side is closed
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      terminal.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  std::string stdout_text;
  for (ssize_t n; (n = ::read(out_pipe[0], buf, sizeof buf)) > 0;) stdout_text.append(buf, static_cast<size_t>(n));
  ::close(master);
  ::close(out_pipe[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << terminal << stdout_text;
  EXPECT_NE(terminal.find("\r\033[K[1/4] user  fetched 6  mapped 6  written 6"), std::string::npos) << terminal;
  EXPECT_NE(terminal.find("Target: local catalog " + CatalogPath()), std::string::npos) << terminal;
  EXPECT_EQ(terminal.find("{\"time\""), std::string::npos) << "text logs on a terminal\n" << terminal;
  EXPECT_EQ(terminal.find(sim_->token()), std::string::npos);
  EXPECT_NE(stdout_text.find("Resync into local catalog"), std::string::npos) << stdout_text;
  EXPECT_EQ(stdout_text.find('\r'), std::string::npos) << "stdout is not a terminal: no progress there";
}

TEST_F(SyncCli, TheTokenNeverAppearsInAnyOutput) {
  std::string json_file = (dir_ / "s.json").string();
  CliRun ok = Run({"sync", "--json-summary", json_file, "--log-level", "DEBUG"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  std::ifstream in(json_file);
  std::stringstream file;
  file << in.rdbuf();
  for (const std::string* text : {&ok.out, &ok.err}) {
    EXPECT_EQ(text->find(sim_->token()), std::string::npos) << *text;
  }
  EXPECT_EQ(file.str().find(sim_->token()), std::string::npos);
  CliRun tty = Run({"sync", "--log-level", "DEBUG"}, /*tty=*/true);
  EXPECT_EQ(tty.err.find(sim_->token()), std::string::npos);

  // A wrong token: a configuration error, and neither token is echoed.
  config::Environment env = Env();
  const std::string wrong = "sntryi_wrong0000000000000000000000000000000000000000000000000000000000";
  env["OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN"] = wrong;
  CliRun bad = Run({"sync"}, env);
  EXPECT_EQ(bad.code, 2) << bad.err;
  EXPECT_EQ(bad.err.find(wrong), std::string::npos) << bad.err;
  EXPECT_EQ(bad.out.find(wrong), std::string::npos);
}

TEST_F(SyncCli, PartialResyncExitsOneAndSaysWhatWasKept) {
  ASSERT_EQ(Run({"sync"}).code, 0);
  size_t issues_before = Count("sentryIssue");
  ASSERT_GT(issues_before, 0u);
  // A token that may not read issues: every project's issues are a denied scope.
  Control(
      "POST", "/_sim/tokens",
      R"({"token":"sntryi_noevents","type":"integration","scopes":["org:read","project:read","member:read","team:read"]})");
  config::Environment env = Env();
  env["OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN"] = "sntryi_noevents";
  CliRun run = Run({"sync"}, env);
  EXPECT_EQ(run.code, 1) << run.err << run.out;
  EXPECT_NE(run.out.find(": INCOMPLETE"), std::string::npos) << run.out;
  auto row = Row(run.out, "issue-tag");
  ASSERT_EQ(row.size(), 10u) << run.out;
  EXPECT_EQ(row[1], "!") << "the kind is marked as not read completely\n" << run.out;
  EXPECT_NE(run.out.find("deletion skipped: sentryIssue"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("denied"), std::string::npos) << run.out;
  EXPECT_EQ(Count("sentryIssue"), issues_before) << "what could not be read is never deleted";
  for (const auto& line : Lines(run.out)) EXPECT_LE(line.size(), 80u) << line;

  CliRun json = Run({"sync", "--json-summary"}, env);
  EXPECT_EQ(json.code, 1);
  auto summary = json::Parse(json.out);
  ASSERT_TRUE(summary.ok()) << json.out;
  EXPECT_EQ(summary->Find("status")->AsString(), "incomplete");
  EXPECT_EQ(Num(*summary, "exitCode"), 1u);
  const json::Value& issues = Kind(*summary, "issue-tag");
  EXPECT_FALSE(issues.Find("complete")->AsBool());
  EXPECT_EQ(Num(issues, "failedScopesTotal"), 3u) << "one denied scope per project";
  EXPECT_EQ(issues.Find("failedScopes")->Items()[0].Find("state")->AsString(), "denied");
}

TEST_F(SyncCli, ConfigurationErrorsExitTwoBeforeAnythingIsWritten) {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  std::vector<Case> cases = {
      {{"sync", "--target", "bogus"}, "--target: expected port, local or local:PATH, got 'bogus'"},
      {{"sync", "--target", "local:"}, "--target"},
      {{"sync", "--target", "port"}, "--target port needs OCEAN__PORT__CLIENT_ID"},
      {{"sync", "--json-summary", (dir_ / "no-such-dir" / "s.json").string()}, "--json-summary: cannot write"},
      {{"sync", "--mapping", (dir_ / "missing.yaml").string()}, "cannot read the file"},
      {{"sync", "--profile", "nope"}, "--profile"},
  };
  for (const auto& c : cases) {
    CliRun run = Run(c.args);
    EXPECT_EQ(run.code, 2) << c.args.back() << "\n" << run.err;
    EXPECT_NE(run.err.find(c.expected), std::string::npos) << run.err;
    for (const auto& line : Lines(run.err)) EXPECT_TRUE(json::Parse(line).ok()) << "JSON log line: " << line;
  }
  std::string bad_mapping = (dir_ / "bad.yaml").string();
  std::ofstream(bad_mapping) << "resources:\n  - kind: issue\n    port: 12\n";
  CliRun mapping = Run({"sync", "--mapping", bad_mapping});
  EXPECT_EQ(mapping.code, 2) << mapping.err;
  EXPECT_NE(mapping.err.find("is invalid"), std::string::npos) << mapping.err;

  config::Environment env = Env();
  env.erase("OCEAN__INTEGRATION__CONFIG__SENTRY_TOKEN");
  CliRun missing = Run({"sync"}, env);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("SENTRY_TOKEN"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(CatalogPath())) << "nothing was attempted";
}

TEST_F(SyncCli, DryRunSaysWhatWouldChangeAndWritesNothing) {
  CliRun run = Run({"sync", "--dry-run"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("Dry run into local catalog"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("dry run: created, updated and deleted are what a real resync would do"), std::string::npos);
  auto row = Row(run.out, "issue-tag");
  ASSERT_EQ(row.size(), 9u) << run.out;
  EXPECT_NE(row[4], "0") << "would create";
  EXPECT_EQ(row[4], row[1]) << "every issue read would be created";
  EXPECT_EQ(Count("sentryIssue"), 0u);
}

}  // namespace
}  // namespace sp

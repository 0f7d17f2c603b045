// bench_mapping: microseconds per entity for the mapping step (selector + all fields) with the built-in mappings,
// per kind, on one core. Objects are generated here, shaped like Sentry's (tests/mapping/data has real samples).
// Usage: bench_mapping [items-per-kind (default 20000)] [rounds (default 5)]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "json/parse.hpp"
#include "mapping/app_config.hpp"
#include "mapping/defaults.hpp"
#include "mapping/entity_mapper.hpp"

namespace {

using sp::json::Value;

Value Parse(const std::string& text) {
  return sp::json::Parse(text).value();
}

std::string Project(int i) {
  std::string slug = "service-" + std::to_string(i);
  return R"({"id":")" + std::to_string(4504931759095808LL + i) + R"(","slug":")" + slug + R"(","name":")" + slug +
         R"(","platform":"python-fastapi","dateCreated":"2023-03-31T06:18:37.290732Z","isBookmarked":false,)"
         R"("isMember":true,"features":["alert-filters","minidump","releases"],"firstEvent":null,"hasAccess":true,)"
         R"("color":"#913fbf","status":"active","organization":{"id":"4504931754901504","slug":"test-org",)"
         R"("name":"Test Org","links":{"organizationUrl":"https://test-org.sentry.io","regionUrl":"https://us.sentry.io"}}})";
}

std::string Issue(int i) {
  return R"({"id":")" + std::to_string(4605173695LL + i) + R"(","shortId":"SVC-)" + std::to_string(i) +
         R"(","title":"ZeroDivisionError: division by zero","culprit":"index","permalink":"https://test-org.sentry.io/issues/)" +
         std::to_string(4605173695LL + i) +
         R"(/","level":"error","status":"unresolved","substatus":"new","isPublic":false,"platform":"python",)"
         R"("project":{"id":"4504931759095808","name":"python-fastapi","slug":"python-fastapi","platform":"python"},)"
         R"("type":"error","metadata":{"value":"division by zero","type":"ZeroDivisionError"},"numComments":0,)"
         R"("assignedTo":{"email":"dev)" +
         std::to_string(i % 50) +
         R"(@example.com","type":"user"},"isUnhandled":true,)"
         R"("count":"12","userCount":3,"firstSeen":"2023-11-06T08:31:27.058163Z","lastSeen":"2023-11-06T08:31:27.058163Z"})";
}

Value User(int i) {
  std::string e = "dev" + std::to_string(i) + "@example.com";
  return Parse(
      R"({"id":")" + std::to_string(10909027 + i) + R"(","email":")" + e + R"(","name":")" + e +
      R"(","user":{"id":"1","name":"Dev )" + std::to_string(i) + R"(","username":")" + e +
      R"(","isActive":true,"dateJoined":"2022-01-18T22:38:13.946094Z","lastLogin":"2024-11-10T23:25:31.826834Z"},)"
      R"("orgRole":"member","pending":false,"inviteStatus":"approved","role":"member"})");
}

Value Team(int i) {
  std::string members;
  for (int m = 0; m < 5; ++m) {
    members += std::string(m ? "," : "") + R"({"id":"1","user":{"email":"dev)" + std::to_string((i + m) % 1000) +
               R"(@example.com"},"role":"member"})";
  }
  return Parse(R"({"id":")" + std::to_string(1275104 + i) + R"(","slug":"team-)" + std::to_string(i) +
               R"(","name":"Team )" + std::to_string(i) +
               R"(","dateCreated":"2021-11-16T13:25:53.617157Z","teamRole":"contributor","memberCount":5,)"
               R"("projects":[)" +
               Project(i) + "," + Project(i + 1) + R"(],"__members":[)" + members + "]}");
}

Value WithTags(const std::string& base, bool list) {
  Value v = Parse(base);
  Value tag = Parse(R"({"key":"environment","name":"production","value":"production","count":10})");
  if (list) {
    Value tags = Value::Array();
    tags.Append(tag);
    tags.Append(Parse(R"({"key":"environment","name":"staging","value":"staging","count":2})"));
    v.Set("__tags", tags);
  } else {
    v.Set("__tags", tag);
  }
  return v;
}

// CPU time of this thread: wall time is noisy while other builds share the machine's two cores.
double ThreadCpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

void Run(const char* kind, sp::mapping::Profile profile, int n, int rounds, Value (*make)(int)) {
  sp::mapping::ConfigLoad load = sp::mapping::LoadAppConfig(sp::mapping::DefaultMapping(profile));
  if (!load.ok()) {
    std::fprintf(stderr, "%s\n", load.ToError().ToString().c_str());
    std::exit(1);
  }
  std::vector<sp::mapping::KindMapper> mappers = sp::mapping::MappersForKind(load.config, kind);
  std::vector<Value> items;
  items.reserve(n);
  for (int i = 0; i < n; ++i) items.push_back(make(i));
  double best = 1e30;
  double best_cpu = 1e30;
  uint64_t mapped = 0;
  for (int r = 0; r < rounds; ++r) {
    mapped = 0;
    auto start = std::chrono::steady_clock::now();
    const double cpu_start = ThreadCpuMicros();
    for (size_t off = 0; off < items.size(); off += 500) {
      std::span<const Value> batch(items.data() + off, std::min<size_t>(500, items.size() - off));
      for (const auto& m : mappers) mapped += m.MapBatch(batch).report.counters.mapped;
    }
    double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, us);
    best_cpu = std::min(best_cpu, ThreadCpuMicros() - cpu_start);
  }
  const double per = static_cast<double>(mapped ? mapped : 1);
  std::printf("%-12s %-8s %8d items %8llu entities  %7.2f us/entity wall  %7.2f us/entity cpu\n", kind,
              sp::mapping::ProfileName(profile), n, static_cast<unsigned long long>(mapped), best / per,
              best_cpu / per);
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) != 3) load[0] = -1;
  std::printf("mapping throughput, one core, best of %d rounds, batches of 500 (load average %.2f)\n", rounds, load[0]);
  Run("user", sp::mapping::Profile::DEFAULT, n, rounds, User);
  Run("team", sp::mapping::Profile::DEFAULT, n, rounds, Team);
  Run("project-tag", sp::mapping::Profile::DEFAULT, n, rounds, [](int i) { return WithTags(Project(i), false); });
  Run("issue-tag", sp::mapping::Profile::DEFAULT, n, rounds, [](int i) { return WithTags(Issue(i), true); });
  Run("project", sp::mapping::Profile::SEED, n, rounds, [](int i) { return Parse(Project(i)); });
  Run("issue", sp::mapping::Profile::SEED, n, rounds, [](int i) { return Parse(Issue(i)); });
  return 0;
}

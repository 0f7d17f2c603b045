// JSON parse and serialize throughput on pages of realistic Sentry issue objects (sentry-api.md §2.5.2): 100
// issues per page, ~2-3 KB each, generated deterministically here. Prints MB/s; never asserts on time.
//
// Usage: bench_json_parse [seconds_per_measurement=2.5] [parse|serialize|fixed|dump (default: parse and serialize)]

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "json/parse.hpp"
#include "json/value.hpp"
#include "json/write.hpp"

namespace {

using sp::json::Member;
using sp::json::Value;

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  uint64_t U(uint64_t n) { return rng_() % n; }
  const char* Pick(std::initializer_list<const char*> xs) { return xs.begin()[U(xs.size())]; }
  std::string Words(int n) {
    static const char* const WORDS[] = {
        "cannot",  "read",  "properties", "of",          "undefined", "reading",  "id",       "connection", "refused",
        "timeout", "while", "fetching",   "user",        "cart",      "coupon",   "payment",  "declined",   "invalid",
        "token",   "null",  "pointer",    "dereference", "database",  "deadlock", "detected", "retry",      "exceeded"};
    std::string out;
    for (int i = 0; i < n; ++i) {
      if (i) out += ' ';
      out += WORDS[U(sizeof(WORDS) / sizeof(WORDS[0]))];
    }
    return out;
  }
  std::string Digits(int n) {
    std::string s(static_cast<size_t>(n), '0');
    for (char& c : s) c = static_cast<char>('0' + U(10));
    if (s[0] == '0') s[0] = '1';
    return s;
  }
  std::string Timestamp() {
    char buf[40];
    std::snprintf(buf, sizeof(buf), "202%d-%02d-%02dT%02d:%02d:%02d.%06dZ", static_cast<int>(4 + U(2)),
                  static_cast<int>(1 + U(12)), static_cast<int>(1 + U(28)), static_cast<int>(U(24)),
                  static_cast<int>(U(60)), static_cast<int>(U(60)), static_cast<int>(U(1000000)));
    return buf;
  }

 private:
  std::mt19937_64 rng_;
};

Value Obj(std::initializer_list<std::pair<const char*, Value>> kv) {
  std::vector<Member> members;
  for (const auto& [k, v] : kv) members.push_back(Member{Value::String(k), v});
  return Value::Object(std::move(members));
}

Value S(const std::string& s) {
  return Value::String(s);
}
Value N(double d) {
  return Value::Number(d);
}

// Concatenation by append: GCC 12 reports a false -Wrestrict on `"literal" + std::string` at -O2 and above.
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

Value Issue(Gen& g) {
  const std::string id = g.Digits(10);
  const std::string project = g.Pick({"checkout-api", "web-frontend", "payments", "search-service", "mobile-ios"});
  const std::string file = Cat({"app/services/", g.Pick({"cart", "user", "billing", "auth"}), ".ts"});
  const std::string fn = g.Pick({"applyCoupon", "loadUser", "chargeCard", "refreshToken", "renderPage"});
  const std::string err_type = g.Pick({"TypeError", "ReferenceError", "DatabaseError", "TimeoutError"});
  const std::string err_value = g.Words(8 + static_cast<int>(g.U(10)));
  Value stats = Value::Array();
  const double base = 1768827600;
  for (int h = 0; h < 24; ++h) {
    Value point = Value::Array();
    point.Append(N(base + 3600 * h));
    point.Append(N(static_cast<double>(g.U(50))));
    stats.Append(point);
  }
  Value assigned =
      g.U(3) == 0 ? Value()
      : g.U(2) == 0
          ? Obj({{"type", S("user")}, {"id", S(g.Digits(7))}, {"name", S("Dana Levi")}, {"email", S("dana@acme.io")}})
          : Obj({{"type", S("team")}, {"id", S(g.Digits(7))}, {"name", S("backend-team")}});
  Value annotations = Value::Array();
  for (uint64_t i = g.U(3); i > 0; --i) {
    annotations.Append(Obj({{"displayName", S(Cat({"JIRA-", g.Digits(4)}))},
                            {"url", S(Cat({"https://acme.atlassian.net/browse/JIRA-", g.Digits(4)}))}}));
  }
  return Obj({
      {"id", S(id)},
      {"shareId", Value()},
      {"shortId", S(Cat({"CHECKOUT-API-", g.Digits(2)}))},
      {"title", S(Cat({err_type, ": ", err_value}))},
      {"culprit", S(Cat({file, " in ", fn}))},
      {"permalink", S(Cat({"https://acme.sentry.io/issues/", id, "/"}))},
      {"logger", Value()},
      {"level", S(g.Pick({"error", "warning", "fatal", "info"}))},
      {"status", S(g.Pick({"unresolved", "resolved", "ignored"}))},
      {"statusDetails", g.U(4) == 0 ? Obj({{"inNextRelease", Value::Bool(true)}}) : Value::Object()},
      {"substatus", S(g.Pick({"ongoing", "escalating", "regressed", "new"}))},
      {"isPublic", Value::Bool(false)},
      {"platform", S("node")},
      {"project", Obj({{"id", S(g.Digits(16))}, {"name", S(project)}, {"slug", S(project)}, {"platform", S("node")}})},
      {"type", S("error")},
      {"metadata", Obj({{"type", S(err_type)},
                        {"value", S(Cat({err_value, " (reading 'id') \u2014 caf\u00e9 \"quoted\"\n"}))},
                        {"filename", S(file)},
                        {"function", S(fn)},
                        {"in_app_frame_mix", S("in-app-only")}})},
      {"numComments", N(static_cast<double>(g.U(10)))},
      {"assignedTo", assigned},
      {"isBookmarked", Value::Bool(g.U(5) == 0)},
      {"isSubscribed", Value::Bool(g.U(2) == 0)},
      {"subscriptionDetails", Value()},
      {"hasSeen", Value::Bool(false)},
      {"annotations", annotations},
      {"issueType", S("error")},
      {"issueCategory", S("error")},
      {"priority", S(g.Pick({"high", "medium", "low"}))},
      {"priorityLockedAt", Value()},
      {"isUnhandled", Value::Bool(true)},
      {"count", S(std::to_string(g.U(100000)))},
      {"userCount", N(static_cast<double>(g.U(5000)))},
      {"firstSeen", S(g.Timestamp())},
      {"lastSeen", S(g.Timestamp())},
      {"stats", Obj({{"24h", stats}})},
      {"lifetime", Obj({{"count", S(std::to_string(g.U(100000)))},
                        {"userCount", N(static_cast<double>(g.U(5000)))},
                        {"firstSeen", S(g.Timestamp())},
                        {"lastSeen", S(g.Timestamp())},
                        {"stats", Value()}})},
      {"filtered", Value()},
  });
}

// Rates use this thread's CPU time: on a shared 2-core machine wall time mostly measures the other processes.
// Wall-clock rates are printed beside them.
struct Clock {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = CpuNow();

  static double CpuNow() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  double Cpu() const { return CpuNow() - cpu; }
  double Wall() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(); }
};

void Report(const char* what, size_t bytes, size_t issues, const Clock& c) {
  const double cpu = c.Cpu();
  const double wall = c.Wall();
  std::printf("%-26s %8.1f MB/s CPU (%6.2f us per issue)   %8.1f MB/s wall\n", what,
              static_cast<double>(bytes) / cpu / 1e6, cpu * 1e6 / static_cast<double>(issues),
              static_cast<double>(bytes) / wall / 1e6);
}

void BenchParse(const std::vector<std::string>& pages, double budget) {
  // Parse, including freeing the result: the lifetime every caller pays.
  size_t bytes = 0;
  size_t issues = 0;
  Clock clock;
  while (clock.Cpu() < budget) {
    for (const std::string& page : pages) {
      sp::Result<Value> v = sp::json::Parse(page);
      if (!v.ok()) std::abort();
      bytes += page.size();
      issues += 100;
    }
  }
  Report("parse + free:", bytes, issues, clock);

  // The same without the per-document arena (each node allocated and freed on its own).
  sp::json::ParseOptions pooled;
  pooled.arena = false;
  bytes = 0;
  issues = 0;
  clock = Clock();
  while (clock.Cpu() < budget) {
    for (const std::string& page : pages) {
      sp::Result<Value> v = sp::json::Parse(page, pooled);
      if (!v.ok()) std::abort();
      bytes += page.size();
      issues += 100;
    }
  }
  Report("parse + free (no arena):", bytes, issues, clock);

  // The same through ParsePadded (no input copy).
  std::vector<std::string> padded = pages;
  for (std::string& p : padded) p.reserve(p.size() + sp::json::PARSE_PADDING);
  bytes = 0;
  issues = 0;
  clock = Clock();
  while (clock.Cpu() < budget) {
    for (const std::string& page : padded) {
      sp::Result<Value> v = sp::json::ParsePadded(page, page.capacity());
      if (!v.ok()) std::abort();
      bytes += page.size();
      issues += 100;
    }
  }
  Report("parse + free (no copy):", bytes, issues, clock);

  // Parse only: the values are kept until the timing ends (freeing happens outside the measurement).
  bytes = 0;
  issues = 0;
  std::vector<Value> kept;
  kept.reserve(1 << 14);
  clock = Clock();
  while (clock.Cpu() < budget / 2 && kept.size() + pages.size() < kept.capacity()) {
    for (const std::string& page : pages) {
      kept.push_back(sp::json::Parse(page).value());
      bytes += page.size();
      issues += 100;
    }
  }
  Report("parse only (no free):", bytes, issues, clock);
}

void BenchSerialize(const std::vector<std::string>& pages, double budget) {
  std::vector<Value> values;
  for (const std::string& page : pages) values.push_back(sp::json::Parse(page).value());
  size_t bytes = 0;
  size_t issues = 0;
  std::string out;
  Clock clock;
  while (clock.Cpu() < budget) {
    for (const Value& v : values) {
      out.clear();
      sp::json::Write(v, out);
      bytes += out.size();
      issues += 100;
    }
  }
  Report("serialize (compact):", bytes, issues, clock);
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = argc > 1 ? std::atof(argv[1]) : 2.5;
  const std::string only = argc > 2 ? argv[2] : "";
  Gen g(42);
  constexpr int PAGES = 16;
  std::vector<std::string> pages;
  size_t total_bytes = 0;
  for (int p = 0; p < PAGES; ++p) {
    Value page = Value::Array();
    for (int i = 0; i < 100; ++i) page.Append(Issue(g));
    pages.push_back(sp::json::ToJson(page));
    total_bytes += pages.back().size();
  }
  std::fprintf(stderr, "pages: %d x 100 issues, %.0f bytes per issue on average\n", PAGES,
               static_cast<double>(total_bytes) / (PAGES * 100.0));
  // Correctness guard: a compact page must round-trip byte for byte.
  for (const std::string& page : pages) {
    sp::Result<Value> v = sp::json::Parse(page);
    if (!v.ok() || sp::json::ToJson(*v) != page) {
      std::fprintf(stderr, "round trip failed\n");
      return 1;
    }
  }
  if (only == "dump") {
    // The pages as JSON lines, e.g. to time another parser on the same input (`jq empty`).
    for (const std::string& page : pages) std::printf("%s\n", page.c_str());
    return 0;
  }
  if (only == "fixed" || only == "fixed-pooled") {
    // A fixed amount of work, for instruction counting under callgrind: 5 passes of parse + free (fixed-pooled:
    // without the per-document arena).
    sp::json::ParseOptions options;
    options.arena = only == "fixed";
    for (int pass = 0; pass < 5; ++pass) {
      for (const std::string& page : pages) {
        if (!sp::json::Parse(page, options).ok()) return 1;
      }
    }
    return 0;
  }
  // Serialize first: after the parse runs, recycled blocks scatter the values in memory and the writer's
  // traversal then measures cache misses more than writing (about 3x slower on the 2-core reference machine).
  if (only != "parse") BenchSerialize(pages, budget);
  if (only != "serialize") BenchParse(pages, budget);
  return 0;
}

#pragma once
// Test fixture: an in-process Simulator on 127.0.0.1:0 and a raw sp::net::HttpClient to talk to it over
// loopback HTTP (never a Sentry client). Helpers parse JSON and Link headers from the raw responses.

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "json/parse.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "simulator.hpp"

namespace sp::sentry_sim::testing {

struct LinkEntry {
  std::string url, rel, results, cursor;
};

//! Parses a Link header into its entries (in order).
inline std::vector<LinkEntry> ParseLink(const std::string& h) {
  std::vector<LinkEntry> out;
  size_t pos = 0;
  while ((pos = h.find('<', pos)) != std::string::npos) {
    LinkEntry e;
    size_t end = h.find('>', pos);
    e.url = h.substr(pos + 1, end - pos - 1);
    auto attr = [&](const std::string& name) {
      size_t a = h.find(name + "=\"", end);
      size_t b = h.find('"', a + name.size() + 2);
      return h.substr(a + name.size() + 2, b - a - name.size() - 2);
    };
    e.rel = attr("rel");
    e.results = attr("results");
    e.cursor = attr("cursor");
    out.push_back(e);
    pos = end;
  }
  return out;
}

inline bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

inline bool IsLowerHex(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

//! "<13-digit ms>:<offset>:<0|1>" (keyset cursors with millisecond scores).
inline bool IsMsCursor(const std::string& c) {
  size_t a = c.find(':'), b = c.find(':', a + 1);
  if (a == std::string::npos || b == std::string::npos) return false;
  std::string_view v(c);
  return a == 13 && AllDigits(v.substr(0, a)) && AllDigits(v.substr(a + 1, b - a - 1)) &&
         (v.substr(b + 1) == "0" || v.substr(b + 1) == "1");
}

//! True when `s` contains `before` + one or more digits + `after`.
inline bool ContainsDigitsBetween(const std::string& s, const std::string& before, const std::string& after) {
  for (size_t pos = s.find(before); pos != std::string::npos; pos = s.find(before, pos + 1)) {
    size_t k = pos + before.size(), start = k;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
    if (k > start && s.compare(k, after.size(), after) == 0) return true;
  }
  return false;
}

//! A webhook target on 127.0.0.1:0 that records every request and answers with a settable status.
class Receiver {
 public:
  Receiver()
      : server_(net::HttpServerOptions{}, [this](const net::HttpRequest& r) {
          std::lock_guard lock(mu_);
          requests_.push_back(r);
          auto resp = net::HttpResponse::Json(status_, "{}");
          if (!location_.empty()) resp.headers.emplace_back("Location", location_);
          return resp;
        }) {
    EXPECT_TRUE(server_.Start().ok());
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + "/hook"; }
  std::vector<net::HttpRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  void clear() {
    std::lock_guard lock(mu_);
    requests_.clear();
  }
  void set_status(int s) {
    std::lock_guard lock(mu_);
    status_ = s;
  }
  //! A Location header on every answer (redirect tests).
  void set_location(std::string l) {
    std::lock_guard lock(mu_);
    location_ = std::move(l);
  }

 private:
  std::mutex mu_;
  std::vector<net::HttpRequest> requests_;
  int status_ = 204;
  std::string location_;
  net::HttpServer server_;
};

class SimTest : public ::testing::Test {
 protected:
  //! Override to adjust options before the simulator starts.
  virtual void Configure(SimulatorOptions& o) { (void)o; }

  void SetUp() override {
    SimulatorOptions o;
    o.generator.projects = 5;
    o.generator.issues_per_project = 100;
    o.generator.members = 30;
    o.generator.teams = 6;
    o.time_scale = 0;                       // frozen rate-limit clock: windows move only through /_sim/clock
    o.rate_limits.budget_multiplier = 100;  // rate-limit tests set it back to 1
    Configure(o);
    sim_ = std::make_unique<Simulator>(o);
    ASSERT_TRUE(sim_->Start().ok());
    client_ = std::make_unique<net::HttpClient>();
  }
  void TearDown() override {
    client_.reset();
    sim_->Stop();
  }

  net::ClientResponse Get(const std::string& path_and_query, const std::string* token = nullptr) {
    net::ClientRequest r;
    r.url = sim_->base_url() + path_and_query;
    r.headers = {{"Authorization", "Bearer " + (token ? *token : sim_->token())}};
    auto res = client_->Send(r);
    EXPECT_TRUE(res.ok()) << path_and_query << ": " << (res.ok() ? "" : res.error().ToString());
    return res.ok() ? *res : net::ClientResponse{};
  }
  net::ClientResponse Raw(net::ClientRequest r) {
    r.url = sim_->base_url() + r.url;
    auto res = client_->Send(r);
    EXPECT_TRUE(res.ok()) << r.url;
    return res.ok() ? *res : net::ClientResponse{};
  }
  net::ClientResponse Post(const std::string& path, const std::string& body) {
    net::ClientRequest r;
    r.method = "POST";
    r.url = path;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}};
    return Raw(r);
  }
  static json::Value Json(const net::ClientResponse& r) {
    auto v = json::Parse(r.body);
    EXPECT_TRUE(v.ok()) << r.body.substr(0, 200);
    return v.ok() ? *v : json::Value();
  }
  //! Copies of an array's items (safe in range-for over a temporary).
  static std::vector<json::Value> Items(const json::Value& v) {
    if (!v.IsArray()) return {};
    return std::vector<json::Value>(v.Items().begin(), v.Items().end());
  }
  static std::string Str(const json::Value& v, std::string_view key) {
    const json::Value* x = v.Find(key);
    return x && x->IsString() ? std::string(x->AsString()) : std::string("<missing>");
  }
  std::string Org() const { return "/api/0/organizations/" + sim_->org_slug() + "/"; }

  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<net::HttpClient> client_;
};

}  // namespace sp::sentry_sim::testing

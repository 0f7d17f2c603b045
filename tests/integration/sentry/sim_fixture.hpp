#pragma once
// Shared pieces of the Sentry client integration tests: an in-process sentry-sim on loopback, a client bound to
// it, a sink that collects what the kinds deliver, and helpers for the simulator's /_sim/ control endpoints.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "json/parse.hpp"
#include "net/http_client.hpp"
#include "sentry/client.hpp"
#include "sentry/kinds/registry.hpp"
#include "simulator.hpp"

namespace sp::sentry::testing {

class CollectSink : public model::RawSink {
 public:
  bool OnBatch(std::string_view, std::vector<json::Value>&& batch) override {
    std::lock_guard lock(mu);
    for (auto& i : batch) items.push_back(std::move(i));
    ++batches;
    return true;
  }
  void OnScope(std::string_view, const model::ScopeStatus& s) override {
    std::lock_guard lock(mu);
    scopes.push_back(s);
  }
  std::mutex mu;
  std::vector<json::Value> items;
  std::vector<model::ScopeStatus> scopes;
  int batches = 0;
};

inline std::string Str(const json::Value& v, const char* key) {
  const json::Value* f = v.IsObject() ? v.Find(key) : nullptr;
  return f != nullptr && f->IsString() ? std::string(f->AsString()) : std::string();
}

//! The first non-complete scope's reason, for failure messages.
inline std::string FirstProblem(const model::FetchReport& report) {
  for (const auto& s : report.scopes) {
    if (s.state != model::ScopeState::COMPLETE) return s.scope + ": " + s.reason;
  }
  return report.aborted ? "aborted" : "";
}

class SimFixture : public ::testing::Test {
 protected:
  //! Generator size; tests that need another shape override it.
  virtual void Configure(sentry_sim::SimulatorOptions& o) {
    o.generator.projects = 3;
    o.generator.issues_per_project = 300;
    o.generator.members = 9;
    o.generator.teams = 3;
  }

  void SetUp() override {
    sentry_sim::SimulatorOptions o;
    Configure(o);
    sim_ = std::make_unique<sentry_sim::Simulator>(o);
    ASSERT_TRUE(sim_->Start().ok());
    client_ = MakeClient(sim_->token());
    ASSERT_TRUE(client_->Connect().ok());
  }
  void TearDown() override { sim_->Stop(); }

  //! A client of the simulator with short test delays; `tweak` adjusts its options.
  std::unique_ptr<SentryClient> MakeClient(const std::string& token,
                                           const std::function<void(SentryClientOptions&)>& tweak = {}) {
    SentryClientOptions so;
    so.host = sim_->base_url();
    so.token = token;
    so.organization = sim_->org_slug();
    so.retry.base_delay = std::chrono::milliseconds(5);
    so.rate_limits.min_429_wait = std::chrono::milliseconds(50);
    if (tweak) tweak(so);
    return std::make_unique<SentryClient>(so, http_);
  }

  Result<model::FetchReport> Fetch(const std::string& kind, const char* selector, CollectSink& sink,
                                   SentryClient* client = nullptr) {
    auto source = kinds::MakeKind(kind, client != nullptr ? *client : *client_);
    return source->Fetch(json::Parse(selector).value(), sink);
  }

  net::ClientResponse Control(const std::string& method, const std::string& path, const std::string& body = "") {
    net::ClientRequest r;
    r.method = method;
    r.url = sim_->base_url() + path;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + sim_->token()}};
    return http_.Send(r).value();
  }

  //! GET /_sim/<path> parsed.
  json::Value ControlJson(const std::string& path) {
    auto r = Control("GET", "/_sim/" + path);
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = json::Parse(r.body);
    EXPECT_TRUE(v.ok());
    return v.ok() ? std::move(v).value() : json::Value();
  }

  //! POST /_sim/config.
  void SetSimConfig(const std::string& config_json) {
    auto r = Control("POST", "/_sim/config", config_json);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  net::HttpClient http_;
  std::unique_ptr<sentry_sim::Simulator> sim_;
  std::unique_ptr<SentryClient> client_;
};

}  // namespace sp::sentry::testing

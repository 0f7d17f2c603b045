// port-sim: a strict fake Port API on loopback (see docs/port-sim.md).
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <sstream>

#include "net/http_server.hpp"
#include "port-sim/port_sim.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) {
  g_stop = 1;
}
}  // namespace

int main(int argc, char** argv) {
  sp::port_sim::PortSimOptions options;
  std::string port_file, teams;
  bool no_bump = false;
  CLI::App app{"port-sim: a strict fake of Port's REST API for tests (loopback only)"};
  app.add_option("--listen", options.listen, "HOST:PORT to listen on (loopback only; port 0 = ephemeral)");
  app.add_option("--port-file", port_file, "write the bound port to this file once listening");
  app.add_option("--db", options.db, "catalog file, or :memory:");
  app.add_option("--client-id", options.client_id, "the accepted clientId")->required();
  app.add_option("--client-secret", options.client_secret, "the accepted clientSecret")->required();
  app.add_option("--token-lifetime", options.token_lifetime_seconds, "expiresIn of issued tokens, in seconds");
  app.add_option("--teams", teams, "comma-separated known teams (default: any team name is accepted)");
  app.add_option("--faults", options.faults_json, "initial fault configuration (JSON, as POST /_sim/config)");
  app.add_option("--threads", options.threads, "HTTP worker threads");
  app.add_flag("--no-bump-updated-at", no_bump, "keep updatedAt on upserts that change nothing");
  CLI11_PARSE(app, argc, argv);
  options.bump_updated_at_on_noop = !no_bump;
  std::stringstream ss(teams);
  for (std::string t; std::getline(ss, t, ',');) {
    if (!t.empty()) options.teams.push_back(t);
  }
  auto sim = sp::port_sim::PortSim::Start(options);
  if (!sim.ok()) {
    std::fprintf(stderr, "port-sim: %s\n", sim.error().ToString().c_str());
    return 2;
  }
  if (!port_file.empty()) {
    if (auto s = sp::net::WritePortFile(port_file, (*sim)->port()); !s.ok()) {
      std::fprintf(stderr, "port-sim: %s\n", s.error().ToString().c_str());
      return 2;
    }
  }
  std::fprintf(stderr, "port-sim: listening on %s (db %s)\n", (*sim)->base_url().c_str(), options.db.c_str());
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  while (g_stop == 0) pause();
  (*sim)->Stop();
  return 0;
}

// HTTP server throughput: our HttpServer (2 worker threads) on 127.0.0.1, driven by `wrk` with keep-alive
// connections sending a small JSON POST. Prints requests/s and latency percentiles as wrk measured them.
// Usage: bench_http_server [seconds=5] [connections=32] [wrk_threads=2] [server_threads=2]

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "net/http_server.hpp"

namespace {

// wrk prints latencies as "812.00us", "1.23ms" or "1.01s".
double ToMilliseconds(const std::string& text) {
  const double value = std::strtod(text.c_str(), nullptr);
  if (text.find("us") != std::string::npos) return value / 1000.0;
  if (text.find("ms") != std::string::npos) return value;
  if (text.find('s') != std::string::npos) return value * 1000.0;
  return value;
}

// CPU time of this process only (wrk is a child and not counted): the server's cost per request does not
// depend on how busy the machine is, unlike requests/s.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int Arg(int argc, char** argv, int index, int fallback) {
  return argc > index ? std::atoi(argv[index]) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int seconds = Arg(argc, argv, 1, 5);
  const int connections = Arg(argc, argv, 2, 32);
  const int wrk_threads = Arg(argc, argv, 3, 2);
  const int server_threads = Arg(argc, argv, 4, 2);

  sp::net::HttpServerOptions options;
  options.address = "127.0.0.1";
  options.threads = server_threads;
  sp::net::HttpServer server(options, [](const sp::net::HttpRequest& request) {
    // Touch the body the way a webhook handler would before answering.
    const bool has_action = request.body.find("\"action\"") != std::string::npos;
    return sp::net::HttpResponse::Json(200, has_action ? "{\"ok\":true}" : "{\"ok\":false}");
  });
  if (const auto status = server.Start(); !status.ok()) {
    std::cerr << "cannot start server: " << status.error().ToString() << "\n";
    return 1;
  }

  char script_path[] = "/tmp/bench_http_server_XXXXXX.lua";
  const int fd = mkstemps(script_path, 4);
  if (fd < 0) {
    std::cerr << "cannot create the wrk script\n";
    return 1;
  }
  close(fd);
  {
    std::ofstream script(script_path);
    script << "wrk.method = \"POST\"\n"
              "wrk.body = '{\"action\":\"created\",\"data\":{\"issue\":{\"id\":\"4711\",\"title\":\"TypeError\"}}}'\n"
              "wrk.headers[\"Content-Type\"] = \"application/json\"\n";
  }

  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/webhook";
  const std::string command = "wrk -t" + std::to_string(wrk_threads) + " -c" + std::to_string(connections) + " -d" +
                              std::to_string(seconds) + "s --latency -s " + script_path + " " + url + " 2>&1";
  const double cpu_before = ProcessCpuSeconds();
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    std::cerr << "cannot run wrk (install the Debian package `wrk`)\n";
    std::remove(script_path);
    return 1;
  }
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int wrk_status = pclose(pipe);
  const double server_cpu = ProcessCpuSeconds() - cpu_before;
  std::remove(script_path);
  server.Stop();
  if (wrk_status != 0) {
    std::cerr << "wrk failed:\n" << output;
    return 1;
  }

  double requests_per_second = -1;
  double p50 = -1, p99 = -1;
  long errors = 0;
  double total_requests = 0;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string first, second;
    words >> first >> second;
    if (first == "Requests/sec:") requests_per_second = std::strtod(second.c_str(), nullptr);
    if (line.find(" requests in ") != std::string::npos) total_requests = std::strtod(first.c_str(), nullptr);
    if (first == "50%") p50 = ToMilliseconds(second);
    if (first == "99%") p99 = ToMilliseconds(second);
    if (first == "Non-2xx" || first == "Socket") errors += 1;
  }
  std::cout << "wrk -t" << wrk_threads << " -c" << connections << " -d" << seconds
            << "s, small JSON POST, keep-alive, server threads=" << server_threads << "\n";
  std::printf("http_server: %.0f requests/s, p50 %.3f ms, p99 %.3f ms (target: 20000 requests/s)\n",
              requests_per_second, p50, p99);
  if (total_requests > 0) {
    std::printf("http_server: %.1f us of server CPU per request (%.0f requests)\n", server_cpu * 1e6 / total_requests,
                total_requests);
  }
  if (errors > 0 || requests_per_second < 0) {
    std::cout << "wrk reported errors or unparsable output:\n" << output;
    return 1;
  }
  return 0;
}

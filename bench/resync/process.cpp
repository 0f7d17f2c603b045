#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace sp::bench {

Child::~Child() {
  Stop();
}

bool Child::Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                  const std::string& log_path) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  start_ = std::chrono::steady_clock::now();
  int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) pid_ = -1;
  return rc == 0;
}

ChildUsage Child::Wait() {
  ChildUsage u;
  if (pid_ < 0) return u;
  int status = 0;
  rusage ru{};
  pid_t r;
  do {
    r = wait4(pid_, &status, 0, &ru);
  } while (r < 0 && errno == EINTR);
  auto end = std::chrono::steady_clock::now();
  pid_ = -1;
  u.wall_seconds = std::chrono::duration<double>(end - start_).count();
  u.user_seconds = static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6;
  u.system_seconds = static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6;
  u.peak_rss_kb = ru.ru_maxrss;
  u.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return u;
}

void Child::Stop() {
  if (pid_ < 0) return;
  kill(pid_, SIGTERM);
  Wait();
}

std::optional<int> WaitForPortFile(const std::string& path, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) return port;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

}  // namespace sp::bench

#pragma once
// Child processes of bench_resync: the simulators and the `sentry-port sync` runs are separate programs, so
// getrusage/wait4 figures of a sync are the sync's alone (CPU and peak RSS), never the simulators'.
// Children get an explicit environment (nothing inherited) and their output goes to files in the scratch dir.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sp::bench {

struct ChildUsage {
  int exit_code = -1;         //!< -1 when killed by a signal
  double wall_seconds = 0;    //!< spawn to exit
  double user_seconds = 0;    //!< CPU in user mode
  double system_seconds = 0;  //!< CPU in the kernel
  long peak_rss_kb = 0;       //!< ru_maxrss of the child
};

//! A spawned program; the destructor stops it (SIGTERM, then waits).
class Child {
 public:
  Child() = default;
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  Child(Child&& other) noexcept : pid_(std::exchange(other.pid_, -1)), start_(other.start_) {}

  //! Starts `argv[0]` with exactly `env`, stdout and stderr appended to `log_path`. False on failure.
  bool Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& log_path);
  //! Waits for the exit and returns what it cost.
  ChildUsage Wait();
  //! SIGTERM and wait (no-op when not running).
  void Stop();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::chrono::steady_clock::time_point start_{};
};

//! Waits up to `timeout` for `path` to hold a port number (what --port-file writes).
std::optional<int> WaitForPortFile(const std::string& path, std::chrono::milliseconds timeout);

}  // namespace sp::bench

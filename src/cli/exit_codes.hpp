#pragma once
// The process exit codes of sentry-port, decided in this one place (conventions §5).

namespace sp::cli {

enum class ExitCode : int {
  OK = 0,            //!< the command did what was asked
  RUN_FAILED = 1,    //!< the command ran and failed (a failed or partial resync, an I/O failure, a bug)
  CONFIG_ERROR = 2,  //!< bad configuration or usage: nothing was attempted
};

constexpr int ToInt(ExitCode code) {
  return static_cast<int>(code);
}

}  // namespace sp::cli

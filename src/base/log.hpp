#pragma once
// Logging set-up: installs spdlog's default logger with our one sink, which passes every line through Redact()
// (base/redact.hpp) before it is written. Human text on a TTY, JSON lines otherwise or on request:
//   {"time":"2026-11-28T20:13:00.123Z","level":"info","message":"...","logger":"sentry-port"}
// Call sites use spdlog directly (spdlog::info(...)). InitLogging may be called again (e.g. once the
// configuration is known); it replaces the default logger atomically as spdlog does.

#include <ostream>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace sp {

//! Ocean's level names (APPLICATION__LOG_LEVEL).
enum class LogLevel { DEBUG, INFO, WARNING, ERROR, CRITICAL };

enum class LogFormat {
  AUTO,  //!< text when the output is a terminal, JSON lines otherwise
  TEXT,
  JSON,
};

struct LogOptions {
  LogLevel level = LogLevel::INFO;
  LogFormat format = LogFormat::AUTO;
  //! Where lines go; nullptr means stderr. Tests pass a std::ostringstream, which must outlive the logger (until
  //! the next InitLogging).
  std::ostream* output = nullptr;
  //! For AUTO with an explicit `output` (stderr is checked with isatty).
  bool output_is_tty = false;
  std::string logger_name = "sentry-port";
};

//! Installs the default logger. Never fails: options are already validated values.
void InitLogging(const LogOptions& options);

//! "DEBUG", "INFO", "WARNING" (also "WARN"), "ERROR", "CRITICAL", case-insensitive. The error message lists the
//! valid names; the caller adds which variable or flag held the value.
Result<LogLevel> ParseLogLevel(std::string_view text);
//! "auto", "text", "json", case-insensitive.
Result<LogFormat> ParseLogFormat(std::string_view text);
//! "DEBUG", ..., "CRITICAL".
const char* LogLevelName(LogLevel level);
//! "auto", "text", "json".
const char* LogFormatName(LogFormat format);
//! AUTO resolved against whether the output is a terminal.
LogFormat ResolveLogFormat(LogFormat format, bool is_tty);

//! Shows `text` as the live status line (a progress display) below the log lines, replacing the previous one;
//! "" removes it. Only when the current logger writes text to a terminal (otherwise a no-op, so a status line
//! never mixes into JSON logs or a file); log lines written meanwhile appear above it. Thread-safe. The text
//! passes through Redact() and must fit one terminal line (no newline).
void SetStatusLine(std::string_view text);
//! Whether SetStatusLine() currently draws anything (text logs on a terminal).
bool StatusLineEnabled();

//! Appends `text` as a quoted JSON string ("\"...\"", control characters and quotes escaped). For the few
//! dumps that must stay below sp_json in the dependency graph (log lines, `sentry-port config --json`).
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace sp

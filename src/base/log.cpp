#include "base/log.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>

#include "base/redact.hpp"

namespace sp {
namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::DEBUG: return spdlog::level::debug;
    case LogLevel::INFO: return spdlog::level::info;
    case LogLevel::WARNING: return spdlog::level::warn;
    case LogLevel::ERROR: return spdlog::level::err;
    case LogLevel::CRITICAL: return spdlog::level::critical;
  }
  return spdlog::level::info;
}

// Level names as users know them from Ocean, not spdlog's "warn"/"err".
const char* LineLevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warning";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "info";
  }
}

// "2026-11-28T20:13:00.123Z" (JSON) or "2026-11-28 20:13:00.123" (text), always UTC.
std::string FormatTime(spdlog::log_clock::time_point when, bool iso) {
  auto since_epoch = when.time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer),
                iso ? "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" : "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buffer;
}

// The live status line and where it is drawn; one per process, like the default logger. Every write to the log
// output happens under its mutex so that a log line and a status redraw never interleave.
struct TerminalStatus {
  std::mutex mu;
  std::ostream* output = nullptr;  // nullptr: stderr
  bool enabled = false;            // text logs on a terminal
  std::string line;                // what is drawn now ("" = nothing)
};

TerminalStatus& Terminal() {
  static TerminalStatus status;
  return status;
}

// "\r" + erase to the end of the line: the cursor is back at column 0 of an empty line.
constexpr std::string_view kClearLine = "\r\033[K";

void WriteTo(std::ostream* output, std::string_view text) {
  if (output != nullptr) {
    output->write(text.data(), static_cast<std::streamsize>(text.size()));
    output->flush();
  } else {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  }
}

// The only sink we install: every byte that reaches the output went through Redact().
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  RedactingSink(std::ostream* output, bool json) : output_(output), json_(json) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string message = Redact(std::string_view(msg.payload.data(), msg.payload.size()));
    std::string logger = Redact(std::string_view(msg.logger_name.data(), msg.logger_name.size()));
    std::string line;
    if (json_) {
      line += "{\"time\":\"";
      line += FormatTime(msg.time, true);
      line += "\",\"level\":\"";
      line += LineLevelName(msg.level);
      line += "\",\"message\":";
      AppendJsonString(line, message);
      line += ",\"logger\":";
      AppendJsonString(line, logger);
      line += "}\n";
      // A secret could only reappear through escaping; Redact knows the JSON-escaped forms too.
      line = Redact(line);
    } else {
      line += FormatTime(msg.time, false);
      line += ' ';
      line += Upper(LineLevelName(msg.level));
      line += ' ';
      line += message;
      line += '\n';
    }
    TerminalStatus& status = Terminal();
    std::lock_guard lock(status.mu);
    if (!json_ && status.enabled && !status.line.empty() && status.output == output_) {
      // The log line takes the status line's place and the status line is drawn again below it.
      line = std::string(kClearLine) + line + status.line;
    }
    WriteTo(output_, line);
  }

  void flush_() override {
    if (output_ != nullptr) {
      output_->flush();
    } else {
      std::fflush(stderr);
    }
  }

 private:
  std::ostream* output_;
  bool json_;
};

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char HEX[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20 || u == 0x7F) {
          out += "\\u00";
          out += HEX[u >> 4];
          out += HEX[u & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

Result<LogLevel> ParseLogLevel(std::string_view text) {
  std::string upper = Upper(text);
  if (upper == "DEBUG") return LogLevel::DEBUG;
  if (upper == "INFO") return LogLevel::INFO;
  if (upper == "WARNING" || upper == "WARN") return LogLevel::WARNING;
  if (upper == "ERROR") return LogLevel::ERROR;
  if (upper == "CRITICAL") return LogLevel::CRITICAL;
  return Error(ErrorCode::INVALID_ARGUMENT,
               "unknown log level '" + std::string(text) + "' (valid: DEBUG, INFO, WARNING, ERROR, CRITICAL)");
}

Result<LogFormat> ParseLogFormat(std::string_view text) {
  std::string upper = Upper(text);
  if (upper == "AUTO") return LogFormat::AUTO;
  if (upper == "TEXT") return LogFormat::TEXT;
  if (upper == "JSON") return LogFormat::JSON;
  return Error(ErrorCode::INVALID_ARGUMENT, "unknown log format '" + std::string(text) + "' (valid: auto, text, json)");
}

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::DEBUG: return "DEBUG";
    case LogLevel::INFO: return "INFO";
    case LogLevel::WARNING: return "WARNING";
    case LogLevel::ERROR: return "ERROR";
    case LogLevel::CRITICAL: return "CRITICAL";
  }
  return "INFO";
}

const char* LogFormatName(LogFormat format) {
  switch (format) {
    case LogFormat::AUTO: return "auto";
    case LogFormat::TEXT: return "text";
    case LogFormat::JSON: return "json";
  }
  return "auto";
}

LogFormat ResolveLogFormat(LogFormat format, bool is_tty) {
  if (format != LogFormat::AUTO) return format;
  return is_tty ? LogFormat::TEXT : LogFormat::JSON;
}

void SetStatusLine(std::string_view text) {
  TerminalStatus& status = Terminal();
  std::lock_guard lock(status.mu);
  if (!status.enabled) return;
  std::string line = Redact(text);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (line.empty() && status.line.empty()) return;
  status.line = std::move(line);
  WriteTo(status.output, std::string(kClearLine) + status.line);
}

bool StatusLineEnabled() {
  TerminalStatus& status = Terminal();
  std::lock_guard lock(status.mu);
  return status.enabled;
}

void InitLogging(const LogOptions& options) {
  bool is_tty = options.output == nullptr ? ::isatty(::fileno(stderr)) != 0 : options.output_is_tty;
  bool json = ResolveLogFormat(options.format, is_tty) == LogFormat::JSON;
  {
    TerminalStatus& status = Terminal();
    std::lock_guard lock(status.mu);
    if (status.enabled && !status.line.empty()) WriteTo(status.output, kClearLine);
    status.line.clear();
    status.output = options.output;
    status.enabled = !json && is_tty;
  }
  auto sink = std::make_shared<RedactingSink>(options.output, json);
  auto logger = std::make_shared<spdlog::logger>(options.logger_name, std::move(sink));
  logger->set_level(ToSpdlog(options.level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace sp

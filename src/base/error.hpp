#pragma once
// Error values shared by every module. Expected failures (an HTTP status, a denied scope, a jq runtime error, a
// bad configuration value) travel as values (see result.hpp); exceptions are reserved for what stops a command.

#include <string>
#include <utility>

namespace sp {

//! Broad classes callers branch on. The exact cause is in Error::message; where it happened in Error::context.
enum class ErrorCode {
  INVALID_ARGUMENT,   //!< bad user input: configuration, a mapping, a CLI flag
  PARSE,              //!< malformed JSON / YAML / jq program
  NOT_FOUND,          //!< 404-like: the thing asked for does not exist
  UNAUTHENTICATED,    //!< 401: credentials missing, wrong or expired
  PERMISSION_DENIED,  //!< 403: valid credentials, no access to this scope
  RATE_LIMITED,       //!< 429 after the retry budget was spent
  UNAVAILABLE,        //!< transport failure, 5xx, timeout: worth retrying later
  LIMIT_EXCEEDED,     //!< a configured bound (size, depth, steps) was hit
  RUNTIME,            //!< an evaluation error (jq `error`, type errors)
  INTERNAL,           //!< a bug of ours
};

//! Name of the code, for messages and logs ("invalid_argument", ...).
const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::INTERNAL;
  std::string message;  //!< what went wrong, one sentence, secrets already redacted by the producer
  std::string context;  //!< where: a config path, a URL template, a byte offset ("" when not applicable)

  Error() = default;
  Error(ErrorCode c, std::string msg, std::string ctx = {})
      : code(c), message(std::move(msg)), context(std::move(ctx)) {}

  //! "context: message" or just "message".
  std::string ToString() const;
};

//! Thrown only for conditions that stop the command (bad configuration: exit 2, startup failures).
class FatalError : public std::exception {
 public:
  explicit FatalError(Error error) : error_(std::move(error)), what_(error_.ToString()) {}
  const Error& error() const { return error_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  Error error_;
  std::string what_;
};

}  // namespace sp

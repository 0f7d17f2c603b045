#include "base/error.hpp"

namespace sp {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::INVALID_ARGUMENT: return "invalid_argument";
    case ErrorCode::PARSE: return "parse";
    case ErrorCode::NOT_FOUND: return "not_found";
    case ErrorCode::UNAUTHENTICATED: return "unauthenticated";
    case ErrorCode::PERMISSION_DENIED: return "permission_denied";
    case ErrorCode::RATE_LIMITED: return "rate_limited";
    case ErrorCode::UNAVAILABLE: return "unavailable";
    case ErrorCode::LIMIT_EXCEEDED: return "limit_exceeded";
    case ErrorCode::RUNTIME: return "runtime";
    case ErrorCode::INTERNAL: return "internal";
  }
  return "unknown";
}

std::string Error::ToString() const {
  if (context.empty()) return message;
  return context + ": " + message;
}

}  // namespace sp

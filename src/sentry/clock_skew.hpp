#pragma once
// ClockSkew: how far Sentry's clock is from ours, learned from the `Date` header of its responses
// (sentry-api.md §4.5 item 5). `X-Sentry-Rate-Limit-Reset` is an epoch second of Sentry's clock; a local clock
// that is off by minutes would otherwise wait minutes too long, or not at all and trip 429s.
//
// Guarantees: the offset is 0 unless the Date headers prove the local clock is off by more than their
// one-second resolution; thread-safe; malformed or missing Date headers are ignored.

#include <chrono>
#include <mutex>
#include <optional>
#include <string_view>

namespace sp::sentry {

using SysTime = std::chrono::system_clock::time_point;

//! Parses an RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); nullopt for anything else.
std::optional<SysTime> ParseHttpDate(std::string_view text);

class ClockSkew {
 public:
  //! Learns from one response: `date` is its Date header, `sent`/`received` local times around the exchange.
  void Observe(std::string_view date, SysTime sent, SysTime received);
  //! Server clock minus local clock (0 while unknown or within the measurement's resolution).
  std::chrono::milliseconds Offset() const;
  //! A server time (e.g. a rate-limit reset) expressed on the local clock.
  SysTime ToLocal(SysTime server_time) const { return server_time - Offset(); }

 private:
  // Every observation bounds the offset: the server stamped floor(server time) at some instant between
  // `sent` and `received`. The intersection of all bounds narrows as responses arrive.
  mutable std::mutex mu_;
  bool known_ = false;
  std::chrono::milliseconds lo_{0};
  std::chrono::milliseconds hi_{0};
};

}  // namespace sp::sentry

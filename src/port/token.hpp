#pragma once
// Port access tokens (port-api.md §2): fetched once and shared by every request (single-flight: concurrent
// callers wait for the one fetch in progress), refreshed early at 80 % of their lifetime, and invalidated on a
// 401 so the next request fetches a new one. Wrong credentials fail fast with a clear message instead of
// Ocean's five minutes of retries.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "base/result.hpp"

namespace sp::port {

struct Token {
  std::string header;  //!< "Bearer <jwt>" (tokenType + accessToken)
  std::chrono::steady_clock::time_point refresh_at;
  uint64_t generation = 0;  //!< increases with every fetch
};

class TokenManager {
 public:
  //! `fetch` performs the token request; it returns the Authorization header value and the lifetime.
  using Fetch = std::function<Result<std::pair<std::string, std::chrono::seconds>>()>;
  explicit TokenManager(Fetch fetch) : fetch_(std::move(fetch)) {}

  //! A valid token, fetching one if needed (one fetch at a time; other callers wait for it).
  Result<Token> Get();
  //! Drops the token of `generation` after the server refused it (a newer one is kept).
  void Invalidate(uint64_t generation);
  uint64_t fetches() const;

 private:
  Fetch fetch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool fetching_ = false;
  bool have_ = false;
  Token token_;
  uint64_t fetches_ = 0;
};

}  // namespace sp::port

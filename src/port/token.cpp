#include "port/token.hpp"

namespace sp::port {

Result<Token> TokenManager::Get() {
  std::unique_lock lock(mu_);
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (have_ && now < token_.refresh_at) return token_;
    if (!fetching_) break;
    cv_.wait(lock);
  }
  fetching_ = true;
  lock.unlock();
  auto fetched = fetch_();
  lock.lock();
  fetching_ = false;
  ++fetches_;
  cv_.notify_all();
  if (!fetched.ok()) {
    have_ = false;
    return fetched.error();
  }
  auto [header, lifetime] = std::move(fetched).value();
  token_.header = std::move(header);
  // Refresh at 80 % of the lifetime so a token never expires between our check and Port's.
  auto life = std::chrono::duration_cast<std::chrono::milliseconds>(lifetime) * 8 / 10;
  token_.refresh_at = std::chrono::steady_clock::now() + life;
  ++token_.generation;
  have_ = true;
  return token_;
}

void TokenManager::Invalidate(uint64_t generation) {
  std::lock_guard lock(mu_);
  if (have_ && token_.generation == generation) have_ = false;
}

uint64_t TokenManager::fetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

}  // namespace sp::port

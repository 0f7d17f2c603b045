#pragma once
// IssueRenderCache: the list-form JSON of each issue, rendered once per render-options fingerprint and reused
// until the data changes. Serving a 100-issue page is then mostly a copy of cached bytes, which is what makes
// the simulator fast enough never to be the bottleneck of a sync benchmark (issue 5: >= 2,000 pages/s).
//
// Guarantees: thread-safe (routes read it concurrently under the simulator's shared lock); bounded by
// `max_bytes` (least recently used fingerprints are dropped, then rows are rendered without caching);
// Clear() is called by every data mutation, and the fingerprint also contains the data's "now", so a stale
// entry is never served.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sp::sentry_sim {

class IssueRenderCache {
 public:
  explicit IssueRenderCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  //! One fingerprint's rows; obtained once per page, then used per row without the cache-wide lock.
  class Rows;
  //! The rows of `fingerprint` for a dataset of `issue_count` issues (created on first use).
  std::shared_ptr<Rows> Get(const std::string& fingerprint, size_t issue_count);
  //! Appends issue `index`'s bytes to `out`, calling `render` (which appends to its argument) on a miss.
  void Append(Rows& rows, uint32_t index, std::string& out, const std::function<void(std::string&)>& render);
  //! Drops everything (the data changed).
  void Clear();
  void SetMaxBytes(size_t max_bytes);

  struct Counters {
    int64_t hits = 0, misses = 0, bytes = 0, fingerprints = 0;
  };
  Counters counters() const;

 private:
  //! Lock order: mu_ before any Rows::mu_; never take mu_ while holding a Rows::mu_.
  bool Reserve(size_t bytes, const Rows* keep);

  mutable std::mutex mu_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  uint64_t tick_ = 0;
  std::atomic<int64_t> hits_{0}, misses_{0};
  std::vector<std::shared_ptr<Rows>> rows_;
};

class IssueRenderCache::Rows {
 public:
  Rows(std::string fingerprint, size_t n) : fingerprint_(std::move(fingerprint)), bytes_(n), filled_(n, 0) {}

 private:
  friend class IssueRenderCache;
  std::string fingerprint_;
  uint64_t last_used_ = 0;
  bool live_ = true;  //!< false once evicted or cleared: late writers must not store into it
  std::mutex mu_;
  std::vector<std::string> bytes_;
  std::vector<char> filled_;
};

}  // namespace sp::sentry_sim

#include "render_cache.hpp"

#include <algorithm>

namespace sp::sentry_sim {

std::shared_ptr<IssueRenderCache::Rows> IssueRenderCache::Get(const std::string& fingerprint, size_t issue_count) {
  std::lock_guard lock(mu_);
  for (auto& r : rows_) {
    if (r->fingerprint_ == fingerprint && r->bytes_.size() == issue_count) {
      r->last_used_ = ++tick_;
      return r;
    }
  }
  // The slot vectors cost ~40 bytes per issue; count them so a large org with many fingerprints stays bounded.
  size_t overhead = issue_count * (sizeof(std::string) + 1);
  if (!Reserve(overhead, nullptr)) return std::make_shared<Rows>(fingerprint, 0);  // no room: render uncached
  auto r = std::make_shared<Rows>(fingerprint, issue_count);
  r->last_used_ = ++tick_;
  bytes_ += overhead;
  rows_.push_back(r);
  return r;
}

// Frees least recently used fingerprints (never `keep`) until `bytes` more fit. Caller holds mu_.
bool IssueRenderCache::Reserve(size_t bytes, const Rows* keep) {
  while (bytes_ + bytes > max_bytes_) {
    auto victim = rows_.end();
    for (auto it = rows_.begin(); it != rows_.end(); ++it)
      if (it->get() != keep && (victim == rows_.end() || (*it)->last_used_ < (*victim)->last_used_)) victim = it;
    if (victim == rows_.end()) return false;
    {
      std::lock_guard row_lock((*victim)->mu_);
      (*victim)->live_ = false;
    }
    size_t freed = (*victim)->bytes_.size() * (sizeof(std::string) + 1);
    for (const auto& s : (*victim)->bytes_) freed += s.capacity();
    bytes_ -= std::min(bytes_, freed);
    rows_.erase(victim);
  }
  return true;
}

void IssueRenderCache::Append(Rows& rows, uint32_t index, std::string& out,
                              const std::function<void(std::string&)>& render) {
  {
    std::lock_guard lock(rows.mu_);
    if (rows.live_ && index < rows.filled_.size() && rows.filled_[index]) {
      out += rows.bytes_[index];
      ++hits_;
      return;
    }
  }
  size_t start = out.size();
  render(out);
  if (index >= rows.filled_.size()) return;
  std::string_view rendered(out.data() + start, out.size() - start);
  std::lock_guard lock(mu_);
  ++misses_;
  if (!rows.live_ || !Reserve(rendered.size(), &rows)) return;
  std::lock_guard row_lock(rows.mu_);
  if (!rows.live_ || rows.filled_[index]) return;  // evicted meanwhile, or another thread stored it first
  rows.bytes_[index].assign(rendered);
  rows.filled_[index] = 1;
  bytes_ += rendered.size();
}

void IssueRenderCache::Clear() {
  std::lock_guard lock(mu_);
  for (auto& r : rows_) {
    std::lock_guard row_lock(r->mu_);
    r->live_ = false;
  }
  rows_.clear();
  bytes_ = 0;
}

void IssueRenderCache::SetMaxBytes(size_t max_bytes) {
  std::lock_guard lock(mu_);
  max_bytes_ = max_bytes;
  Reserve(0, nullptr);
}

IssueRenderCache::Counters IssueRenderCache::counters() const {
  std::lock_guard lock(mu_);
  return Counters{hits_.load(), misses_.load(), static_cast<int64_t>(bytes_), static_cast<int64_t>(rows_.size())};
}

}  // namespace sp::sentry_sim

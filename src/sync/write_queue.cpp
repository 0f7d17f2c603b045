#include "sync/write_queue.hpp"

#include <algorithm>

namespace sp::sync {

WriteQueue::WriteQueue(size_t workers, size_t capacity) : capacity_(std::max<size_t>(1, capacity)) {
  threads_.reserve(workers);
  for (size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  not_empty_.notify_all();
  for (auto& t : threads_) t.join();
}

void WriteQueue::Push(Job job) {
  if (threads_.empty()) {
    job();
    return;
  }
  std::unique_lock lock(mu_);
  not_full_.wait(lock, [&] { return jobs_.size() < capacity_; });
  jobs_.push_back(std::move(job));
  lock.unlock();
  not_empty_.notify_one();
}

void WriteQueue::Drain() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return jobs_.empty() && running_ == 0; });
}

void WriteQueue::Work() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      // Jobs still queued at destruction are run: the engine drains first, so this only matters on early exits.
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      ++running_;
    }
    not_full_.notify_one();
    job();
    {
      std::lock_guard lock(mu_);
      --running_;
      if (jobs_.empty() && running_ == 0) idle_.notify_all();
    }
  }
}

}  // namespace sp::sync

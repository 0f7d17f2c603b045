#pragma once
// WriteQueue: the write stage of the resync pipeline. Fetching threads map a page and hand its entities here,
// then go on fetching while `workers` threads run the jobs (lookup of current versions, then upserts), so
// Sentry reads and Port writes overlap. The queue holds at most `capacity` jobs: a full queue blocks Push
// (back-pressure), which bounds memory whatever the organization's size. Drain() waits for every job pushed so
// far (the engine drains between kinds so relation targets are written before their sources).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sp::sync {

class WriteQueue {
 public:
  using Job = std::function<void()>;

  //! `workers` == 0 runs every job inline in Push (no threads).
  WriteQueue(size_t workers, size_t capacity);
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  //! Queues `job`, blocking while the queue is full. Jobs must not throw.
  void Push(Job job);
  //! Waits until every pushed job has finished.
  void Drain();

 private:
  void Work();

  size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::condition_variable idle_;
  std::deque<Job> jobs_;
  size_t running_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sp::sync

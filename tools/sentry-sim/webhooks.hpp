#pragma once
// Webhook emitter (sentry-api.md §5, §7.7): builds the bodies Sentry's integration platform sends
// (top-level key order action, installation, data, actor; compact; ASCII-escaped), signs the exact bytes with
// HMAC-SHA256 of the client secret, and delivers them from one background thread with a 1 s timeout and no
// retries (internal integrations), optionally delayed and reordered. Sender-side faults can be queued: duplicate,
// bad_signature, stale_timestamp, truncated_body, wrong_installation. Every attempt is recorded.
//
// Thread-safe. The destructor stops the delivery thread after the queue drains (bounded by the timeout).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "model.hpp"
#include "render.hpp"

namespace sp::sentry_sim {

struct WebhookActor {
  enum class Type : uint8_t { USER, APPLICATION, SENTRY } type = Type::SENTRY;
  int64_t user_id = 0;  //!< integer in webhook bodies
  std::string name;
  std::string app_uuid;
};

//! The body of an issue.* webhook. `extra` writes additional `data` members before "issue" (resolution_type)
//! or after it (assignee), called with the JsonOut positioned inside `data`.
std::string BuildIssueWebhookBody(const Dataset& d, uint64_t seed, Micros now, uint32_t issue,
                                  const std::string& action, const std::string& installation_uuid,
                                  const WebhookActor& actor, const std::function<void(JsonOut&)>& before_issue,
                                  const std::function<void(JsonOut&)>& after_issue, const std::string& api_base);
//! The body of a comment.* webhook.
std::string BuildCommentWebhookBody(const Dataset& d, const Comment& c, const std::string& action,
                                    const std::string& installation_uuid, const WebhookActor& actor);

struct DeliveryRecord {
  uint64_t seq = 0;
  std::string request_id;
  std::string resource;
  std::string action;
  std::string url;
  std::string timestamp;
  std::string signature;
  std::string fault;  //!< sender fault applied, "" when none
  int status = 0;     //!< receiver's status; 0 on transport error
  std::string error;  //!< transport error ("" when answered)
  size_t body_bytes = 0;
};

class WebhookEmitter {
 public:
  //! `now_s` gives the simulator clock in epoch seconds (Sentry-Hook-Timestamp).
  WebhookEmitter(uint64_t seed, std::function<int64_t()> now_s);
  ~WebhookEmitter();
  WebhookEmitter(const WebhookEmitter&) = delete;
  WebhookEmitter& operator=(const WebhookEmitter&) = delete;

  void Enqueue(std::string url, std::string secret, std::string resource, std::string action, std::string body,
               std::string installation_uuid);
  //! Applies `kind` to the next `count` deliveries. False for an unknown kind.
  bool FaultNext(const std::string& kind, int count);
  //! Deliveries become due `delay_ms` after Enqueue (Sentry's task queue); with `reorder`, once the oldest is
  //! due the newest queued delivery goes first, so changes within the delay arrive in reverse order (§5.5).
  void SetDelivery(int delay_ms, bool reorder);
  std::pair<int, bool> Delivery() const;
  //! Waits until the queue is empty and no delivery is running.
  void Flush(int timeout_ms);
  std::vector<DeliveryRecord> Records() const;
  void ClearRecords();

 private:
  struct Job {
    std::string url, secret, resource, action, body, installation_uuid;
    std::chrono::steady_clock::time_point due;
  };
  void Run();
  void Deliver(const Job& job, const std::string& fault);

  struct ClientHolder;
  std::unique_ptr<ClientHolder> client_;
  std::function<int64_t()> now_s_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<Job> queue_;
  std::deque<std::string> faults_;
  std::vector<DeliveryRecord> records_;
  uint64_t seq_ = 0;
  uint64_t rng_state_;
  int delay_ms_ = 0;
  bool reorder_ = false;
  bool busy_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sp::sentry_sim

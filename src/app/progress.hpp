#pragma once
// The live progress line of a resync: per kind, how many items were fetched, mapped and written, the rate and,
// when the kind's total is known, the ETA. Redrawn at most every `min_interval` (10 times a second by default)
// and only through the draw callback, which by default is SetStatusLine (base/log.hpp): on a terminal with text
// logs only, never in JSON logs or a file. Update() may be called from any thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace sp::sync {
struct KindReport;
}  // namespace sp::sync

namespace sp::app {

//! What the line shows of one kind.
struct KindProgress {
  size_t resource_index = 0;
  std::string kind;
  uint64_t fetched = 0;
  uint64_t mapped = 0;
  uint64_t written = 0;  //!< created + updated + unchanged (or, in a dry run, compared)
  uint64_t failed = 0;
  std::optional<uint64_t> total;  //!< items the kind will fetch, when known
};

class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  using Draw = std::function<void(std::string_view line)>;

  //! `kinds`: how many resources the resync has ("[2/4]"). `draw` receives each redraw and "" at Finish().
  explicit ProgressLine(size_t kinds, Draw draw = nullptr,
                        std::chrono::milliseconds min_interval = std::chrono::milliseconds(100),
                        Clock::time_point start = Clock::now());
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  //! The engine's hook (SyncOptions::on_kind_progress).
  void Update(const sync::KindReport& kind);
  //! Records `progress` and redraws if the last redraw is at least `min_interval` old.
  void Update(const KindProgress& progress, Clock::time_point now = Clock::now());
  //! The total number of items of resource `resource_index`, once known (enables the ETA).
  void SetTotal(size_t resource_index, uint64_t total);
  //! Clears the line (idempotent). Later updates are ignored.
  void Finish();
  //! How many times the line was drawn (tests).
  uint64_t draws() const;

  //! One line, at most `width` columns: "[2/4] issue  fetched 1,200  mapped 1,180  written 1,100  850/s  ETA 3s".
  //! `kind_elapsed` is the time since the kind started (for the rate).
  static std::string Format(const KindProgress& progress, size_t kinds, std::chrono::duration<double> kind_elapsed,
                            size_t width = 79);

 private:
  mutable std::mutex mu_;
  size_t kinds_;
  Draw draw_;
  std::chrono::milliseconds min_interval_;
  Clock::time_point last_event_;
  std::optional<Clock::time_point> last_draw_;
  std::map<size_t, Clock::time_point> kind_start_;
  std::map<size_t, uint64_t> totals_;
  uint64_t draws_ = 0;
  bool finished_ = false;
  bool drawn_ = false;
};

//! 1234567 -> "1,234,567".
std::string GroupThousands(uint64_t n);
//! Seconds as "42s", "3m05s", "2h01m".
std::string ShortDuration(double seconds);

}  // namespace sp::app

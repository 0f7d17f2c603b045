#include "app/progress.hpp"

#include <cmath>
#include <cstdio>

#include "base/log.hpp"
#include "sync/engine.hpp"

namespace sp::app {

std::string GroupThousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string ShortDuration(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  auto s = static_cast<uint64_t>(std::llround(seconds));
  char buf[48];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%llus", static_cast<unsigned long long>(s));
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%llum%02llus", static_cast<unsigned long long>(s / 60),
                  static_cast<unsigned long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lluh%02llum", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>((s % 3600) / 60));
  }
  return buf;
}

ProgressLine::ProgressLine(size_t kinds, Draw draw, std::chrono::milliseconds min_interval, Clock::time_point start)
    : kinds_(kinds),
      draw_(draw ? std::move(draw) : Draw([](std::string_view line) { SetStatusLine(line); })),
      min_interval_(min_interval),
      last_event_(start) {}

ProgressLine::~ProgressLine() {
  Finish();
}

void ProgressLine::Update(const sync::KindReport& kind) {
  KindProgress p;
  p.resource_index = kind.resource_index;
  p.kind = kind.kind;
  p.fetched = kind.fetched;
  p.mapped = kind.counters.mapped;
  p.written = kind.created + kind.updated + kind.unchanged;
  p.failed = kind.failed;
  Update(p);
}

void ProgressLine::Update(const KindProgress& progress, Clock::time_point now) {
  std::string line;
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    // The engine reports a kind only after its first batch is written; the kind started when the previous
    // report came in (or the resync started), which is the best estimate available for its rate.
    auto it = kind_start_.emplace(progress.resource_index, last_event_).first;
    last_event_ = now;
    if (last_draw_ && now - *last_draw_ < min_interval_) return;
    last_draw_ = now;
    KindProgress shown = progress;
    if (!shown.total) {
      if (auto t = totals_.find(progress.resource_index); t != totals_.end()) shown.total = t->second;
    }
    line = Format(shown, kinds_, now - it->second);
    ++draws_;
    drawn_ = true;
    // Drawing under the lock keeps redraws in order; the draw is one short write.
    draw_(line);
  }
}

void ProgressLine::SetTotal(size_t resource_index, uint64_t total) {
  std::lock_guard lock(mu_);
  totals_[resource_index] = total;
}

void ProgressLine::Finish() {
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (drawn_) draw_("");
}

uint64_t ProgressLine::draws() const {
  std::lock_guard lock(mu_);
  return draws_;
}

std::string ProgressLine::Format(const KindProgress& progress, size_t kinds, std::chrono::duration<double> kind_elapsed,
                                 size_t width) {
  std::string line = "[" + std::to_string(progress.resource_index + 1) + "/" + std::to_string(kinds) + "] " +
                     progress.kind + "  fetched " + GroupThousands(progress.fetched);
  if (progress.total) line += "/" + GroupThousands(*progress.total);
  line += "  mapped " + GroupThousands(progress.mapped) + "  written " + GroupThousands(progress.written);
  if (progress.failed > 0) line += "  failed " + GroupThousands(progress.failed);
  double secs = kind_elapsed.count();
  double rate = secs > 0 ? static_cast<double>(progress.fetched) / secs : 0;
  if (rate > 0) {
    line += "  " + GroupThousands(static_cast<uint64_t>(std::llround(rate))) + "/s";
    if (progress.total && *progress.total >= progress.fetched) {
      line += "  ETA " + ShortDuration(static_cast<double>(*progress.total - progress.fetched) / rate);
    }
  }
  if (line.size() > width) line.resize(width);
  return line;
}

}  // namespace sp::app

#include "sentry/clock_skew.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace sp::sentry {
namespace {

using std::chrono::milliseconds;

// The Date header has whole seconds, and a server clock a fraction of a second off is indistinguishable from
// latency: correcting for it would only add noise to every wait.
constexpr milliseconds kTolerance{1000};

bool ReadInt(std::string_view s, int& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::optional<SysTime> ParseHttpDate(std::string_view t) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed width, 29 characters.
  if (t.size() != 29 || t[3] != ',' || t[4] != ' ' || t[7] != ' ' || t[11] != ' ' || t[16] != ' ' || t[19] != ':' ||
      t[22] != ':' || t.substr(25) != " GMT") {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto month = std::find(kMonths.begin(), kMonths.end(), t.substr(8, 3));
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (month == kMonths.end() || !ReadInt(t.substr(5, 2), day) || !ReadInt(t.substr(12, 4), year) ||
      !ReadInt(t.substr(17, 2), hour) || !ReadInt(t.substr(20, 2), minute) || !ReadInt(t.substr(23, 2), second)) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year{year},
                                  std::chrono::month{static_cast<unsigned>(month - kMonths.begin() + 1)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  // 60 is a leap second, which system_clock cannot represent; it is folded onto the next second.
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return SysTime(std::chrono::sys_days(ymd).time_since_epoch() + std::chrono::hours(hour) +
                 std::chrono::minutes(minute) + std::chrono::seconds(second));
}

void ClockSkew::Observe(std::string_view date, SysTime sent, SysTime received) {
  auto server = ParseHttpDate(date);
  if (!server || received < sent) return;
  // The server wrote floor(its time) at an instant t in [sent, received]: offset = server time - t lies in
  // [Date - received, Date + 1 s - sent).
  auto lo = std::chrono::duration_cast<milliseconds>(*server - received);
  auto hi = std::chrono::duration_cast<milliseconds>(*server + std::chrono::seconds(1) - sent);
  std::lock_guard lock(mu_);
  if (known_) {
    milliseconds new_lo = std::max(lo_, lo);
    milliseconds new_hi = std::min(hi_, hi);
    // Disjoint bounds mean one of the clocks was stepped: the newest observation is the truth now.
    if (new_lo <= new_hi) {
      lo = new_lo;
      hi = new_hi;
    }
  }
  known_ = true;
  lo_ = lo;
  hi_ = hi;
}

std::chrono::milliseconds ClockSkew::Offset() const {
  std::lock_guard lock(mu_);
  if (!known_) return milliseconds(0);
  if (lo_ - kTolerance <= milliseconds(0) && milliseconds(0) <= hi_ + kTolerance) return milliseconds(0);
  return (lo_ + hi_) / 2;
}

}  // namespace sp::sentry

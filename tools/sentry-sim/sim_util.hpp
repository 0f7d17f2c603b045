#pragma once
// Small deterministic building blocks of the simulator: a seeded hash/RNG (so every generated value is a pure
// function of the seed and an index), ISO-8601 formatting and parsing in Sentry's forms, relative durations,
// and Python-style URL quoting for Link headers. Everything here is pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sp::sentry_sim {

//! SplitMix64 finaliser: a well-mixed 64-bit hash of `x`.
uint64_t Mix(uint64_t x);
//! Hash of a seed and up to three salts; the basis of every lazily derived value.
uint64_t Hash(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0);

//! A tiny seeded generator (SplitMix64 sequence). Not for cryptography.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  //! Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  //! Uniform in [0, 1).
  double Unit();
  //! True with probability p.
  bool Chance(double p) { return Unit() < p; }

 private:
  uint64_t state_;
};

//! Microseconds since the Unix epoch.
using Micros = int64_t;
constexpr Micros MICROS_PER_SECOND = 1000000;
constexpr Micros MICROS_PER_DAY = 86400LL * MICROS_PER_SECOND;

enum class IsoStyle : uint8_t {
  DRF,           //!< API form: 6 fraction digits + "Z", or no fraction when microseconds are 0
  FIXED_MICROS,  //!< webhook encoder form: always 6 fraction digits + "Z"
  PY_ISOFORMAT,  //!< Python isoformat(): "+00:00" suffix, fraction only when non-zero
};

std::string FormatIso(Micros t, IsoStyle style = IsoStyle::DRF);
//! RFC 7231 IMF-fixdate ("Tue, 20 Jan 2026 13:00:00 GMT") of epoch seconds, for the Date header.
std::string FormatHttpDate(int64_t epoch_seconds);
//! Parses RFC 3339 / ISO-8601 UTC forms ("2026-01-20T13:00:00Z", "...T13:00:00.123+00:00", "2026-01-20").
std::optional<Micros> ParseIso(std::string_view s);
//! Parses Sentry's period form "<n>(s|m|h|d|w)" into microseconds; nullopt when malformed.
std::optional<Micros> ParsePeriod(std::string_view s);

//! Python urllib.parse.quote_plus (what Django's urlencode produces): unreserved kept, space as '+'.
std::string QuotePlus(std::string_view s);

//! Splits on `sep`, keeping empty parts.
std::vector<std::string> Split(std::string_view s, char sep);
std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);
//! Case-insensitive substring test (ASCII folding).
bool ContainsNoCase(std::string_view haystack, std::string_view needle);
//! Parses a whole string as a signed 64-bit integer.
std::optional<int64_t> ParseInt(std::string_view s);
//! 32 lowercase hex characters from the given generator (uuid4().hex shape).
std::string HexId(Rng& rng, size_t chars = 32);
//! "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string Uuid4(Rng& rng);

}  // namespace sp::sentry_sim

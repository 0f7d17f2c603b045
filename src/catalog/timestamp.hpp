#pragma once
// ISO-8601 timestamps as Port writes them ("2026-08-20T11:22:33.123Z") and as Ocean sends them
// ("2026-08-20T11:22:33.123456+00:00"). Internally a timestamp is microseconds since the Unix epoch (UTC).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::catalog {

//! Parses "YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]" ('t'/' ' also separate date and time; no zone
//! means UTC). Returns nullopt for anything else, including out-of-range fields ("2026-02-30").
std::optional<int64_t> ParseTimestamp(std::string_view text);

//! "YYYY-MM-DDTHH:MM:SS.mmmZ" (milliseconds, truncated), Port's format.
std::string FormatTimestamp(int64_t micros);

//! Microseconds since the epoch from the system clock.
int64_t NowMicros();

}  // namespace sp::catalog

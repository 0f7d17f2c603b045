#pragma once
// The one redaction mechanism: a process-wide registry of secret strings and Redact(), which masks every
// occurrence of each (raw, URL-encoded and JSON-escaped forms) with "***". The log sink, the CLI's error
// reporting, `sentry-port config` and every dump pass their text through Redact().
// Thread-safe: RegisterSecret and Redact may be called concurrently from any thread.

#include <cstddef>
#include <string>
#include <string_view>

namespace sp {

//! Secrets shorter than this are not registered: masking e.g. "ab" everywhere would destroy every line while
//! protecting nothing worth protecting. Configuration values this short are not credentials.
inline constexpr size_t MIN_SECRET_LENGTH = 4;

//! What a masked secret looks like in output.
inline constexpr std::string_view REDACTED = "***";

//! Adds `secret` (and its URL-encoded and JSON-escaped forms) to the registry. Surrounding whitespace is
//! ignored; empty or shorter-than-MIN_SECRET_LENGTH values are ignored. Registering twice is harmless.
void RegisterSecret(std::string_view secret);

//! `text` with every registered secret replaced by "***" (longest secrets first, so a secret that contains
//! another is masked whole).
std::string Redact(std::string_view text);

//! Number of distinct patterns currently registered (secrets plus their encoded forms); for tests and logs.
size_t RegisteredSecretPatternCount();

//! Empties the registry. Only for tests that need a clean slate; never call it in the program.
void ClearSecretsForTesting();

//! RFC 3986 percent-encoding of everything but unreserved characters (what a secret looks like in a URL).
std::string UrlEncode(std::string_view text);

}  // namespace sp

#pragma once
// Webhook signatures (sentry-api.md §5.2): lowercase hex HMAC-SHA256 keyed by the client secret over the exact
// body bytes. Pure function; OpenSSL stays inside the .cpp.

#include <string>
#include <string_view>

namespace sp::sentry_sim {

//! hex(HMAC_SHA256(key = secret, msg = body)), 64 lowercase hex characters.
std::string SignBody(std::string_view secret, std::string_view body);

}  // namespace sp::sentry_sim

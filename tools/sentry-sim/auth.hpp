#pragma once
// Token registry and authentication (sentry-api.md §1.1-§1.4, §7.2): header parsing with Sentry's exact 401
// bodies, token types (integration, user, org auth token), org binding, scopes (write/admin imply read), expiry,
// inactive users, SSO-required members, and the per-route scope table. Tokens never appear in logs: the
// request log records a token's label, not its value.
//
// Thread-safe: a mutex guards the registry (tokens can be added or revoked at run time).

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sp::sentry_sim {

enum class TokenType : uint8_t { INTEGRATION, USER, ORG };

struct TokenInfo {
  std::string label;  //!< what the request log shows ("default", "user-1", ...)
  TokenType type = TokenType::INTEGRATION;
  std::string org;  //!< bound org slug; "" = user token not scoped to one org
  std::set<std::string> scopes;
  std::vector<std::string> teams;  //!< user tokens: team slugs the user is on
  std::string member_id;           //!< user tokens: the org member acting
  bool expired = false;
  bool inactive = false;
  bool sso_required = false;
};

//! The read-only connector scopes of §1.4.
std::set<std::string> AllReadScopes();

struct AuthResult {
  std::optional<TokenInfo> token;  //!< set when authenticated
  int status = 200;                //!< 401 when not
  std::string body;
};

class TokenRegistry {
 public:
  void Add(const std::string& token, TokenInfo info);
  bool Revoke(const std::string& token);
  //! Authenticates an Authorization header value (nullptr = header absent).
  AuthResult Authenticate(const std::string* authorization) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, TokenInfo> tokens_;
};

//! True when `scopes` satisfies `needed` ("org:read" is also met by org:write / org:admin).
bool HasScope(const std::set<std::string>& scopes, const std::string& needed);

//! Parses "--add-token" specs: "TOKEN,type=user,scopes=org:read+event:read,teams=a+b,org=acme,label=x,expired".
std::optional<std::pair<std::string, TokenInfo>> ParseTokenSpec(const std::string& spec, std::string* error);

inline const char* const BODY_NO_CREDENTIALS = R"({"detail":"Authentication credentials were not provided."})";
inline const char* const BODY_FORBIDDEN = R"({"detail":"You do not have permission to perform this action."})";
inline const char* const BODY_NOT_FOUND = R"({"detail":"The requested resource does not exist"})";

}  // namespace sp::sentry_sim

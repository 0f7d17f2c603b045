#include "auth.hpp"

#include <cctype>

#include "sim_util.hpp"

namespace sp::sentry_sim {

std::set<std::string> AllReadScopes() {
  return {"org:read", "project:read", "event:read", "member:read", "team:read"};
}

void TokenRegistry::Add(const std::string& token, TokenInfo info) {
  std::lock_guard lock(mu_);
  tokens_[token] = std::move(info);
}

bool TokenRegistry::Revoke(const std::string& token) {
  std::lock_guard lock(mu_);
  return tokens_.erase(token) > 0;
}

AuthResult TokenRegistry::Authenticate(const std::string* authorization) const {
  AuthResult r;
  r.status = 401;
  if (!authorization || authorization->empty()) {
    r.body = BODY_NO_CREDENTIALS;
    return r;
  }
  // sentry-api.md §1.1: split on whitespace, exactly two parts.
  std::vector<std::string> parts;
  std::string cur;
  for (char c : *authorization) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) parts.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  if (parts.empty() || ToLower(parts[0]) != "bearer") {
    r.body = BODY_NO_CREDENTIALS;
    return r;
  }
  if (parts.size() == 1) {
    r.body = R"({"detail":"Invalid token header. No credentials provided."})";
    return r;
  }
  if (parts.size() > 2) {
    r.body = R"({"detail":"Invalid token header. Token string should not contain spaces."})";
    return r;
  }
  std::lock_guard lock(mu_);
  auto it = tokens_.find(parts[1]);
  if (it == tokens_.end()) {
    r.body = parts[1].rfind("sntrys_", 0) == 0 ? R"({"detail":"Invalid org token"})" : R"({"detail":"Invalid token"})";
    return r;
  }
  const TokenInfo& t = it->second;
  if (t.expired) {
    r.body = R"({"detail":"Token expired"})";
    return r;
  }
  if (t.inactive) {
    r.body = R"({"detail":"User inactive or deleted"})";
    return r;
  }
  r.status = 200;
  r.token = t;
  return r;
}

bool HasScope(const std::set<std::string>& scopes, const std::string& needed) {
  if (scopes.count(needed)) return true;
  auto colon = needed.find(':');
  std::string res = needed.substr(0, colon);
  return scopes.count(res + ":write") > 0 || scopes.count(res + ":admin") > 0;
}

std::optional<std::pair<std::string, TokenInfo>> ParseTokenSpec(const std::string& spec, std::string* error) {
  auto parts = Split(spec, ',');
  if (parts.empty() || parts[0].empty()) {
    *error = "token spec must start with the token value";
    return std::nullopt;
  }
  TokenInfo info;
  info.label = "token-" + std::to_string(spec.size());
  info.scopes = AllReadScopes();
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    auto eq = p.find('=');
    std::string key = p.substr(0, eq), value = eq == std::string::npos ? "" : p.substr(eq + 1);
    if (key == "type") {
      if (value == "integration")
        info.type = TokenType::INTEGRATION;
      else if (value == "user")
        info.type = TokenType::USER;
      else if (value == "org")
        info.type = TokenType::ORG;
      else {
        *error = "unknown token type '" + value + "' (integration, user or org)";
        return std::nullopt;
      }
    } else if (key == "scopes") {
      info.scopes.clear();
      for (auto& s : Split(value, '+'))
        if (!s.empty()) info.scopes.insert(s);
    } else if (key == "teams") {
      for (auto& s : Split(value, '+'))
        if (!s.empty()) info.teams.push_back(s);
    } else if (key == "org") {
      info.org = value;
    } else if (key == "label") {
      info.label = value;
    } else if (key == "member") {
      info.member_id = value;
    } else if (key == "expired") {
      info.expired = true;
    } else if (key == "inactive") {
      info.inactive = true;
    } else if (key == "sso") {
      info.sso_required = true;
    } else {
      *error = "unknown token attribute '" + key + "'";
      return std::nullopt;
    }
  }
  if (info.type == TokenType::ORG && parts.size() > 1 && spec.find("scopes=") == std::string::npos)
    info.scopes = {"org:ci", "project:releases"};
  return std::make_pair(parts[0], info);
}

}  // namespace sp::sentry_sim

// Pieces of the HTTP contract that need no third-party library: header lookup, response factories and the
// port file. Kept apart from http_server.cpp so that users of these never pay for compiling Beast.

#include <strings.h>

#include <cstdio>
#include <fstream>

#include "net/http_server.hpp"

namespace sp::net {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

HttpResponse HttpResponse::Json(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

HttpResponse HttpResponse::Text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(body);
  return response;
}

Status WritePortFile(const std::string& path, uint16_t port) {
  // Readers poll for the file; a rename makes it appear complete or not at all.
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    if (!out) return Error(ErrorCode::UNAVAILABLE, "cannot create the port file", temp);
    out << port << '\n';
    out.flush();
    if (!out) return Error(ErrorCode::UNAVAILABLE, "cannot write the port file", temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return Error(ErrorCode::UNAVAILABLE, "cannot rename the port file into place", path);
  }
  return {};
}

}  // namespace sp::net

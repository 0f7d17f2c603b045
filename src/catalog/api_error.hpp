#pragma once
// ApiError and CatalogResult<T>: how the catalog answers, in Port's own terms.
//
// Every rejection carries the HTTP status, the `error` code and the message Port would send
// (port-api.md §1.5, §9), so port-sim can put it on the wire unchanged and the in-process sink can treat it
// exactly like an answer from Port. A status >= 500 means the storage itself failed (nothing was written).

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "base/assert.hpp"
#include "json/value.hpp"

namespace sp::catalog {

struct ApiError {
  int status = 500;     //!< HTTP status Port would answer (400, 404, 409, 413, 422, 500)
  std::string error;    //!< Port's error code: "not_found", "identifier_taken", "blueprint_schema_mismatch", ...
  std::string message;  //!< one sentence naming what and where

  //! {"ok": false, "error": ..., "message": ...}
  json::Value ToJson() const;
};

inline ApiError BadRequest(std::string message) {
  return ApiError{400, "bad_request", std::move(message)};
}
inline ApiError NotFound(std::string message) {
  return ApiError{404, "not_found", std::move(message)};
}
inline ApiError Unprocessable(std::string code, std::string message) {
  return ApiError{422, std::move(code), std::move(message)};
}
inline ApiError Conflict(std::string code, std::string message) {
  return ApiError{409, std::move(code), std::move(message)};
}
inline ApiError StorageError(std::string message) {
  return ApiError{500, "internal_error", std::move(message)};
}

//! A value or the ApiError Port would answer instead.
template <typename T>
class [[nodiscard]] CatalogResult {
 public:
  CatalogResult(T value) : data_(std::in_place_index<0>, std::move(value)) {}         // NOLINT: implicit
  CatalogResult(ApiError error) : data_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& {
    SP_ASSERT(ok(), "CatalogResult::value() on an error");
    return std::get<0>(data_);
  }
  T& value() & {
    SP_ASSERT(ok(), "CatalogResult::value() on an error");
    return std::get<0>(data_);
  }
  const ApiError& error() const {
    SP_ASSERT(!ok(), "CatalogResult::error() on a value");
    return std::get<1>(data_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, ApiError> data_;
};

}  // namespace sp::catalog

#pragma once
// Result<T>: a value or an Error (C++20 has no std::expected). Use it for every failure a caller is expected to
// handle; never turn an error into an empty success.

#include <optional>
#include <utility>
#include <variant>

#include "base/assert.hpp"
#include "base/error.hpp"

namespace sp {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    SP_ASSERT(ok(), "Result::value() on an error");
    return std::get<0>(data_);
  }
  T& value() & {
    SP_ASSERT(ok(), "Result::value() on an error");
    return std::get<0>(data_);
  }
  T&& value() && {
    SP_ASSERT(ok(), "Result::value() on an error");
    return std::get<0>(std::move(data_));
  }
  const Error& error() const {
    SP_ASSERT(!ok(), "Result::error() on a value");
    return std::get<1>(data_);
  }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Error> data_;
};

//! Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    SP_ASSERT(!ok(), "Result::error() on a value");
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace sp

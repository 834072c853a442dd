#pragma once
// Result<T>: what a run-time operation returns — a value, or an Error that
// keeps its cause (STYLE.md: expected failures are values, not exceptions).
#include <utility>
#include <variant>

#include "redis/error.hpp"

namespace vipkit::redis {

struct Done {};  // the value of an operation that only succeeds or fails

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T* operator->() const { return &std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T& operator*() const { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

using Status = Result<Done>;

}  // namespace vipkit::redis

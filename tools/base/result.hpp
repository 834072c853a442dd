#pragma once
// Result<T, E>: what a run-time operation returns — a value, or an error E
// that keeps its cause (STYLE.md: expected failures are values, not
// exceptions). The one result shape of every layer: redis::Result and
// IoResult (base/io_error.hpp) are this template with their own error
// types, so callers read every failure the same way (ok() / error() /
// value()).
//
// It lives in tools/base, header-only and standard library only, so that
// vrrp/ can use it without linking any of tools/' libraries.
#include <type_traits>
#include <utility>
#include <variant>

namespace vipkit {

struct Done {};  // the value of an operation that only succeeds or fails

template <class T, class E>
class Result {
  // The two constructors below tell a value from an error by type alone.
  static_assert(!std::is_same_v<T, E>, "a value and an error of the same type would be ambiguous");

 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(E error) : v_(std::move(error)) {}          // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T* operator->() const { return &std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T& operator*() const { return value(); }

  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace vipkit

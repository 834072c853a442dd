#pragma once
// Failures of the system adapters keep their cause: errno or libnl's code,
// and the text (strerror / nl_geterror) with what was being done.
#include <string>
#include <variant>

namespace vipkit::vrrp::sys {

struct SysError {
  int code = 0;  // errno, or a libnl NLE_* code (positive)
  std::string message;
};

template <class T>
using SysResult = std::variant<T, SysError>;

// The current errno, with what was being done: "WHAT: strerror(errno)".
SysError errno_error(const std::string& what);
// An explicit errno (pthread_*, or one saved before other calls).
SysError errno_error(int code, const std::string& what);
// A libnl failure (its negative NLE_* return): "WHAT: nl_geterror(err)".
SysError nl_error(int err, const std::string& what);

}  // namespace vipkit::vrrp::sys

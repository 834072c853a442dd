#pragma once
// Failures of the system adapters keep their cause: errno or libnl's code,
// and the text (strerror / nl_geterror) with what was being done.
//
// SysResult is the one Result (base/result.hpp) with SysError: base/ is a
// header-only, standard-library-only layer below tools/ and vrrp/, so using
// it adds no edge from vrrp/ to tools/.
#include <string>

#include "base/result.hpp"

namespace vipkit::vrrp::sys {

struct SysError {
  int code = 0;  // errno, or a libnl NLE_* code (positive)
  std::string message;
};

template <class T>
using SysResult = Result<T, SysError>;

// The current errno, with what was being done: "WHAT: strerror(errno)".
SysError errno_error(const std::string& what);
// An explicit errno (pthread_*, or one saved before other calls).
SysError errno_error(int code, const std::string& what);
// A libnl failure (its negative NLE_* return): "WHAT: nl_geterror(err)".
SysError nl_error(int err, const std::string& what);

}  // namespace vipkit::vrrp::sys

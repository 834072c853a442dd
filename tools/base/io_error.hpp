#pragma once
// IoError: a failure of the system under us — a file, a socket, a lock,
// netlink — keeping its cause: the errno (or libnl's NLE_* code) that
// decides, and the text an operator reads. The one shape of every run-time
// failure that is not Redis's (redis::Error keeps Redis's own codes), read
// the same way in tools/ and vrrp/ (vrrp::sys::SysError is this type).
//
// A failure with no system call behind it (a wait that ran out, a file whose
// content is wrong) carries the errno that names it best (ETIMEDOUT,
// EINVAL), as the kernel does for its own such failures.
//
// Header-only and standard library only, like base/result.hpp.
#include <cerrno>
#include <cstring>
#include <string>

#include "base/result.hpp"

namespace vipkit {

struct IoError {
  int code = 0;  // errno, or a libnl NLE_* code (positive)
  std::string message;
};

template <class T>
using IoResult = Result<T, IoError>;

using IoStatus = IoResult<Done>;

// An explicit errno (pthread_*, or one saved before other calls):
// "WHAT: strerror(code)".
inline IoError errno_error(int code, const std::string& what) {
  return IoError{code, what + ": " + std::strerror(code)};
}

// The current errno, with what was being done: "WHAT: strerror(errno)".
inline IoError errno_error(const std::string& what) { return errno_error(errno, what); }

}  // namespace vipkit

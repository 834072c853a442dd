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

}  // namespace vipkit::vrrp::sys

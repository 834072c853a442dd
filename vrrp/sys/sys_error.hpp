#pragma once
// Failures of the system adapters keep their cause: errno or libnl's code,
// and the text (strerror / nl_geterror) with what was being done.
//
// SysError is base/io_error.hpp's IoError, the one error of every system
// failure in tools/ and vrrp/: base/ is a header-only, standard-library-only
// layer below both, so using it adds no edge from vrrp/ to tools/. Only
// nl_error is vrrp/sys's own: it needs libnl, which base/ must not link.
#include <string>

#include "base/io_error.hpp"

namespace vipkit::vrrp::sys {

using SysError = IoError;

template <class T>
using SysResult = IoResult<T>;

using vipkit::errno_error;

// A libnl failure (its negative NLE_* return): "WHAT: nl_geterror(err)".
SysError nl_error(int err, const std::string& what);

}  // namespace vipkit::vrrp::sys

#include "vrrp/sys/sys_error.hpp"

#include <netlink/errno.h>

#include <cerrno>
#include <cstring>

namespace vipkit::vrrp::sys {

SysError errno_error(const std::string& what) { return errno_error(errno, what); }

SysError errno_error(int code, const std::string& what) { return SysError{code, what + ": " + std::strerror(code)}; }

SysError nl_error(int err, const std::string& what) { return SysError{-err, what + ": " + nl_geterror(err)}; }

}  // namespace vipkit::vrrp::sys

#include "vrrp/sys/sys_error.hpp"

#include <netlink/errno.h>

namespace vipkit::vrrp::sys {

SysError nl_error(int err, const std::string& what) { return SysError{-err, what + ": " + nl_geterror(err)}; }

}  // namespace vipkit::vrrp::sys

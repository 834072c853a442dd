#pragma once
// Is an address configured on a local interface right now? keepalived adds
// the VIP before it runs notify_master and removes it before notify_backup,
// so this is the current truth a late or reordered notification is checked
// against.
#include <string>

#include "base/io_error.hpp"

namespace vipkit::common {

// Not an IP address: EINVAL.
IoResult<bool> is_local_address(const std::string& address);

}  // namespace vipkit::common

#pragma once
// Is an address configured on a local interface right now? keepalived adds
// the VIP before it runs notify_master and removes it before notify_backup,
// so this is the current truth a late or reordered notification is checked
// against.
#include <string>

#include "redis/result.hpp"

namespace vipkit::common {

redis::Result<bool> is_local_address(const std::string& address);

}  // namespace vipkit::common

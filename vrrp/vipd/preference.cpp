#include "vrrp/vipd/preference.hpp"

#include <algorithm>

namespace vipkit::vipd {

std::uint8_t effective_priority(std::uint8_t priority, int preference, int prefer_weight) {
  if (priority == 255) return priority;
  const int wanted = static_cast<int>(priority) + prefer_weight * preference;
  return static_cast<std::uint8_t>(std::clamp(wanted, 1, 254));
}

}  // namespace vipkit::vipd

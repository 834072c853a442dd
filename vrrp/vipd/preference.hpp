#pragma once
// Operator preference on vipd's priority (common/preference.hpp holds the
// file and its values; docs/switchover.md the arithmetic):
//   effective = clamp(priority + prefer_weight × preference, 1, 254)
// Never 0 (that means "resigning") nor 255 (the owner's); the address owner
// itself is not adjusted: it owns the addresses.
#include <cstdint>

namespace vipkit::vipd {

std::uint8_t effective_priority(std::uint8_t priority, int preference, int prefer_weight);

}  // namespace vipkit::vipd

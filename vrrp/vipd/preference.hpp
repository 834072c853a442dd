#pragma once
// Operator preference: `vipctl promote` / `demote` move the advertised
// priority, and the choice survives a restart in the prefer file.
//   effective = clamp(priority + prefer_weight × preference, 1, 254)
// The address owner (255) is not adjusted: it owns the addresses.
#include <cstdint>
#include <string>

#include "redis/result.hpp"

namespace vipkit::vipd {

inline constexpr int preference_min = -1;  // demoted
inline constexpr int preference_max = 2;   // promoted
inline constexpr int preference_promote = 2;
inline constexpr int preference_demote = -1;

std::uint8_t effective_priority(std::uint8_t priority, int preference, int prefer_weight);

// The prefer file holds one integer -1..2; a missing file means 0.
// TODO(lead's shared prefer-file helper): swap these two for it once on main.
redis::Result<int> read_preference(const std::string& path);
redis::Status write_preference(const std::string& path, int preference);

}  // namespace vipkit::vipd

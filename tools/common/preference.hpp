#pragma once
// Which node should hold the master role when both are healthy: one small
// integer per host, in a file that keepalived reads as a `track_file`
// (value × weight is added to the instance priority) and that vipd adds to
// its own priority the same way. It is what makes a planned switchover stick
// under preemption: without it the node with the higher configured priority
// would take the role straight back.
//
// vipctl writes the decisive values on its own host (promote: 2, demote: -1).
// It cannot write the other host's file, so the automation on every host
// (vip-notify, vipd) moves its own file when it sees the switchover marker in
// Redis (ha/switchover.hpp): towards 1 when the marker names this node, towards
// 0 when it names the peer — never undoing the stronger value vipctl wrote
// here. docs/switchover.md has the arithmetic.
#include <optional>
#include <string>

#include "ha/switchover.hpp"
#include "redis/endpoint.hpp"
#include "redis/result.hpp"

namespace vipkit::common {

inline constexpr int preference_demoted = -1;   // vipctl demote ran here: lose the election now
inline constexpr int preference_neutral = 0;    // the marker named the peer
inline constexpr int preference_preferred = 1;  // the marker named this node
inline constexpr int preference_promoted = 2;   // vipctl promote ran here: win the election now

// /var/lib/vipkit/NAME.prefer: persistent, so a preference survives a reboot.
std::string default_preference_path(const std::string& instance);

// Pure. The value after seeing `marker`. `self` is how the peer reaches this
// node (when configured); without it, a marker that does not name the peer
// is taken to name this node (a pair has two nodes).
int preference_after(int current, const ha::SwitchoverMarker& marker,
                     const std::optional<redis::Endpoint>& self, const redis::Endpoint& peer);

// A missing file reads as 0. Anything but one integer in -1..2 is an error
// naming the file and what it holds.
redis::Result<int> read_preference(const std::string& path);
// Atomic (temp + rename), mode 0644: keepalived and operators read it.
redis::Status write_preference(const std::string& path, int value);

struct PreferenceChange {
  int from = 0;
  int to = 0;
};
// What the automation does on seeing a marker: read the file, apply
// preference_after, write it back when the value changed (nullopt: unchanged).
redis::Result<std::optional<PreferenceChange>> follow_marker(const std::string& path,
                                                             const ha::SwitchoverMarker& marker,
                                                             const std::optional<redis::Endpoint>& self,
                                                             const redis::Endpoint& peer);

}  // namespace vipkit::common

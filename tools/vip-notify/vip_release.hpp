#pragma once
// The edge of speaker_end.hpp: when keepalived died, look up each
// instance's VIP on the local interfaces (netlink), decide (plan_release),
// remove it under the instance lock and apply STOP (handle_event: with
// `fence`, a master left without the VIP stops taking writes). One log line
// per action: `vip-release instance=… vip=… interface=… result=…`, then
// handle_event's own line with source=speaker-died.
#include <optional>
#include <vector>

#include "common/instance_config.hpp"
#include "common/log.hpp"
#include "ha/plan.hpp"
#include "vip-notify/speaker_end.hpp"

namespace vipkit::notify {

struct KnownInstance {
  common::InstanceConfig config;
  std::optional<ha::VrrpState> last_state;  // nullopt: no event since this reader started
};

// False when an action failed (each failure is logged).
bool release_dead_speaker(const FifoEnd& end, const std::vector<KnownInstance>& instances,
                          const common::Logger& log);

}  // namespace vipkit::notify

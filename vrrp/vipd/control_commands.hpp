#pragma once
// What vipd does for each control-socket command (control_protocol.hpp has
// the wire format): status, promote, demote. The driver owns the state
// machine and the adapters and lends them through ControlTarget, so this
// file says what a command means and answers, not how the instance runs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "ha/node_state.hpp"
#include "vrrp/core/state_machine.hpp"
#include "vrrp/vipd/config.hpp"
#include "vrrp/vipd/control_protocol.hpp"

namespace vipkit::vipd {

// The running instance's side of a status report, read when one is asked for.
struct InstanceStatus {
  std::string state;  // the state token, as the logs name it
  int effective_priority = 0;
  int preference = 0;
  bool vip_present = false;      // every VIP is on the interface now
  std::uint32_t master_ip_be = 0;  // the last master seen, 0 when none yet
  bool healthy = false;
  std::string health_reason;
  std::optional<ha::NodeState> local;
  std::optional<ha::NodeState> peer;
  Counters counters;
};

// What a command may see and do of the running instance (the driver).
class ControlTarget {
 public:
  virtual ~ControlTarget() = default;
  virtual vrrp::State vrrp_state() const = 0;
  virtual std::string state_token() const = 0;  // "fault" for an unhealthy initialize
  virtual std::string health_reason() const = 0;
  virtual InstanceStatus status() = 0;  // asks the kernel whether the VIPs are on
  // The operator's preference (common/preference.hpp): persisted, then the
  // priority follows it.
  virtual void set_preference(int preference) = 0;
  virtual void take_over(vrrp::TimePoint now) = 0;
  // From master, a handover (vip_policy.hpp: make before break).
  virtual void resign(vrrp::TimePoint now) = 0;
};

class ControlCommands {
 public:
  ControlCommands(const VipdConfig& config, common::Logger log, ControlTarget& target)
      : config_(config), log_(std::move(log)), target_(target) {}

  // One request line in, its response line out (without the newline).
  std::string answer(std::string_view request);

 private:
  const VipdConfig& config_;
  common::Logger log_;
  ControlTarget& target_;
};

// The configured half from `config`, the live half from `live`, and the last
// transition from the state file (null when it has none).
StatusReport status_report(const VipdConfig& config, InstanceStatus live, nlohmann::json last_transition);

}  // namespace vipkit::vipd

#pragma once
// Apply one VRRP event to one instance: take the instance lock, observe the
// local Redis, the peer and the VIP *now*, decide (ha::decide), execute the
// plan, log one line and record it in the state file. Late or reordered
// events are harmless because the decision rests on what is observed, not on
// what the event claims.
#include "common/log.hpp"
#include "ha/plan.hpp"
#include "vip-notify/event.hpp"
#include "common/instance_config.hpp"

namespace vipkit::notify {

struct HandleOptions {
  // Explicit/generic form: a BACKUP whose peer is not a master yet (both
  // nodes start as BACKUP) waits up to wait_peer for it, then gives up.
  bool wait_for_peer = true;
  // Reconcile pass: "nothing"/"wait" and repeats of the previous plan are
  // logged at debug level and not recorded, so a quiet system stays quiet.
  bool routine = false;
  std::optional<ha::Plan> previous;
};

struct HandleResult {
  int exit_code = 0;
  ha::Plan plan;
};

HandleResult handle_event(const common::InstanceConfig& config, const Event& event,
                          const common::Logger& log, const HandleOptions& options);

}  // namespace vipkit::notify

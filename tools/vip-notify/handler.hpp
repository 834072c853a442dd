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
  // The yield-file was cleared and the VIP is not here: keepalived's
  // priority-0 advert of its FAULT may have gone before the peer raised its
  // own priority, which restarts its master-down timer (seen on keepalived
  // 2.2.7); one more from us makes it take over after its skew time.
  bool resign_advert = false;
  // For the metrics: what it did to Redis (common::counted_action).
  std::optional<std::pair<std::string, std::string>> action;
};

HandleResult handle_event(const common::InstanceConfig& config, const Event& event,
                          const common::Logger& log, const HandleOptions& options);

}  // namespace vipkit::notify

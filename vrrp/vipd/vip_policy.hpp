#pragma once
// When vipd's VIPs go on and off: decided from what the driver observed,
// executed (and logged) by the driver. Pure, so each rule is a row of
// tests/unit/test_vipd_vip_policy.cpp.
//
// - VIP only over a master. The state machine's AddVips does not add the
//   VIPs: they go on once the Redis worker has applied this master state and
//   seen the local Redis as master, so no client reaches a read-only replica
//   through them. While it is not, they are withheld, and health resigns the
//   role if Redis cannot be made master.
// - Make before break. A planned resign (control demote) keeps the VIPs
//   until the new master is heard, plus one advert interval in which both
//   hold them, instead of dropping them at once: for the new master's skew
//   time nobody would answer for the VIP, and a client's packet sent then
//   waits for its own timeout or a TCP retransmission (~200 ms) rather than
//   getting an immediate READONLY from the old master and retrying on the
//   new one. Bounded by the master-down interval: if nobody takes over, our
//   own master-down timer decides.
#include <string_view>

#include "vrrp/core/state_machine.hpp"

namespace vipkit::vipd {

// A handover after a resign from master (make before break).
struct Handover {
  bool pending = false;           // resigned from master; the VIPs may still be ours
  bool new_master_heard = false;  // its advert came: one more interval, then let go
};

// What asks the VIP question again.
enum class VipEvent {
  redis_applied,   // the worker applied a VRRP state to Redis and says what it saw
  vrrp_released,   // the state machine left master (its RemoveVips)
  advert_heard,    // an accepted advert from another router
  handover_timer,  // the handover's timer fired
  master_again,    // the state machine became master
};

struct VipFacts {
  VipEvent event = VipEvent::redis_applied;
  vrrp::State vrrp_state = vrrp::State::initialize;  // the state machine's, after the event
  bool stopping = false;     // SIGTERM/SIGINT: leaving for good
  bool vips_held = false;    // the VIPs are on the interface by our hand
  bool vips_wanted = false;  // AddVips came, and no RemoveVips since
  Handover handover;
  // redis_applied only
  bool report_current = false;      // of the current VRRP state: older reports are stale
  bool applied_master = false;      // the state the worker applied is master
  bool local_redis_master = false;  // and it saw the local Redis as master
  // advert_heard only
  bool advert_resigns = false;  // priority 0: the sender is leaving, not taking over
};

enum class VipAction {
  keep,          // nothing changes
  add,           // put the VIPs on (and announce them)
  withhold,      // master, yet keep them off (reason)
  remove,        // take them off now (reason); any handover is over
  hold,          // handover: keep them until the new master is heard, within master_down_interval
  overlap,       // handover: the new master is heard; keep them one advert interval more
  end_handover,  // handover over, and the VIPs stay: this node is master
};

struct VipDecision {
  VipAction action = VipAction::keep;
  std::string_view reason;  // the log token, for withhold and remove
};

VipDecision decide_vips(const VipFacts& facts);

}  // namespace vipkit::vipd

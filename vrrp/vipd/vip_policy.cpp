#include "vrrp/vipd/vip_policy.hpp"

namespace vipkit::vipd {

namespace {

using vrrp::State;

VipDecision on_redis_applied(const VipFacts& f) {
  if (!f.report_current || !f.applied_master || !f.vips_wanted) return {};
  if (!f.local_redis_master) return {VipAction::withhold, "local-not-master"};
  return {f.vips_held ? VipAction::keep : VipAction::add, {}};
}

VipDecision on_vrrp_released(const VipFacts& f) {
  if (f.handover.pending && !f.stopping && f.vrrp_state == State::backup && f.vips_held) return {VipAction::hold, {}};
  return {VipAction::remove, f.stopping ? "stop" : "backup"};
}

VipDecision on_advert_heard(const VipFacts& f) {
  if (!f.handover.pending || f.handover.new_master_heard || f.advert_resigns) return {};
  return {VipAction::overlap, {}};
}

// The overlap is over, or we are master again: the VIPs go unless this node
// holds the master role now.
VipDecision on_handover_over(const VipFacts& f, std::string_view reason) {
  if (!f.handover.pending) return {};
  if (f.vrrp_state == State::master) return {VipAction::end_handover, {}};
  return {VipAction::remove, reason};
}

}  // namespace

VipDecision decide_vips(const VipFacts& facts) {
  switch (facts.event) {
    case VipEvent::redis_applied: return on_redis_applied(facts);
    case VipEvent::vrrp_released: return on_vrrp_released(facts);
    case VipEvent::advert_heard: return on_advert_heard(facts);
    case VipEvent::handover_timer:
      return on_handover_over(facts, facts.handover.new_master_heard ? "handover" : "handover-timeout");
    case VipEvent::master_again: return on_handover_over(facts, "master-again");
  }
  return {};
}

}  // namespace vipkit::vipd

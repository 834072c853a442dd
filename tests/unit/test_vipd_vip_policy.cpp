#include <catch2/catch.hpp>

#include "vrrp/vipd/vip_policy.hpp"

using namespace vipkit;
using vipd::VipAction;
using vipd::VipEvent;
using vipd::VipFacts;
using vrrp::State;

namespace {

// A master whose worker reports, about the current state, that it applied
// master and saw the local Redis as master; the VIPs not on yet.
VipFacts applied_master() {
  VipFacts f;
  f.event = VipEvent::redis_applied;
  f.vrrp_state = State::master;
  f.vips_wanted = true;
  f.report_current = true;
  f.applied_master = true;
  f.local_redis_master = true;
  return f;
}

// Just left master for `to`: the state machine's RemoveVips, VIPs on.
VipFacts released(State to) {
  VipFacts f;
  f.event = VipEvent::vrrp_released;
  f.vrrp_state = to;
  f.vips_held = true;
  return f;
}

// A backup that resigned from master (control demote) and still holds the VIPs.
VipFacts handing_over(VipEvent event) {
  VipFacts f;
  f.event = event;
  f.vrrp_state = State::backup;
  f.vips_held = true;
  f.handover.pending = true;
  return f;
}

// `f` with one fact changed: each row names only what differs from its base.
template <class Change>
VipFacts but(VipFacts f, Change change) {
  change(f);
  return f;
}

void decides(const VipFacts& f, VipAction action, std::string_view reason = {}) {
  const auto d = vipd::decide_vips(f);
  CHECK(d.action == action);
  CHECK(d.reason == reason);
}

}  // namespace

TEST_CASE("vip policy: a report of an older state, of a state not master, or while no VIP is wanted changes nothing",
          "[vipd][vip_policy]") {
  decides(but(applied_master(), [](VipFacts& f) { f.report_current = false; }), VipAction::keep);
  decides(but(applied_master(), [](VipFacts& f) { f.applied_master = false; }), VipAction::keep);
  decides(but(applied_master(), [](VipFacts& f) { f.vips_wanted = false; }), VipAction::keep);
}

TEST_CASE("vip policy: the VIPs go on once the worker has seen the local Redis as master", "[vipd][vip_policy]") {
  decides(applied_master(), VipAction::add);
  // Already on: no second add, no second GARP burst.
  decides(but(applied_master(), [](VipFacts& f) { f.vips_held = true; }), VipAction::keep);
}

TEST_CASE("vip policy: a master over a Redis that is not master withholds the VIPs", "[vipd][vip_policy]") {
  decides(but(applied_master(), [](VipFacts& f) { f.local_redis_master = false; }), VipAction::withhold,
          "local-not-master");
}

TEST_CASE("vip policy: leaving master without a handover removes the VIPs at once", "[vipd][vip_policy]") {
  decides(released(State::backup), VipAction::remove, "backup");
  // Stopping: even in a handover, nobody is left to answer for the VIPs.
  decides(but(released(State::initialize),
              [](VipFacts& f) {
                f.stopping = true;
                f.handover.pending = true;
              }),
          VipAction::remove, "stop");
  // Unhealthy (initialize) in a handover: the VIPs must not stay on a sick node.
  decides(but(released(State::initialize), [](VipFacts& f) { f.handover.pending = true; }), VipAction::remove,
          "backup");
  decides(but(handing_over(VipEvent::vrrp_released), [](VipFacts& f) { f.vips_held = false; }), VipAction::remove,
          "backup");
}

TEST_CASE("vip policy: a resign from master holds the VIPs until the new master is heard", "[vipd][vip_policy]") {
  decides(handing_over(VipEvent::vrrp_released), VipAction::hold);
}

TEST_CASE("vip policy: the new master's first advert starts one interval of overlap", "[vipd][vip_policy]") {
  decides(handing_over(VipEvent::advert_heard), VipAction::overlap);
  // Once only; not for a router that resigns; not outside a handover.
  decides(but(handing_over(VipEvent::advert_heard), [](VipFacts& f) { f.handover.new_master_heard = true; }),
          VipAction::keep);
  decides(but(handing_over(VipEvent::advert_heard), [](VipFacts& f) { f.advert_resigns = true; }), VipAction::keep);
  decides(but(handing_over(VipEvent::advert_heard), [](VipFacts& f) { f.handover = {}; }), VipAction::keep);
}

TEST_CASE("vip policy: the handover timer ends the overlap and removes the VIPs", "[vipd][vip_policy]") {
  decides(but(handing_over(VipEvent::handover_timer), [](VipFacts& f) { f.handover.new_master_heard = true; }),
          VipAction::remove, "handover");
  // Nobody took over within the bound.
  decides(handing_over(VipEvent::handover_timer), VipAction::remove, "handover-timeout");
  // Master again by then: the VIPs stay.
  decides(but(handing_over(VipEvent::handover_timer), [](VipFacts& f) { f.vrrp_state = State::master; }),
          VipAction::end_handover);
  decides(but(handing_over(VipEvent::handover_timer), [](VipFacts& f) { f.handover = {}; }), VipAction::keep);
}

TEST_CASE("vip policy: becoming master again ends the handover and keeps the VIPs", "[vipd][vip_policy]") {
  decides(but(handing_over(VipEvent::master_again), [](VipFacts& f) { f.vrrp_state = State::master; }),
          VipAction::end_handover);
  decides(but(handing_over(VipEvent::master_again),
              [](VipFacts& f) {
                f.vrrp_state = State::master;
                f.handover = {};
              }),
          VipAction::keep);
  // Not master after all (the driver asks only on a change to master): named so in the log.
  decides(handing_over(VipEvent::master_again), VipAction::remove, "master-again");
}

#pragma once
// A vipd master hears another master: a healed partition, most often. The
// VRRP rule (RFC 5798 §6.4.3: the higher priority wins) would settle it in
// one advert, and the priority is the wrong judge: the side cut off from the
// clients kept its priority, the other side took the writes. So the data
// decides (ha/divergence.hpp), at once: the master that would yield asks its
// Redis worker for a check now, and meanwhile holds the role, until the
// check's verdict says it is not the one to keep it, or a bound passes (a peer that never yields, e.g. keepalived without vipkit's
// checks, must not be fought for ever). The peer's vipd checks too, finds
// itself behind (a decisive verdict, no `fall` count) and leaves with
// priority 0. The same hold makes a switchover sticky from its first advert
// (keeps_role_against_second_master). Pure: the driver keeps the state, this
// says hold or yield.
#include <chrono>
#include <optional>
#include <string_view>

#include "ha/node_state.hpp"
#include "vrrp/core/state_machine.hpp"

namespace vipkit::vipd {

struct SecondMaster {
  std::chrono::steady_clock::time_point since;  // first heard
  bool verdict_seen = false;  // a health check begun after that has finished
  bool keep = false;          // ...and said this node is the one to keep the role
  // The last advert held: a verdict that says yield acts on it at once. Waiting
  // for the next advert instead leaves this node master for up to an advert
  // interval with its Redis already a replica (a switchover's old master), and
  // a routine reconcile in that window takes the role back.
  std::optional<vrrp::ReceivedAdvert> held;
  // A lower-priority master was heard: we stay master, and its GARPs may
  // have pointed the neighbours at it, so ours go out again
  // (VipHolder::reclaim) — once the verdict's check found our Redis master.
  // Before it the other may be a switchover's new master, heard before our
  // preference drops (issue 8), and pulling the clients back here would send
  // them to a replica.
  bool reclaim_due = false;   // heard before the verdict: reclaim at it
  bool local_master = false;  // the verdict's check saw our Redis master and healthy
};

// Hold the master role against an advert that would make us yield? Until the
// check's verdict (a few ms), and after it when the verdict says keep; never
// past `bound` (a peer that never yields must not be fought for ever).
bool hold_against_second_master(const SecondMaster& heard, std::chrono::steady_clock::time_point now,
                                std::chrono::milliseconds bound);

// After a verdict (having observed `local` and `peer`): this master is
// the one to keep the role. Either the data past the fork says it is ahead,
// or the other master's Redis is a replica already — a planned switchover
// (vipctl promote) whose old master still advertises the preference it is
// about to drop: the role must not bounce back to it for that.
// `local` must be the master, or there is nothing of ours to keep.
bool keeps_role_against_second_master(bool healthy, std::string_view reason, const ha::NodeState& local,
                                      const ha::NodeState& peer);

// After a verdict that says we do not keep the role: leave it now (resign,
// priority 0), even when the VRRP rule would keep us master (our priority is
// the higher)? Yes when our own Redis already follows the other master: the
// other side re-pointed it at the heal (its data was ahead), or a switchover
// made it a replica while our preference still advertises the old value.
// Staying master then holds the VIP over a replica beside the real master's
// (the chaos soak saw 0.34 s on both hosts, until the other's hold ran out
// and it yielded — the role going to the side with less data). Other
// "not ours" verdicts are left to health (a decisive one resigns at once)
// and to the VRRP rule.
bool resigns_to_second_master(bool keep, const ha::NodeState& local, const ha::NodeState& peer);

}  // namespace vipkit::vipd

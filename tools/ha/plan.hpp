#pragma once
// The failover decision: given the VRRP state the node should be in, what was
// observed of the local Redis and the peer, and the policy, what to do.
// A pure function; every rule of "is this safe?" lives here and is
// unit-tested row by row (tests/unit/test_ha_plan.cpp, docs/decisions.md).
#include <optional>
#include <string>
#include <string_view>

#include "ha/divergence.hpp"
#include "ha/node_state.hpp"
#include "redis/endpoint.hpp"

namespace vipkit::ha {

enum class VrrpState { master, backup, fault, stop };
std::string_view to_token(VrrpState state);
std::optional<VrrpState> parse_vrrp_state(std::string_view text);  // MASTER/master/BACKUP/...

enum class DivergencePolicy { snapshot, refuse, force };
std::string_view to_token(DivergencePolicy policy);
std::optional<DivergencePolicy> parse_divergence_policy(std::string_view text);

struct Policy {
  DivergencePolicy on_divergence = DivergencePolicy::snapshot;
  bool fence = false;
  // A switchover marker stops holding automation back once the switchover
  // has stalled: the local node is a replica whose link to its master has
  // been down this long (Redis's own master_link_down_since_seconds, so no
  // clock of ours is compared with vipctl's) and the peer does not answer
  // here either. vipctl cannot finish a switch without both nodes; it rolls
  // back when it reaches them again. keepalived's failover time (3 adverts
  // of 1 s) is the default: no longer than a dead master without a marker.
  long long switchover_stall_s = 3;
};

enum class Action {
  nothing,         // already right, or not ours to change
  wait,            // cannot act yet (peer not master, local loading): retry later
  promote,         // REPLICAOF NO ONE on the local node
  takeover,        // coordinated: pause peer writes, catch up, promote, peer follows
  repoint,         // REPLICAOF peer on the local node
  snapshot_repoint,// BGSAVE + copy RDB to backup dir, then REPLICAOF peer
  peer_follow,     // local stays master; REPLICAOF local on the peer (peer covered)
  fence,           // local is a master without the VIP and cannot follow: stop its writes
  fence_peer,      // the peer holds the VIP but is behind past the fork: stop its writes until the VIP moves
  refuse,          // unsafe: do nothing and report (non-zero exit)
};
std::string_view to_token(Action action);

struct Plan {
  Action action = Action::nothing;
  std::string reason;  // stable token explaining the row of the table that applied
  // CLIENT UNPAUSE the local node after the action (policy.fence): a fence
  // set while it had no VIP ends when it is the master with the VIP, or a
  // replica of the peer (its held writes get READONLY at once). Never while
  // a switchover or takeover holds its own pause on it, and never on Redis's
  // own FAILOVER: one UNPAUSE ends FAILOVER's pause too (6.2).
  bool lift_fence = false;
  // Two masters, this one ahead (with or without the VIP): raise
  // this host's preference to "promoted" (common/preference.hpp) so that the
  // speaker's own election follows the data at the peer's next advert,
  // instead of after the peer's eligibility check has failed `fall` times.
  bool claim_role = false;
  // Two masters, this one behind, and it holds the VIP: ask the speaker to
  // give the VIP up now, not after this host's eligibility check has failed
  // `fall` times. vip-notify writes keepalived's yield track_file (weight
  // 0: the instance goes FAULT and sends a priority-0 advert, so the peer
  // takes over after its skew time, preempt or not); vipd yields by itself.
  bool yield_vip = false;
  // Decided past a stalled switchover's marker (Policy::switchover_stall_s):
  // delete the marker's copy on the local node after the action succeeds,
  // so that once the partition heals it no longer holds both sides back
  // while two masters wait for the data to decide between them.
  bool drop_marker = false;

  bool operator==(const Plan&) const = default;
};

struct Situation {
  VrrpState state;
  NodeState local;
  NodeState peer;
  redis::Endpoint peer_endpoint;  // what we would REPLICAOF
  std::optional<bool> vip_local;  // VIP on a local interface now (nullopt: --vip not given)
  // The local node's address as the peer reaches it (--self) is known: a
  // takeover and a peer-follow re-point the peer to it, so without it they
  // are refused rather than half-done.
  bool self_known = false;
  // Both are masters of a forked history and both backlogs were replayed
  // past the fork (ha/divergence_probe.hpp); nullopt otherwise.
  std::optional<Divergence> divergence;
};

Plan decide(const Situation& situation, const Policy& policy);

}  // namespace vipkit::ha

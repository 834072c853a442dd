#include <catch2/catch.hpp>

#include "ha/plan.hpp"
#include "node_builders.hpp"

using namespace vipkit;
using namespace vipkit::test;
using ha::Action;
using ha::DivergencePolicy;
using ha::VrrpState;

namespace {

const redis::Endpoint peer_at{"192.0.2.12", 6379, ""};

struct Row {
  const char* name;
  VrrpState state;
  ha::NodeState local;
  ha::NodeState peer;
  std::optional<bool> vip_local;
  DivergencePolicy policy;
  bool fence;
  Action action;
  const char* reason;
};

ha::NodeState with_switchover(ha::NodeState node) {
  node.switchover = ha::SwitchoverMarker{"192.0.2.12:6379", "192.0.2.11:6379", "promote", "vipctl@b pid=1", 1};
  return node;
}

// A replica whose link to its master has been down for `seconds` (Redis's
// master_link_down_since_seconds).
ha::NodeState cut_off_for(ha::NodeState node, long long seconds) {
  node.link_up = false;
  node.link_down_since_s = seconds;
  return node;
}

}  // namespace

TEST_CASE("failover plan decision table", "[ha][plan]") {
  const auto snap = DivergencePolicy::snapshot;
  const auto peer_master = master(history_a, 1000, 50);
  const auto peer_replica = replica(history_a, 1000, 50, "192.0.2.11", 6379, true);
  const auto follower = replica(history_a, 990, 50, "192.0.2.12", 6379, true);
  const auto follower_link_down = replica(history_a, 900, 49, "192.0.2.12", 6379, false);
  const auto empty_master = master(history_c, 0, 0);
  const auto diverged = master(history_c, 40, 7);

  const std::vector<Row> rows = {
      // MASTER
      {"master: local Redis down, retry later", VrrpState::master, down(), peer_master, true, snap, false,
       Action::wait, "local-unreachable"},
      {"master: local loading", VrrpState::master, loading_node(), down(), true, snap, false, Action::wait,
       "local-loading"},
      {"master: late event, VIP no longer here", VrrpState::master, follower, peer_master, false, snap,
       false, Action::nothing, "vip-not-local"},
      {"master: already master, peer replica", VrrpState::master, master(history_a, 1000, 50),
       peer_replica, true, snap, false, Action::nothing, "already-master"},
      {"master: already master, peer down", VrrpState::master, master(history_a, 1000, 50), down(),
       true, snap, false, Action::nothing, "already-master"},
      {"master: split, peer empty -> peer follows us", VrrpState::master, master(history_a, 1000, 50),
       empty_master, true, snap, false, Action::peer_follow, "peer-covered"},
      {"master: split, peer holds other writes, same size -> refuse", VrrpState::master, master(history_a, 1000, 7),
       diverged, true, snap, false, Action::refuse, "split-peer-diverged"},
      {"master: split, no fork to count from, ours larger -> keep it, claim the role", VrrpState::master,
       master(history_a, 1000, 50), diverged, true, snap, false, Action::nothing, "peer-smaller"},
      {"master: split, no fork to count from, the peer larger -> yield the VIP", VrrpState::master,
       master(history_a, 1000, 3), diverged, true, snap, false, Action::wait, "split-peer-larger"},
      {"master: both left one history, the peer later -> yield the VIP, whatever the sizes", VrrpState::master,
       promoted(history_c, 1006350, 13772, history_a, 1004700),
       promoted(history_b, 1005374, 13758, history_a, 1004833), true, snap, false, Action::wait, "split-peer-ahead"},
      {"master: both left one history, ours later -> keep it, claim the role", VrrpState::master,
       promoted(history_b, 1005374, 13758, history_a, 1004833),
       promoted(history_c, 1006350, 13772, history_a, 1004700), true, snap, false, Action::nothing, "peer-behind"},
      {"master: replica, peer down -> promote", VrrpState::master, follower_link_down, down(), true, snap,
       false, Action::promote, "peer-unreachable"},
      {"master: replica, peer loading -> promote", VrrpState::master, follower_link_down, loading_node(),
       true, snap, false, Action::promote, "peer-loading"},
      {"master: replica, peer is a replica too -> promote", VrrpState::master, follower, peer_replica,
       true, snap, false, Action::promote, "peer-not-master"},
      {"master: replica of a live master (preemption) -> coordinated takeover", VrrpState::master,
       follower, peer_master, true, snap, false, Action::takeover, "peer-master"},
      {"master: replica pointing at the peer, link down -> takeover waits for sync", VrrpState::master,
       replica(history_c, 0, 0, "192.0.2.12", 6379, false), peer_master, std::nullopt, snap, false,
       Action::takeover, "peer-master"},
      {"master: held replica holding what the restarted master lacks -> promote", VrrpState::master,
       held(follower_link_down), master(history_c, 30, 2), true, snap, false, Action::promote,
       "replica-holds-more"},
      {"master: restarted without what the held replica holds -> give the VIP up", VrrpState::master,
       master(history_c, 30, 2), held(replica(history_a, 900, 49, "192.0.2.11", 6379, false)), true, snap, false,
       Action::nothing, "peer-replica-holds-more"},
      {"master: same, fencing on -> fence and give the VIP up", VrrpState::master, master(history_c, 30, 2),
       held(replica(history_a, 900, 49, "192.0.2.11", 6379, false)), true, snap, true, Action::fence,
       "peer-replica-holds-more"},
      {"master: replica of a third node while peer is master -> refuse", VrrpState::master,
       replica(history_c, 10, 2, "192.0.2.99", 6379, true), peer_master, true, snap, false, Action::refuse,
       "replica-of-other-master"},
      // BACKUP
      {"backup: late event, VIP is here", VrrpState::backup, master(history_a, 1000, 50), peer_replica,
       true, snap, false, Action::nothing, "vip-is-local"},
      {"backup: local down", VrrpState::backup, down(), peer_master, false, snap, false, Action::wait,
       "local-unreachable"},
      {"backup: peer down (startup) -> wait, never point at it", VrrpState::backup,
       master(history_a, 1000, 50), down(), false, snap, false, Action::wait, "peer-unreachable"},
      {"backup: peer is a replica (both BACKUP at startup) -> wait, no loop", VrrpState::backup,
       master(history_a, 1000, 50), peer_replica, false, snap, false, Action::wait, "peer-not-master"},
      {"backup: peer loading -> wait", VrrpState::backup, master(history_a, 1000, 50), loading_node(),
       false, snap, false, Action::wait, "peer-loading"},
      {"backup: peer not master, fencing on, local master -> fence", VrrpState::backup,
       master(history_a, 1000, 50), down(), false, snap, true, Action::fence, "peer-unreachable"},
      {"backup: already following the peer", VrrpState::backup, follower, peer_master, false, snap,
       false, Action::nothing, "already-following"},
      {"backup: already following, link down (peer restarting)", VrrpState::backup, follower_link_down,
       peer_master, false, snap, false, Action::nothing, "already-following"},
      {"backup: restarted empty as master -> repoint", VrrpState::backup, empty_master, peer_master,
       false, snap, false, Action::repoint, "covered-empty"},
      {"backup: old master behind the promoted peer -> repoint (psync)", VrrpState::backup,
       master(history_a, 300, 20), promoted(history_b, 800, 60, history_a, 300), false, snap, false,
       Action::repoint, "covered-previous-history"},
      {"backup: replica of a third node, same history -> repoint", VrrpState::backup,
       replica(history_a, 600, 30, "192.0.2.99", 6379, false), peer_master, false, snap, false,
       Action::repoint, "covered-same-history"},
      {"backup: diverged, snapshot policy", VrrpState::backup, diverged, peer_master, false, snap, false,
       Action::snapshot_repoint, "diverged"},
      {"backup: diverged, refuse policy", VrrpState::backup, diverged, peer_master, false,
       DivergencePolicy::refuse, false, Action::refuse, "diverged"},
      {"backup: diverged, force policy", VrrpState::backup, diverged, peer_master, false,
       DivergencePolicy::force, false, Action::repoint, "diverged-forced"},
      {"backup: wrote past the peer's promotion point -> diverged", VrrpState::backup,
       master(history_a, 301, 20), promoted(history_b, 800, 60, history_a, 300), false, snap, false,
       Action::snapshot_repoint, "diverged"},
      {"backup: both left one history, ours later -> keep it, the VIP comes here", VrrpState::backup,
       promoted(history_b, 1005374, 13758, history_a, 1004833),
       promoted(history_c, 1006350, 13772, history_a, 1004700), false, snap, false, Action::wait,
       "local-shared-history-longer"},
      {"backup: data vs empty unrelated peer, snapshot policy -> keep it, the VIP comes to the data",
       VrrpState::backup, master(history_a, 1000, 50), empty_master, false, snap, false, Action::wait,
       "local-larger"},
      {"backup: data vs empty unrelated peer, refuse policy -> the same", VrrpState::backup,
       master(history_a, 1000, 50), empty_master, false, DivergencePolicy::refuse, false, Action::wait,
       "local-larger"},
      {"backup: data vs empty unrelated peer, force -> repoint", VrrpState::backup,
       master(history_a, 1000, 50), empty_master, false, DivergencePolicy::force, false, Action::repoint,
       "peer-empty-unrelated-forced"},
      // FAULT: same rules as BACKUP, never a promotion
      {"fault: replica, peer down -> wait, no promotion", VrrpState::fault, follower_link_down, down(),
       false, snap, false, Action::wait, "peer-unreachable"},
      {"fault: restarted empty master, peer master -> repoint", VrrpState::fault, empty_master,
       peer_master, false, snap, false, Action::repoint, "covered-empty"},
      // STOP
      {"stop: replica stays as it is", VrrpState::stop, follower_link_down, down(), false, snap, false,
       Action::nothing, "stopping"},
      {"stop: master, fencing on -> fence", VrrpState::stop, master(history_a, 1000, 50), down(), false,
       snap, true, Action::fence, "stopping"},
      {"stop: master holding the VIP is not fenced", VrrpState::stop, master(history_a, 1000, 50), down(),
       true, snap, true, Action::nothing, "stopping"},
      // A planned switchover (vipctl) is under way: whichever node carries the
      // marker, automation keeps its hands off, even where it would otherwise
      // take the role back.
      {"switchover: master whose Redis was just demoted does not take it back", VrrpState::master,
       with_switchover(follower), with_switchover(peer_master), true, snap, false, Action::nothing,
       "switchover-in-progress"},
      {"switchover: marker seen on the peer only", VrrpState::master, follower, with_switchover(peer_master),
       true, snap, false, Action::nothing, "switchover-in-progress"},
      {"switchover: backup whose Redis was just promoted is not fenced", VrrpState::backup,
       with_switchover(master(history_a, 1000, 50)), peer_replica, false, snap, true, Action::nothing,
       "switchover-in-progress"},
      // ... until it has stalled: the marker's copy here, this replica cut off
      // from its master for the stall time (3 s), the peer unreachable too.
      {"switchover stalled: the VIP over a replica cut off 3 s, peer down -> promote", VrrpState::master,
       with_switchover(cut_off_for(follower_link_down, 3)), down(), true, snap, false, Action::promote,
       "switchover-stalled-peer-unreachable"},
      {"switchover not stalled: cut off 2 s only", VrrpState::master,
       with_switchover(cut_off_for(follower_link_down, 2)), down(), true, snap, false, Action::nothing,
       "switchover-in-progress"},
      {"switchover not stalled: the link down long, but the peer answers here", VrrpState::master,
       with_switchover(cut_off_for(follower_link_down, 30)), with_switchover(peer_master), true, snap, false,
       Action::nothing, "switchover-in-progress"},
      {"switchover not stalled: never linked since start (-1)", VrrpState::master,
       with_switchover(cut_off_for(follower_link_down, -1)), down(), true, snap, false, Action::nothing,
       "switchover-in-progress"},
      {"switchover not stalled: the old master's side (a master, peer down)", VrrpState::master,
       with_switchover(master(history_a, 1000, 50)), down(), true, snap, false, Action::nothing,
       "switchover-in-progress"},
      {"switchover stalled, backup: the usual backup rule, never a promotion", VrrpState::backup,
       with_switchover(cut_off_for(follower_link_down, 10)), down(), false, snap, false, Action::wait,
       "switchover-stalled-peer-unreachable"},
  };
  for (const auto& row : rows) {
    DYNAMIC_SECTION(row.name) {
      const ha::Situation situation{row.state, row.local, row.peer, peer_at, row.vip_local, true, std::nullopt};
      const ha::Plan plan = ha::decide(situation, ha::Policy{row.policy, row.fence});
      CHECK(ha::to_token(plan.action) == ha::to_token(row.action));
      CHECK(plan.reason == row.reason);
    }
  }
}

TEST_CASE("only a stalled switchover's promotion drops the marker's local copy", "[ha][plan]") {
  const auto cut = with_switchover(cut_off_for(replica(history_a, 900, 49, "192.0.2.12", 6379, false), 5));
  const ha::Plan promoted = ha::decide({VrrpState::master, cut, down(), peer_at, true, true, std::nullopt}, {});
  CHECK(promoted.action == Action::promote);
  CHECK(promoted.drop_marker);
  const ha::Plan waiting = ha::decide({VrrpState::backup, cut, down(), peer_at, false, true, std::nullopt}, {});
  CHECK(waiting.action == Action::wait);
  CHECK_FALSE(waiting.drop_marker);
  ha::Policy patient;
  patient.switchover_stall_s = 10;
  const ha::Plan held = ha::decide({VrrpState::master, cut, down(), peer_at, true, true, std::nullopt}, patient);
  CHECK(held.reason == "switchover-in-progress");
  CHECK_FALSE(held.drop_marker);
}

TEST_CASE("no plan ever promotes outside MASTER", "[ha][plan]") {
  const std::vector<ha::NodeState> locals = {down(), loading_node(), master(history_a, 10, 1),
                                             replica(history_a, 10, 1, "192.0.2.12", 6379, false)};
  const std::vector<ha::NodeState> peers = {down(), loading_node(), master(history_a, 10, 1),
                                            master(history_c, 0, 0)};
  for (auto state : {VrrpState::backup, VrrpState::fault, VrrpState::stop}) {
    for (const auto& l : locals) {
      for (const auto& p : peers) {
        for (auto vip : {std::optional<bool>{}, std::optional<bool>{false}, std::optional<bool>{true}}) {
          const auto plan = ha::decide({state, l, p, peer_at, vip, true, std::nullopt}, {});
          CHECK(plan.action != Action::promote);
          CHECK(plan.action != Action::takeover);
        }
      }
    }
  }
}

TEST_CASE("a fence is lifted only by a plan that leaves the local node the master", "[ha][plan][fence]") {
  const auto local_master = master(history_a, 1000, 50);
  const auto follower = replica(history_a, 990, 50, "192.0.2.12", 6379, true);
  const auto peer_master = master(history_a, 1000, 50);
  const auto peer_replica = replica(history_a, 1000, 50, "192.0.2.11", 6379, true);
  auto failing_over = local_master;
  failing_over.failover_state = "waiting-for-sync";
  struct FenceRow {
    const char* name;
    VrrpState state;
    ha::NodeState local;
    ha::NodeState peer;
    bool fence;
    Action action;
    const char* reason;
    bool lift;
  };
  const std::vector<FenceRow> rows = {
      {"master, already master, fencing on -> lift", VrrpState::master, local_master, peer_replica, true,
       Action::nothing, "already-master", true},
      {"master, already master, fencing off -> no unpause at all", VrrpState::master, local_master,
       peer_replica, false, Action::nothing, "already-master", false},
      {"master, replica, peer down -> promote and lift", VrrpState::master, follower, down(), true,
       Action::promote, "peer-unreachable", true},
      {"master, takeover -> lift our own (old) fence", VrrpState::master, follower, peer_master, true,
       Action::takeover, "peer-master", true},
      {"master, local loading -> nothing to lift yet", VrrpState::master, loading_node(), down(), true,
       Action::wait, "local-loading", false},
      // The automation's takeover (or vipctl's switchover) pauses this node
      // on purpose: its marker keeps the MASTER reconcile from unpausing it.
      {"master, takeover marker on the local node -> no unpause", VrrpState::master,
       with_switchover(local_master), peer_replica, true, Action::nothing, "switchover-in-progress", false},
      // Redis's own FAILOVER holds a pause: one UNPAUSE would end it (6.2).
      {"master, FAILOVER running locally -> no unpause, no action", VrrpState::master, failing_over,
       peer_replica, true, Action::nothing, "failover-in-progress", false},
      {"backup, master without VIP -> fence, not lift", VrrpState::backup, local_master, down(), true,
       Action::fence, "peer-unreachable", false},
      // Re-pointed, it is a replica: its held writes get READONLY at once.
      {"backup, re-pointed to the peer, fencing on -> lift", VrrpState::backup, master(history_c, 0, 0), peer_master,
       true, Action::repoint, "covered-empty", true},
      {"backup, re-pointed, fencing off -> no unpause at all", VrrpState::backup, master(history_c, 0, 0),
       peer_master, false, Action::repoint, "covered-empty", false},
  };
  for (const auto& row : rows) {
    DYNAMIC_SECTION(row.name) {
      const auto plan = ha::decide({row.state, row.local, row.peer, peer_at, row.state == VrrpState::master, true, std::nullopt},
                                   {DivergencePolicy::snapshot, row.fence});
      CHECK(ha::to_token(plan.action) == ha::to_token(row.action));
      CHECK(plan.reason == row.reason);
      CHECK(plan.lift_fence == row.lift);
    }
  }
}

TEST_CASE("takeover and peer-follow are refused without the local address", "[ha][plan]") {
  const auto follower = replica(history_a, 990, 50, "192.0.2.12", 6379, true);
  const auto takeover = ha::decide({VrrpState::master, follower, master(history_a, 1000, 50), peer_at, true, false, std::nullopt}, {});
  CHECK(takeover.action == Action::refuse);
  CHECK(takeover.reason == "self-address-unknown");
  const auto follow =
      ha::decide({VrrpState::master, master(history_a, 1000, 50), master(history_c, 0, 0), peer_at, true, false, std::nullopt}, {});
  CHECK(follow.action == Action::refuse);
  CHECK(follow.reason == "self-address-unknown");
  // A promotion needs no address: it is not refused.
  CHECK(ha::decide({VrrpState::master, follower, down(), peer_at, true, false, std::nullopt}, {}).action == Action::promote);
}

TEST_CASE("a master restarted without its replica's data gives the VIP up at once", "[ha][plan][guard]") {
  const auto restarted = master(history_c, 30, 2);
  const auto holding = held(replica(history_a, 900, 49, "192.0.2.11", 6379, false));
  const auto plan = ha::decide({VrrpState::master, restarted, holding, peer_at, true, true, std::nullopt}, {});
  CHECK(plan.reason == "peer-replica-holds-more");
  CHECK(plan.yield_vip);
  // The same master with a replica that is merely behind keeps the VIP.
  const auto behind = held(replica(history_c, 20, 1, "192.0.2.11", 6379, false));
  CHECK_FALSE(ha::decide({VrrpState::master, restarted, behind, peer_at, true, true, std::nullopt}, {}).yield_vip);
}

TEST_CASE("vrrp state and policy parsing", "[ha][plan]") {
  CHECK(ha::parse_vrrp_state("MASTER") == VrrpState::master);
  CHECK(ha::parse_vrrp_state("backup") == VrrpState::backup);
  CHECK(ha::parse_vrrp_state("FAULT") == VrrpState::fault);
  CHECK(ha::parse_vrrp_state("STOP") == VrrpState::stop);
  CHECK_FALSE(ha::parse_vrrp_state("MASTER_RX_LOWER_PRI").has_value());
  CHECK(ha::parse_divergence_policy("refuse") == DivergencePolicy::refuse);
  CHECK_FALSE(ha::parse_divergence_policy("yolo").has_value());
}

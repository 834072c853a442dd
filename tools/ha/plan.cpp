#include "ha/plan.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "ha/history.hpp"

namespace vipkit::ha {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Why the peer cannot be followed (only meaningful when it is not a healthy master).
std::string peer_not_master_reason(const NodeState& peer) {
  if (!peer.reachable) return "peer-unreachable";
  if (peer.loading) return "peer-loading";
  return "peer-not-master";
}

bool follows_peer(const NodeState& local, const NodeState& peer, const redis::Endpoint& peer_endpoint) {
  if (local.replicates_from(peer_endpoint)) return true;
  // The same master under another name (hostname vs address): same history, linked.
  return local.is_replica() && local.link_up && local.replid == peer.replid;
}

// MASTER: this node holds (or is about to hold) the VIP; its Redis must be the
// writable master, without losing what the peer holds.
Plan decide_master(const Situation& s, const Policy& policy) {
  const NodeState& local = s.local;
  const NodeState& peer = s.peer;
  if (!local.reachable) return {Action::wait, "local-unreachable"};
  if (local.loading) return {Action::wait, "local-loading"};
  if (s.vip_local == false) return {Action::nothing, "vip-not-local"};  // stale event

  if (local.role == redis::Role::master) {
    if (unlinked_with_more(peer, local)) {
      // Our Redis came back without what its replica holds (eligibility.cpp,
      // peer-replica-holds-more): give the VIP to the data now.
      Plan plan{policy.fence ? Action::fence : Action::nothing, "peer-replica-holds-more"};
      plan.yield_vip = true;
      return plan;
    }
    if (!peer.is_healthy_master()) return {Action::nothing, "already-master"};
    if (is_covered(coverage_of(peer, local))) return {Action::peer_follow, "peer-covered"};
    // Two masters of one forked history (a healed partition): the data each
    // accepted past the fork decides, not the VRRP priority. With no fork
    // to count from, the larger dataset does (divergence.hpp,
    // unrelated_lead); a stale master that the peer covers only follows.
    const bool shared = shared_history_lead(local, peer).has_value();
    if (!shared && s.divergence && no_data_past_fork(s.divergence->peer)) {
      return {Action::peer_follow, "peer-no-data-past-fork"};
    }
    const bool counted = s.divergence.has_value() || shared;
    if (counted || !is_covered(coverage_of(local, peer))) {
      switch (lead_of(s.divergence, local, peer)) {
        case Lead::local: {
          // Its own handler snapshots and follows. Claim the role too: if
          // the peer yields before its speaker has heard ours, nothing else
          // would stop it, once it follows us, from preempting back with its
          // higher configured priority (a needless second switch).
          Plan plan{Action::nothing, counted ? "peer-behind" : "peer-smaller"};
          plan.claim_role = true;
          return plan;
        }
        case Lead::peer: {
          // We hold the VIP but the peer holds more: stop taking writes that
          // would only end up in our snapshot, and give the VIP up.
          Plan plan{policy.fence ? Action::fence : Action::wait, counted ? "split-peer-ahead" : "split-peer-larger"};
          plan.yield_vip = true;
          return plan;
        }
        case Lead::even: break;
      }
    }
    // Two masters with different writes: the peer's own handler snapshots or
    // refuses per its policy; we must not wipe it from here.
    return {Action::refuse, "split-peer-diverged"};
  }
  if (local.role == redis::Role::replica) {
    if (!peer.is_healthy_master()) return {Action::promote, peer_not_master_reason(peer)};
    // Held, holding what the master lacks: there is nothing to catch up
    // with; the master's writes since its restart are snapshotted by its side.
    if (unlinked_with_more(local, peer)) return {Action::promote, "replica-holds-more"};
    if (local.replid == peer.replid || local.replicates_from(s.peer_endpoint)) {
      return {Action::takeover, "peer-master"};
    }
    return {Action::refuse, "replica-of-other-master"};
  }
  return {Action::refuse, "local-role-unknown"};
}

// BACKUP/FAULT: the VIP is elsewhere; the local Redis should replicate from
// the peer, but only when the peer is a healthy master and nothing is lost.
Plan decide_backup(const Situation& s, const Policy& policy) {
  const NodeState& local = s.local;
  const NodeState& peer = s.peer;
  if (s.vip_local == true) return {Action::nothing, "vip-is-local"};  // stale event
  if (!local.reachable) return {Action::wait, "local-unreachable"};
  if (local.loading) return {Action::wait, "local-loading"};

  if (!peer.is_healthy_master()) {
    if (policy.fence && local.is_master()) return {Action::fence, peer_not_master_reason(peer)};
    return {Action::wait, peer_not_master_reason(peer)};
  }
  if (follows_peer(local, peer, s.peer_endpoint)) return {Action::nothing, "already-following"};

  const Coverage coverage = coverage_of(local, peer);
  if (is_covered(coverage)) return {Action::repoint, "covered-" + std::string(to_token(coverage))};
  const auto shared = shared_history_lead(local, peer);
  if (s.divergence && !shared) {
    // Our stream past the fork is replication PINGs only: nothing to keep.
    if (no_data_past_fork(s.divergence->local)) return {Action::repoint, "covered-no-data-past-fork"};
  }
  // We accepted more than the peer (past the fork, or with no fork to count
  // from, a larger dataset): the VIP is to come here (our preference now,
  // the peer's eligibility at its next checks), and the peer is the one that
  // snapshots and follows. With fencing, the peer's writes stop meanwhile: a
  // client write there now would only end up in its snapshot.
  // (By size only for a master, and not under `force`, which asked to
  // follow the VIP holder whatever we hold.)
  const bool by_size = local.is_master() && policy.on_divergence != DivergencePolicy::force;
  if ((s.divergence || by_size) && lead_of(s.divergence, local, peer) == Lead::local) {
    Plan plan{policy.fence ? Action::fence_peer : Action::wait,
              shared ? "local-shared-history-longer" : s.divergence ? "local-ahead" : "local-larger"};
    plan.claim_role = true;
    return plan;
  }
  if (is_empty_unrelated(peer, local)) {
    // Re-pointing would replace our data with an empty dataset: only on force.
    return policy.on_divergence == DivergencePolicy::force
               ? Plan{Action::repoint, "peer-empty-unrelated-forced"}
               : Plan{Action::refuse, "peer-empty-unrelated"};
  }
  switch (policy.on_divergence) {
    case DivergencePolicy::snapshot: return {Action::snapshot_repoint, "diverged"};
    case DivergencePolicy::refuse: return {Action::refuse, "diverged"};
    case DivergencePolicy::force: return {Action::repoint, "diverged-forced"};
  }
  return {Action::refuse, "diverged"};
}

// STOP: keepalived is going away. Never promote, never re-point; a master
// without the VIP can only be fenced.
Plan decide_stop(const Situation& s, const Policy& policy) {
  if (policy.fence && s.local.is_master() && s.vip_local != true) return {Action::fence, "stopping"};
  return {Action::nothing, "stopping"};
}

// The plan leaves the local node the writable master with the VIP: a fence
// (ours, from an earlier BACKUP) is lifted.
bool leaves_local_master(const Situation& s, const Plan& plan) {
  switch (plan.action) {
    case Action::promote:
    case Action::takeover:
    case Action::peer_follow: return true;
    case Action::nothing:
      return s.local.is_master() &&
             (plan.reason == "already-master" || plan.reason == "peer-behind" || plan.reason == "peer-smaller");
    default: return false;
  }
}

bool leaves_local_replica(const Plan& plan) {
  return plan.action == Action::repoint || plan.action == Action::snapshot_repoint;
}

// Takeover and peer-follow re-point the peer at us: they need our address.
bool needs_self(Action action) { return action == Action::takeover || action == Action::peer_follow; }

bool failover_running(const NodeState& node) {
  return !node.failover_state.empty() && node.failover_state != "no-failover";
}

// Policy::switchover_stall_s: the marker is on the local node (replicated
// from the old master), the local node has been cut off from its master
// that long, and the peer does not answer here. The peer's own marker is
// never read then: an unreachable peer shows none.
bool switchover_stalled(const Situation& s, const Policy& policy) {
  return s.local.switchover && !s.peer.reachable && s.local.is_replica() && !s.local.link_up &&
         s.local.link_down_since_s >= policy.switchover_stall_s;
}

Plan decide_state(const Situation& situation, const Policy& policy) {
  switch (situation.state) {
    case VrrpState::master: {
      Plan plan = decide_master(situation, policy);
      if (needs_self(plan.action) && !situation.self_known) return {Action::refuse, "self-address-unknown"};
      plan.lift_fence = policy.fence && leaves_local_master(situation, plan);
      return plan;
    }
    case VrrpState::backup:
    case VrrpState::fault: {
      Plan plan = decide_backup(situation, policy);
      // A node re-pointed to the peer is a replica: writes held by its fence
      // (or the peer's fence-peer) may now be answered READONLY at once,
      // rather than wait out the pause, so clients retry through the VIP.
      plan.lift_fence = policy.fence && leaves_local_replica(plan);
      return plan;
    }
    case VrrpState::stop: return decide_stop(situation, policy);
  }
  return {Action::nothing, "unknown-state"};
}

}  // namespace

std::string_view to_token(VrrpState state) {
  switch (state) {
    case VrrpState::master: return "master";
    case VrrpState::backup: return "backup";
    case VrrpState::fault: return "fault";
    case VrrpState::stop: return "stop";
  }
  return "unknown";
}

std::optional<VrrpState> parse_vrrp_state(std::string_view text) {
  const std::string s = lower(text);
  if (s == "master") return VrrpState::master;
  if (s == "backup") return VrrpState::backup;
  if (s == "fault") return VrrpState::fault;
  if (s == "stop" || s == "deleted") return VrrpState::stop;
  return std::nullopt;
}

std::string_view to_token(DivergencePolicy policy) {
  switch (policy) {
    case DivergencePolicy::snapshot: return "snapshot";
    case DivergencePolicy::refuse: return "refuse";
    case DivergencePolicy::force: return "force";
  }
  return "snapshot";
}

std::optional<DivergencePolicy> parse_divergence_policy(std::string_view text) {
  if (text == "snapshot") return DivergencePolicy::snapshot;
  if (text == "refuse") return DivergencePolicy::refuse;
  if (text == "force") return DivergencePolicy::force;
  return std::nullopt;
}

std::string_view to_token(Action action) {
  switch (action) {
    case Action::nothing: return "nothing";
    case Action::wait: return "wait";
    case Action::promote: return "promote";
    case Action::takeover: return "takeover";
    case Action::repoint: return "repoint";
    case Action::snapshot_repoint: return "snapshot-repoint";
    case Action::peer_follow: return "peer-follow";
    case Action::fence: return "fence";
    case Action::fence_peer: return "fence-peer";
    case Action::refuse: return "refuse";
  }
  return "nothing";
}

Plan decide(const Situation& situation, const Policy& policy) {
  // vipctl is moving the master role on purpose (on either node): whatever
  // the VRRP state says meanwhile, changing roles now would fight it. The
  // marker expires by itself, so this cannot freeze automation for long;
  // and a switchover cut off from its old master has stalled: decided as
  // without the marker, the reason saying so.
  if (situation.local.switchover || situation.peer.switchover) {
    if (!switchover_stalled(situation, policy)) return {Action::nothing, "switchover-in-progress"};
    Plan plan = decide_state(situation, policy);
    plan.reason = "switchover-stalled-" + plan.reason;
    plan.drop_marker = plan.action == Action::promote;
    return plan;
  }
  // Redis's own FAILOVER is running on the local node: it holds a write
  // pause and will change roles by itself; an UNPAUSE or a REPLICAOF now
  // would break it.
  if (failover_running(situation.local)) return {Action::nothing, "failover-in-progress"};
  return decide_state(situation, policy);
}

}  // namespace vipkit::ha

#include "ha/eligibility.hpp"

#include "ha/history.hpp"

namespace vipkit::ha {

// Decision table (first matching row wins; docs/decisions.md mirrors it):
//
//  peer                 local                                  -> eligible  reason
//  unreachable          any alive                              -> yes       peer-unreachable
//  loading              any alive                              -> yes       peer-loading
//  replica, link down,  master whose history lacks the         -> no        peer-replica-holds-more
//   not syncing         peer's data (restarted empty/from RDB)
//  not a master         any alive                              -> yes       peer-not-master
//  healthy master       replica of peer's history, link up     -> yes       replica-in-sync
//  healthy master       replica, link down, holding data the   -> yes       replica-holds-more
//                       peer's history lacks (the peer restarted)
//  healthy master       replica, link down                     -> no        replica-link-down
//  healthy master       replica, full sync in progress         -> no        replica-syncing
//  healthy master       replica of another history             -> no        replica-of-other-master
//  healthy master       master holding all the peer holds      -> yes       peer-covered
//  healthy master       empty master (peer has data)           -> no        empty-master-peer-master
//  healthy master       master behind the peer's history       -> no        stale-master-peer-master
//  healthy master       both left one history, local later     -> yes       shared-history-local-longer
//  healthy master       both left one history, peer later      -> no (*)    shared-history-peer-longer
//  healthy master       forked, peer has no data past the fork -> yes       peer-no-data-past-fork
//  healthy master       forked, local has none, peer has some  -> no (*)    no-data-past-fork-peer-master
//  healthy master       forked, local accepted more data       -> yes       diverged-local-ahead
//  healthy master       forked, peer accepted more data        -> no (*)    diverged-peer-ahead
//  healthy master       no fork to count from, local larger    -> yes       diverged-local-larger
//  healthy master       no fork to count from, peer larger     -> no        diverged-peer-larger
//  healthy master       diverged master, VIP here              -> yes       diverged-holding-vip
//  healthy master       diverged master, VIP elsewhere         -> no        diverged-peer-master
//  healthy master       diverged master, VIP unknown           -> yes       diverged-vip-unknown
//  (*) decisive: behind in the data, which no check will see change
//
// "Forked": both are masters whose histories share a fork point, and both
// backlogs were replayed past it (ha/divergence.hpp): the side that accepted
// more client data keeps the VIP, whatever the VRRP priorities say.
// "Diverged" without that (unrelated histories, or the fork has left a
// backlog) means each holds writes the other lacks and nothing counts them:
// the larger dataset keeps the role (ha/divergence.hpp, unrelated_lead); at
// equal sizes we keep the VIP where it is and let the backup's notify
// handler apply its divergence policy (snapshot by default).
namespace {

Eligibility yes(std::string reason) { return {true, std::move(reason), false}; }
Eligibility no(std::string reason) { return {false, std::move(reason), false}; }
Eligibility behind(std::string reason) { return {false, std::move(reason), true}; }


}  // namespace

Eligibility decide_eligibility(const NodeState& local, const NodeState& peer, std::optional<bool> vip_local,
                               const std::optional<Divergence>& divergence) {
  if (!peer.reachable) return yes("peer-unreachable");
  if (peer.loading) return yes("peer-loading");
  // A replica that was following us holds writes our history lacks: our
  // Redis came back without them (restarted empty, or from an older RDB:
  // either way a new replid). Its replica guard holds it (ha/replica_guard.hpp);
  // the VIP must go to the data, and our writes since are the ones that
  // get snapshotted. Not decisive: a replica between two links looks the
  // same for a moment, and `fall` checks filter that out.
  if (local.role == redis::Role::master && unlinked_with_more(peer, local)) return no("peer-replica-holds-more");
  if (!peer.is_healthy_master()) return yes("peer-not-master");

  if (local.role == redis::Role::replica) {
    if (local.replid != peer.replid && local.link_up && !local.sync_in_progress) {
      return no("replica-of-other-master");
    }
    if (unlinked_with_more(local, peer)) return yes("replica-holds-more");
    if (!local.link_up) return no("replica-link-down");
    if (local.sync_in_progress) return no("replica-syncing");
    return yes("replica-in-sync");
  }
  if (local.role != redis::Role::master) return no("local-role-unknown");

  const bool peer_in_local = is_covered(coverage_of(peer, local));
  const bool local_in_peer = is_covered(coverage_of(local, peer));
  if (peer_in_local) return yes("peer-covered");
  if (local_in_peer) {
    return no(local.dbsize == 0 ? "empty-master-peer-master" : "stale-master-peer-master");
  }
  // A stretch of the shared history that one side lost (divergence.hpp).
  if (auto lead = shared_history_lead(local, peer)) {
    return *lead == Lead::local ? yes("shared-history-local-longer") : behind("shared-history-peer-longer");
  }
  if (divergence) {
    if (no_data_past_fork(divergence->peer)) return yes("peer-no-data-past-fork");
    if (no_data_past_fork(divergence->local)) return behind("no-data-past-fork-peer-master");
    switch (lead_of(*divergence)) {
      case Lead::local: return yes("diverged-local-ahead");
      case Lead::peer: return behind("diverged-peer-ahead");
      case Lead::even: break;
    }
  } else {
    // Not decisive: both may still be taking writes.
    switch (unrelated_lead(local, peer)) {
      case Lead::local: return yes("diverged-local-larger");
      case Lead::peer: return no("diverged-peer-larger");
      case Lead::even: break;
    }
  }
  if (!vip_local) return yes("diverged-vip-unknown");
  return *vip_local ? yes("diverged-holding-vip") : no("diverged-peer-master");
}

}  // namespace vipkit::ha

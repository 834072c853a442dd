#include "vipctl/settle.hpp"

namespace vipkit::vipctl {

std::string_view to_token(SettleAction action) {
  switch (action) {
    case SettleAction::kept: return "kept";
    case SettleAction::switched: return "switched";
    case SettleAction::abort_failover: return "abort-failover";
    case SettleAction::repoint_new: return "repoint-new";
    case SettleAction::promote_old: return "promote-old";
    case SettleAction::operator_needed: return "operator-needed";
  }
  return "operator-needed";
}

Settlement settle(const ha::NodeState& o, const ha::NodeState& n) {
  if (!o.reachable) return {SettleAction::operator_needed, "old-master-unreachable"};
  if (o.loading) return {SettleAction::operator_needed, "old-master-loading"};
  if (o.failover_state == "waiting-for-sync" || o.failover_state == "failover-in-progress") {
    return {SettleAction::abort_failover, "failover-running"};
  }
  const bool n_master = n.is_master();
  if (o.is_master() && !n_master) return {SettleAction::kept, "old-master-kept"};
  if (n_master && o.is_replica()) return {SettleAction::switched, "new-master-in-place"};
  if (o.is_master() && n_master) {
    // A hand-over aborted after the target had promoted itself. Writes went to
    // the old master (the VIP never moved); the new one took none of its own
    // when its offset is still where its promotion left it.
    if (n.second_offset >= 0 && n.offset + 1 == n.second_offset) {
      return {SettleAction::repoint_new, "split-new-master-unused"};
    }
    return {SettleAction::operator_needed, "split-both-written"};
  }
  // The old master follows someone, the new one is not a master (gone,
  // loading, or a replica itself): no node takes writes. The old master had
  // every acknowledged write when it stopped taking them.
  if (o.is_replica() && !n_master) return {SettleAction::promote_old, "no-master"};
  return {SettleAction::operator_needed, "unknown-state"};
}

}  // namespace vipkit::vipctl

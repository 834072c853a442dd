#pragma once
// After a switch step failed or timed out: where do the Redis roles stand, and
// what single action brings the pair closer to "one master, writes unpaused"?
// Applied repeatedly (observe, decide, act) until the answer is `switched`,
// `kept` or `operator`. Pure, unit-tested row by row.
#include <string>
#include <string_view>

#include "ha/node_state.hpp"

namespace vipkit::vipctl {

enum class SettleAction {
  kept,            // the old master is still the master: unpause it, done (nothing switched)
  switched,        // the new master is in place and the old one follows it
  abort_failover,  // FAILOVER still running on the old master: FAILOVER ABORT
  repoint_new,     // both masters, the new one took no write since its promotion: it follows the old one again
  promote_old,     // no master and the new one is gone: the old master (it has every write) takes the role back
  operator_needed, // nothing we can do without risking data: say so, exit 3
};
std::string_view to_token(SettleAction action);

struct Settlement {
  SettleAction action = SettleAction::operator_needed;
  std::string reason;  // stable token
};

Settlement settle(const ha::NodeState& old_master, const ha::NodeState& new_master);

}  // namespace vipkit::vipctl

#pragma once
// One Redis node as vipctl sees it: what every failover decision observes
// (ha::NodeState) plus what only an operator's command needs — the version
// (which switchover commands exist), the run_id (which node answers on the
// VIP) and the replicas the node lists in ROLE (FAILOVER TO accepts only one
// of those addresses).
#include <optional>
#include <string>
#include <vector>

#include "ha/node_state.hpp"
#include "ha/procedures.hpp"
#include "redis/replies.hpp"

namespace vipkit::vipctl {

struct NodeView {
  redis::Endpoint endpoint;
  ha::NodeState state;
  std::optional<redis::ServerInfo> server;   // nullopt when unreachable
  std::vector<redis::ReplicaEntry> replicas;  // ROLE of a master: online replicas
};

// Observe one node within `deadline`; an unreachable node comes back with
// state.reachable == false and the cause in state.error.
NodeView inspect(const ha::Target& target, redis::Deadline deadline);

// "7.0.15", or "unknown" when the node did not answer INFO server.
std::string version_text(const NodeView& node);

// Bytes `replica` is behind `master`, when it replicates that history.
std::optional<long long> lag_bytes(const ha::NodeState& replica, const ha::NodeState& master);

// Does `master` list `replica` (as the address it would be reached at) among
// its online replicas?
bool lists_replica(const NodeView& master, const redis::Endpoint& replica);

}  // namespace vipkit::vipctl

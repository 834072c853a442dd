#pragma once
// Gather a NodeState from a live Redis: INFO replication + INFO persistence +
// DBSIZE in one round trip. Never throws; an unreachable or failing node comes
// back as NodeState::unreachable(error).
#include "ha/node_state.hpp"
#include "redis/connection.hpp"

namespace vipkit::ha {

NodeState observe(redis::Connection& connection, redis::Deadline deadline);

// Connect + observe; a connection failure yields NodeState::unreachable.
NodeState observe(const redis::Endpoint& endpoint, const redis::Credentials& credentials,
                  redis::Deadline deadline);

}  // namespace vipkit::ha

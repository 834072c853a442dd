#pragma once
// The I/O half of ha/divergence.hpp: replay what a master's replication
// backlog holds past a fork point and tally it.
//
// How: on a connection of its own, INFO replication first (the PSYNC must
// be one Redis continues: the replid is its master_replid, or its replid2
// with the offset not past second_repl_offset, and the backlog still holds
// the byte after the fork), then PSYNC <replid> <fork+1>. Redis answers
// +CONTINUE and streams the backlog from there, as to a replica; we read
// until the offset seen in INFO (or the size cap, or the deadline) and hang
// up. A PSYNC that Redis would not continue is never sent: it would start a
// full sync (a fork and an RDB) for nothing.
#include <chrono>
#include <optional>
#include <string>

#include "ha/divergence.hpp"
#include "ha/procedures.hpp"

namespace vipkit::ha {

inline constexpr long long past_fork_cap = 1 << 20;  // bytes replayed per side at most

redis::Result<PastFork> read_past_fork(const Target& node, const ForkPoint& fork, std::chrono::milliseconds timeout,
                                       long long cap = past_fork_cap);

// Both sides replayed from their fork point (diverged_masters must hold).
// An error names the side and the cause (e.g. the fork left the backlog).
redis::Result<Divergence> observe_divergence(const Target& local, const NodeState& local_state, const Target& peer,
                                             const NodeState& peer_state, std::chrono::milliseconds timeout);

}  // namespace vipkit::ha

#pragma once
// Two masters meet (a healed partition, or any time): whose history is
// ahead? Offsets alone cannot say: a master cut off from its replica still
// appends a PING to its replication stream every repl-ping-replica-period
// (10 s), so its offset moves while it accepts no write. What counts is the
// *data* each side accepted after the point where the two histories forked.
//
// Redis exposes that point: a promoted replica keeps the old history as
// master_replid2 up to second_repl_offset, and each master keeps its last
// repl-backlog-size bytes of stream in its backlog, which a PSYNC from the
// fork offset replays (divergence_probe.hpp reads it). This file is the pure
// part: the fork point from two observations, and the tally of a replayed
// stream (data commands vs. PING, REPLCONF, SELECT, MULTI/EXEC, PUBLISH and
// vipkit's own switchover marker). docs/decisions.md, "Two masters".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ha/node_state.hpp"

namespace vipkit::ha {

// The last byte both histories hold: stream bytes 1..offset of `replid`.
struct ForkPoint {
  std::string replid;
  long long offset = 0;
  bool operator==(const ForkPoint&) const = default;
};

// Where the histories of two masters forked; nullopt when they share none
// (unrelated datasets: the old rules apply).
std::optional<ForkPoint> fork_point(const NodeState& a, const NodeState& b);

// What one master's stream holds after the fork point.
struct PastFork {
  long long span = 0;           // bytes past the fork by the offsets (master_repl_offset - fork)
  long long bytes = 0;          // bytes replayed and tallied
  long long data_bytes = 0;     // of those, in commands that change data
  long long data_commands = 0;
  bool complete = false;        // replayed up to `span` (not cut short by the size cap)
  bool operator==(const PastFork&) const = default;
};

// Size of a command as the replication stream carries it (RESP array of bulk strings).
long long resp_size(const std::vector<std::string>& argv);
// PING, REPLCONF, SELECT, MULTI, EXEC, PUBLISH and writes of vipkit's own
// marker key change no data a client wrote.
bool is_data_command(const std::vector<std::string>& argv);
// Add one replayed command to the tally.
void tally(PastFork& past, const std::vector<std::string>& argv);

struct Divergence {
  ForkPoint fork;
  PastFork local;
  PastFork peer;
  bool operator==(const Divergence&) const = default;
};

// Which side accepted more data past the fork. A stream cut short by the
// cap weighs at least its whole span.
enum class Lead { local, peer, even };
std::string_view to_token(Lead lead);
Lead lead_of(const Divergence& divergence);

// Two masters with no fork to count from (unrelated histories: one came
// back empty or from another lineage's RDB; or the fork has left a
// backlog): the larger dataset leads. A proxy, not a count of writes, but
// right where it matters: the chaos soak's Redis back empty that took a few
// writes alone (its peer cut off) against the peer that holds everything,
// replicated writes included; by "keep the VIP where it is" the VRRP
// priority chose, and the data went to a snapshot. Equal sizes: even (the
// VIP holder keeps the role, as before).
Lead unrelated_lead(const NodeState& local, const NodeState& peer);
// Both masters left one history at different points: each was promoted
// from it, or one came back from an RDB of it (Redis 7 keeps the RDB's
// replication ID as master_replid2, up to second_repl_offset). The one that
// left it later holds a stretch of it that the other lost: the writes its
// master took, replicated to it (WAIT-acknowledged, often), before that
// master came back from an older RDB and took writes of its own. That is
// eligibility's peer-replica-holds-more after the replica's promotion, and
// it must decide the same way: the stretch outweighs what the early leaver
// took since, however much (the chaos soak lost 10 replicated acks to a
// snapshot when "more data past the fork" chose the early leaver's 30
// unreplicated writes). nullopt when this is not the case.
std::optional<Lead> shared_history_lead(const NodeState& local, const NodeState& peer);
// The lead of two masters: the longer copy of a shared history first, then
// the data past the fork when it was replayed, else by size.
Lead lead_of(const std::optional<Divergence>& divergence, const NodeState& local, const NodeState& peer);

// No client data past the fork: following the other side loses nothing.
bool no_data_past_fork(const PastFork& past);

// Both are masters whose histories share a fork point: the case to probe.
bool diverged_masters(const NodeState& local, const NodeState& peer);

}  // namespace vipkit::ha

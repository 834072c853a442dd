#pragma once
// What was observed of one Redis node at one moment: the input of every
// failover decision. Built from ROLE / INFO by observe(); built by hand in the
// unit tests.
#include <optional>
#include <string>

#include "redis/endpoint.hpp"
#include "redis/error.hpp"
#include "redis/replies.hpp"
#include "ha/switchover.hpp"

namespace vipkit::ha {

struct NodeState {
  bool reachable = false;
  std::optional<redis::Error> error;  // why it is not reachable / not usable
  bool loading = false;
  redis::Role role = redis::Role::unknown;
  std::string replid;                 // master_replid
  std::string replid2;                // master_replid2 ("0000…" when none)
  long long offset = 0;               // master_repl_offset (a replica's processed offset)
  long long second_offset = -1;       // second_repl_offset
  long long dbsize = -1;              // keys in all databases, -1 unknown
  // replica only
  std::string master_host;
  int master_port = 0;
  bool link_up = false;
  bool sync_in_progress = false;
  // Seconds since the link went down; -1 while up, and when this Redis has
  // had no link to any master since it started (Redis's own -1).
  long long link_down_since_s = -1;
  // vipkit's replica hold is set on this node (redis/replica_hold.hpp): it
  // was linked to its master when armed, so data it holds beyond that
  // master's history is data the master lost. False when CONFIG is denied.
  bool held = false;
  // FAILOVER progress (Redis >= 6.2; empty before): no-failover,
  // waiting-for-sync, failover-in-progress.
  std::string failover_state;
  // vipctl's switchover marker, when this node holds one (ha/switchover.hpp).
  std::optional<SwitchoverMarker> switchover;

  static NodeState unreachable(redis::Error why);
  bool is_master() const { return reachable && !loading && role == redis::Role::master; }
  bool is_replica() const { return reachable && !loading && role == redis::Role::replica; }
  // Reachable, not loading, master: the only kind of peer we ever replicate from.
  bool is_healthy_master() const { return is_master(); }
  // A replica whose link is up and not in a full sync.
  bool is_synced_replica() const { return is_replica() && link_up && !sync_in_progress; }
  bool replicates_from(const redis::Endpoint& master) const;
  // "role=master replid=… offset=… dbsize=…" for log lines.
  std::string summary() const;
};

}  // namespace vipkit::ha

#pragma once
// The Redis procedures that execute a Plan. Each step is bounded by a timeout
// and reports what it did; on failure the procedure restores a sane state
// (no paused writes, no second writable master) and says what happened.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ha/node_state.hpp"
#include "redis/connection.hpp"

namespace vipkit::ha {

using std::chrono::milliseconds;

struct Target {
  redis::Endpoint endpoint;
  redis::Credentials credentials;
};

// One step of a procedure, for logs and vipctl output.
struct Step {
  std::string name;           // "pause-peer", "catch-up", "promote", ...
  bool ok = false;
  milliseconds duration{0};
  std::string detail;         // key=value context or the error text
};

struct Outcome {
  bool ok = false;
  std::string reason;         // stable token when !ok ("catch-up-timeout", ...)
  std::vector<Step> steps;
  std::optional<milliseconds> write_pause;  // set when the old master's writes were paused: for how long
};

// REPLICAOF NO ONE, verify ROLE says master; optional CONFIG REWRITE.
Outcome promote(const Target& local, bool config_rewrite, milliseconds timeout);

// REPLICAOF host port on `node`, verify ROLE points there. Refuses when the
// master is not a master at the moment of the call (no replication loop).
Outcome repoint(const Target& node, const Target& master, bool config_rewrite, milliseconds timeout);

struct TakeoverOptions {
  milliseconds sync_wait{5000};    // wait for the local link to be up before pausing
  milliseconds pause{2000};        // CLIENT PAUSE length on the old master (= catch-up bound)
  bool config_rewrite = false;
  redis::Endpoint local_advertised;  // how the peer reaches the local node
  // Non-empty: the automation's takeover. Before pausing the peer, SET NX a
  // marker (op takeover_op, by = this) on it that outlives the pause by 1 s,
  // so the peer's own automation leaves the pause alone (ha::decide); it is
  // deleted when the takeover ends. Empty: vipctl, which holds its own marker.
  std::string mark_by;
};
// Zero-loss switchover from a reachable master `peer` to its replica `local`:
// wait for the link, CLIENT PAUSE WRITE on peer, wait until local's offset
// reaches the peer's, REPLICAOF NO ONE on local, REPLICAOF local on peer,
// CLIENT UNPAUSE peer. Any failure before the promotion unpauses the peer
// and leaves roles as they were. With mark_by, the pause is announced by a
// takeover marker on the peer first.
Outcome takeover(const Target& local, const Target& peer, const TakeoverOptions& options);

struct FailoverOptions {
  milliseconds timeout{5000};        // longest write pause: ¾ for the catch-up (FAILOVER ... TIMEOUT), ¼ for the hand-over
  redis::Endpoint new_master_advertised;  // TO host port: the replica as the old master lists it
};
// Redis's own coordinated switchover (>= 6.2): FAILOVER TO host port TIMEOUT
// ms on `old_master`. Redis pauses writes, waits until the replica has every
// byte, demotes itself, and hands over with PSYNC FAILOVER; it returns OK at
// once and works in the background, so we poll master_failover_state until
// it is no-failover again and then check ROLE on `new_master`. Redis aborts by
// itself (and unpauses) when the replica does not catch up within TIMEOUT
// (¾ of options.timeout); the hand-over has no bound in Redis, so if the
// failover still runs when options.timeout has passed: FAILOVER ABORT.
// write_pause: from FAILOVER sent to no-failover seen on the old master.
Outcome failover_to(const Target& old_master, const Target& new_master, const FailoverOptions& options);

// CLIENT PAUSE <duration> WRITE on a master that lost the VIP and cannot
// follow the peer (docs/decisions.md, "Fencing").
Outcome fence(const Target& local, milliseconds duration, milliseconds timeout);

// CLIENT UNPAUSE: lift a fence when the node becomes master again.
Outcome unfence(const Target& local, milliseconds timeout);

// DEL of the switchover marker's copy on the local node (Plan::drop_marker).
Outcome drop_marker(const Target& local, milliseconds timeout);

}  // namespace vipkit::ha

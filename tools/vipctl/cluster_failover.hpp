#pragma once
// vipctl cluster failover, the pure half: the preflight verdict on the
// cluster as gathered through the replica, the plan it yields, and "is the
// failover complete?" on a later gathering. Sending CLUSTER FAILOVER and
// polling are cluster_failover_run. README "A Redis Cluster".
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/cluster_nodes.hpp"
#include "vipctl/cluster_status.hpp"
#include "vipctl/preflight.hpp"

namespace vipkit::vipctl {

// CLUSTER FAILOVER's three forms (https://redis.io/commands/cluster-failover/).
enum class FailoverMode {
  coordinated,  // the master pauses its clients until the replica has its whole stream: nothing acknowledged is lost
  force,        // no handshake with the master: what it has not replicated yet is lost
  takeover,     // no handshake, no vote: the replica bumps the epoch on its own
};
std::string_view to_token(FailoverMode mode);  // "coordinated" | "force" | "takeover"
// What the operator accepts with --force / --takeover; empty for coordinated.
std::string_view risk_of(FailoverMode mode);
std::vector<std::string> failover_command(FailoverMode mode);

// A 1 MiB backlog crosses a LAN in milliseconds, so the coordinated form's
// client pause on the master stays short; promote's default too.
inline constexpr long long default_failover_max_lag = 1 << 20;

// Who takes over what, from the preflight's view.
struct FailoverPlan {
  std::string replica_id;
  std::string replica_address;
  std::string master_id;
  std::string master_address;
  std::vector<redis::SlotRange> slots;  // the master's, which the replica takes
};

struct FailoverPreflight {
  std::vector<Check> checks;         // every check made, passing or not (what --dry-run prints)
  std::optional<FailoverPlan> plan;  // set when the node is a replica and its master is listed
  bool ok() const;                   // no check failed
  // Only bus-link-down checks fail: what a restart leaves for a moment, so
  // the runner waits for it rather than refuse (cluster_bus.hpp).
  bool waiting_on_bus() const;
};

// `status` was gathered with the replica as the seed (its `myself` line).
// Checks: the node is a replica of a listed master; master_link_status:up;
// lag (master offset - replica offset) <= max_lag; no full sync, not
// loading; its cluster-bus links with every voter up both ways (one
// bus-link-down check each, bus_link_findings); then every finding of
// assess_cluster, each a failing check, but versions-differ, which passes:
// a rolling upgrade fails masters over between versions on purpose.
FailoverPreflight failover_preflight(const ClusterStatus& status, long long max_lag);

// How far a failover has come, seen in one gathering (any seed).
struct FailoverProgress {
  bool replica_is_master = false;  // its own CLUSTER NODES says myself,master
  // It says myself,slave: once seen master, the failover was undone (see
  // run_cluster_failover). False too when it did not answer.
  bool replica_says_replica = false;
  bool views_agree = false;        // every answering node: it master of the slots, the old master its replica
  bool old_master_linked = false;  // the old master says myself,slave of it, master_link_status:up, no full sync
  std::vector<std::string> pending;  // what is not there yet, one line each (empty when done)
  bool done() const { return replica_is_master && views_agree && old_master_linked; }
};

// Redis gives a manual failover up CLUSTER_MF_TIMEOUT (5000 ms, cluster.h)
// after CLUSTER FAILOVER (manualFailoverCheckTimeout): the old master
// unpauses its clients, and the replica, its master not failed, holds no
// election any more. A replica not master by then will not be on this try.
inline constexpr std::chrono::milliseconds manual_failover_timeout{5000};

// How long after a CLUSTER FAILOVER that Redis gave up a new one can win,
// given cluster-node-timeout. Redis 7.0, clusterHandleSlaveFailover: once
// an election started, the replica starts no other before auth_retry_time
// = 2 x max(2 x node_timeout, 2000 ms) has passed (between auth_timeout and
// that: "Failover attempt expired"), and a master that voted votes for no
// replica of the same master for 2 x node_timeout. A CLUSTER FAILOVER sent
// earlier pauses the old master's writes again, for nothing, until then.
// Plus two clusterCron periods (100 ms each): the election started that
// much after the command. Never less than the manual-failover timeout.
std::chrono::milliseconds manual_failover_retry_after(std::chrono::milliseconds node_timeout);

// A node that did not answer has no view to check: it does not hold the
// verdict back, except the old master, whose own word is required. Pure.
FailoverProgress failover_progress(const ClusterStatus& now, const FailoverPlan& plan);

}  // namespace vipkit::vipctl

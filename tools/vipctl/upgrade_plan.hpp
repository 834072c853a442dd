#pragma once
// vipctl cluster upgrade, the pure part: from what was gathered of a Redis
// Cluster (cluster_status) and the options, the ordered steps of a rolling
// restart onto a new Redis binary — or the refusals that stop it before the
// first step. The runner executes the steps one at a time and re-gathers the
// view for each wait; check_synced says when a wait is over. Order, resume
// rule and refusals: docs/cluster-upgrade.md.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/replies.hpp"
#include "vipctl/cluster_status.hpp"
#include "vipctl/finding.hpp"

namespace vipkit::vipctl {

struct UpgradeOptions {
  // --expect-version: a node already at it is skipped (the resume rule).
  // nullopt: nothing can be skipped, every node is restarted on each run.
  std::optional<redis::Version> expect_version;
  bool backup = false;     // --backup-dir given: back up every master first
  bool swap_back = false;  // --swap-back: the original masters take their slots back at the end
  // Ids of the masters before the upgrade began, as the runner recorded
  // them at its first run; swap-back gives the slots back to these. Empty:
  // the masters of the view planned from (right for a first run; a resumed
  // run without the record swaps back only what it fails over itself).
  std::vector<std::string> original_masters;
  // The state file's record (upgrade_state.hpp): `recorded` when there is
  // one, `restarted` the nodes this upgrade has restarted already, which
  // are skipped like nodes at the expected version — the resume rule for a
  // run without --expect-version (a rolling restart onto the same binary,
  // or a binary whose version the operator does not give). With
  // --expect-version only the version counts.
  bool recorded = false;
  std::vector<std::string> restarted;
};

enum class StepKind {
  check_health,  // the cluster verdict, versions allowed to differ
  backup,        // BGSAVE on a master, wait, copy the RDB with its replid/offset
  restart,       // run --restart-cmd for the node
  wait_synced,   // check_synced(node, peer) holds
  failover,      // CLUSTER FAILOVER on `node` (a replica of `peer`), until every view agrees
};
std::string_view to_token(StepKind kind);  // "check-health", "backup", "restart", "wait-synced", "failover"

// Which part of the procedure a step belongs to: the dry-run groups by it.
enum class Stage { preflight, replicas, masters, swap_back };
std::string_view to_token(Stage stage);  // "preflight", "replicas", "masters", "swap-back"

struct NodeRef {
  std::string id;
  std::string address;  // "host:port" as CLUSTER NODES lists it
  bool operator==(const NodeRef&) const = default;
};

struct UpgradeStep {
  StepKind kind = StepKind::check_health;
  Stage stage = Stage::preflight;
  NodeRef node;  // acted on; failover: the replica that takes over; check_health: the seed (address only)
  NodeRef peer;  // wait_synced: the master `node` must follow (empty: `node` is a master);
                 // failover: the master it takes over from; else empty
  std::string description;  // one line, for --dry-run and the step log
};

struct SkippedNode {
  NodeRef node;
  std::string reason;  // "already at 7.4.2"
};

struct UpgradePlan {
  std::vector<Finding> refusals;  // non-empty: steps is empty, nothing may run
  std::vector<UpgradeStep> steps;
  std::vector<SkippedNode> skipped;
  std::vector<std::string> notes;  // what the operator should know (no --expect-version, ...)
  bool refused() const { return !refusals.empty(); }
};

UpgradePlan plan_upgrade(const ClusterStatus& status, const UpgradeOptions& options);

// The cluster verdict as the upgrade reads it: assess_cluster without
// "versions-differ", which is the upgrade's own progress.
std::vector<Finding> upgrade_health(const ClusterStatus& status);

// Is a wait_synced step over? Empty when `node_id` answers, runs
// `expect_version` (when given), is a replica of `master_id` (a master when
// master_id is empty) with its link up and at most `max_lag_bytes` behind
// its master's offset, its cluster-bus links with every master serving
// slots are up both ways (bus_link_findings), and the cluster is healthy
// (upgrade_health). Else what is still missing, one finding each.
// `max_lag_bytes` exists because the two offsets are read one after the
// other under live writes.
std::vector<Finding> check_synced(const ClusterStatus& status, const std::string& node_id,
                                  const std::string& master_id, const std::optional<redis::Version>& expect_version,
                                  long long max_lag_bytes);

// A wait on `node` whose address answers as another node (`answered_id`,
// CLUSTER MYID there): the node restarted without its nodes.conf and is a
// new node that nobody in the cluster meets, so the old id stays
// unreachable (noaddr) for good and waiting longer cannot help. The
// finding ("node-id-changed") when the ids differ, else nothing.
std::optional<Finding> identity_finding(const NodeRef& node, const std::string& answered_id);

// The stable order of nodes in a plan: IPv4 hosts numerically
// (10.0.0.9 before 10.0.0.82), other hosts as text, then the port.
bool address_less(const std::string& a, const std::string& b);

}  // namespace vipkit::vipctl

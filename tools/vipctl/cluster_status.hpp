#pragma once
// vipctl cluster status: what was gathered of a Redis Cluster (the seed's
// CLUSTER NODES and CLUSTER INFO, then every listed node's INFO and its own
// CLUSTER NODES) and the verdict on it — a pure function of that view,
// unit-tested on captured replies. The gathering is cluster_gather.
#include <optional>
#include <string>
#include <vector>

#include "redis/cluster_nodes.hpp"
#include "redis/replies.hpp"
#include "vipctl/finding.hpp"

namespace vipkit::vipctl {

// One node the seed lists, and what it answered itself.
struct ClusterMember {
  redis::ClusterNode listed;  // the seed's line for it
  std::string address;        // where it was asked ("host:port")
  std::optional<redis::Error> unreachable;  // set: it did not answer (connect, AUTH, I/O)
  // Each reply that came back unusable (an error reply, text that does not
  // parse): the node answered, but that part of its view is unknown.
  std::vector<std::string> reply_errors;
  std::optional<std::vector<redis::ClusterNode>> view;  // its own CLUSTER NODES
  std::optional<redis::ReplicationInfo> replication;    // INFO replication + persistence
  std::optional<redis::Version> version;                // INFO server
};

struct ClusterStatus {
  std::string seed;  // --node, as "host:port"
  // Set when the seed gave nothing to work from: unreachable, not in
  // cluster mode (an error reply to CLUSTER NODES), or a reply that does
  // not parse. Nothing else is then known.
  std::optional<redis::Error> seed_error;
  std::optional<redis::ClusterInfo> info;  // nullopt: unusable (its error is in the seed member's reply_errors)
  std::vector<ClusterMember> members;      // in the seed's CLUSTER NODES order
};

struct ClusterHealth {
  bool healthy = false;
  std::vector<Finding> findings;  // empty when healthy
};

// Healthy: cluster_state:ok; every slot served by exactly one master; every
// master serving slots has a replica that is linked (master_link_status:up)
// and not in a full sync; every node answers, none is flagged fail or fail?
// by any node, every node lists the same id -> role/master/slots mapping;
// one Redis version everywhere (several: an upgrade in progress, reported as
// such). Pure.
ClusterHealth assess_cluster(const ClusterStatus& status);

// "master", "replica", or the flags when neither (a node in handshake).
std::string role_of(const redis::ClusterNode& node);

// The member the seed lists under `id`; nullptr when it lists none.
const ClusterMember* find_member(const ClusterStatus& status, const std::string& id);

// A node's own line ("myself") in its own CLUSTER NODES; nullptr when it
// gave none.
const redis::ClusterNode* own_line(const ClusterMember& member);

// Bytes `replica` has yet to process of its master's stream, when both
// answered INFO and share the replication id.
std::optional<long long> replica_lag(const ClusterStatus& status, const ClusterMember& replica);

// The offset INFO replication reports: master_repl_offset for a master,
// slave_repl_offset (processed) for a replica.
std::optional<long long> replication_offset(const ClusterMember& member);

}  // namespace vipkit::vipctl

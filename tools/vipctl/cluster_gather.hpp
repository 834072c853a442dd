#pragma once
// The I/O edge of `vipctl cluster status`: ask the seed node for CLUSTER
// NODES and CLUSTER INFO, then every node it lists for INFO (server,
// replication, persistence) and its own CLUSTER NODES. Nodes are asked one
// after the other, each exchange bounded by `timeout`: a cluster of a few
// nodes answers in milliseconds, and a dead one costs one timeout.
#include <chrono>

#include "redis/credentials.hpp"
#include "redis/endpoint.hpp"
#include "vipctl/cluster_status.hpp"

namespace vipkit::vipctl {

struct ClusterGatherConfig {
  redis::Endpoint seed;
  redis::Credentials credentials;  // every node: a cluster shares requirepass/masterauth
  std::chrono::milliseconds timeout{500};
};

ClusterStatus gather_cluster(const ClusterGatherConfig& config);

// The node id of whatever answers at `node` (CLUSTER MYID), bounded by
// `timeout`: a node restarted without its nodes.conf answers with a new one.
redis::Result<std::string> node_id_at(const redis::Endpoint& node, const redis::Credentials& credentials,
                                      std::chrono::milliseconds timeout);

}  // namespace vipkit::vipctl

#pragma once
// Is the cluster bus whole around one node? A manual failover's election
// runs on it: the replica sends FAILOVER_AUTH_REQUEST on its own link to
// each master (clusterBroadcastMessage skips a node without one), and each
// master answers FAILOVER_AUTH_ACK on its own link to the replica —
// clusterSendFailoverAuth returns without a word when that link is missing,
// while the vote is spent (Redis 7.0 src/cluster.c). A node just restarted
// has neither until clusterCron reconnects (every 100 ms), and a failover
// sent in that window stalls until Redis gives it up (CLUSTER_MF_TIMEOUT,
// 5 s) with the old master's writes paused. CLUSTER NODES shows the link
// as link-state: "connected" exactly when that node->link exists.
// docs/cluster-upgrade.md, "Seen on the seeds/000 layout in namespaces".
#include <string>
#include <vector>

#include "vipctl/cluster_status.hpp"
#include "vipctl/finding.hpp"

namespace vipkit::vipctl {

// One "bus-link-down" finding, naming both ends, for each link missing
// between `node_id` and a voter: in the node's own CLUSTER NODES, every
// other master serving slots must be `connected`; in the CLUSTER NODES of
// every master serving slots (the seed's listing says which), `node_id`
// must be listed and `connected`. A master without slots does not vote
// (clusterSendFailoverAuthIfNeeded), so its links do not count. A node
// without a view (unreachable, unreadable) is assess_cluster's finding,
// not this one's. Empty: the bus is whole around the node. Pure.
std::vector<Finding> bus_link_findings(const ClusterStatus& status, const std::string& node_id);

}  // namespace vipkit::vipctl

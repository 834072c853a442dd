#pragma once
// The healthy 3+3 cluster of tests/unit/fixtures/cluster, as vipctl gathers
// it through one of its nodes: that node's CLUSTER NODES as the listing,
// every node's own CLUSTER NODES as its view, INFO of a master (50101) or a
// replica (35453) as captured, one Redis version.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "vipctl/cluster_status.hpp"

namespace vipkit::test {

inline std::vector<redis::ClusterNode> cluster_view(const std::string& file) {
  auto nodes = redis::parse_cluster_nodes(fixture("cluster/" + file));
  REQUIRE(nodes.ok());
  return nodes.value();
}

// INFO replication + persistence of the node on `port`.
inline redis::ReplicationInfo cluster_replication(const std::string& port) {
  auto info = redis::parse_replication_info(fixture("cluster/info-replication-" + port + ".txt"),
                                            fixture("cluster/info-persistence-" + port + ".txt"));
  REQUIRE(info.ok());
  return info.value();
}

// Gathered through 127.0.0.1:`seed_port`; members in its listing's order.
inline vipctl::ClusterStatus healthy_cluster_via(const std::string& seed_port) {
  vipctl::ClusterStatus s;
  s.seed = "127.0.0.1:" + seed_port;
  s.info = redis::parse_cluster_info(fixture("cluster/info-ok.txt")).value();
  for (const auto& listed : cluster_view("nodes-healthy-" + seed_port + ".txt")) {
    vipctl::ClusterMember m;
    m.listed = listed;
    m.address = listed.address();
    m.view = cluster_view("nodes-healthy-" + std::to_string(listed.port) + ".txt");
    m.replication = cluster_replication(listed.is_master() ? "50101" : "35453");
    m.version = redis::Version{7, 0, 15};
    s.members.push_back(std::move(m));
  }
  return s;
}

inline vipctl::ClusterMember& cluster_member(vipctl::ClusterStatus& s, int port) {
  for (auto& m : s.members) {
    if (m.listed.port == port) return m;
  }
  FAIL("no member on port " << port);
  throw std::logic_error("unreachable");
}

}  // namespace vipkit::test

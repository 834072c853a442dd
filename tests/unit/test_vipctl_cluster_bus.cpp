#include <catch2/catch.hpp>

#include <algorithm>

#include "cluster_views.hpp"
#include "vipctl/cluster_bus.hpp"

using namespace vipkit;
using namespace vipkit::test;
using vipctl::ClusterStatus;

namespace {

// The healthy 3+3 cluster of tests/unit/fixtures/cluster through the replica
// 127.0.0.1:35453 (e861f002) of 127.0.0.1:50101 (dbf39c2f, 0-5460); the other
// masters are 37539 (d1412921) and 44003 (8c691c22), their replicas 39205
// (068026a2) and 35261 (b22c9f3d).
const std::string replica_id = "e861f0029e8aace67f1afaac24027f43f34e8de2";

using Lines = std::vector<std::string>;

// In `observer`'s own CLUSTER NODES, the line of the node on `port` says
// link-state disconnected.
void link_down(ClusterStatus& s, int observer, int port) {
  for (auto& n : *cluster_member(s, observer).view) {
    if (n.port == port) n.link_connected = false;
  }
}

Lines details(const std::vector<vipctl::Finding>& findings) {
  Lines out;
  for (const auto& f : findings) out.push_back(f.reason + ": " + f.detail);
  return out;
}

}  // namespace

TEST_CASE("Cluster bus: whole around the replica of a healthy cluster", "[vipctl][cluster-bus]") {
  CHECK(vipctl::bus_link_findings(healthy_cluster_via("35453"), replica_id).empty());
}

TEST_CASE("Cluster bus: a replica just restarted has no links yet, nor do the masters to it",
          "[vipctl][cluster-bus]") {
  ClusterStatus s = healthy_cluster_via("35453");
  for (const int port : {37539, 50101, 44003, 35261, 39205}) link_down(s, 35453, port);
  for (const int master : {37539, 50101, 44003}) link_down(s, master, 35453);
  link_down(s, 35261, 35453);  // a replica's link: it casts no vote
  CHECK(details(vipctl::bus_link_findings(s, replica_id)) ==
        Lines{"bus-link-down: 127.0.0.1:35453 (e861f002) has no cluster-bus link to master 127.0.0.1:37539 (d1412921)",
              "bus-link-down: 127.0.0.1:35453 (e861f002) has no cluster-bus link to master 127.0.0.1:50101 (dbf39c2f)",
              "bus-link-down: 127.0.0.1:35453 (e861f002) has no cluster-bus link to master 127.0.0.1:44003 (8c691c22)",
              "bus-link-down: master 127.0.0.1:37539 (d1412921) has no cluster-bus link to 127.0.0.1:35453 (e861f002)",
              "bus-link-down: master 127.0.0.1:50101 (dbf39c2f) has no cluster-bus link to 127.0.0.1:35453 (e861f002)",
              "bus-link-down: master 127.0.0.1:44003 (8c691c22) has no cluster-bus link to 127.0.0.1:35453 (e861f002)"});
}

TEST_CASE("Cluster bus: one voter's link back to the replica missing (the stall of issue 12)",
          "[vipctl][cluster-bus]") {
  // The replica reaches every master, so they vote; 37539's ack has no link
  // to travel on and is dropped.
  ClusterStatus s = healthy_cluster_via("35453");
  link_down(s, 37539, 35453);
  CHECK(details(vipctl::bus_link_findings(s, replica_id)) ==
        Lines{"bus-link-down: master 127.0.0.1:37539 (d1412921) has no cluster-bus link to 127.0.0.1:35453 "
              "(e861f002)"});
}

TEST_CASE("Cluster bus: a master that does not list the replica", "[vipctl][cluster-bus]") {
  ClusterStatus s = healthy_cluster_via("35453");
  auto& view = *cluster_member(s, 44003).view;
  view.erase(std::remove_if(view.begin(), view.end(), [](const redis::ClusterNode& n) { return n.port == 35453; }),
             view.end());
  CHECK(details(vipctl::bus_link_findings(s, replica_id)) ==
        Lines{"bus-link-down: master 127.0.0.1:44003 (8c691c22) does not list 127.0.0.1:35453 (e861f002)"});
}

TEST_CASE("Cluster bus: what does not count", "[vipctl][cluster-bus]") {
  ClusterStatus s = healthy_cluster_via("35453");
  // Links between replicas carry no vote.
  link_down(s, 35453, 35261);
  link_down(s, 39205, 35453);
  // A master that did not answer has no view: node-unreachable is
  // assess_cluster's finding.
  link_down(s, 44003, 35453);
  cluster_member(s, 44003).view.reset();
  CHECK(vipctl::bus_link_findings(s, replica_id).empty());

  // A master serving no slot casts no vote (clusterSendFailoverAuthIfNeeded).
  ClusterStatus t = healthy_cluster_via("35453");
  link_down(t, 35453, 37539);
  link_down(t, 37539, 35453);
  cluster_member(t, 37539).listed.slots.clear();
  for (auto& n : *cluster_member(t, 35453).view) {
    if (n.port == 37539) n.slots.clear();
  }
  CHECK(vipctl::bus_link_findings(t, replica_id).empty());
}

TEST_CASE("Cluster bus: around a master, every other master's link both ways", "[vipctl][cluster-bus]") {
  ClusterStatus s = healthy_cluster_via("35453");
  link_down(s, 50101, 44003);
  link_down(s, 50101, 35453);  // its replica: no vote
  CHECK(details(vipctl::bus_link_findings(s, "dbf39c2f9909916448256bfec772f31a3ac09d40")) ==
        Lines{"bus-link-down: 127.0.0.1:50101 (dbf39c2f) has no cluster-bus link to master 127.0.0.1:44003 "
              "(8c691c22)"});
}

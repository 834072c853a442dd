#include <catch2/catch.hpp>

#include <algorithm>

#include "cluster_views.hpp"
#include "fixture.hpp"
#include "vipctl/cluster_render.hpp"
#include "vipctl/cluster_status.hpp"

using namespace vipkit;
using namespace vipkit::test;
using vipctl::ClusterMember;
using vipctl::ClusterStatus;

namespace {

// Asked through 127.0.0.1:50101, a master.
const char* const ports[] = {"35261", "35453", "37539", "50101", "44003", "39205"};  // the seed's line order

ClusterStatus healthy_cluster() {
  ClusterStatus s = healthy_cluster_via("50101");
  for (std::size_t i = 0; i < s.members.size(); ++i) REQUIRE(std::to_string(s.members[i].listed.port) == ports[i]);
  return s;
}

std::vector<std::string> reasons(const ClusterStatus& s) {
  std::vector<std::string> out;
  for (const auto& f : vipctl::assess_cluster(s).findings) out.push_back(f.reason);
  return out;
}

std::string detail(const ClusterStatus& s, const std::string& reason) {
  for (const auto& f : vipctl::assess_cluster(s).findings) {
    if (f.reason == reason) return f.detail;
  }
  return "";
}

using Reasons = std::vector<std::string>;

}  // namespace

TEST_CASE("A healthy 3+3 cluster", "[vipctl][cluster]") {
  const ClusterStatus s = healthy_cluster();
  const auto h = vipctl::assess_cluster(s);
  CHECK(h.healthy);
  CHECK(h.findings.empty());
  const ClusterMember& replica = s.members[1];
  CHECK(vipctl::role_of(replica.listed) == "replica");
  CHECK(vipctl::replica_lag(s, replica) == 0);
  CHECK(vipctl::replication_offset(replica) == 42);
  CHECK_FALSE(vipctl::replica_lag(s, s.members[3]));  // a master has no lag

  const auto j = vipctl::cluster_json(s, h);
  CHECK(j["healthy"] == true);
  CHECK(j["nodes"].size() == 6);
  CHECK(j["nodes"][3]["role"] == "master");
  CHECK(j["nodes"][3]["slots"] == nlohmann::json::array({"0-5460"}));
  CHECK(j["nodes"][1]["master_link_status"] == "up");
  CHECK(j["nodes"][1]["lag_bytes"] == 0);
  CHECK(j["cluster_info"]["cluster_state"] == "ok");
  const std::string table = vipctl::cluster_table(s, h);
  CHECK(table.starts_with("cluster via 127.0.0.1:50101: healthy (cluster_state:ok, 6 nodes)\n"));
  CHECK(std::count(table.begin(), table.end(), '\n') == 1 + 1 + 1 + 6);
}

TEST_CASE("A replica killed: unreachable, flagged fail, its master without replica", "[vipctl][cluster]") {
  ClusterStatus s = healthy_cluster();
  const auto seed_view = cluster_view("nodes-replica-fail-50101.txt");
  for (std::size_t i = 0; i < s.members.size(); ++i) s.members[i].listed = seed_view[i];
  cluster_member(s, 50101).view = seed_view;
  ClusterMember& gone = cluster_member(s, 35453);
  gone.unreachable = redis::Error{redis::ErrorCode::unreachable, "127.0.0.1:35453: Connection refused"};
  gone.view.reset();
  gone.replication.reset();
  gone.version.reset();
  CHECK(reasons(s) == Reasons{"node-unreachable", "node-fail", "master-without-replica"});
  CHECK(detail(s, "node-unreachable") == "127.0.0.1:35453: Connection refused");
  CHECK(detail(s, "node-fail") == "127.0.0.1:35453 (e861f002) is flagged fail by 127.0.0.1:50101");
  CHECK(detail(s, "master-without-replica") == "127.0.0.1:50101 (dbf39c2f) has no linked replica (serves slots 0-5460)");
  const auto table = vipctl::cluster_table(s, vipctl::assess_cluster(s));
  CHECK(table.find("  ! node-fail: 127.0.0.1:35453") != std::string::npos);
}

TEST_CASE("fail? in one node's view is reported with who sees it", "[vipctl][cluster]") {
  ClusterStatus s = healthy_cluster();
  auto& view = *cluster_member(s, 44003).view;
  for (auto& n : view) {
    if (n.port == 35453) n.flags.push_back("fail?");
  }
  // The seed still sees it linked: fail? is one node's suspicion, not yet a lost replica.
  CHECK(reasons(s) == Reasons{"node-pfail"});
  CHECK(detail(s, "node-pfail") == "127.0.0.1:35453 (e861f002) is flagged fail? by 127.0.0.1:44003");
}

TEST_CASE("A failed master, its replica promoted: the old master is still a finding", "[vipctl][cluster]") {
  ClusterStatus s = healthy_cluster();
  const auto seed_view = cluster_view("nodes-failed-over-50101.txt");
  for (std::size_t i = 0; i < s.members.size(); ++i) s.members[i].listed = seed_view[i];
  for (auto& m : s.members) m.view = seed_view;  // everyone agrees on the new topology
  cluster_member(s, 35453).unreachable = redis::Error{redis::ErrorCode::unreachable, "127.0.0.1:35453: Connection refused"};
  cluster_member(s, 35453).view.reset();
  ClusterMember& old_master = cluster_member(s, 37539);
  old_master.unreachable = redis::Error{redis::ErrorCode::unreachable, "127.0.0.1:37539: Connection refused"};
  old_master.view.reset();
  cluster_member(s, 39205).replication = cluster_replication("50101");  // promoted
  const auto r = reasons(s);
  CHECK(std::count(r.begin(), r.end(), "node-fail") == 2);
  CHECK(detail(s, "master-without-replica").starts_with("127.0.0.1:50101"));
  // 39205 serves 5461-10922 now, with no replica at all.
  CHECK(std::count(r.begin(), r.end(), "master-without-replica") == 2);
  CHECK(std::count(r.begin(), r.end(), "slots-uncovered") == 0);
}

TEST_CASE("cluster_state:fail and uncovered slots", "[vipctl][cluster]") {
  ClusterStatus s = healthy_cluster();
  s.info = redis::parse_cluster_info(fixture("cluster/info-delslots-44003.txt")).value();
  const auto seed_view = cluster_view("nodes-delslots-44003.txt");
  s.seed = "127.0.0.1:44003";
  for (auto& m : s.members) {
    for (const auto& n : seed_view) {
      if (n.id == m.listed.id) m.listed = n;
    }
  }
  cluster_member(s, 44003).view = seed_view;
  const auto r = reasons(s);
  CHECK(r.front() == "cluster-state");
  CHECK(detail(s, "cluster-state") == "cluster_state:fail on 127.0.0.1:44003");
  CHECK(detail(s, "slots-uncovered") == "384 of 16384 slots served by no master: 16000-16383");
  // The other five still list 16000-16383 as 44003's.
  CHECK(std::count(r.begin(), r.end(), "topology-disagreement") == 5);
}

TEST_CASE("Slots claimed twice", "[vipctl][cluster]") {
  ClusterStatus s = healthy_cluster();
  cluster_member(s, 37539).listed.slots.push_back({100, 100});
  cluster_member(s, 37539).listed.slots.push_back({200, 210});
  CHECK(detail(s, "slots-overlap") == "12 slots claimed by more than one master: 100 200-210");
}

TEST_CASE("A replica whose link is down, one in a full sync", "[vipctl][cluster]") {
  ClusterStatus s = healthy_cluster();
  cluster_member(s, 35453).replication->master_link_up = false;
  cluster_member(s, 39205).replication->master_sync_in_progress = true;
  CHECK(reasons(s) == Reasons{"replica-syncing", "master-without-replica", "replica-link-down", "master-without-replica"});
  CHECK(detail(s, "replica-link-down") ==
        "127.0.0.1:35453 (e861f002): master_link_status is down (replica of 127.0.0.1:50101)");
  const auto j = vipctl::cluster_json(s, vipctl::assess_cluster(s));
  CHECK(j["healthy"] == false);
  CHECK(j["nodes"][1]["master_link_status"] == "down");
}

TEST_CASE("Nodes that disagree on the topology", "[vipctl][cluster]") {
  ClusterStatus s = healthy_cluster();
  // Right after `redis-cli --cluster create`, 50101 still saw 35261 as a
  // master; here 44003 is the one that lags behind.
  cluster_member(s, 44003).view = cluster_view("nodes-converging-50101.txt");
  CHECK(reasons(s) == Reasons{"topology-disagreement"});
  CHECK(detail(s, "topology-disagreement") ==
        "127.0.0.1:44003 (8c691c22) sees b22c9f3d as master without slots, 127.0.0.1:50101 as replica of 8c691c22");

  ClusterStatus fewer = healthy_cluster();
  cluster_member(fewer, 44003).view->pop_back();
  CHECK(detail(fewer, "topology-disagreement") ==
        "127.0.0.1:44003 (8c691c22) does not know b22c9f3d, which 127.0.0.1:50101 lists as replica of 8c691c22");
}

TEST_CASE("Versions differ: an upgrade in progress", "[vipctl][cluster]") {
  ClusterStatus s = healthy_cluster();
  cluster_member(s, 35453).version = redis::Version{7, 4, 2};
  CHECK(reasons(s) == Reasons{"versions-differ"});
  CHECK(detail(s, "versions-differ") ==
        "Redis versions differ, an upgrade in progress: 7.0.15 on 127.0.0.1:35261, 127.0.0.1:37539, "
        "127.0.0.1:50101, 127.0.0.1:44003, 127.0.0.1:39205; 7.4.2 on 127.0.0.1:35453");
}

TEST_CASE("A loading node, an unusable reply", "[vipctl][cluster]") {
  ClusterStatus s = healthy_cluster();
  cluster_member(s, 39205).replication->loading = true;
  cluster_member(s, 44003).reply_errors.push_back("INFO has no role field");
  const auto r = reasons(s);
  CHECK(r[0] == "reply-invalid");
  CHECK(r[1] == "node-loading");
  CHECK(detail(s, "reply-invalid") == "127.0.0.1:44003 (8c691c22): INFO has no role field");
}

TEST_CASE("The seed gives nothing: one line", "[vipctl][cluster]") {
  ClusterStatus s;
  s.seed = "127.0.0.1:1";
  s.seed_error = redis::Error{redis::ErrorCode::unreachable, "127.0.0.1:1: Connection refused"};
  auto h = vipctl::assess_cluster(s);
  CHECK_FALSE(h.healthy);
  CHECK(vipctl::cluster_table(s, h) ==
        "cluster via 127.0.0.1:1: NOT healthy: node-unreachable: 127.0.0.1:1: Connection refused\n");
  CHECK(vipctl::cluster_json(s, h)["nodes"].empty());

  s.seed_error = redis::error_from_reply("ERR This instance has cluster support disabled");
  h = vipctl::assess_cluster(s);
  CHECK(h.findings.at(0).reason == "not-a-cluster");
  CHECK(h.findings.at(0).detail == "127.0.0.1:1: ERR This instance has cluster support disabled");
}

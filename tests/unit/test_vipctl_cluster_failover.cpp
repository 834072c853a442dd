#include <catch2/catch.hpp>

#include <algorithm>

#include "cluster_views.hpp"
#include "vipctl/cluster_failover.hpp"
#include "vipctl/cluster_failover_render.hpp"

using namespace vipkit;
using namespace vipkit::test;
using vipctl::CheckStatus;
using vipctl::ClusterMember;
using vipctl::ClusterStatus;
using vipctl::FailoverPlan;

namespace {

// The healthy 3+3 cluster of tests/unit/fixtures/cluster, gathered through
// the replica 127.0.0.1:35453 (e861f002), whose master is 127.0.0.1:50101
// (dbf39c2f, slots 0-5460).
const std::string replica_id = "e861f0029e8aace67f1afaac24027f43f34e8de2";
const std::string master_id = "dbf39c2f9909916448256bfec772f31a3ac09d40";
const char* const ports[] = {"37539", "50101", "44003", "35453", "35261", "39205"};  // 35453's line order

std::vector<redis::ClusterNode> view_of(const std::string& port) { return cluster_view("nodes-healthy-" + port + ".txt"); }

ClusterStatus via_replica() {
  ClusterStatus s = healthy_cluster_via("35453");
  for (std::size_t i = 0; i < s.members.size(); ++i) REQUIRE(std::to_string(s.members[i].listed.port) == ports[i]);
  return s;
}

// The failed checks, as "name: detail".
std::vector<std::string> failures(const vipctl::FailoverPreflight& p) {
  std::vector<std::string> out;
  for (const auto& c : p.checks) {
    if (c.status == CheckStatus::fail) out.push_back(c.name + ": " + c.detail);
  }
  return out;
}

std::vector<std::string> failed_names(const vipctl::FailoverPreflight& p) {
  std::vector<std::string> out;
  for (const auto& c : p.checks) {
    if (c.status == CheckStatus::fail) out.push_back(c.name);
  }
  return out;
}

using Lines = std::vector<std::string>;

// One view after the failover: 35453 master of 0-5460, 50101 its replica.
void swap_roles(std::vector<redis::ClusterNode>& view) {
  for (auto& n : view) {
    const bool me = n.is_myself();
    if (n.id == replica_id) {
      n.flags = me ? Lines{"myself", "master"} : Lines{"master"};
      n.master_id.clear();
      n.slots = {{0, 5460}};
    } else if (n.id == master_id) {
      n.flags = me ? Lines{"myself", "slave"} : Lines{"slave"};
      n.master_id = replica_id;
      n.slots.clear();
    }
  }
}

// The whole cluster once the failover is complete everywhere.
ClusterStatus failed_over() {
  ClusterStatus s = via_replica();
  for (auto& m : s.members) swap_roles(*m.view);
  std::vector<redis::ClusterNode> listed = *cluster_member(s, 35453).view;
  for (std::size_t i = 0; i < listed.size(); ++i) s.members[i].listed = listed[i];
  cluster_member(s, 35453).replication = cluster_replication("50101");  // a master now
  cluster_member(s, 50101).replication = cluster_replication("35453");  // a linked replica now
  return s;
}

const FailoverPlan plan{replica_id, "127.0.0.1:35453", master_id, "127.0.0.1:50101", {{0, 5460}}};

}  // namespace

TEST_CASE("Cluster failover preflight: a linked replica of a healthy cluster passes", "[vipctl][cluster-failover]") {
  const auto p = vipctl::failover_preflight(via_replica(), vipctl::default_failover_max_lag);
  CHECK(p.ok());
  CHECK(failures(p).empty());
  REQUIRE(p.plan);
  CHECK(p.plan->replica_id == replica_id);
  CHECK(p.plan->master_id == master_id);
  CHECK(p.plan->master_address == "127.0.0.1:50101");
  CHECK(p.plan->replica_address == "127.0.0.1:35453");
  CHECK(p.plan->slots == std::vector<redis::SlotRange>{{0, 5460}});
  std::vector<std::string> names;
  for (const auto& c : p.checks) names.push_back(c.name);
  CHECK(names ==
        Lines{"is-replica", "master-link", "full-sync", "lag", "bus-links", "cluster-healthy"});
  CHECK_FALSE(p.waiting_on_bus());
  CHECK(p.checks[3].detail == "0 bytes behind (--max-lag 1048576)");
}

TEST_CASE("Cluster failover preflight: a master given as the replica", "[vipctl][cluster-failover]") {
  ClusterStatus s = via_replica();
  // Gathered through 50101: its own line is the myself one.
  for (auto& m : s.members) m.listed = *std::find_if(cluster_member(s, 50101).view->begin(), cluster_member(s, 50101).view->end(),
                                                       [&](const redis::ClusterNode& n) { return n.id == m.listed.id; });
  const auto p = vipctl::failover_preflight(s, vipctl::default_failover_max_lag);
  CHECK(failures(p) == Lines{"is-replica: 127.0.0.1:50101 (dbf39c2f) is a master serving slots 0-5460, not a "
                             "replica: give one of its replicas"});
  CHECK_FALSE(p.plan);
}

TEST_CASE("Cluster failover preflight: master link down", "[vipctl][cluster-failover]") {
  ClusterStatus s = via_replica();
  cluster_member(s, 35453).replication->master_link_up = false;
  const auto p = vipctl::failover_preflight(s, vipctl::default_failover_max_lag);
  CHECK_FALSE(p.ok());
  const auto names = failed_names(p);
  CHECK(names.front() == "master-link");
  CHECK(failures(p).front() == "master-link: 127.0.0.1:35453 (e861f002): master_link_status is down");
  // The cluster verdict says it too, for the cluster: its master has no linked replica.
  CHECK(std::count(names.begin(), names.end(), "master-without-replica") == 1);
}

TEST_CASE("Cluster failover preflight: lag above --max-lag, and unknown", "[vipctl][cluster-failover]") {
  ClusterStatus s = via_replica();
  cluster_member(s, 50101).replication->master_repl_offset += 5000;
  auto p = vipctl::failover_preflight(s, 4096);
  CHECK(failures(p) == Lines{"lag: 127.0.0.1:35453 (e861f002) is 5000 bytes behind 127.0.0.1:50101 (dbf39c2f), more "
                             "than --max-lag 4096"});
  CHECK(vipctl::failover_preflight(s, 5000).ok());

  cluster_member(s, 50101).replication->master_replid = "another-history";
  p = vipctl::failover_preflight(s, 1 << 20);
  CHECK(failed_names(p) == Lines{"lag"});
}

TEST_CASE("Cluster failover preflight: a full sync running, a loading replica", "[vipctl][cluster-failover]") {
  ClusterStatus s = via_replica();
  cluster_member(s, 35453).replication->master_sync_in_progress = true;
  auto p = vipctl::failover_preflight(s, 1 << 20);
  CHECK(failures(p).front() == "full-sync: 127.0.0.1:35453 (e861f002): a full sync from its master is running");

  ClusterStatus l = via_replica();
  cluster_member(l, 35453).replication->loading = true;
  p = vipctl::failover_preflight(l, 1 << 20);
  CHECK(failures(p).front() == "full-sync: 127.0.0.1:35453 (e861f002): loading its dataset");
}

TEST_CASE("Cluster failover preflight: an unhealthy cluster refuses, versions differing do not",
          "[vipctl][cluster-failover]") {
  ClusterStatus s = via_replica();
  cluster_member(s, 44003).unreachable = redis::Error{redis::ErrorCode::unreachable, "127.0.0.1:44003: Connection refused"};
  cluster_member(s, 44003).view.reset();
  cluster_member(s, 44003).replication.reset();
  auto p = vipctl::failover_preflight(s, 1 << 20);
  CHECK(failures(p) == Lines{"node-unreachable: 127.0.0.1:44003: Connection refused"});
  CHECK(std::none_of(p.checks.begin(), p.checks.end(), [](const vipctl::Check& c) { return c.name == "cluster-healthy"; }));
  s.info->state = "fail";
  CHECK(failed_names(vipctl::failover_preflight(s, 1 << 20)) == Lines{"cluster-state", "node-unreachable"});

  // A rolling upgrade fails masters over between versions on purpose.
  ClusterStatus u = via_replica();
  cluster_member(u, 35453).version = redis::Version{7, 4, 2};
  p = vipctl::failover_preflight(u, 1 << 20);
  CHECK(p.ok());
  CHECK(std::any_of(p.checks.begin(), p.checks.end(),
                    [](const vipctl::Check& c) { return c.name == "versions-differ" && c.status == CheckStatus::pass; }));
}

TEST_CASE("Cluster failover preflight: bus links down around the replica are waited for, not refused",
          "[vipctl][cluster-failover]") {
  // The replica was restarted a moment ago: 44003 has not reconnected to it.
  ClusterStatus s = via_replica();
  for (auto& n : *cluster_member(s, 44003).view) {
    if (n.id == replica_id) n.link_connected = false;
  }
  auto p = vipctl::failover_preflight(s, 1 << 20);
  CHECK_FALSE(p.ok());
  CHECK(failures(p) == Lines{"bus-link-down: master 127.0.0.1:44003 (8c691c22) has no cluster-bus link to "
                             "127.0.0.1:35453 (e861f002)"});
  CHECK(p.waiting_on_bus());

  // Anything else failing too: refused at once, no wait.
  cluster_member(s, 35453).replication->master_link_up = false;
  p = vipctl::failover_preflight(s, 1 << 20);
  CHECK(failed_names(p) ==
        Lines{"master-link", "bus-link-down", "replica-link-down", "master-without-replica"});
  CHECK_FALSE(p.waiting_on_bus());
  CHECK_FALSE(vipctl::failover_preflight(via_replica(), 1 << 20).waiting_on_bus());
}

TEST_CASE("Cluster failover: when a manual failover Redis gave up can be sent again", "[vipctl][cluster-failover]") {
  using std::chrono::milliseconds;
  CHECK(vipctl::manual_failover_timeout == milliseconds(5000));  // CLUSTER_MF_TIMEOUT
  // 2 x max(2 x node timeout, 2000) + two cron periods, never under 5000.
  CHECK(vipctl::manual_failover_retry_after(milliseconds(2000)) == milliseconds(8200));  // the lab's
  CHECK(vipctl::manual_failover_retry_after(milliseconds(15000)) == milliseconds(60200));  // Redis's default
  CHECK(vipctl::manual_failover_retry_after(milliseconds(1000)) == milliseconds(5000));
  CHECK(vipctl::manual_failover_retry_after(milliseconds(100)) == milliseconds(5000));
}

TEST_CASE("Cluster failover preflight: an unreachable replica is one line", "[vipctl][cluster-failover]") {
  ClusterStatus s;
  s.seed = "127.0.0.1:1";
  s.seed_error = redis::Error{redis::ErrorCode::unreachable, "127.0.0.1:1: Connection refused"};
  const auto p = vipctl::failover_preflight(s, 1 << 20);
  CHECK(failures(p) == Lines{"node-unreachable: 127.0.0.1:1: Connection refused"});
  vipctl::ClusterFailoverReport r;
  r.result = vipctl::ClusterFailoverResult::refused;
  r.reason = "preflight-failed";
  r.preflight = p;
  CHECK(vipctl::cluster_failover_text(r) == "refused: node-unreachable: 127.0.0.1:1: Connection refused\n");
  CHECK(vipctl::exit_code(r) == 1);
  CHECK(vipctl::cluster_failover_json(r)["ok"] == false);
}

TEST_CASE("Cluster failover complete: every view agrees, the old master linked", "[vipctl][cluster-failover]") {
  const auto g = vipctl::failover_progress(failed_over(), plan);
  CHECK(g.replica_is_master);
  CHECK(g.views_agree);
  CHECK(g.old_master_linked);
  CHECK_FALSE(g.replica_says_replica);
  CHECK(g.done());
  CHECK(g.pending.empty());
}

TEST_CASE("Cluster failover not complete: the replica is still a replica", "[vipctl][cluster-failover]") {
  const auto g = vipctl::failover_progress(via_replica(), plan);
  CHECK_FALSE(g.replica_is_master);
  CHECK(g.replica_says_replica);  // after having said master: the failover was undone
  CHECK_FALSE(g.views_agree);
  CHECK_FALSE(g.old_master_linked);
  CHECK_FALSE(g.done());
  CHECK(g.pending.front() == "127.0.0.1:35453 (e861f002) does not say myself,master yet");
}

TEST_CASE("Cluster failover not complete: one node has not seen the new master yet", "[vipctl][cluster-failover]") {
  ClusterStatus s = failed_over();
  cluster_member(s, 39205).view = view_of("39205");  // the old epoch still
  const auto g = vipctl::failover_progress(s, plan);
  CHECK(g.replica_is_master);
  CHECK(g.old_master_linked);
  CHECK_FALSE(g.views_agree);
  CHECK_FALSE(g.done());
  CHECK(g.pending == Lines{"127.0.0.1:39205 (068026a2) does not see 127.0.0.1:35453 (e861f002) as master of 0-5460 yet",
                           "127.0.0.1:39205 (068026a2) does not see 127.0.0.1:50101 (dbf39c2f) as replica of "
                           "127.0.0.1:35453 (e861f002) yet"});
  // An unreachable node has no view to wait for.
  cluster_member(s, 39205).view.reset();
  cluster_member(s, 39205).unreachable = redis::Error{redis::ErrorCode::unreachable, "gone"};
  CHECK(vipctl::failover_progress(s, plan).done());
}

TEST_CASE("Cluster failover not complete: the old master still says master", "[vipctl][cluster-failover]") {
  ClusterStatus s = failed_over();
  cluster_member(s, 50101).view = view_of("50101");
  cluster_member(s, 50101).replication = cluster_replication("50101");
  const auto g = vipctl::failover_progress(s, plan);
  CHECK(g.replica_is_master);
  CHECK_FALSE(g.old_master_linked);
  CHECK_FALSE(g.views_agree);  // its own view disagrees
  CHECK(g.pending.back() == "127.0.0.1:50101 (dbf39c2f) does not say myself,slave of 127.0.0.1:35453 (e861f002) yet");

  cluster_member(s, 50101).view.reset();
  cluster_member(s, 50101).unreachable = redis::Error{redis::ErrorCode::unreachable, "gone"};
  const auto gone = vipctl::failover_progress(s, plan);
  CHECK_FALSE(gone.done());
  CHECK(gone.pending.back() == "127.0.0.1:50101 (dbf39c2f) did not answer");
}

TEST_CASE("Cluster failover not complete: the old master a replica, its link down", "[vipctl][cluster-failover]") {
  ClusterStatus s = failed_over();
  cluster_member(s, 50101).replication->master_link_up = false;
  const auto g = vipctl::failover_progress(s, plan);
  CHECK(g.replica_is_master);
  CHECK(g.views_agree);
  CHECK_FALSE(g.old_master_linked);
  CHECK_FALSE(g.done());
  CHECK(g.pending == Lines{"127.0.0.1:50101 (dbf39c2f): master_link_status not up yet (or a full sync running)"});
}

TEST_CASE("Cluster failover modes: the command and the risk", "[vipctl][cluster-failover]") {
  using vipctl::FailoverMode;
  CHECK(vipctl::failover_command(FailoverMode::coordinated) == Lines{"CLUSTER", "FAILOVER"});
  CHECK(vipctl::failover_command(FailoverMode::force) == Lines{"CLUSTER", "FAILOVER", "FORCE"});
  CHECK(vipctl::failover_command(FailoverMode::takeover) == Lines{"CLUSTER", "FAILOVER", "TAKEOVER"});
  CHECK(vipctl::risk_of(FailoverMode::coordinated).empty());
  CHECK(vipctl::risk_of(FailoverMode::force).find("can be lost") != std::string_view::npos);
  CHECK(vipctl::risk_of(FailoverMode::takeover).find("two masters") != std::string_view::npos);
}

TEST_CASE("Cluster failover exit codes and output", "[vipctl][cluster-failover]") {
  vipctl::ClusterFailoverReport r;
  r.replica = "127.0.0.1:35453";
  r.preflight = vipctl::failover_preflight(via_replica(), 1 << 20);
  r.result = vipctl::ClusterFailoverResult::dry_run;
  CHECK(vipctl::exit_code(r) == 0);
  std::string text = vipctl::cluster_failover_text(r);
  CHECK(text.starts_with("cluster failover 127.0.0.1:50101 (dbf39c2f) -> 127.0.0.1:35453 (e861f002), slots 0-5460, "
                         "mode coordinated\npreflight:\n"));
  CHECK(text.find("result: dry-run") != std::string::npos);
  r.preflight.checks.push_back({"lag", CheckStatus::fail, "too far"});
  CHECK(vipctl::exit_code(r) == 1);

  r.result = vipctl::ClusterFailoverResult::done;
  r.mode = vipctl::FailoverMode::force;
  r.steps.push_back({"cluster-failover", true, std::chrono::milliseconds(3), "sent"});
  CHECK(vipctl::exit_code(r) == 0);
  text = vipctl::cluster_failover_text(r);
  CHECK(text.find("\nRISK: FORCE skips the handshake") != std::string::npos);
  const auto j = vipctl::cluster_failover_json(r);
  CHECK(j["ok"] == true);
  CHECK(j["mode"] == "force");
  CHECK(j["steps"][0]["ms"] == 3);
  CHECK(j["plan"]["slots"] == "0-5460");

  r.result = vipctl::ClusterFailoverResult::failed;
  r.reason = "failover-timeout";
  r.pending = {"x not yet"};
  CHECK(vipctl::exit_code(r) == 1);
  CHECK(vipctl::cluster_failover_text(r).find("  ! pending: x not yet\nresult: failed (failover-timeout)") !=
        std::string::npos);
  CHECK(vipctl::cluster_failover_json(r)["retry_in_ms"] == 0);

  r.reason = "failover-not-elected";
  r.retry_in = std::chrono::milliseconds(2950);
  CHECK(vipctl::cluster_failover_json(r)["retry_in_ms"] == 2950);
  CHECK(vipctl::cluster_failover_text(r).find("result: failed (failover-not-elected)") != std::string::npos);
}

#include <catch2/catch.hpp>

#include <chrono>

#include "node_builders.hpp"
#include "vrrp/vipd/metrics_text.hpp"

using namespace vipkit;
using namespace vipkit::test;

namespace {

// A master with a linked replica 300 bytes behind, after one failover.
vipd::StatusReport master_report() {
  vipd::StatusReport r;
  r.instance = "redis_16465";
  r.state = "master";
  r.priority = 100;
  r.effective_priority = 130;
  r.preference = 2;
  r.interface = "eth0";
  r.vrid = 52;
  r.vip_present = true;
  r.healthy = true;
  r.local = master(history_a, 1500, 10);
  r.peer = replica(history_a, 1200, 10, "192.0.2.11", 16465, true);
  r.counters.adverts_rx = 7;
  r.counters.adverts_tx = 30;
  r.counters.adverts_held = 1;
  r.counters.adverts_muted = 4;
  r.counters.rejected["ttl-not-255"] = 2;
  r.counters.priority_zero_rx = 1;
  r.counters.became_master = 1;
  r.counters.garps_sent = 5;
  r.counters.actions[{"promote", "ok"}] = 1;
  r.counters.actions[{"repoint", "peer-not-master"}] = 2;
  r.counters.health_checks.observe(std::chrono::microseconds(300));
  r.counters.health_checks.observe(std::chrono::milliseconds(40));
  r.last_change = vipd::LastChange{"master", "master-down", 1764669600.25};
  return r;
}

}  // namespace

TEST_CASE("metrics: a master's exposition, byte for byte", "[vipd][metrics]") {
  const std::string l = R"(instance="redis_16465",interface="eth0",vrid="52")";
  const std::string expected =
      "# HELP vipkit_vrrp_state VRRP state: 0 initialize, 1 backup, 2 master, 3 fault.\n"
      "# TYPE vipkit_vrrp_state gauge\n"
      "vipkit_vrrp_state{" + l + "} 2\n"
      "# HELP vipkit_vrrp_priority Configured VRRP priority.\n"
      "# TYPE vipkit_vrrp_priority gauge\n"
      "vipkit_vrrp_priority{" + l + "} 100\n"
      "# HELP vipkit_vrrp_effective_priority Priority advertised now (preference applied).\n"
      "# TYPE vipkit_vrrp_effective_priority gauge\n"
      "vipkit_vrrp_effective_priority{" + l + "} 130\n"
      "# HELP vipkit_vrrp_preference Switchover preference of this host, -1..2 (vipctl).\n"
      "# TYPE vipkit_vrrp_preference gauge\n"
      "vipkit_vrrp_preference{" + l + "} 2\n"
      "# HELP vipkit_advertisements_received_total VRRP adverts received and accepted.\n"
      "# TYPE vipkit_advertisements_received_total counter\n"
      "vipkit_advertisements_received_total{" + l + "} 7\n"
      "# HELP vipkit_advertisements_sent_total VRRP adverts sent.\n"
      "# TYPE vipkit_advertisements_sent_total counter\n"
      "vipkit_advertisements_sent_total{" + l + "} 30\n"
      "# HELP vipkit_advertisements_held_total Adverts of a second master not obeyed while the data decided who keeps the role.\n"
      "# TYPE vipkit_advertisements_held_total counter\n"
      "vipkit_advertisements_held_total{" + l + "} 1\n"
      "# HELP vipkit_advertisements_muted_total Adverts not sent by a master whose VIPs were not on yet (its "
      "takeover hands over once they are).\n"
      "# TYPE vipkit_advertisements_muted_total counter\n"
      "vipkit_advertisements_muted_total{" + l + "} 4\n"
      "# HELP vipkit_priority_zero_received_total Priority-0 adverts received (a master resigning).\n"
      "# TYPE vipkit_priority_zero_received_total counter\n"
      "vipkit_priority_zero_received_total{" + l + "} 1\n"
      "# HELP vipkit_priority_zero_sent_total Priority-0 adverts sent (resigning).\n"
      "# TYPE vipkit_priority_zero_sent_total counter\n"
      "vipkit_priority_zero_sent_total{" + l + "} 0\n"
      "# HELP vipkit_become_master_total Transitions to VRRP master.\n"
      "# TYPE vipkit_become_master_total counter\n"
      "vipkit_become_master_total{" + l + "} 1\n"
      "# HELP vipkit_release_master_total Transitions out of VRRP master.\n"
      "# TYPE vipkit_release_master_total counter\n"
      "vipkit_release_master_total{" + l + "} 0\n"
      "# HELP vipkit_garp_sent_total Gratuitous ARPs sent, one per VIP announced.\n"
      "# TYPE vipkit_garp_sent_total counter\n"
      "vipkit_garp_sent_total{" + l + "} 5\n"
      "# HELP vipkit_vip_present 1 when every VIP is on the interface.\n"
      "# TYPE vipkit_vip_present gauge\n"
      "vipkit_vip_present{" + l + "} 1\n"
      "# HELP vipkit_healthy 1 when the local Redis passes the health check (rise/fall applied).\n"
      "# TYPE vipkit_healthy gauge\n"
      "vipkit_healthy{" + l + "} 1\n"
      "# HELP vipkit_advertisements_rejected_total VRRP packets refused, by reason.\n"
      "# TYPE vipkit_advertisements_rejected_total counter\n"
      "vipkit_advertisements_rejected_total{" + l + ",reason=\"ttl-not-255\"} 2\n"
      "# HELP vipkit_redis_up 1 when the node answered the last check and is not loading.\n"
      "# TYPE vipkit_redis_up gauge\n"
      "vipkit_redis_up{" + l + ",node=\"local\"} 1\n"
      "vipkit_redis_up{" + l + ",node=\"peer\"} 1\n"
      "# HELP vipkit_redis_master_link_up A replica's link to its master (replicas only).\n"
      "# TYPE vipkit_redis_master_link_up gauge\n"
      "vipkit_redis_master_link_up{" + l + ",node=\"peer\"} 1\n"
      "# HELP vipkit_redis_master_repl_offset Replication offset (a replica's: processed).\n"
      "# TYPE vipkit_redis_master_repl_offset gauge\n"
      "vipkit_redis_master_repl_offset{" + l + ",node=\"local\"} 1500\n"
      "vipkit_redis_master_repl_offset{" + l + ",node=\"peer\"} 1200\n"
      "# HELP vipkit_replication_lag_bytes Bytes of the master's stream its replica has yet to process.\n"
      "# TYPE vipkit_replication_lag_bytes gauge\n"
      "vipkit_replication_lag_bytes{" + l + "} 300\n"
      "# HELP vipkit_last_transition_timestamp_seconds Time of the last VRRP state change.\n"
      "# TYPE vipkit_last_transition_timestamp_seconds gauge\n"
      "vipkit_last_transition_timestamp_seconds{" + l + "} 1764669600.250\n"
      "# HELP vipkit_last_transition_info The last VRRP state change: its new state and reason.\n"
      "# TYPE vipkit_last_transition_info gauge\n"
      "vipkit_last_transition_info{" + l + ",state=\"master\",reason=\"master-down\"} 1\n"
      "# HELP vipkit_failover_actions_total Actions taken on Redis for a VRRP state, by action and result (ok or the failure's reason).\n"
      "# TYPE vipkit_failover_actions_total counter\n"
      "vipkit_failover_actions_total{" + l + ",action=\"promote\",result=\"ok\"} 1\n"
      "vipkit_failover_actions_total{" + l + ",action=\"repoint\",result=\"peer-not-master\"} 2\n"
      "# HELP vipkit_health_check_duration_seconds Health check latency, local and peer.\n"
      "# TYPE vipkit_health_check_duration_seconds histogram\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.0005\"} 1\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.001\"} 1\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.0025\"} 1\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.005\"} 1\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.01\"} 1\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.025\"} 1\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.05\"} 2\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.1\"} 2\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.25\"} 2\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"0.5\"} 2\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"1\"} 2\n"
      "vipkit_health_check_duration_seconds_bucket{" + l + ",le=\"+Inf\"} 2\n"
      "vipkit_health_check_duration_seconds_sum{" + l + "} 0.0403\n"
      "vipkit_health_check_duration_seconds_count{" + l + "} 2\n";
  CHECK(vipd::metrics_text(master_report()) == expected);
}

TEST_CASE("metrics: what is not known is not invented", "[vipd][metrics]") {
  vipd::StatusReport r;
  r.instance = "redis_16465";
  r.state = "fault";
  r.interface = "eth0";
  r.vrid = 52;
  const std::string text = vipd::metrics_text(r);
  CHECK(text.find("vipkit_vrrp_state{instance=\"redis_16465\",interface=\"eth0\",vrid=\"52\"} 3\n") != std::string::npos);
  // No check yet: no Redis sample, no lag, no transition; the families are still declared.
  CHECK(text.find("vipkit_redis_up{") == std::string::npos);
  CHECK(text.find("vipkit_replication_lag_bytes{") == std::string::npos);
  CHECK(text.find("vipkit_last_transition_info{") == std::string::npos);
  CHECK(text.find("# TYPE vipkit_redis_up gauge\n") != std::string::npos);

  // The peer unreachable: it is down, and it has no offset to show.
  r.local = master(history_a, 10, 1);
  r.peer = ha::NodeState::unreachable({redis::ErrorCode::unreachable, "connection refused"});
  const std::string down = vipd::metrics_text(r);
  CHECK(down.find(",node=\"peer\"} 0\n") != std::string::npos);
  CHECK(down.find("vipkit_redis_master_repl_offset{instance=\"redis_16465\",interface=\"eth0\",vrid=\"52\",node=\"peer\"}") ==
        std::string::npos);
  CHECK(down.find("vipkit_replication_lag_bytes{") == std::string::npos);
  // The initial state is 0, as keepalived numbers it.
  r.state = "initialize";
  CHECK(vipd::metrics_text(r).find("vrid=\"52\"} 0\n") != std::string::npos);
}

TEST_CASE("metrics: label values are escaped", "[vipd][metrics]") {
  vipd::StatusReport r = master_report();
  r.last_change = vipd::LastChange{"fault", "a \"quoted\"\\path\nnext", 1.0};
  CHECK(vipd::metrics_text(r).find(R"(state="fault",reason="a \"quoted\"\\path\nnext"} 1)") != std::string::npos);
}
